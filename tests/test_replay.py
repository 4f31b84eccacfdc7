"""``_replay`` and ``apply``: a log of records planned like the change that made it."""

from __future__ import annotations

import copy

import pytest
from builders import GROUP_ID, T0, at, new_twap
from pydantic import ValidationError

from execution_group import ChangeKind, ChangeRecord, GroupStatus, replay
from execution_group._replay import plan_records
from execution_group.model import _VALIDATORS


def test_an_added_order_activates_a_pending_group_as_add_order_does() -> None:
    group = new_twap()
    added = ChangeRecord(GROUP_ID, ChangeKind.ORDER_ADDED, "order_ids", None, "o1", at(1))
    assert group.apply([added]) == (added,)
    reference = new_twap()
    reference.add_order("o1", at=at(1))
    assert group == reference
    assert group.status is GroupStatus.ACTIVE


def test_an_updated_at_record_sets_its_new_value() -> None:
    group = new_twap()
    moved = ChangeRecord(GROUP_ID, ChangeKind.ASSIGNMENT, "updated_at", T0, at(7), at(5))
    group.apply([moved])
    assert group.updated_at == at(7)
    backwards = ChangeRecord(GROUP_ID, ChangeKind.ASSIGNMENT, "updated_at", at(7), at(6), at(8))
    with pytest.raises(ValidationError, match="updated_at_backwards"):
        group.apply([backwards])
    assert group.updated_at == at(7)


def test_a_log_replays_onto_a_copy_and_leaves_the_initial_group() -> None:
    group = new_twap(metadata={"k": [1]})
    initial = copy.deepcopy(group)
    log = [
        *group.add_orders(["o1", "o2"], at=at(1)),
        *group.record_fill("5", at=at(2)),
        *group.cancel("risk", at=at(3)),
    ]
    rebuilt = replay(initial, log)
    assert rebuilt == group and initial == new_twap(metadata={"k": [1]})


def test_plan_records_is_pure_and_refuses_a_record_that_does_not_follow() -> None:
    group = new_twap()
    log = group.model_copy(deep=True).add_order("o1", at=at(1))
    state = dict(group.__dict__)
    orders = group._orders()  # pylint: disable=protected-access
    updates, added, records = plan_records(state, orders, log, _VALIDATORS)
    assert added == ["o1"] and records == log
    assert updates["status"] is GroupStatus.ACTIVE and updates["updated_at"] == at(1)
    assert dict(group.__dict__) == state and list(orders) == []  # nothing written
    with pytest.raises(ValidationError, match="record_out_of_order"):
        plan_records(state, orders, [log[0].replace(old=GroupStatus.ACTIVE)], _VALIDATORS)
    with pytest.raises(ValidationError, match="record_type"):
        plan_records(state, orders, ["not a record"], _VALIDATORS)
    with pytest.raises(ValidationError, match="record_group"):
        plan_records(
            state, orders, [log[0].replace(group_id="EXG_20251028_143022_zzzzz")], _VALIDATORS
        )
