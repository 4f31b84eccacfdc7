"""Mutation costs (part of ``python -m bench.run``): the model against a hand-written floor.

* ``add_order`` against ``FloorGroup.add_order``: the same checks written by hand, flat
  (a re-entrant lock, the order id pattern, a set beside the list, PENDING -> ACTIVE,
  a monotonic ``updated_at``, a record tuple). Both take 1,000 new ids on a fresh group
  decoded from the same document, interleaved repeat by repeat.
* The first transition, fill and assignment on a group just decoded from JSON, at 10 and
  at 100,000 orders (interleaved): none of them needs the order list, so the size of the
  list must not show.

Each figure is the per-call mean of one timed loop (garbage collector off); ``REPEAT``
loops per figure; min and median over them. ``python -m bench.mutation`` prints the table.
"""

from __future__ import annotations

import gc
import json
import re
import statistics
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from execution_group import ExecutionGroup, GroupStatus
from execution_group.contract import examples, pattern

REPEAT = 7
ADD_CALLS = 1_000
FIRST_SIZES = (10, 100_000)
GROUPS_PER_LOOP = {10: 200, 100_000: 12}
AT = datetime(2025, 10, 28, 15, 0, tzinfo=UTC)

_ORDER_ID = re.compile(pattern("OrderId"))
_PENDING = GroupStatus.PENDING
_ACTIVE = GroupStatus.ACTIVE


class FloorGroup:
    """The least a checked, thread-safe, recorded append can do, written flat by hand."""

    __slots__ = ("group_id", "ids", "lock", "seen", "status", "updated_at")

    def __init__(self, document: dict[str, Any]) -> None:
        self.lock = threading.RLock()
        self.group_id: str = document["group_id"]
        self.ids: list[str] = list(document["order_ids"])
        self.seen = set(self.ids)
        self.status = GroupStatus(document["status"])
        self.updated_at = datetime.fromisoformat(document["updated_at"])

    def add_order(self, order_id: str, at: datetime) -> tuple[tuple[Any, ...], ...]:
        """Append ``order_id`` at ``at``, or raise ``ValueError``; the records of the change."""
        with self.lock:
            if type(order_id) is not str or _ORDER_ID.fullmatch(order_id) is None:
                raise ValueError(f"not an order id: {order_id!r}")
            if order_id in self.seen:
                raise ValueError(f"order {order_id} is already in the group")
            if at < self.updated_at:
                raise ValueError("updated_at cannot move backwards")
            self.seen.add(order_id)
            self.ids.append(order_id)
            records: tuple[tuple[Any, ...], ...] = (
                (self.group_id, "order_added", "order_ids", None, order_id, at),
            )
            if self.status is _PENDING:
                self.status = _ACTIVE
                records = ((self.group_id, "transition", "status", _PENDING, _ACTIVE, at), *records)
            self.updated_at = at
            return records


def document(orders: int) -> dict[str, Any]:
    """A valid ACTIVE TWAP group (schema example 1) holding ``orders`` order ids."""
    made = dict(examples()[0])
    made["order_ids"] = [f"binance_{index}" for index in range(orders)]
    return made


def _timed(loop: Callable[[], Any], calls: int) -> float:
    """Seconds per call of one run of ``loop`` (which makes ``calls`` calls), gc off."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        loop()
        return (time.perf_counter() - start) / calls
    finally:
        gc.enable()


def _summary(runs: list[float]) -> dict[str, float | int]:
    return {"min": min(runs), "median": statistics.median(runs), "repeat": len(runs)}


def add_order_against_floor() -> dict[str, dict[str, float | int]]:
    """``add_order`` and the floor, ``ADD_CALLS`` new ids on a fresh 10-order group each."""
    source = document(10)
    data = json.dumps(source).encode()
    new_ids = [f"okx_{index}" for index in range(ADD_CALLS)]
    runs: dict[str, list[float]] = {"full contract": [], "hand-written floor": []}
    for _ in range(REPEAT):
        floor = FloorGroup(source)
        group = ExecutionGroup.model_validate_json(data)
        floor_add, add = floor.add_order, group.add_order
        runs["hand-written floor"].append(
            _timed(lambda f=floor_add: [f(order_id, AT) for order_id in new_ids], ADD_CALLS)
        )
        runs["full contract"].append(
            _timed(lambda a=add: [a(order_id, at=AT) for order_id in new_ids], ADD_CALLS)
        )
        assert len(group.order_ids) == len(floor.ids) == 10 + ADD_CALLS
    return {name: _summary(values) for name, values in runs.items()}


FIRST_OPERATIONS: dict[str, Callable[[ExecutionGroup], Any]] = {
    "transition (cancel)": lambda group: group.cancel("stop", at=AT),
    "fill (record_fill)": lambda group: group.record_fill("1", at=AT),
    "assignment (filled_quantity)": lambda group: setattr(group, "filled_quantity", "2"),
}


def _first_change(
    data: bytes, operation: Callable[[ExecutionGroup], Any], count: int, *, warm: bool
) -> float:
    """Seconds per ``operation`` on ``count`` groups, each just decoded from ``data``.

    Only the operation is timed; each group is dropped before the next is decoded. With
    ``warm``, the operation first runs once on another (small) group just decoded, so the
    code it runs is in the CPU caches: decoding 100,000 orders evicts them, and the first
    code to run after that pays for it whatever the group (reported apart, ``warm=False``).
    """
    spare = json.dumps(document(1)).encode()
    total = 0.0
    gc.collect()
    gc.disable()
    try:
        for _ in range(count):
            group = ExecutionGroup.model_validate_json(data)
            if warm:
                operation(ExecutionGroup.model_validate_json(spare))
            start = time.perf_counter()
            operation(group)
            total += time.perf_counter() - start
            del group
    finally:
        gc.enable()
    return total / count


def first_changes_after_decoding() -> dict[str, dict[str, dict[str, float | int]]]:
    """Operation -> size -> the first such change on a group just decoded, per call."""
    data = {size: json.dumps(document(size)).encode() for size in FIRST_SIZES}
    runs: dict[str, dict[str, list[float]]] = {
        name: {label: [] for label in _LABELS} for name in FIRST_OPERATIONS
    }
    for _ in range(REPEAT):
        for name, operation in FIRST_OPERATIONS.items():
            for size in FIRST_SIZES:
                for warm in (True, False):
                    runs[name][_label(size, warm)].append(
                        _first_change(data[size], operation, GROUPS_PER_LOOP[size], warm=warm)
                    )
    return {
        name: {label: _summary(values) for label, values in by_label.items()}
        for name, by_label in runs.items()
    }


def _label(size: int, warm: bool) -> str:
    return f"{size:,} orders" + ("" if warm else ", cold caches")


_LABELS = [_label(size, warm) for warm in (True, False) for size in FIRST_SIZES]


def measure() -> dict[str, Any]:
    """Both measurements, with their ratios (min over min, median over median)."""
    adds = add_order_against_floor()
    firsts = first_changes_after_decoding()
    full, floor = adds["full contract"], adds["hand-written floor"]
    ratios = {
        "add_order_over_floor": {
            "min": full["min"] / floor["min"],
            "median": full["median"] / floor["median"],
        }
    }
    small, large = (_label(size, warm=True) for size in FIRST_SIZES)
    for name, by_size in firsts.items():
        key = f"first_{name.split(' ', 1)[0]}_after_decoding (100,000 over 10 orders)"
        ratios[key] = {
            "min": by_size[large]["min"] / by_size[small]["min"],
            "median": by_size[large]["median"] / by_size[small]["median"],
        }
    return {"add_order": adds, "first_change": firsts, "ratios": ratios}


def table(result: dict[str, Any]) -> list[str]:
    """Markdown lines: every timing, then the ratios."""
    lines = [
        "| mutation | group | µs per call (min) | median |",
        "|---|---|---:|---:|",
    ]
    for name, row in result["add_order"].items():
        lines.append(
            f"| add_order, {name} | 10 orders + 1,000 adds | {row['min'] * 1e6:.2f} | "
            f"{row['median'] * 1e6:.2f} |"
        )
    for name, by_size in result["first_change"].items():
        for size, row in by_size.items():
            lines.append(
                f"| first {name} after decoding | {size} | {row['min'] * 1e6:.2f} | "
                f"{row['median'] * 1e6:.2f} |"
            )
    return lines


if __name__ == "__main__":
    measured = measure()
    print("\n".join(table(measured)))
    for ratio, value in measured["ratios"].items():
        print(f"{ratio}: min {value['min']:.2f}, median {value['median']:.2f}")
