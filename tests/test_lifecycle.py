"""The lifecycle (docs/contract.md §5): the transition table, immutability, atomic rejections."""

from __future__ import annotations

import gc
import json
import sys
import tracemalloc
import weakref
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from builders import at, new_twap
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import ExecutionGroup, GroupStatus
from execution_group.contract import lifecycle
from execution_group.lifecycle import IMMUTABLE_FIELDS, TRANSITIONS

STATUSES = list(GroupStatus)


def group_in(status: GroupStatus) -> ExecutionGroup:
    """A TWAP group brought to ``status`` through the lifecycle itself."""
    group = new_twap()
    if status in (GroupStatus.PENDING, GroupStatus.CANCELLED, GroupStatus.FAILED):
        if status is not GroupStatus.PENDING:
            group.transition_to(status, at=at(1))
        return group
    group.add_order("o1", at=at(1))
    if status is not GroupStatus.ACTIVE:
        group.transition_to(status, at=at(2))
    return group


def snapshot(group: ExecutionGroup) -> dict[str, Any]:
    return {
        "json": group.model_dump_json(),
        "set": set(group.model_fields_set),
        "ids": list(group.order_ids),
        "unique": set(group.order_ids),
    }


def test_table_is_the_lifecycle_file() -> None:
    assert {s.value: sorted(t.value for t in targets) for s, targets in TRANSITIONS.items()} == {
        s: sorted(t) for s, t in lifecycle()["transitions"].items()
    }
    assert {
        "group_id",
        "parent_directive_id",
        "execution_strategy",
        "created_at",
        "target_quantity",
    } == IMMUTABLE_FIELDS


@given(st.sampled_from(STATUSES), st.sampled_from(STATUSES))
def test_transition_allowed_exactly_by_the_table(source: GroupStatus, target: GroupStatus) -> None:
    group = group_in(source)
    before = snapshot(group)
    allowed = target == source or target in TRANSITIONS[source]
    if target is GroupStatus.ACTIVE and source is GroupStatus.PENDING:
        group.add_order("o9", at=at(5))  # ACTIVE needs an order; the first one activates
        assert group.status is GroupStatus.ACTIVE
        return
    try:
        group.transition_to(target, at=at(5))
    except ValidationError as exc:
        assert not allowed
        error = exc.errors()[0]
        assert error["loc"] == ("status",)
        for word in (group.group_id, source.value, target.value):
            assert word in error["msg"]
        assert snapshot(group) == before
        return
    assert allowed
    assert group.status is target
    if target == source:
        assert snapshot(group) == before
    else:
        assert group.updated_at == at(5)


@given(st.sampled_from(sorted(IMMUTABLE_FIELDS)), st.sampled_from(STATUSES))
def test_immutable_fields_refuse_any_assignment(field: str, status: GroupStatus) -> None:
    group = group_in(status)
    before = snapshot(group)
    with pytest.raises(ValidationError) as excinfo:
        setattr(group, field, getattr(group, field))
    assert excinfo.value.errors()[0]["loc"] == (field,)
    with pytest.raises(ValidationError):
        group.model_copy(update={field: getattr(group, field)})
    assert snapshot(group) == before


OPERATIONS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["o1", "o2", "o3", "bad id", "", "o\n"])),
    st.tuples(
        st.just("fill"), st.sampled_from(["1", "30", "99.5", "0", "-1", "1E+2", "0.000000001"])
    ),
    st.tuples(st.just("move"), st.sampled_from(STATUSES)),
    st.tuples(st.just("set_status"), st.sampled_from([*STATUSES, "NOPE"])),
    st.tuples(
        st.just("set_filled"),
        st.sampled_from([Decimal("10"), Decimal("101"), Decimal("-1"), 0.1, None]),
    ),
    st.tuples(
        st.just("set_cancelled_at"), st.sampled_from([at(-10), at(3), None, datetime(2025, 1, 1)])
    ),
    st.tuples(st.just("set_completed_at"), st.sampled_from([at(3), None])),
    st.tuples(st.just("set_updated_at"), st.sampled_from([at(-1), at(0), at(1000)])),
    st.tuples(
        st.just("set_metadata"), st.sampled_from([{"a": 1}, {"x": float("nan")}, None, {1: 2}])
    ),
    st.tuples(st.just("set_orders"), st.sampled_from([[], ["o1"], ["o1", "o2", "o4"], ["zz"]])),
    st.tuples(
        st.just("list"), st.sampled_from(["pop", "clear", "reverse", "setitem", "extend_dup"])
    ),
)


def apply(group: ExecutionGroup, step: int, operation: tuple[str, Any]) -> None:
    kind, value = operation
    when = at(10 + step)
    if kind == "add":
        group.add_order(value, at=when)
    elif kind == "fill":
        group.record_fill(value, at=when)
    elif kind == "move":
        group.transition_to(value, at=when, reason="test")
    elif kind == "list":
        ids = group.order_ids
        {
            "pop": ids.pop,
            "clear": ids.clear,
            "reverse": ids.reverse,
            "setitem": lambda: ids.__setitem__(0, "x"),
            "extend_dup": lambda: ids.extend(["n1", "n1"]),
        }[value]()
    else:
        field = {"filled": "filled_quantity", "orders": "order_ids"}.get(kind[4:], kind[4:])
        setattr(group, field, value)


@given(st.sampled_from(["TWAP", "SINGLE", "ICEBERG"]), st.lists(OPERATIONS, max_size=25))
def test_rejected_mutations_leave_the_group_exactly_as_it_was(
    strategy: str, operations: list[tuple[str, Any]]
) -> None:
    group = new_twap(
        execution_strategy=strategy, filled_quantity=None, metadata={"visible_ratio": 0.5}
    )
    for step, operation in enumerate(operations):
        before = snapshot(group)
        try:
            apply(group, step, operation)
        except ValidationError:
            assert snapshot(group) == before, operation
        # Whatever happened, the group is a valid document and its order list is consistent.
        again = ExecutionGroup.model_validate_json(group.model_dump_json())
        assert again == group
        assert len(set(group.order_ids)) == len(group.order_ids)
        assert group.updated_at >= before_updated(before)


def before_updated(snap: dict[str, Any]) -> datetime:
    return ExecutionGroup.model_validate_json(snap["json"]).updated_at


def test_terminal_groups_still_track_late_orders_and_fills() -> None:
    group = group_in(GroupStatus.ACTIVE)
    group.cancel("RISK", at=at(3))
    group.add_order("late_ack", at=at(4))
    group.record_fill("5", at=at(5))
    group.cancel("again", at=at(6))
    assert group.status is GroupStatus.CANCELLED
    assert group.order_ids == ["o1", "late_ack"] and group.filled_quantity == Decimal("5")
    assert group.metadata == {"cancel_reason": "RISK"}
    assert group.cancelled_at == at(3) and group.updated_at == at(5)


def test_cancel_from_pending_and_updated_at_never_backwards() -> None:
    group = group_in(GroupStatus.PENDING)
    with pytest.raises(ValidationError) as excinfo:
        group.cancel(at=at(-5))
    assert {e["loc"] for e in excinfo.value.errors()} >= {("updated_at",)}
    assert group.status is GroupStatus.PENDING
    group.cancel()
    assert group.status is GroupStatus.CANCELLED and group.cancelled_at is not None


def _cost_of_one_add(size: int) -> tuple[int, int]:
    """(Python calls, peak bytes allocated) of one ``add_order`` on a group of ``size`` orders.

    The least of ten adds: a list or set that grows its buffer now and then is amortised
    O(1); an O(n) step would show in every add.
    """
    group = group_in(GroupStatus.ACTIVE)
    group.add_orders([f"o{i}" for i in range(2, size + 1)], at=at(3))
    costs = []
    for extra in range(10):
        calls = 0

        def profile(_frame: Any, event: str, _arg: Any) -> None:
            nonlocal calls
            calls += event in ("call", "c_call")

        tracemalloc.start()
        sys.setprofile(profile)
        try:
            group.add_order(f"extra_{extra}", at=at(4))
        finally:
            sys.setprofile(None)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        costs.append((calls, peak))
    assert len(group.order_ids) == size + 10
    return min(calls for calls, _ in costs), min(peak for _, peak in costs)


def test_add_order_is_constant_time_in_the_number_of_orders() -> None:
    """Counted, not timed: the same calls and no per-order memory at 10 and 100,000 orders."""
    small_calls, _ = _cost_of_one_add(10)
    large_calls, large_peak = _cost_of_one_add(100_000)
    assert large_calls == small_calls
    assert large_peak < 64 * 1024  # a copy of 100,000 ids would take megabytes


FIRST_CHANGES: dict[str, Any] = {
    "transition": lambda group: group.cancel("stop", at=at(9)),
    "fill": lambda group: group.record_fill("1", at=at(9)),
    "assignment": lambda group: setattr(group, "filled_quantity", "2"),
}


def _cost_of_first_change(size: int, change: Any) -> tuple[int, int]:
    """(Python calls, peak bytes allocated) of ``change`` on a group just decoded."""
    document = json.loads(group_in(GroupStatus.ACTIVE).model_dump_json())
    document["order_ids"] = [f"o{index}" for index in range(size)]
    group = ExecutionGroup.model_validate_json(json.dumps(document))
    calls = 0

    def profile(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal calls
        calls += event in ("call", "c_call")

    tracemalloc.start()
    sys.setprofile(profile)
    try:
        change(group)
    finally:
        sys.setprofile(None)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return calls, peak


@pytest.mark.parametrize("name", FIRST_CHANGES)
def test_the_first_change_after_decoding_never_touches_the_order_list(name: str) -> None:
    """Counted, not timed: a transition, a fill or an assignment right after decoding makes
    the same calls and allocates no more at 100,000 orders than at 10 (the guarded list,
    O(n), is made only by what adds orders)."""
    small_calls, small_peak = _cost_of_first_change(10, FIRST_CHANGES[name])
    large_calls, large_peak = _cost_of_first_change(100_000, FIRST_CHANGES[name])
    assert large_calls == small_calls
    assert large_peak < small_peak + 4 * 1024  # a guarded copy of 100,000 ids takes megabytes


def test_design_idiom_has_no_side_door() -> None:
    group = group_in(GroupStatus.PENDING)
    group.order_ids.append("o1")
    assert group.status is GroupStatus.ACTIVE
    with pytest.raises(ValidationError):
        group.status = "PENDING"  # no way back
    group.status = GroupStatus.COMPLETED  # stamps completed_at, as complete() does
    assert group.completed_at == group.updated_at
    with pytest.raises(ValidationError):
        group.status = GroupStatus.ACTIVE
    copied = group.model_copy(deep=True)
    copied.order_ids.append("o2")
    assert group.order_ids == ["o1"] and copied.order_ids == ["o1", "o2"]
    assert json.loads(group.model_dump_json())["status"] == "COMPLETED"


def test_a_decoded_group_that_is_only_read_is_freed_without_the_garbage_collector() -> None:
    """Validation leaves no reference cycle (the guarded order list links back to its group)."""
    data = new_twap().model_dump_json()
    gc.disable()
    try:
        group = ExecutionGroup.model_validate_json(data)
        assert group.group_id and group.updated_at  # read, not touched
        freed = weakref.ref(group)
        del group
        assert freed() is None
    finally:
        gc.enable()


def test_order_ids_is_guarded_from_the_first_access_whichever_way_it_comes() -> None:
    data = group_in(GroupStatus.ACTIVE).model_dump_json()

    read = ExecutionGroup.model_validate_json(data)
    assert read.order_ids is read.order_ids
    with pytest.raises(ValidationError, match="order_ids_unique"):
        read.order_ids.append("o1")

    touched_by_lifecycle = ExecutionGroup.model_validate_json(data)
    touched_by_lifecycle.add_order("o2", at=at(5))
    held = touched_by_lifecycle.order_ids
    touched_by_lifecycle.add_order("o3", at=at(6))
    assert held == ["o1", "o2", "o3"] and "o3" in held

    bypass = ExecutionGroup.model_validate_json(data)
    with pytest.raises(ValidationError, match="order_ids_append_only"):
        object.__setattr__(bypass, "order_ids", [])
    object.__setattr__(bypass, "order_ids", ["o1", "o9"])
    assert bypass.order_ids == ["o1", "o9"] and bypass.updated_at > at(1)


def test_dict_of_a_group_and_iteration_hand_out_the_guarded_list() -> None:
    data = group_in(GroupStatus.ACTIVE).model_dump_json()
    with pytest.raises(ValidationError, match="order_ids_unique"):
        dict(ExecutionGroup.model_validate_json(data))["order_ids"].append("o1")
    for name, value in ExecutionGroup.model_validate_json(data):
        if name == "order_ids":
            with pytest.raises(ValidationError, match="order_ids_append_only"):
                value.clear()


def test_a_subclass_keeps_order_ids_required_and_guarded() -> None:
    class Tagged(ExecutionGroup):
        desk: str | None = None

    assert Tagged.model_fields["order_ids"].is_required()
    document = json.loads(group_in(GroupStatus.ACTIVE).model_dump_json())
    with pytest.raises(ValidationError, match="missing"):
        Tagged.model_validate({k: v for k, v in document.items() if k != "order_ids"})
    tagged = Tagged.model_validate({**document, "desk": "emea"})
    with pytest.raises(ValidationError, match="order_ids_unique"):
        tagged.order_ids.append("o1")
    assert not hasattr(ExecutionGroup.model_construct(), "order_ids")
