"""Change records: each accepted change is recorded and replayable; a rejected one not."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from builders import T0, at, new_twap
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import ChangeKind, ChangeRecord, ExecutionGroup, GroupStatus, replay

GROUP_ID = "EXG_20251028_143022_a8f3c"


def new_group(**overrides: Any) -> ExecutionGroup:
    return new_twap(**({"metadata": {"chunk_size": Decimal("10.0")}} | overrides))


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[Any, str]]:
    return [(err["loc"], err["type"]) for err in exc.value.errors()]


# ---------------------------------------------------------------------- what is recorded


def test_add_order_records_the_order_and_the_activation() -> None:
    group = new_group()
    records = group.add_order("o1", at=at(1))
    assert records == (
        ChangeRecord(
            GROUP_ID,
            ChangeKind.TRANSITION,
            "status",
            GroupStatus.PENDING,
            GroupStatus.ACTIVE,
            at(1),
        ),
        ChangeRecord(GROUP_ID, ChangeKind.ORDER_ADDED, "order_ids", None, "o1", at(1)),
    )
    assert group.add_orders(["o2", "o3"], at=at(2)) == (
        ChangeRecord(GROUP_ID, ChangeKind.ORDER_ADDED, "order_ids", None, "o2", at(2)),
        ChangeRecord(GROUP_ID, ChangeKind.ORDER_ADDED, "order_ids", None, "o3", at(2)),
    )
    assert group.add_orders([], at=at(3)) == ()
    assert group.updated_at == at(2)


def test_fill_transition_and_assignment_records() -> None:
    group = new_group()
    group.add_order("o1", at=at(1))
    assert group.record_fill("12.5", at=at(2)) == (
        ChangeRecord(
            GROUP_ID, ChangeKind.FILL, "filled_quantity", Decimal(0), Decimal("12.5"), at(2)
        ),
    )
    records = group.cancel("operator", at=at(3))
    assert [(r.kind, r.field, r.old, r.new, r.reason) for r in records] == [
        (ChangeKind.TRANSITION, "status", GroupStatus.ACTIVE, GroupStatus.CANCELLED, "operator"),
        (ChangeKind.TRANSITION, "cancelled_at", None, at(3), "operator"),
        (
            ChangeKind.TRANSITION,
            "metadata",
            {"chunk_size": Decimal("10.0")},
            {"chunk_size": Decimal("10.0"), "cancel_reason": "operator"},
            "operator",
        ),
    ]
    assert {r.at for r in records} == {at(3)} == {group.updated_at}
    assert group.cancel(at=at(4)) == ()  # idempotent: no change, no record

    group.metadata = {"note": "é"}
    seen: list[ChangeRecord] = []
    group.subscribe(seen.append)
    group.metadata = {"note": "ü"}
    (record,) = seen
    assert record.kind is ChangeKind.ASSIGNMENT
    assert (record.field, record.old, record.new, record.at) == (
        "metadata",
        {"note": "é"},
        {"note": "ü"},
        at(3),
    )


def test_assignment_of_an_equal_value_records_nothing_but_a_new_spelling_is_recorded() -> None:
    group = new_group()
    seen: list[ChangeRecord] = []
    group.subscribe(seen.append)
    group.metadata = {"chunk_size": Decimal("10.0")}
    group.status = GroupStatus.PENDING
    assert seen == []
    group.filled_quantity = Decimal("0.0")  # equal, but written differently in JSON
    assert [(r.field, r.old, r.new) for r in seen] == [("filled_quantity", 0, Decimal("0.0"))]
    group.updated_at = at(5)
    assert seen[-1] == ChangeRecord(GROUP_ID, ChangeKind.ASSIGNMENT, "updated_at", T0, at(5), at(5))


def test_the_design_idiom_is_recorded_too() -> None:
    group = new_group()
    seen: list[ChangeRecord] = []
    group.subscribe(seen.append)
    group.order_ids.append("o1")
    group.order_ids.extend(["o2"])
    group.order_ids += ["o3"]
    group.order_ids = [*group.order_ids, "o4"]
    assert [r.new for r in seen if r.kind is ChangeKind.ORDER_ADDED] == ["o1", "o2", "o3", "o4"]
    group.cancelled_at = group.updated_at
    group.status = GroupStatus.CANCELLED
    assert seen[-1].kind is ChangeKind.TRANSITION
    assert (seen[-1].old, seen[-1].new) == (GroupStatus.ACTIVE, GroupStatus.CANCELLED)


def test_a_rejected_change_records_nothing_and_returns_nothing() -> None:
    group = new_group()
    seen: list[ChangeRecord] = []
    group.subscribe(seen.append)
    group.add_order("o1", at=at(1))
    before = group.model_dump_json()
    count = len(seen)
    attempts = [
        lambda: group.add_order("o1", at=at(2)),
        lambda: group.add_orders(["o2", "bad id"], at=at(2)),
        lambda: group.record_fill("200", at=at(2)),
        lambda: group.record_fill("1", at=at(0)),
        lambda: group.transition_to("PENDING", at=at(2)),
        lambda: setattr(group, "group_id", "EXG_20251028_143022_zzzzz"),
        lambda: setattr(group, "status", "PENDING"),
        lambda: setattr(group, "cancelled_at", at(-100)),  # before created_at
        lambda: group.model_copy(update={"status": "PENDING"}),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    assert seen[count:] == []
    assert group.model_dump_json() == before


def test_records_are_immutable_and_do_not_share_mutable_values() -> None:
    group = new_group()
    metadata: dict[str, Any] = {"layers": [1, 2]}
    seen: list[ChangeRecord] = []
    group.subscribe(seen.append)
    group.metadata = metadata
    (record,) = seen
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.new = {}  # type: ignore[misc]
    metadata["layers"].append(3)
    assert record.new == {"layers": [1, 2]}
    assert pickle.loads(pickle.dumps(record)) == record
    assert hash(ChangeRecord(GROUP_ID, ChangeKind.FILL, "filled_quantity", 1, 2, T0)) is not None


# ---------------------------------------------------------------------- subscribers


def test_subscribers_unsubscribe_and_the_class_level_hook() -> None:
    group = new_group()
    mine: list[ChangeRecord] = []
    every: list[ChangeRecord] = []
    stop = group.subscribe(mine.append)
    stop_all = ExecutionGroup.subscribe_all(every.append)
    try:
        other = new_group()
        group.add_order("o1", at=at(1))
        other.add_order("x1", at=at(1))
        assert [r.new for r in mine] == [GroupStatus.ACTIVE, "o1"]
        assert [r.new for r in every] == [GroupStatus.ACTIVE, "o1", GroupStatus.ACTIVE, "x1"]
        stop()
        stop()  # harmless twice
        group.add_order("o2", at=at(2))
        assert len(mine) == 2
    finally:
        stop_all()
    other.add_order("x2", at=at(2))
    assert len(every) == 5
    with pytest.raises(TypeError):
        group.subscribe(42)  # type: ignore[arg-type]


def test_a_failing_subscriber_does_not_undo_the_change_and_the_others_still_run() -> None:
    group = new_group()
    seen: list[ChangeRecord] = []

    def boom(record: ChangeRecord) -> None:
        raise RuntimeError(f"sink down: {record.field}")

    group.subscribe(boom)
    group.subscribe(seen.append)
    with pytest.raises(RuntimeError, match="sink down"):
        group.record_fill("1", at=at(1))
    assert group.filled_quantity == 1
    assert group.updated_at == at(1)
    assert [r.field for r in seen] == ["filled_quantity"]
    group.subscribe(boom)
    with pytest.raises(ExceptionGroup) as raised:
        group.record_fill("1", at=at(2))
    assert len(raised.value.exceptions) == 2
    assert group.filled_quantity == 2
    assert ExecutionGroup.model_validate(group.model_dump()) == group


def test_a_subscriber_may_change_the_group_again() -> None:
    group = new_group()
    log: list[ChangeRecord] = []

    def auto_complete(record: ChangeRecord) -> None:
        log.append(record)
        if record.kind is ChangeKind.FILL and group.remaining_quantity == 0:
            group.complete(at=record.at)

    initial = copy.deepcopy(group)
    group.subscribe(auto_complete)
    group.add_order("o1", at=at(1))
    group.record_fill("100", at=at(2))
    assert group.status is GroupStatus.COMPLETED
    assert replay(initial, log) == group


def test_copies_and_pickles_do_not_inherit_subscribers() -> None:
    group = new_group()
    seen: list[ChangeRecord] = []

    def sink(record: ChangeRecord) -> None:  # a local function: not picklable
        seen.append(record)

    group.subscribe(sink)
    clones = [
        copy.copy(group),
        copy.deepcopy(group),
        group.model_copy(),
        group.model_copy(deep=True),
        pickle.loads(pickle.dumps(group)),
    ]
    for number, clone in enumerate(clones):
        assert clone == group
        clone.add_order(f"c{number}", at=at(1))
    assert seen == []
    group.add_order("o1", at=at(1))
    assert len(seen) == 2


# ---------------------------------------------------------------------- replay


def test_apply_checks_every_record_against_the_state_it_follows() -> None:
    group = new_group()
    initial = copy.deepcopy(group)
    log = [*group.add_order("o1", at=at(1)), *group.record_fill("5", at=at(2))]
    fill = log[-1]
    bad_logs = {
        "record_group": [*log[:2], fill.replace(group_id="EXG_20251028_143022_zzzzz")],
        "record_out_of_order": [*log[:2], fill.replace(old=Decimal(3))],
        "updated_at_backwards": [*log[:2], fill.replace(at=at(0))],
        "order_ids_unique": [*log, log[1].replace(at=at(3))],
        "immutable_field": [fill.replace(field="target_quantity")],
        "unknown_field": [fill.replace(field="filled_qty")],
        "status_transition": [
            *log,
            log[0].replace(old=GroupStatus.ACTIVE, new=GroupStatus.PENDING, at=at(3)),
        ],
        "fill_exceeds_target": [*log[:2], fill.replace(new=Decimal(101))],
        "status_requires_orders": [log[0]],
        "quantity_form": [*log[:2], fill.replace(new="five")],
        "record_type": ["not a record"],
    }
    for rule, bad in bad_logs.items():
        with pytest.raises(ValidationError) as raised:
            replay(initial, bad)  # type: ignore[arg-type]
        assert rule in {kind for _, kind in errors_of(raised)}, rule
        target = copy.deepcopy(initial)
        with pytest.raises(ValidationError):
            target.apply(bad)  # type: ignore[arg-type]
        assert target == initial  # all or nothing
    assert replay(initial, log) == group
    assert initial == new_group()


def later(seconds: float) -> datetime:
    """Simulated time after the wall clock, so that the implicit clock (``now``, used by
    ``append`` and status assignment) keeps ``updated_at`` and the sequence stays exact."""
    return T0.replace(year=2100) + timedelta(seconds=seconds)


ORDER_POOL = [f"o{number}" for number in range(6)]
STATUS = st.sampled_from(list(GroupStatus))
OPERATION = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(ORDER_POOL)),
    st.tuples(st.just("add_many"), st.lists(st.sampled_from(ORDER_POOL), max_size=3)),
    st.tuples(st.just("append"), st.sampled_from(ORDER_POOL)),
    st.tuples(st.just("fill"), st.sampled_from(["0.5", "1", "10", "33.33333333", "60", "0", "-1"])),
    st.tuples(st.just("transition"), STATUS, st.sampled_from([None, "why", "ü"])),
    st.tuples(st.just("assign_status"), STATUS),
    st.tuples(
        st.just("assign_metadata"),
        st.sampled_from([None, {}, {"a": [1, {"b": Decimal("1.50")}]}, {"é": "ü"}]),
    ),
    st.tuples(st.just("assign_filled"), st.sampled_from(["0", "0.0", "5", "150"])),
    st.tuples(
        st.just("assign_stamp"),
        st.sampled_from(["cancelled_at", "completed_at"]),
        st.sampled_from([None, 3, -5]),
    ),
    st.tuples(st.just("assign_updated_at"), st.integers(-2, 3)),
)


def run(  # noqa: PLR0911
    group: ExecutionGroup, operation: tuple[Any, ...], clock: int
) -> tuple[Any, ...]:
    name, *args = operation
    when = later(clock)
    if name == "add":
        return group.add_order(args[0], at=when)
    if name == "add_many":
        return group.add_orders(args[0], at=when)
    if name == "append":
        group.order_ids.append(args[0])
        return ()
    if name == "fill":
        return group.record_fill(args[0], at=when)
    if name == "transition":
        return group.transition_to(args[0], at=when, reason=args[1])
    if name == "assign_status":
        group.status = args[0]
        return ()
    if name == "assign_metadata":
        group.metadata = args[0]
        return ()
    if name == "assign_filled":
        group.filled_quantity = args[0]
        return ()
    if name == "assign_stamp":
        setattr(group, args[0], None if args[1] is None else later(clock + args[1]))
        return ()
    group.updated_at = later(clock + args[0])
    return ()


@given(st.sampled_from(["TWAP", "VWAP", "SINGLE"]), st.lists(OPERATION, max_size=25))
def test_replay_of_the_records_rebuilds_the_final_group(
    strategy: str, operations: list[tuple[Any, ...]]
) -> None:
    group = new_group(execution_strategy=strategy)
    initial = copy.deepcopy(group)
    delivered: list[ChangeRecord] = []
    group.subscribe(delivered.append)
    returned: list[ChangeRecord] = []
    for clock, operation in enumerate(operations, start=1):
        before = (group.model_dump_json(), len(delivered))
        try:
            records = run(group, operation, clock)
        except ValidationError:
            assert (group.model_dump_json(), len(delivered)) == before
            continue
        returned.extend(records)
        if records:
            assert delivered[-len(records) :] == list(records)
            assert {record.at for record in records} == {group.updated_at}
    assert all(record.group_id == GROUP_ID for record in delivered)
    assert all(record in delivered for record in returned)
    rebuilt = replay(initial, delivered)
    assert rebuilt == group
    assert rebuilt.model_dump_json() == group.model_dump_json()
    assert list(rebuilt.order_ids) == list(group.order_ids)
    assert initial == new_group(execution_strategy=strategy)
