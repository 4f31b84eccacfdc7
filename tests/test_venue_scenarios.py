"""What venues do: late fills, double cancels, late acks, overfills, simulated time."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from builders import T0, at, new_twap
from pydantic import ValidationError

from execution_group import ChangeKind, ChangeRecord, ExecutionGroup, GroupStatus


def twap(target: str = "100") -> ExecutionGroup:
    return new_twap(target_quantity=target)


def test_cancel_then_a_late_fill_is_recorded_and_the_group_stays_cancelled() -> None:
    group = twap()
    group.add_order("o1", at=at(1))
    group.record_fill("10", at=at(2))
    group.cancel("user", at=at(3))
    records = group.record_fill("5", at=at(4))  # FIX: Canceled, CumQty still grows
    assert group.status is GroupStatus.CANCELLED
    assert group.filled_quantity == Decimal(15)
    assert group.cancelled_at == at(3)
    assert group.updated_at == at(4)
    assert [(r.kind, r.old, r.new) for r in records] == [(ChangeKind.FILL, 10, 15)]


def test_cancel_twice_is_idempotent() -> None:
    group = twap()
    group.add_order("o1", at=at(1))
    first = group.cancel("user", at=at(2))
    snapshot = group.model_dump_json()
    assert group.cancel("again", at=at(3)) == ()
    assert group.cancel() == ()
    assert group.model_dump_json() == snapshot
    assert group.cancelled_at == at(2)
    assert group.metadata == {"cancel_reason": "user"}
    assert [r.field for r in first] == ["status", "cancelled_at", "metadata"]


def test_an_order_acknowledged_after_the_cancel_is_tracked() -> None:
    group = twap()
    group.add_order("o1", at=at(1))
    group.cancel(at=at(2))
    records = group.add_order("o2-late-ack", at=at(3))
    assert list(group.order_ids) == ["o1", "o2-late-ack"]
    assert group.status is GroupStatus.CANCELLED
    assert records == (
        ChangeRecord(
            group.group_id, ChangeKind.ORDER_ADDED, "order_ids", None, "o2-late-ack", at(3)
        ),
    )
    pending = twap()
    pending.cancel(at=at(1))  # cancelled before any order existed
    pending.add_order("late", at=at(2))
    assert pending.status is GroupStatus.CANCELLED


def test_a_fill_past_the_target_is_refused_and_changes_nothing() -> None:
    group = twap("100")
    group.add_order("o1", at=at(1))
    group.record_fill("99.99999999", at=at(2))
    seen: list[ChangeRecord] = []
    group.subscribe(seen.append)
    before = group.model_dump_json()
    with pytest.raises(ValidationError) as raised:
        group.record_fill("0.00000002", at=at(3))
    (error,) = raised.value.errors()
    assert (error["loc"], error["type"]) == (("filled_quantity",), "fill_exceeds_target")
    assert group.model_dump_json() == before
    assert seen == []
    group.record_fill("0.00000001", at=at(3))  # exactly the target is fine
    assert group.remaining_quantity == 0


def test_backtest_drives_a_group_with_simulated_time() -> None:
    """A 5-slice TWAP replayed on a simulated clock: every stamp is the simulated time."""
    start = datetime(2020, 3, 9, 13, 30, tzinfo=T0.tzinfo)
    group = new_twap(
        group_id="EXG_20200309_133000_bt001",
        parent_directive_id="EXE_20200309_132958_0badc0de",
        created_at=start,
        updated_at=start,
        target_quantity="50",
        metadata={"interval_seconds": 60, "total_chunks": 5},
    )
    log: list[ChangeRecord] = []
    group.subscribe(log.append)
    for chunk in range(5):
        clock = start + timedelta(minutes=chunk, seconds=1)
        group.add_order(f"sim_{chunk}", at=clock)
        group.record_fill("4", at=clock + timedelta(seconds=20))
        group.record_fill("6", at=clock + timedelta(seconds=40))
    end = start + timedelta(minutes=5)
    group.complete(at=end)
    assert group.status is GroupStatus.COMPLETED
    assert group.completed_at == end == group.updated_at
    assert group.filled_quantity == 50
    assert group.fill_ratio == 1
    assert [r.at for r in log] == sorted(r.at for r in log)
    assert all(start <= r.at <= end for r in log)
    # Simulated time cannot run backwards, even in a backtest.
    with pytest.raises(ValidationError, match="updated_at_backwards"):
        group.add_order("sim_late", at=start)
