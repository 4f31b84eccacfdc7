"""Groups and instants the tests build on (imported by test modules; conftest holds only
pytest and Hypothesis configuration)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from execution_group import ExecutionGroup, ExecutionStrategyType, GroupStatus

T0 = datetime(2025, 10, 28, 14, 30, 22, tzinfo=UTC)
GROUP_ID = "EXG_20251028_143022_a8f3c"
DIRECTIVE_ID = "EXE_20251028_143020_b7c4d890"


def at(seconds: float) -> datetime:
    """``T0`` plus ``seconds``: the tests' simulated clock."""
    return T0 + timedelta(seconds=seconds)


def twap_fields(**changes: Any) -> dict[str, Any]:
    """The fields of a new PENDING TWAP group (target 100, nothing filled), with ``changes``."""
    fields: dict[str, Any] = {
        "group_id": GROUP_ID,
        "parent_directive_id": DIRECTIVE_ID,
        "execution_strategy": ExecutionStrategyType.TWAP,
        "order_ids": [],
        "status": GroupStatus.PENDING,
        "created_at": T0,
        "updated_at": T0,
        "target_quantity": "100",
        "filled_quantity": "0",
    }
    return fields | changes


def new_twap(**changes: Any) -> ExecutionGroup:
    """A new PENDING TWAP group (target 100, nothing filled), with ``changes`` applied."""
    return ExecutionGroup(**twap_fields(**changes))
