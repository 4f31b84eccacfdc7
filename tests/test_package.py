"""The public surface: names, the schema shipped inside the package, examples in the model."""

from __future__ import annotations

import json
from importlib import metadata, resources

import execution_group
from execution_group import ExecutionGroup
from execution_group.contract import examples


def test_public_names() -> None:
    assert sorted(execution_group.__all__) == sorted(
        [
            "ChangeKind",
            "ChangeRecord",
            "ExecutionGroup",
            "ExecutionStrategyType",
            "GroupStatus",
            "Records",
            "RuleCode",
            "Subscriber",
            "check_successor",
            "generate_execution_group_id",
            "generate_execution_directive_id",
            "read_feed",
            "replay",
            "write_feed",
        ]
    )
    for name in execution_group.__all__:
        assert getattr(execution_group, name) is not None


def test_schema_and_lifecycle_ship_in_the_package() -> None:
    folder = resources.files("execution_group.schema")
    schema = json.loads(folder.joinpath("execution_group.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert f"/{metadata.version('execution-group')}/" in schema["$id"]
    lifecycle = json.loads(
        folder.joinpath("execution_group.lifecycle.json").read_text(encoding="utf-8")
    )
    assert lifecycle["initial_status"] == "PENDING"
    rules = json.loads(folder.joinpath("execution_group.rules.json").read_text(encoding="utf-8"))
    assert rules["schema"] == "execution_group.schema.json"


def test_enums_are_str_enums_from_the_schema() -> None:
    from enum import Enum

    from execution_group import ExecutionStrategyType, GroupStatus

    for enum in (ExecutionStrategyType, GroupStatus):
        assert issubclass(enum, str) and issubclass(enum, Enum)
    assert [s.value for s in ExecutionStrategyType] == [
        "SINGLE",
        "TWAP",
        "VWAP",
        "ICEBERG",
        "DCA",
        "LAYERED",
        "POV",
    ]


def test_model_carries_the_five_examples_and_they_are_valid() -> None:
    carried = ExecutionGroup.model_json_schema()["examples"]
    assert carried == examples() and len(carried) == 5
    for document in carried:
        ExecutionGroup.model_validate_json(json.dumps(document))


def test_roundtrip_tool_reports_no_difference() -> None:
    from tools.roundtrip import document_failures, schema_diff

    assert schema_diff() == ""
    assert document_failures() == []


def test_roundtrip_tool_sees_a_changed_pattern(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tools import roundtrip

    original = ExecutionGroup.model_json_schema()

    def changed() -> dict:  # type: ignore[type-arg]
        document = json.loads(json.dumps(original))
        document["properties"]["group_id"]["pattern"] = "^EXG_.*$"
        return document

    monkeypatch.setattr(roundtrip.ExecutionGroup, "model_json_schema", staticmethod(changed))
    diff = roundtrip.schema_diff()
    assert (
        '-  "pattern": "^EXG_[0-9]{8}_[0-9]{6}_[0-9a-z]{5}$"' in diff.replace("    ", "  ")
        or "^EXG_.*$" in diff
    )
