"""The document rules of docs/contract.md §3 and §4, checked on one state of a group.

§3 rules are also in the schema (``allOf``); the conformance corpus proves the two agree.
§4 rules compare values (numbers, instants) and live here alone. Each rule reports the
field it concerns and the contract's message. Every check is O(1): the order list is seen
only through its length, its uniqueness being kept by ``OrderIds`` as orders arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any

from pydantic_core import InitErrorDetails

from ._generated.model import ExecutionStrategyType, GroupStatus
from .errors import violation

__all__ = [
    "ORDERS_REQUIRED",
    "SINGLE_ORDER",
    "TARGET_REQUIRED",
    "append_violations",
    "violations",
]

TARGET_REQUIRED = frozenset(
    {ExecutionStrategyType.TWAP, ExecutionStrategyType.DCA, ExecutionStrategyType.LAYERED}
)
"""Quantity-driven strategies: ``target_quantity`` must be set."""

SINGLE_ORDER = frozenset({ExecutionStrategyType.SINGLE})
"""Strategies that hold at most one order."""

ORDERS_REQUIRED = frozenset({GroupStatus.ACTIVE, GroupStatus.COMPLETED, GroupStatus.PARTIAL})
"""Statuses that hold at least one order."""

_ZERO = Decimal(0)

# Members bound once: ``GroupStatus.CANCELLED`` is an enum-class attribute lookup (about
# 0.2 µs each), and ``violations`` runs on every validation and every lifecycle call.
_CANCELLED = GroupStatus.CANCELLED
_COMPLETED = GroupStatus.COMPLETED
_ICEBERG = ExecutionStrategyType.ICEBERG


def _visible_ratio_ok(metadata: Mapping[str, Any] | None) -> bool:
    if metadata is None or "visible_ratio" not in metadata:
        return False
    ratio = metadata["visible_ratio"]
    # A bool is no number in JSON; a Decimal would be written as a string.
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)):
        return False
    return 0 < ratio <= 1


def _visible_ratio(metadata: Mapping[str, Any] | None) -> Any:
    return None if metadata is None else metadata.get("visible_ratio")


_STATE = itemgetter(
    "execution_strategy",
    "status",
    "created_at",
    "updated_at",
    "cancelled_at",
    "completed_at",
    "target_quantity",
    "filled_quantity",
)


# pylint: disable-next=too-many-branches
def violations(state: Mapping[str, Any], order_count: int) -> list[InitErrorDetails]:  # noqa: PLR0912
    """Every rule ``state`` breaks; ``order_count`` stands for ``len(state["order_ids"])``.

    One flat function on purpose: it runs on every document read, and each rule that
    cannot apply is skipped by a single test (about 0.6 µs a document in all).
    """
    found: list[InitErrorDetails] = []
    strategy, status, created, updated, cancelled, completed, target, filled = _STATE(state)

    if target is not None and target <= _ZERO:
        found.append(
            violation(
                ("target_quantity",),
                "target_quantity_positive",
                "target_quantity must be positive",
                target,
            )
        )
    if filled is not None:
        if filled < _ZERO:
            found.append(
                violation(
                    ("filled_quantity",),
                    "filled_quantity_negative",
                    "filled_quantity cannot be negative",
                    filled,
                )
            )
        if target is not None and filled > target:
            found.append(
                violation(
                    ("filled_quantity",),
                    "fill_exceeds_target",
                    "filled_quantity cannot exceed target_quantity",
                    filled,
                    {"target_quantity": str(target)},
                )
            )
    if cancelled is not None and completed is not None:
        found.append(
            violation(
                ("cancelled_at",),
                "final_state_exclusive",
                "Group cannot be both cancelled and completed",
                cancelled,
            )
        )
    if status == _CANCELLED and cancelled is None:
        found.append(
            violation(
                ("cancelled_at",),
                "status_requires_timestamp",
                "CANCELLED status requires cancelled_at timestamp",
                None,
            )
        )
    if status == _COMPLETED and completed is None:
        found.append(
            violation(
                ("completed_at",),
                "status_requires_timestamp",
                "COMPLETED status requires completed_at timestamp",
                None,
            )
        )
    if target is None and strategy in TARGET_REQUIRED:
        found.append(
            violation(
                ("target_quantity",),
                "strategy_requires_target",
                "{strategy} groups require target_quantity",
                None,
                {"strategy": strategy.value},
            )
        )
    if order_count > 1 and strategy in SINGLE_ORDER:
        found.append(_too_many_orders(order_count))
    if order_count == 0 and status in ORDERS_REQUIRED:
        found.append(
            violation(
                ("order_ids",),
                "status_requires_orders",
                "{status} status requires at least one order",
                order_count,
                {"status": status.value},
            )
        )
    if strategy == _ICEBERG and not _visible_ratio_ok(state["metadata"]):
        found.append(
            violation(
                ("metadata", "visible_ratio"),
                "iceberg_visible_ratio",
                "ICEBERG groups require metadata.visible_ratio, a number in (0, 1]",
                _visible_ratio(state["metadata"]),
            )
        )
    if updated < created:
        found.append(
            violation(
                ("updated_at",),
                "updated_before_created",
                "updated_at cannot be before created_at",
                updated,
            )
        )
    if cancelled is not None and cancelled < created:
        found.append(_stamped_before_created("cancelled_at", cancelled))
    if completed is not None and completed < created:
        found.append(_stamped_before_created("completed_at", completed))
    return found


def append_violations(state: Mapping[str, Any], order_count: int) -> list[InitErrorDetails]:
    """The rules adding orders can break, ``order_count`` orders after the add.

    An add never empties the list, never touches a quantity, a stamp or metadata, and
    its ``updated_at`` is checked against the current one (never before creation).
    """
    if order_count > 1 and state["execution_strategy"] in SINGLE_ORDER:
        return [_too_many_orders(order_count)]
    return []


def _too_many_orders(order_count: int) -> InitErrorDetails:
    return violation(
        ("order_ids",),
        "single_order",
        "a SINGLE group holds at most one order, not {count}",
        order_count,
        {"count": order_count},
    )


def _stamped_before_created(field: str, stamp: Any) -> InitErrorDetails:
    return violation(
        (field,),
        "stamped_before_created",
        "{field} cannot be before created_at",
        stamp,
        {"field": field},
    )
