"""``_storage``: writing a plan, delivering records in commit order, copies that never touch
the original, one storage per group."""

from __future__ import annotations

import copy
import json
import pickle
import threading
from typing import Any

import pytest
from builders import T0, at, new_twap
from pydantic import ValidationError

from execution_group import ChangeKind, ChangeRecord, ExecutionGroup, GroupStatus, replay
from execution_group._storage import Storage, clone, snapshot, storage_of, write


def test_a_subscriber_that_changes_the_group_sees_records_in_commit_order() -> None:
    """Cancelling on the activation record of ``add_orders(["a", "b"])``: the cancel's
    records come after the two ORDER_ADDED records, and the log replays."""
    group = new_twap()
    initial = copy.deepcopy(group)
    log: list[ChangeRecord] = []
    second: list[ChangeRecord] = []

    def cancel_on_activation(record: ChangeRecord) -> None:
        log.append(record)
        if record.field == "status" and record.new is GroupStatus.ACTIVE:
            group.cancel("risk", at=record.at)

    group.subscribe(cancel_on_activation)
    group.subscribe(second.append)
    returned = group.add_orders(["a", "b"], at=at(1))
    assert [(r.field, r.new) for r in returned] == [
        ("status", GroupStatus.ACTIVE),
        ("order_ids", "a"),
        ("order_ids", "b"),
    ]
    assert [(r.field, r.new) for r in log] == [
        ("status", GroupStatus.ACTIVE),
        ("order_ids", "a"),
        ("order_ids", "b"),
        ("status", GroupStatus.CANCELLED),
        ("cancelled_at", at(1)),
        ("metadata", {"cancel_reason": "risk"}),
    ]
    assert second == log
    assert replay(initial, log) == group


def test_nested_commits_deliver_after_the_outer_ones_even_when_a_subscriber_raises() -> None:
    group = new_twap()
    seen: list[tuple[str, Any]] = []

    def fill_then_fail(record: ChangeRecord) -> None:
        seen.append((record.field, record.new))
        if record.field == "order_ids" and record.new == "a":
            group.record_fill("1", at=record.at)
            raise RuntimeError("sink down")

    group.subscribe(fill_then_fail)
    with pytest.raises(RuntimeError, match="sink down"):
        group.add_orders(["a", "b"], at=at(1))
    assert [field for field, _ in seen] == ["status", "order_ids", "order_ids", "filled_quantity"]
    group.add_order("c", at=at(2))  # the queue was drained: no stale record is delivered
    assert seen[-1] == ("order_ids", "c") and len(seen) == 5


def test_write_updates_fields_orders_and_fields_set_at_once() -> None:
    group = new_twap()
    storage = storage_of(group)
    orders = group._orders()  # pylint: disable=protected-access
    plan = ({"status": GroupStatus.ACTIVE, "updated_at": at(1)}, ["o1"], ())
    assert write(group, group.__dict__, storage, orders, plan) == ()
    assert group.status is GroupStatus.ACTIVE and group.updated_at == at(1)
    assert list(group.order_ids) == ["o1"] and group.order_ids.has("o1")
    assert {"order_ids", "status", "updated_at"} <= group.model_fields_set


def test_a_change_marks_its_fields_set_even_beside_extra_members() -> None:
    """Extra members count in pydantic's ``fields_set``: they must not hide an unset field."""
    document = new_twap().model_dump(mode="json", exclude={"cancelled_at"})
    group = ExecutionGroup.model_validate_json(json.dumps({**document, "zz": 1}), extra="allow")
    assert "cancelled_at" not in group.model_dump(exclude_unset=True)
    group.cancel("why", at=at(5))
    assert group.model_dump(exclude_unset=True)["cancelled_at"] == at(5)


def test_every_change_marks_its_fields_until_all_are_set() -> None:
    """Writes stop adding to ``fields_set`` only once it holds every field."""
    document = new_twap().model_dump(mode="json", exclude={"filled_quantity", "cancelled_at"})
    group = ExecutionGroup.model_validate_json(json.dumps(document))
    group.add_order("o9", at=at(2))
    assert "filled_quantity" not in group.model_dump(exclude_unset=True)
    group.record_fill("1", at=at(3))
    assert "filled_quantity" in group.model_dump(exclude_unset=True)
    group.cancel("why", at=at(4))
    assert group.model_fields_set == set(ExecutionGroup.model_fields)
    group.add_order("o10", at=at(5))
    assert group.model_dump(exclude_unset=True) == group.model_dump()


def test_one_storage_per_group_even_when_threads_race_for_it() -> None:
    for _ in range(20):
        group = ExecutionGroup.model_validate_json(new_twap().model_dump_json())
        start = threading.Barrier(8)
        found: list[Storage] = []

        def touch(
            group: ExecutionGroup = group,
            start: threading.Barrier = start,
            found: list[Storage] = found,
        ) -> None:
            start.wait()
            found.append(storage_of(group))

        threads = [threading.Thread(target=touch) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({id(storage) for storage in found}) == 1


@pytest.mark.parametrize("deep", [False, True])
def test_clone_leaves_the_original_untouched_and_shares_nothing_it_guards(deep: bool) -> None:
    group = new_twap(metadata={"nested": {"k": [1]}})
    group.add_order("o1", at=at(1))
    storage = storage_of(group)
    group.subscribe(print)
    private = group.__pydantic_private__
    made = clone(group, deep=deep)
    assert group.__pydantic_private__ is private and storage_of(group) is storage
    assert made.__pydantic_private__ is None  # its own storage is made on first use
    assert made == group
    assert made.order_ids is not group.order_ids
    assert (made.metadata is group.metadata) is not deep
    assert storage_of(made).entries == ()


def test_snapshot_and_pickle_give_plain_copies() -> None:
    group = new_twap()
    group.add_order("o1", at=at(1))
    fields, fields_set = snapshot(group)
    assert fields == group.__dict__ and fields is not group.__dict__
    assert fields_set == group.model_fields_set
    state = group.__getstate__()
    assert type(state["__dict__"]["order_ids"]) is list
    assert state["__pydantic_private__"] is None
    again = pickle.loads(pickle.dumps(group))
    assert again == group
    with pytest.raises(ValidationError, match="order_ids_unique"):
        again.order_ids.append("o1")
    assert again.created_at == T0
    assert ChangeKind.ORDER_ADDED in {r.kind for r in again.add_order("o2", at=at(2))}


@pytest.mark.parametrize("update", [[1], "status", 5])
def test_model_copy_refuses_an_update_that_is_not_a_mapping(update: Any) -> None:
    group = new_twap()
    with pytest.raises(ValidationError) as raised:
        group.model_copy(update=update)
    (error,) = raised.value.errors()
    assert error["type"] == "update_type" and error["loc"] == ("update",)
    assert group == new_twap()
