"""Groups and instants the tests build on, and the checks on a group several test modules
share (imported by test modules; conftest holds only pytest and Hypothesis configuration)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from execution_group import ExecutionGroup, ExecutionStrategyType, GroupStatus
from execution_group.contract import schema

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


ICEBERG: dict[str, Any] = {
    "group_id": GROUP_ID,
    "parent_directive_id": DIRECTIVE_ID,
    "execution_strategy": "ICEBERG",
    "order_ids": [],
    "status": "PENDING",
    "created_at": T0,
    "updated_at": T0,
}


def iceberg(metadata: Any) -> ExecutionGroup:
    """A new PENDING ICEBERG group holding ``metadata``."""
    return ExecutionGroup(**ICEBERG, metadata=metadata)


def refused(excinfo: pytest.ExceptionInfo[ValidationError]) -> tuple[str, tuple[Any, ...]]:
    """The rule code and location of the first error raised."""
    error = excinfo.value.errors()[0]
    return error["type"], error["loc"]


def schema_valid_and_reads_back(group: ExecutionGroup) -> None:
    """Check that ``group`` is written schema-valid and reads back as written."""
    import jsonschema  # pylint: disable=import-outside-toplevel

    written = group.model_dump_json()
    jsonschema.Draft202012Validator(schema()).validate(json.loads(written))
    assert ExecutionGroup.model_validate_json(written).model_dump_json() == written
