"""Change records on the wire: the JSON form, its schema, JSON Lines feeds, replay from JSON.

A service in another language follows a group through its change feed: every record the
model writes is valid against ``schema/execution_group.change.schema.json`` (in
``jsonschema``, ``jsonschema-rs`` and Ajv), reads back to an equal record, and a feed read
back from JSON replays onto the group's first snapshot to give the group's last one.
"""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from builders import at
from hypothesis import given
from hypothesis import strategies as st
from node_runner import run_node
from pydantic import ValidationError
from referencing import Registry, Resource
from test_audit import OPERATION, new_group, run

from execution_group import (
    ChangeKind,
    ChangeRecord,
    ExecutionGroup,
    GroupStatus,
    read_feed,
    replay,
    write_feed,
)
from execution_group.contract import lifecycle, schema

ROOT = Path(__file__).resolve().parent.parent
CHANGE_SCHEMA = ROOT / "schema" / "execution_group.change.schema.json"
GROUP_ID = "EXG_20251028_143022_a8f3c"


@cache
def change_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CHANGE_SCHEMA.read_text(encoding="utf-8"))
    return loaded


@cache
def _jsonschema() -> jsonschema.Draft202012Validator:
    registry: Registry[Any] = Registry().with_resource(
        schema()["$id"], Resource.from_contents(schema())
    )
    return jsonschema.Draft202012Validator(
        change_schema(),
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


@cache
def _jsonschema_rs() -> Any:
    registry = jsonschema_rs.Registry([(schema()["$id"], schema())])
    return jsonschema_rs.validator_for(change_schema(), validate_formats=True, registry=registry)


def schema_verdicts(document: Any) -> tuple[bool, bool]:
    """``jsonschema`` and ``jsonschema-rs`` on one record document."""
    return _jsonschema().is_valid(document), _jsonschema_rs().is_valid(document)


def reads_back(text: str) -> bool:
    try:
        ChangeRecord.from_json(text)
    except ValidationError:
        return False
    return True


def feed_of_a_cancelled_twap() -> list[ChangeRecord]:
    """Every kind of record: orders, a fill, a cancel with its stamp and reason, and
    assignments of updated_at, metadata and filled_quantity, then a late order."""
    group = new_group()
    feed: list[ChangeRecord] = []
    group.subscribe(feed.append)
    group.add_order("o1", at=at(1))
    group.add_orders(["o2", "o3"], at=at(2))
    group.record_fill("12.5", at=at(3))
    group.cancel("RISK_THRESHOLD_BREACHED", at=at(4))
    group.updated_at = at(5)
    group.metadata = {"note": "é", "ratio": 0.25, "nested": [1, {"n": None}]}
    group.filled_quantity = Decimal("0.00000001")
    group.add_order("late", at=at(6))
    return feed


# ---------------------------------------------------------------------- the schema file


def test_the_change_schema_is_versioned_with_the_contract_and_names_its_fields() -> None:
    document = change_schema()
    assert document["$schema"] == schema()["$schema"]
    assert document["$id"] == schema()["$id"].replace(
        "execution_group.schema.json", "execution_group.change.schema.json"
    )
    mutable = set(schema()["properties"]) - set(lifecycle()["immutable_fields"])
    assert set(document["properties"]["field"]["enum"]) == mutable
    assert document["properties"]["kind"]["enum"] == [kind.value for kind in ChangeKind]
    assert set(document["required"]) == set(document["properties"])


def test_the_change_schema_ships_in_the_package() -> None:
    shipped = resources.files("execution_group.schema") / CHANGE_SCHEMA.name
    assert json.loads(shipped.read_text(encoding="utf-8")) == change_schema()


# ---------------------------------------------------------------------- the JSON form


def test_each_value_takes_its_fields_json_form() -> None:
    records = feed_of_a_cancelled_twap()
    documents = [json.loads(record.to_json()) for record in records]
    by_field: dict[tuple[str, str], dict[str, Any]] = {}
    for document in documents:  # the first record of each field and kind
        by_field.setdefault((document["field"], document["kind"]), document)
    assert by_field["status", "transition"]["old"] == "PENDING"
    assert by_field["order_ids", "order_added"] == {
        "group_id": GROUP_ID,
        "kind": "order_added",
        "field": "order_ids",
        "old": None,
        "new": "o1",
        "at": "2025-10-28T14:30:23Z",
        "reason": None,
    }
    assert by_field["filled_quantity", "fill"]["new"] == "12.5"
    assert by_field["filled_quantity", "assignment"]["new"] == "0.00000001"
    assert by_field["cancelled_at", "transition"]["new"] == "2025-10-28T14:30:26Z"
    assert by_field["cancelled_at", "transition"]["reason"] == "RISK_THRESHOLD_BREACHED"
    assert by_field["metadata", "transition"]["old"] == {"chunk_size": "10.0"}  # a Decimal
    assert by_field["updated_at", "assignment"]["new"] == "2025-10-28T14:30:27Z"
    for record, document in zip(records, documents, strict=True):
        assert list(document) == ["group_id", "kind", "field", "old", "new", "at", "reason"]
        assert schema_verdicts(document) == (True, True), document
        again = ChangeRecord.from_json(record.to_json())
        assert again.to_json() == record.to_json()
        if record.field != "metadata" or "chunk_size" not in (record.old or {}):
            assert again == record
    # The one change JSON makes, as for a group: a Decimal in metadata reads back as a string.
    stamped = next(r for r in records if r.field == "metadata" and r.kind == ChangeKind.TRANSITION)
    assert ChangeRecord.from_json(stamped.to_json()).old == {"chunk_size": "10.0"}


def test_a_feed_round_trips_through_json_lines() -> None:
    records = feed_of_a_cancelled_twap()
    stream = io.StringIO()
    assert write_feed(records, stream) == len(records)
    text = stream.getvalue()
    assert text.count("\n") == len(records)
    again = list(read_feed(io.StringIO(text.replace("\n", "\n\n", 1))))
    assert [record.to_json() for record in again] == [record.to_json() for record in records]
    assert list(read_feed(io.BytesIO(text.encode()))) == again


def test_a_bad_line_of_a_feed_is_named_after_the_records_before_it() -> None:
    good = feed_of_a_cancelled_twap()[0].to_json()
    lines = [good, good.replace('"PENDING"', '"pending"')]
    feed = read_feed(lines)
    assert next(feed).new == GroupStatus.ACTIVE
    with pytest.raises(ValidationError) as raised:
        next(feed)
    assert [(err["loc"][:2], err["type"]) for err in raised.value.errors()] == [
        (("line", 2), "enum")
    ]


# A valid record, and what each change to it does in every reader.
VALID: dict[str, Any] = {
    "group_id": GROUP_ID,
    "kind": "fill",
    "field": "filled_quantity",
    "old": "0",
    "new": "12.5",
    "at": "2025-10-28T14:30:24Z",
    "reason": None,
}
CHANGES: list[tuple[dict[str, Any], bool]] = [
    ({}, True),
    ({"old": None, "at": "2025-10-28T14:30:24.123456789+00:00"}, True),
    ({"new": 12.5}, False),  # a number where a quantity string belongs
    ({"new": "1.5e1"}, False),
    ({"new": "-1"}, False),
    ({"at": "2025-10-28 14:30:24Z"}, False),
    ({"at": "2025-10-28T16:30:24+02:00"}, False),
    ({"group_id": "EXG_20251028_143022_A8F3C"}, False),
    ({"kind": "FILL"}, False),
    ({"field": "target_quantity"}, False),  # immutable: never changes
    ({"field": "filled_qty"}, False),
    ({"extra": 1}, False),
    ({"reason": 7}, False),
    ({"field": "status", "old": "ACTIVE", "new": "CANCELLED"}, True),
    ({"field": "status", "old": "ACTIVE", "new": "cancelled"}, False),
    ({"field": "status", "old": None, "new": "CANCELLED"}, False),
    ({"field": "order_ids", "kind": "order_added", "old": None, "new": "o1"}, True),
    ({"field": "order_ids", "kind": "assignment", "old": None, "new": "o1"}, False),
    ({"field": "order_ids", "kind": "order_added", "old": [], "new": "o1"}, False),
    ({"field": "order_ids", "kind": "order_added", "old": None, "new": "o 1"}, False),
    ({"field": "status", "kind": "order_added", "old": "ACTIVE", "new": "FAILED"}, False),
    ({"field": "updated_at", "old": "2025-10-28T14:30:24Z"}, False),
    ({"field": "updated_at", "old": "2025-10-28T14:30:24Z", "new": "2025-10-28T14:30:25Z"}, True),
    ({"field": "updated_at", "old": None, "new": "2025-10-28T14:30:25Z"}, False),
    ({"field": "completed_at", "old": None, "new": "2025-10-28T14:30:25Z"}, True),
    ({"field": "completed_at", "old": None, "new": "2025-02-30T14:30:25Z"}, False),
    ({"field": "metadata", "old": None, "new": {"a": [1, "x", None, True]}}, True),
    ({"field": "metadata", "old": None, "new": [1]}, False),
]


def _document(change: dict[str, Any]) -> dict[str, Any]:
    return {**VALID, **change}


@pytest.mark.parametrize(("change", "valid"), CHANGES, ids=lambda value: json.dumps(value)[:60])
def test_the_python_reader_and_the_schema_agree(change: dict[str, Any], valid: bool) -> None:
    document = _document(change)
    assert schema_verdicts(document) == (valid, valid)
    assert reads_back(json.dumps(document)) is valid


def test_ajv_agrees_in_strict_mode(tmp_path: Path) -> None:
    documents = [_document(change) for change, _ in CHANGES]
    documents += [json.loads(record.to_json()) for record in feed_of_a_cancelled_twap()]
    batch = tmp_path / "records.json"
    batch.write_text(json.dumps(documents), encoding="utf-8")
    done = run_node("js/validate-changes.mjs", str(batch))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # strict mode logs nothing
    expected = [valid for _, valid in CHANGES] + [True] * (len(documents) - len(CHANGES))
    assert json.loads(done.stdout) == expected


# ---------------------------------------------------------------------- replay from JSON


def _read_back(group: ExecutionGroup) -> ExecutionGroup:
    return ExecutionGroup.model_validate_json(group.model_dump_json())


@given(st.sampled_from(["TWAP", "VWAP", "SINGLE"]), st.lists(OPERATION, max_size=25))
def test_replay_of_a_feed_read_back_from_json_rebuilds_the_group(
    strategy: str, operations: list[tuple[Any, ...]]
) -> None:
    group = new_group(execution_strategy=strategy)
    first = _read_back(group)  # the snapshot a consumer starts from
    delivered: list[ChangeRecord] = []
    group.subscribe(delivered.append)
    for clock, operation in enumerate(operations, start=1):
        try:
            run(group, operation, clock)
        except ValidationError:
            continue
    stream = io.StringIO()
    write_feed(delivered, stream)
    for line in stream.getvalue().splitlines():
        assert schema_verdicts(json.loads(line)) == (True, True), line
    received = list(read_feed(io.StringIO(stream.getvalue())))
    snapshot = copy.deepcopy(first)
    rebuilt = replay(first, received)
    assert first == snapshot  # replay works on a copy
    assert rebuilt == _read_back(group)
    assert rebuilt.model_dump_json() == group.model_dump_json()
