"""``_planner``: pure plans of changes on plain states (no group is written)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from builders import GROUP_ID, T0, at, new_twap
from pydantic import ValidationError

from execution_group import ChangeKind, ChangeRecord, ExecutionGroup, GroupStatus
from execution_group._planner import (
    field_refusal,
    new_order_ids,
    owned,
    plan_append,
    plan_change,
    transition_updates,
)
from execution_group.order_ids import OrderIds


def state_of(**changes: Any) -> tuple[dict[str, Any], OrderIds]:
    """A group's fields (a copy) and a guarded order list of its own, for planning on."""
    group = new_twap(**changes)
    return dict(group.__dict__), OrderIds(group.__dict__["order_ids"], group)


def types(raised: pytest.ExceptionInfo[ValidationError]) -> list[tuple[Any, str]]:
    return [(error["loc"], error["type"]) for error in raised.value.errors()]


def test_an_append_activates_a_pending_group_and_records_in_commit_order() -> None:
    state, orders = state_of()
    before = dict(state)
    updates, added, records = plan_append(state, orders, ["o1", "o2"], at(1))
    assert updates == {"status": GroupStatus.ACTIVE, "updated_at": at(1)}
    assert added == ["o1", "o2"]
    assert records == (
        ChangeRecord(GROUP_ID, ChangeKind.TRANSITION, "status", "PENDING", "ACTIVE", at(1)),
        ChangeRecord(GROUP_ID, ChangeKind.ORDER_ADDED, "order_ids", None, "o1", at(1)),
        ChangeRecord(GROUP_ID, ChangeKind.ORDER_ADDED, "order_ids", None, "o2", at(1)),
    )
    assert state == before and list(orders) == []  # pure: nothing written


def test_an_append_checks_ids_the_clock_and_the_order_count_only() -> None:
    state, orders = state_of(order_ids=["o1"], status="ACTIVE")
    with pytest.raises(ValidationError) as raised:
        plan_append(state, orders, ["o1", "bad id", "o2", "o2"], at(1))
    assert types(raised) == [
        (("order_ids", 1), "order_ids_unique"),
        (("order_ids", 2), "order_id_form"),
        (("order_ids", 4), "order_ids_unique"),
    ]
    with pytest.raises(ValidationError, match="updated_at_backwards"):
        plan_append(state, orders, ["o2"], at(-1))
    single, single_orders = state_of(execution_strategy="SINGLE", order_ids=["o1"], status="ACTIVE")
    with pytest.raises(ValidationError, match="single_order"):
        plan_append(single, single_orders, ["o2"], at(1))
    assert plan_append(state, orders, [], at(-1)) == ({}, [], ())  # nothing to add: no change


def test_an_append_does_not_look_at_rules_it_cannot_break() -> None:
    """A state that breaks a rule an append cannot touch still takes an order: the plan
    checks what the append can break, nothing else (the state came from a valid group)."""
    state, orders = state_of(status="ACTIVE", order_ids=["o1"])
    state["filled_quantity"] = Decimal(1000)  # past the target: not the append's business
    updates, added, _ = plan_append(state, orders, ["o2"], at(1))
    assert added == ["o2"] and updates == {"updated_at": at(1)}


def test_a_change_checks_every_rule_through_the_order_count_alone() -> None:
    state, _ = state_of(order_ids=["o1"], status="ACTIVE")
    state["order_ids"] = _Uncountable(1)  # a plan may take its length, never its items
    updates, added, records = plan_change(
        state, None, ChangeKind.FILL, {"filled_quantity": Decimal(5)}, when=at(2)
    )
    assert updates == {"filled_quantity": Decimal(5), "updated_at": at(2)} and added == []
    assert [(r.field, r.old, r.new) for r in records] == [("filled_quantity", 0, 5)]
    with pytest.raises(ValidationError, match="fill_exceeds_target"):
        plan_change(state, None, ChangeKind.FILL, {"filled_quantity": Decimal(101)}, when=at(2))


class _Uncountable(list[str]):
    """An order list that fails when anything but its length is read."""

    def __init__(self, count: int) -> None:
        super().__init__(["x"] * count)

    def __iter__(self) -> Any:
        raise AssertionError("the plan read the order list")

    def __getitem__(self, index: Any) -> Any:
        raise AssertionError("the plan read the order list")


def test_a_status_move_stamps_unless_set_or_given_and_checks_the_table() -> None:
    state, _ = state_of(order_ids=["o1"], status="ACTIVE")
    updates, _, records = plan_change(
        state, None, ChangeKind.ASSIGNMENT, {"status": GroupStatus.CANCELLED}, when=at(3)
    )
    assert updates["cancelled_at"] == at(3)
    assert [(r.kind, r.field) for r in records] == [
        (ChangeKind.TRANSITION, "status"),
        (ChangeKind.TRANSITION, "cancelled_at"),
    ]
    given, _, _ = plan_change(
        state,
        None,
        ChangeKind.ASSIGNMENT,
        {"status": GroupStatus.CANCELLED, "cancelled_at": at(2)},
        when=at(3),
    )
    assert given["cancelled_at"] == at(2)
    with pytest.raises(ValidationError, match="status_transition"):
        plan_change(state, None, ChangeKind.ASSIGNMENT, {"status": GroupStatus.PENDING}, when=at(3))


def test_a_transition_keeps_its_reason_in_metadata() -> None:
    state, _ = state_of(metadata={"k": 1})
    assert transition_updates(state, GroupStatus.FAILED, "venue down") == {
        "status": GroupStatus.FAILED,
        "metadata": {"k": 1, "failure_reason": "venue down"},
    }
    assert transition_updates(state, GroupStatus.FAILED, None) == {"status": GroupStatus.FAILED}


def test_field_refusals_and_new_ids() -> None:
    fields = frozenset(ExecutionGroup.model_fields)
    assert field_refusal("status", fields, "x", ("status",)) is None
    assert field_refusal("group_id", fields, "x", ("group_id",)) is not None
    assert field_refusal("filled_qty", fields, "x", ("filled_qty",)) is not None
    _, orders = state_of(order_ids=["o1"], status="ACTIVE")
    assert new_order_ids(orders, ["o2", "o3"]) == ["o2", "o3"]
    pending = {"o2"}
    with pytest.raises(ValidationError, match="order_ids_unique"):
        new_order_ids(orders, ["o2"], ("records", 0, "new"), pending)


def test_records_own_their_values() -> None:
    mutable = {"layers": [1, 2]}
    held = owned(mutable)
    mutable["layers"].append(3)
    assert held == {"layers": [1, 2]}
    assert owned(held) is held  # read-only already: shared
    assert owned(T0) is T0
