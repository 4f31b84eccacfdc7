"""The 25 tests the original design listed (see docs/contract.md), under their names."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from builders import T0, at, new_twap
from pydantic import ValidationError

from execution_group import ExecutionGroup, ExecutionStrategyType, GroupStatus
from execution_group.contract import examples


def minimal(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "group_id": "EXG_20251028_143022_a8f3c",
        "parent_directive_id": "EXE_20251028_143020_b7c4d890",
        "execution_strategy": ExecutionStrategyType.VWAP,
        "order_ids": [],
        "status": GroupStatus.PENDING,
        "created_at": T0,
        "updated_at": T0,
    }
    fields.update(changes)
    return fields


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[tuple[tuple[Any, ...], str]]:
    return [(err["loc"], err["msg"]) for err in excinfo.value.errors()]


# Creation


def test_create_execution_group_minimal() -> None:
    group = ExecutionGroup(**minimal())
    assert group.status is GroupStatus.PENDING
    assert group.order_ids == []
    assert group.target_quantity is None and group.filled_quantity is None
    assert group.cancelled_at is None and group.completed_at is None and group.metadata is None
    assert group.fill_ratio is None and group.remaining_quantity is None


def test_create_execution_group_full() -> None:
    group = ExecutionGroup.model_validate_json(json.dumps(examples()[0]))
    assert group.order_ids == ["binance_123", "binance_124", "binance_125"]
    assert group.target_quantity == Decimal("100.0")
    assert group.filled_quantity == Decimal("30.0")
    assert group.created_at == datetime(2025, 10, 28, 14, 30, 22, tzinfo=UTC)
    assert group.fill_ratio == Decimal("0.3")
    assert group.remaining_quantity == Decimal("70.0")


def test_create_execution_group_with_metadata() -> None:
    metadata = {"chunk_size": Decimal("10.0"), "interval_seconds": 300, "nested": {"a": [1, "é"]}}
    group = ExecutionGroup(**minimal(metadata=metadata))
    assert group.metadata == metadata
    written = json.loads(group.model_dump_json())["metadata"]
    assert written == {"chunk_size": "10.0", "interval_seconds": 300, "nested": {"a": [1, "é"]}}
    for bad in (
        {"x": float("nan")},
        {"x": float("inf")},
        {1: "key"},
        {"x": {1, 2}},
        {"x": (1, 2)},
        {"x": object()},
    ):
        with pytest.raises(ValidationError) as excinfo:
            ExecutionGroup(**minimal(metadata=bad))
        assert excinfo.value.errors()[0]["loc"][0] == "metadata"


# Validation


@pytest.mark.parametrize(
    "group_id",
    [
        "EXG_20251028_143022_A8F3C",
        "EXG_20251028_143022_a8f3",
        "EXG_20251028_143022_a8f3c\n",
        "EXG_\uff120251028_143022_a8f3c",
        "exg_20251028_143022_a8f3c",
        "",
    ],
)
def test_group_id_format_validation(group_id: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(group_id=group_id))
    assert errors_of(excinfo) == [
        (("group_id",), "group_id must match pattern EXG_YYYYMMDD_HHMMSS_xxxxx")
    ]


@pytest.mark.parametrize(
    "directive_id",
    [
        "EXE_20251028_095958_h5c6d7e8",
        "EXE_20251028_143020_b7c4d",
        "EXE_20251028_143020_B7C4D890",
        "EXE_20251028_143020_b7c4d890\n",
    ],
)
def test_parent_directive_id_format_validation(directive_id: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(parent_directive_id=directive_id))
    assert errors_of(excinfo) == [
        (("parent_directive_id",), "parent_directive_id must be valid ExecutionDirective ID")
    ]


def test_unique_order_ids_validation() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(status=GroupStatus.ACTIVE, order_ids=["a", "b", "a"]))
    assert errors_of(excinfo) == [(("order_ids",), "order_ids must contain unique values")]


def test_fill_ratio_validation() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(target_quantity=Decimal("9"), filled_quantity=Decimal("10")))
    assert errors_of(excinfo) == [
        (("filled_quantity",), "filled_quantity 10 cannot exceed target_quantity 9")
    ]
    group = ExecutionGroup(**minimal(target_quantity=Decimal("10"), filled_quantity=Decimal("10")))
    assert group.fill_ratio == 1


def test_final_state_xor_validation() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(cancelled_at=at(5), completed_at=at(5)))
    assert errors_of(excinfo) == [
        (("cancelled_at",), "Group cannot be both cancelled and completed")
    ]


@pytest.mark.parametrize("target", [Decimal("-1"), Decimal("0"), 0, "0.00000000", Decimal("-0")])
def test_target_quantity_positive_validation(target: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(target_quantity=target))
    assert errors_of(excinfo) == [(("target_quantity",), "target_quantity must be positive")]


# Strategies


def test_execution_strategy_single() -> None:
    group = ExecutionGroup(**minimal(execution_strategy=ExecutionStrategyType.SINGLE))
    group.add_order("binance_500", at=at(1))
    assert group.status is GroupStatus.ACTIVE
    with pytest.raises(ValidationError) as excinfo:
        group.add_order("binance_501", at=at(2))
    assert errors_of(excinfo)[0][0] == ("order_ids",)
    assert group.order_ids == ["binance_500"]
    with pytest.raises(ValidationError):
        ExecutionGroup(
            **minimal(execution_strategy="SINGLE", status="ACTIVE", order_ids=["a", "b"])
        )


def test_execution_strategy_twap() -> None:
    metadata = {"chunk_size": Decimal("10.0"), "interval_seconds": 300, "total_chunks": 10}
    group = ExecutionGroup(
        **minimal(execution_strategy="TWAP", target_quantity=Decimal("100"), metadata=metadata)
    )
    for chunk in range(10):
        group.add_order(f"binance_{chunk}", at=at(300 * chunk))
        group.record_fill(Decimal("10.0"), at=at(300 * chunk + 1))
    assert group.filled_quantity == Decimal("100.0")
    assert group.fill_ratio == 1
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(execution_strategy="TWAP"))
    assert errors_of(excinfo) == [(("target_quantity",), "TWAP groups require target_quantity")]


def test_execution_strategy_iceberg() -> None:
    group = ExecutionGroup(**minimal(execution_strategy="ICEBERG", metadata={"visible_ratio": 0.2}))
    assert group.metadata == {"visible_ratio": 0.2}
    for metadata in (
        None,
        {},
        {"visible_ratio": 0},
        {"visible_ratio": 1.5},
        {"visible_ratio": True},
        {"visible_ratio": "0.2"},
        {"visible_ratio": Decimal("0.2")},
    ):
        with pytest.raises(ValidationError) as excinfo:
            ExecutionGroup(**minimal(execution_strategy="ICEBERG", metadata=metadata))
        assert errors_of(excinfo)[0][0] == ("metadata", "visible_ratio")


def test_execution_strategy_dca() -> None:
    group = ExecutionGroup.model_validate_json(json.dumps(examples()[3]))
    assert group.execution_strategy is ExecutionStrategyType.DCA
    assert group.metadata is not None and group.metadata["frequency"] == "hourly"
    with pytest.raises(ValidationError):
        ExecutionGroup(**minimal(execution_strategy="DCA", metadata={"frequency": "daily"}))


def test_execution_strategy_vwap() -> None:
    group = ExecutionGroup(**minimal(execution_strategy="VWAP"))
    group.add_orders(["v1", "v2", "v3"], at=at(1))
    assert group.order_ids == ["v1", "v2", "v3"]
    assert group.status is GroupStatus.ACTIVE


def test_execution_strategy_layered() -> None:
    with pytest.raises(ValidationError):
        ExecutionGroup(**minimal(execution_strategy="LAYERED"))
    group = ExecutionGroup(
        **minimal(execution_strategy="LAYERED", target_quantity="5", metadata={"layers": [1, 2]})
    )
    group.add_orders(["l1", "l2"], at=at(1))
    assert group.remaining_quantity == Decimal("5")


def test_execution_strategy_pov() -> None:
    group = ExecutionGroup(**minimal(execution_strategy="POV", metadata={"participation": 0.1}))
    group.add_order("p1", at=at(1))
    group.transition_to(GroupStatus.PARTIAL, at=at(2), reason="volume dried up")
    assert group.status is GroupStatus.PARTIAL
    assert group.metadata == {"participation": 0.1, "stop_reason": "volume dried up"}


# Status


def test_status_pending_to_active(pending_twap: ExecutionGroup) -> None:
    with pytest.raises(ValidationError):
        pending_twap.transition_to("ACTIVE", at=at(1))  # an ACTIVE group needs an order
    pending_twap.add_order("binance_1", at=at(1))
    assert pending_twap.status is GroupStatus.ACTIVE
    assert pending_twap.updated_at == at(1)


def test_status_active_to_completed(pending_twap: ExecutionGroup) -> None:
    pending_twap.add_order("binance_1", at=at(1))
    pending_twap.record_fill("100", at=at(2))
    pending_twap.complete(at=at(3))
    assert pending_twap.status is GroupStatus.COMPLETED
    assert pending_twap.completed_at == at(3) and pending_twap.updated_at == at(3)


def test_status_active_to_cancelled(pending_twap: ExecutionGroup) -> None:
    pending_twap.add_order("binance_1", at=at(1))
    pending_twap.cancel("RISK_THRESHOLD_BREACHED", at=at(2))
    assert pending_twap.status is GroupStatus.CANCELLED
    assert pending_twap.cancelled_at == at(2)
    assert pending_twap.metadata == {"cancel_reason": "RISK_THRESHOLD_BREACHED"}
    pending_twap.cancel("again", at=at(3))
    assert pending_twap.updated_at == at(2)
    assert pending_twap.metadata == {"cancel_reason": "RISK_THRESHOLD_BREACHED"}


def test_status_active_to_failed(pending_twap: ExecutionGroup) -> None:
    pending_twap.add_order("binance_1", at=at(1))
    pending_twap.fail("venue rejected", at=at(2))
    assert pending_twap.status is GroupStatus.FAILED
    with pytest.raises(ValidationError) as excinfo:
        pending_twap.transition_to(GroupStatus.ACTIVE, at=at(3))
    message = excinfo.value.errors()[0]["msg"]
    assert "EXG_20251028_143022_a8f3c" in message and "FAILED" in message and "ACTIVE" in message
    assert "none (terminal)" in message


def test_status_active_to_partial(pending_twap: ExecutionGroup) -> None:
    pending_twap.add_order("binance_1", at=at(1))
    pending_twap.record_fill("40", at=at(2))
    pending_twap.transition_to("PARTIAL", at=at(3))
    assert pending_twap.status is GroupStatus.PARTIAL and pending_twap.is_terminal
    assert pending_twap.fill_ratio == Decimal("0.4")


def test_status_consistency_validation(pending_twap: ExecutionGroup) -> None:
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(status="CANCELLED"))
    assert errors_of(excinfo) == [
        (("cancelled_at",), "CANCELLED status requires cancelled_at timestamp")
    ]
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(status="COMPLETED", order_ids=["a"]))
    assert errors_of(excinfo) == [
        (("completed_at",), "COMPLETED status requires completed_at timestamp")
    ]
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup(**minimal(updated_at=at(-1)))
    assert errors_of(excinfo) == [(("updated_at",), "updated_at cannot be before created_at")]
    # The design's idiom: a status assignment stamps cancelled_at as cancel() does ...
    pending_twap.add_order("o1", at=at(1))
    pending_twap.status = GroupStatus.CANCELLED
    assert pending_twap.status is GroupStatus.CANCELLED and pending_twap.updated_at > at(1)
    assert pending_twap.cancelled_at == pending_twap.updated_at
    # ... and keeps a stamp given first.
    other = new_twap()
    other.add_order("o1", at=at(1))
    other.cancelled_at = at(2)
    other.status = GroupStatus.CANCELLED
    assert other.cancelled_at == at(2)


# Mutation


def test_order_ids_append_mutation(pending_twap: ExecutionGroup) -> None:
    pending_twap.order_ids.append("binance_1")
    assert pending_twap.order_ids == ["binance_1"]
    assert pending_twap.status is GroupStatus.ACTIVE
    before = pending_twap.updated_at
    with pytest.raises(ValidationError) as excinfo:
        pending_twap.order_ids.append("binance_1")
    assert errors_of(excinfo) == [(("order_ids", 1), "order_ids must contain unique values")]
    with pytest.raises(ValidationError):
        pending_twap.order_ids.append("has space")
    for remove in (
        lambda ids: ids.pop(),
        lambda ids: ids.remove("binance_1"),
        lambda ids: ids.clear(),
        lambda ids: ids.__setitem__(0, "x"),
        lambda ids: ids.__delitem__(0),
        lambda ids: ids.insert(0, "x"),
    ):
        with pytest.raises(ValidationError):
            remove(pending_twap.order_ids)
    assert pending_twap.order_ids == ["binance_1"] and pending_twap.updated_at == before
    pending_twap.order_ids.extend(["binance_2", "binance_3"])
    pending_twap.order_ids += ["binance_4"]
    assert pending_twap.order_ids == ["binance_1", "binance_2", "binance_3", "binance_4"]


def test_filled_quantity_update_mutation(pending_twap: ExecutionGroup) -> None:
    pending_twap.add_order("o1", at=at(1))
    pending_twap.record_fill(Decimal("30"), at=at(2))
    pending_twap.filled_quantity = Decimal("87.5")
    assert pending_twap.filled_quantity == Decimal("87.5")
    with pytest.raises(ValidationError) as excinfo:
        pending_twap.filled_quantity = Decimal("100.5")
    assert errors_of(excinfo) == [
        (("filled_quantity",), "filled_quantity 100.5 cannot exceed target_quantity 100.0")
    ]
    with pytest.raises(ValidationError) as excinfo:
        pending_twap.filled_quantity = Decimal("-1")
    assert errors_of(excinfo) == [(("filled_quantity",), "filled_quantity cannot be negative")]
    with pytest.raises(ValidationError):
        pending_twap.record_fill(Decimal("13"), at=at(3))
    with pytest.raises(ValidationError):
        pending_twap.filled_quantity = 0.1  # not exact within 8 decimal places
    assert pending_twap.filled_quantity == Decimal("87.5")
    pending_twap.filled_quantity = 0.5
    assert pending_twap.filled_quantity == Decimal("0.5")


# Serialization


def test_json_serialization_roundtrip() -> None:
    for document in examples():
        group = ExecutionGroup.model_validate_json(json.dumps(document))
        assert json.loads(group.model_dump_json()) == document
        assert ExecutionGroup.model_validate(group.model_dump()) == group
        assert ExecutionGroup.model_validate_json(group.model_dump_json()) == group
    tiny = ExecutionGroup(
        **minimal(target_quantity=Decimal("1E+2"), filled_quantity=Decimal("0.00000001"))
    )
    written = json.loads(tiny.model_dump_json())
    assert written["target_quantity"] == "100" and written["filled_quantity"] == "0.00000001"
    zero = ExecutionGroup(**minimal(filled_quantity=Decimal("-0.0")))
    assert json.loads(zero.model_dump_json())["filled_quantity"] == "0.0"
