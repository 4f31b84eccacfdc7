from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import settings

from execution_group import ExecutionGroup, ExecutionStrategyType, GroupStatus

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

T0 = datetime(2025, 10, 28, 14, 30, 22, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """``T0`` plus ``seconds``: the tests' simulated clock."""
    return T0 + timedelta(seconds=seconds)


def new_twap(**changes: Any) -> ExecutionGroup:
    """A new PENDING TWAP group (target 100, nothing filled), with ``changes`` applied."""
    fields: dict[str, Any] = {
        "group_id": "EXG_20251028_143022_a8f3c",
        "parent_directive_id": "EXE_20251028_143020_b7c4d890",
        "execution_strategy": ExecutionStrategyType.TWAP,
        "order_ids": [],
        "status": GroupStatus.PENDING,
        "created_at": T0,
        "updated_at": T0,
        "target_quantity": "100",
        "filled_quantity": "0",
    }
    return ExecutionGroup(**(fields | changes))


@pytest.fixture
def pending_twap() -> ExecutionGroup:
    return new_twap(target_quantity="100.0")
