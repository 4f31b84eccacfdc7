"""Round trips: every way of saving or copying a group gives an equal, guarded group."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from builders import T0, new_twap
from pydantic import BaseModel, ValidationError

from execution_group import ExecutionGroup, GroupStatus

METADATA: dict[str, Any] = {
    "chunk_size": Decimal("10.50"),
    "layers": [[1, 2, [3, {"deep": ["x", None, True, 1.5]}]], []],
    "note": "ordre annulé — 注文 🚀",
    "empty": {},
}


def active_group() -> ExecutionGroup:
    group = new_twap(target_quantity="100.0", metadata=METADATA)
    group.add_orders(["o1", "o2"], at=T0 + timedelta(seconds=1))
    group.record_fill("12.5", at=T0 + timedelta(seconds=2))
    return group


ROUND_TRIPS: dict[str, Callable[[ExecutionGroup], ExecutionGroup]] = {
    "python": lambda g: ExecutionGroup.model_validate(g.model_dump()),
    "python-round-trip": lambda g: ExecutionGroup.model_validate(g.model_dump(round_trip=True)),
    "json-mode-dict": lambda g: ExecutionGroup.model_validate(g.model_dump(mode="json")),
    "json": lambda g: ExecutionGroup.model_validate_json(g.model_dump_json()),
    "json-bytes": lambda g: ExecutionGroup.model_validate_json(g.model_dump_json().encode()),
    "pickle": lambda g: pickle.loads(pickle.dumps(g)),
    "pickle-0": lambda g: pickle.loads(pickle.dumps(g, protocol=0)),
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
    "model_copy": lambda g: g.model_copy(),
    "model_copy-deep": lambda g: g.model_copy(deep=True),
    "model_copy-update": lambda g: g.model_copy(update={"metadata": METADATA}),
}
JSON_MODES = {"json-mode-dict", "json", "json-bytes"}


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_round_trip_gives_an_equal_group_with_its_own_guards(name: str) -> None:
    original = active_group()
    before = original.model_dump_json()
    clone = ROUND_TRIPS[name](original)
    assert type(clone) is ExecutionGroup
    assert clone.model_dump_json() == before
    if name in JSON_MODES:
        # Decimal in metadata is written as a plain-notation string: the one JSON change.
        assert clone.metadata is not None
        assert clone.metadata["chunk_size"] == "10.50"
        assert clone == ExecutionGroup.model_validate(
            {**original.model_dump(), "metadata": clone.metadata}
        )
    else:
        assert clone == original
        assert clone.metadata == METADATA
        assert clone.metadata is not None
        assert type(clone.metadata["chunk_size"]) is Decimal
    assert clone.filled_quantity == Decimal("12.5")
    assert str(clone.target_quantity) == "100.0"

    # The copy's own rules guard it, and it does not touch the original.
    clone.order_ids.append("o3")
    assert list(clone.order_ids) == ["o1", "o2", "o3"]
    assert list(original.order_ids) == ["o1", "o2"]
    with pytest.raises(ValidationError, match="order_ids_unique"):
        clone.order_ids.append("o1")
    with pytest.raises(ValidationError, match="order_ids_append_only"):
        clone.order_ids.pop()
    with pytest.raises(ValidationError, match="immutable_field"):
        clone.group_id = "EXG_20251028_143022_zzzzz"
    with pytest.raises(ValidationError, match="status_transition"):
        clone.status = GroupStatus.PENDING
    with pytest.raises(ValidationError, match="fill_exceeds_target"):
        clone.record_fill("90")
    clone.cancel("done")
    assert original.status is GroupStatus.ACTIVE
    assert original.model_dump_json() == before


def test_model_copy_update_goes_through_the_rules() -> None:
    group = active_group()
    before = group.model_dump_json()
    for update, rule in [
        ({"group_id": "EXG_20251028_143022_zzzzz"}, "immutable_field"),
        ({"target_quantity": "5"}, "immutable_field"),
        ({"status": "PENDING"}, "status_transition"),
        ({"status": "COMPLETED", "completed_at": None}, "status_requires_timestamp"),
        ({"status": "COMPLETED", "cancelled_at": T0}, "final_state_exclusive"),
        ({"order_ids": ["o2", "o1"]}, "order_ids_append_only"),
        ({"filled_quantity": "101"}, "fill_exceeds_target"),
        ({"unknown": 1}, "unknown_field"),
        ({"updated_at": T0}, "updated_at_backwards"),
    ]:
        with pytest.raises(ValidationError) as raised:
            group.model_copy(update=update)
        assert rule in {error["type"] for error in raised.value.errors()}, update
    assert group.model_dump_json() == before

    later = T0 + timedelta(seconds=9)
    done = group.model_copy(
        update={
            "completed_at": later,
            "status": "COMPLETED",
            "updated_at": later,
            "order_ids": ["o1", "o2", "o3"],
        }
    )
    assert done.status is GroupStatus.COMPLETED
    assert list(done.order_ids) == ["o1", "o2", "o3"]
    assert group.status is GroupStatus.ACTIVE
    assert list(group.order_ids) == ["o1", "o2"]


def test_shallow_copy_shares_metadata_deep_copy_does_not() -> None:
    group = active_group()
    assert copy.copy(group).metadata is group.metadata
    deep = copy.deepcopy(group)
    assert deep.metadata == group.metadata
    assert deep.metadata is not group.metadata


def test_pickle_after_many_orders_and_terminal_state() -> None:
    group = active_group()
    group.add_orders([f"x{n}" for n in range(5_000)], at=T0 + timedelta(seconds=3))
    group.cancel("venue down", at=T0 + timedelta(seconds=4))
    clone = pickle.loads(pickle.dumps(group))
    assert clone == group
    assert clone.is_terminal
    clone.add_order("late", at=T0 + timedelta(seconds=5))  # late ack still tracked
    assert clone.status is GroupStatus.CANCELLED
    assert "late" not in group.order_ids


@pytest.mark.parametrize(
    "options", [{}, {"indent": 2}, {"exclude_none": True}, {"round_trip": True}]
)
def test_model_dump_json_writes_what_pydantic_writes(options: dict[str, Any]) -> None:
    """The group's own ``model_dump_json`` (a lock, and a shortcut without options)."""
    group = active_group()
    assert group.model_dump_json(**options) == BaseModel.model_dump_json(group, **options)
