# GENERATED FILE: DO NOT EDIT BY HAND.
# Source: schema/execution_group.rules.json, member "document"
# Generator: tools/rules_codegen.py
# Regenerate: nox -s rules      Check for drift: nox -s drift

"""The document rules, compiled: every rule one state of a group breaks."""

from collections.abc import Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any

from pydantic_core import InitErrorDetails

from ..errors import violation
from ..quantities import plain
from ..timestamps import Instant as _Instant
from ..timestamps import sub_microsecond as _nanoseconds
from .model import ExecutionStrategyType, GroupStatus

__all__ = ["order_count_violations", "violations"]

_DECIMAL_0 = Decimal("0")
_CANCELLED = GroupStatus.CANCELLED
_COMPLETED = GroupStatus.COMPLETED
_TWAP = ExecutionStrategyType.TWAP
_DCA = ExecutionStrategyType.DCA
_LAYERED = ExecutionStrategyType.LAYERED
_SINGLE = ExecutionStrategyType.SINGLE
_ACTIVE = GroupStatus.ACTIVE
_PARTIAL = GroupStatus.PARTIAL
_ICEBERG = ExecutionStrategyType.ICEBERG
_STATE = itemgetter(
    "target_quantity",
    "filled_quantity",
    "cancelled_at",
    "completed_at",
    "status",
    "execution_strategy",
    "metadata",
    "updated_at",
    "created_at",
)


def violations(state: Mapping[str, Any], order_count: int) -> list[InitErrorDetails]:
    """Every rule ``state`` breaks; ``order_count`` stands for the number of orders."""
    found: list[InitErrorDetails] = []
    (
        target_quantity,
        filled_quantity,
        cancelled_at,
        completed_at,
        status,
        execution_strategy,
        metadata,
        updated_at,
        created_at,
    ) = _STATE(state)
    if target_quantity is not None and (target_quantity <= _DECIMAL_0):
        found.append(violation("target_quantity_positive", ('target_quantity',), target_quantity, None))
    if filled_quantity is not None and (filled_quantity < _DECIMAL_0):
        found.append(violation("filled_quantity_negative", ('filled_quantity',), filled_quantity, None))
    if (filled_quantity is not None and target_quantity is not None) and (filled_quantity > target_quantity):
        found.append(violation("fill_exceeds_target", ('filled_quantity',), filled_quantity, {'filled_quantity': plain(filled_quantity), 'target_quantity': plain(target_quantity)}))
    if (cancelled_at is not None and completed_at is not None):
        found.append(violation("final_state_exclusive", ('cancelled_at',), cancelled_at, None))
    if cancelled_at is None and (status == _CANCELLED):
        found.append(violation("status_requires_timestamp", ('cancelled_at',), cancelled_at, {'status': 'CANCELLED', 'field': 'cancelled_at'}))
    if completed_at is None and (status == _COMPLETED):
        found.append(violation("status_requires_timestamp", ('completed_at',), completed_at, {'status': 'COMPLETED', 'field': 'completed_at'}))
    if target_quantity is None and (execution_strategy == _TWAP or execution_strategy == _DCA or execution_strategy == _LAYERED):
        found.append(violation("strategy_requires_target", ('target_quantity',), target_quantity, {'strategy': execution_strategy.value}))
    if (order_count > 1) and (execution_strategy == _SINGLE):
        found.append(violation("single_order", ('order_ids',), order_count, {'count': order_count}))
    if (order_count < 1) and (status == _ACTIVE or status == _COMPLETED or status == _PARTIAL):
        found.append(violation("status_requires_orders", ('order_ids',), order_count, {'status': status.value}))
    if (execution_strategy == _ICEBERG):
        metadata_visible_ratio = (None if metadata is None else metadata.get('visible_ratio'))
        if ((isinstance(metadata_visible_ratio, bool) or not isinstance(metadata_visible_ratio, (int, float))) or (metadata_visible_ratio <= 0) or (metadata_visible_ratio > 1)):
            found.append(violation("iceberg_visible_ratio", ('metadata', 'visible_ratio'), metadata_visible_ratio, None))
    if ((updated_at <= created_at and (updated_at < created_at or ((updated_at.__class__ is _Instant or created_at.__class__ is _Instant) and _nanoseconds(updated_at) < _nanoseconds(created_at))))):
        found.append(violation("updated_before_created", ('updated_at',), updated_at, None))
    if cancelled_at is not None and ((cancelled_at <= created_at and (cancelled_at < created_at or ((cancelled_at.__class__ is _Instant or created_at.__class__ is _Instant) and _nanoseconds(cancelled_at) < _nanoseconds(created_at))))):
        found.append(violation("stamped_before_created", ('cancelled_at',), cancelled_at, {'field': 'cancelled_at'}))
    if completed_at is not None and ((completed_at <= created_at and (completed_at < created_at or ((completed_at.__class__ is _Instant or created_at.__class__ is _Instant) and _nanoseconds(completed_at) < _nanoseconds(created_at))))):
        found.append(violation("stamped_before_created", ('completed_at',), completed_at, {'field': 'completed_at'}))
    return found


def order_count_violations(
    state: Mapping[str, Any], order_count: int
) -> list[InitErrorDetails]:
    """The rules that read the number of orders (the ones adding orders can break)."""
    found: list[InitErrorDetails] = []
    execution_strategy = state["execution_strategy"]
    status = state["status"]
    if (order_count > 1) and (execution_strategy == _SINGLE):
        found.append(violation("single_order", ('order_ids',), order_count, {'count': order_count}))
    if (order_count < 1) and (status == _ACTIVE or status == _COMPLETED or status == _PARTIAL):
        found.append(violation("status_requires_orders", ('order_ids',), order_count, {'status': status.value}))
    return found
