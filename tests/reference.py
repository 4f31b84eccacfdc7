"""A small, independent model of the contract: what every public mutation must do.

Written from ``docs/contract.md`` (the lifecycle table, the document rules, stamping,
activation, the clock), not from the package: the state machine runs it beside a real
group and expects the same verdict and the same fields after every step. It keeps plain
values (dicts, lists, Decimals, datetimes) and says ``None`` for a refused change.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

TRANSITIONS = {
    "PENDING": {"ACTIVE", "CANCELLED", "FAILED"},
    "ACTIVE": {"COMPLETED", "CANCELLED", "FAILED", "PARTIAL"},
    "COMPLETED": set(),
    "CANCELLED": set(),
    "FAILED": set(),
    "PARTIAL": set(),
}
STAMPS = {"CANCELLED": "cancelled_at", "COMPLETED": "completed_at"}
REASON_KEYS = {
    "CANCELLED": "cancel_reason",
    "FAILED": "failure_reason",
    "PARTIAL": "stop_reason",
    "COMPLETED": "completion_reason",
    "ACTIVE": "activation_reason",
}
MUTABLE = {"order_ids", "status", "updated_at", "filled_quantity", "cancelled_at"}
MUTABLE |= {"completed_at", "metadata"}
ORDER_ID = re.compile(r"[!-~]{1,128}")
QUANTITY = re.compile(r"(0|[1-9][0-9]{0,11})(\.[0-9]{1,8})?")


@dataclass(frozen=True)
class State:
    """One group as the contract sees it."""

    strategy: str
    created_at: datetime
    updated_at: datetime
    target: Decimal | None
    status: str = "PENDING"
    orders: tuple[str, ...] = ()
    filled: Decimal | None = Decimal(0)
    cancelled_at: datetime | None = None
    completed_at: datetime | None = None
    metadata: Mapping[str, Any] | None = field(default=None)

    def fields(self) -> dict[str, Any]:
        """The mutable fields, as a group reads them back."""
        return {
            "status": self.status,
            "order_ids": list(self.orders),
            "updated_at": self.updated_at,
            "filled_quantity": self.filled,
            "cancelled_at": self.cancelled_at,
            "completed_at": self.completed_at,
            "metadata": self.metadata,
        }


def keeps_rules(state: State) -> bool:
    """Every document rule of the contract, on one state."""
    target, filled = state.target, state.filled
    ratio = (state.metadata or {}).get("visible_ratio")
    checks = [
        target is None or target > 0,
        filled is None or filled >= 0,
        filled is None or target is None or filled <= target,
        state.cancelled_at is None or state.completed_at is None,
        state.status != "CANCELLED" or state.cancelled_at is not None,
        state.status != "COMPLETED" or state.completed_at is not None,
        target is not None or state.strategy not in {"TWAP", "DCA", "LAYERED"},
        len(state.orders) <= 1 or state.strategy != "SINGLE",
        len(state.orders) >= 1 or state.status not in {"ACTIVE", "COMPLETED", "PARTIAL"},
        state.strategy != "ICEBERG" or _ratio_ok(ratio),
        state.updated_at >= state.created_at,
        state.cancelled_at is None or state.cancelled_at >= state.created_at,
        state.completed_at is None or state.completed_at >= state.created_at,
    ]
    return all(checks)


def _ratio_ok(ratio: Any) -> bool:
    return type(ratio) in (int, float) and 0 < ratio <= 1


def _quantity(value: Any) -> Decimal | None:
    """A quantity argument as the contract reads it, or None when it is not one."""
    if isinstance(value, str):
        return Decimal(value) if QUANTITY.fullmatch(value) else None
    if isinstance(value, Decimal) and value.is_finite():
        text = format(abs(value), "f")
        return value if QUANTITY.fullmatch(text) else None
    return None


def _json_metadata(value: Any) -> bool:
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_json_metadata(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_metadata(v) for k, v in value.items())
    return False


def _finish(state: State, new: State, when: datetime) -> State | None:
    """``new`` at ``when`` if the clock does not run backwards and every rule holds."""
    if when < state.updated_at:
        return None
    done = replace(new, updated_at=when)
    return done if keeps_rules(done) else None


def add_orders(state: State, ids: list[Any], when: datetime) -> State | None:
    """``add_orders``: all or none, each id well formed and new; the first activates."""
    if not ids:
        return state
    if not all(isinstance(i, str) and ORDER_ID.fullmatch(i) for i in ids):
        return None
    if len(set(ids)) != len(ids) or set(ids) & set(state.orders):
        return None
    status = "ACTIVE" if state.status == "PENDING" else state.status
    return _finish(state, replace(state, orders=(*state.orders, *ids), status=status), when)


def fill(state: State, quantity: Any, when: datetime) -> State | None:
    """``record_fill``: a positive increment, the total still a quantity."""
    increment = _quantity(quantity)
    if increment is None or increment <= 0:
        return None
    total = (state.filled or Decimal(0)) + increment
    if _quantity(total) is None:
        return None
    return _finish(state, replace(state, filled=total), when)


def transition(state: State, target: str, when: datetime, reason: str | None) -> State | None:
    """``transition_to``: a no-op to the current status, else a move the table allows."""
    if target == state.status:
        return state
    if reason == "":
        return None
    return change(state, {"status": target}, when, reason=reason)


def _new_orders(state: State, updates: Mapping[str, Any]) -> list[str] | None:
    """The orders a list assignment adds (``None``: it removes or reorders)."""
    if "order_ids" not in updates:
        return []
    given = list(updates["order_ids"])
    count = len(state.orders)
    return given[count:] if given[:count] == list(state.orders) else None


def _values_ok(updates: Mapping[str, Any]) -> bool:
    """Each given value is of its field's form (the rules come after)."""
    if any(name not in MUTABLE for name in updates):
        return False
    metadata = updates.get("metadata")
    if not (metadata is None or isinstance(metadata, dict)) or not _json_metadata(metadata):
        return False
    filled = updates.get("filled_quantity")
    return filled is None or _quantity(filled) is not None


def change(
    state: State,
    updates: Mapping[str, Any],
    when: datetime | None,
    reason: str | None = None,
    now: datetime | None = None,
) -> State | None:
    """Set fields together (assignment, ``model_copy(update=...)``, a transition).

    ``when`` is the instant the change happens at (``None``: an assignment, which moves
    ``updated_at`` to ``now`` only when the status or the orders change). A status move
    stamps its timestamp unless it is set or given; orders must extend the current list
    (the first activates a PENDING group unless a status is given).
    """
    new_orders = _new_orders(state, updates)
    if new_orders is None or not _values_ok(updates):
        return None
    values = {**state.fields(), **updates}
    target = values["status"]
    if new_orders and state.status == "PENDING" and "status" not in updates:
        target = "ACTIVE"
    moving = target != state.status
    if moving and target not in TRANSITIONS[state.status]:
        return None
    if when is None:
        when = updates.get("updated_at") or (now if moving or new_orders else state.updated_at)
    assert when is not None
    stamp = STAMPS.get(target)
    if moving and stamp is not None and stamp not in updates and values[stamp] is None:
        values[stamp] = when
    if reason is not None and moving and target in REASON_KEYS:
        values["metadata"] = {**(values["metadata"] or {}), REASON_KEYS[target]: reason}
    if new_orders and add_orders(state, new_orders, when) is None:
        return None
    filled = values["filled_quantity"]
    new = replace(
        state,
        status=target,
        orders=(*state.orders, *new_orders),
        filled=None if filled is None else _quantity(filled),
        cancelled_at=values["cancelled_at"],
        completed_at=values["completed_at"],
        metadata=values["metadata"],
    )
    return _finish(state, new, when)
