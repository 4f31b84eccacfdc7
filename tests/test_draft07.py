"""The draft-07 rendering: generated from the 2020-12 schema, the same verdict everywhere.

The corpus here and ``tests/test_differential.py`` (every generated document) check the
verdicts with ``jsonschema`` and ``jsonschema-rs`` in draft-07 mode; ``nox -s engines``
runs the corpus through gojsonschema, valijson, json_schemer and JSON::Validator.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from corpus import Case, cases, draft07_schema, draft07_verdicts

from execution_group.contract import schema
from tools import draft07

CASES = cases()


def test_dialect_is_spelled_exactly() -> None:
    assert draft07_schema()["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_the_shipped_file_is_what_the_tool_writes() -> None:
    assert draft07_schema() == draft07.render(schema())
    assert draft07.OUTPUT.read_text(encoding="utf-8") == draft07.text()


def test_the_file_is_a_valid_draft07_schema_with_no_2020_12_keyword() -> None:
    jsonschema.Draft7Validator.check_schema(draft07_schema())
    text = json.dumps(draft07_schema())
    assert "$defs" not in text
    assert draft07_schema()["$id"].endswith("/execution_group.draft-07.schema.json")


def test_every_guard_survives() -> None:
    source, rendered = schema()["$defs"], draft07_schema()["definitions"]
    assert source.keys() == rendered.keys()
    for name, definition in source.items():
        assert rendered[name].get("pattern") == definition.get("pattern")
        assert rendered[name].get("not") == definition.get("not")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_corpus_verdicts(case: Case) -> None:
    assert draft07_verdicts(case.text) == (case.schema_valid, case.schema_valid)


def _render(body: dict[str, Any]) -> dict[str, Any]:
    source = {"$schema": draft07.SOURCE_DIALECT, "$id": f"https://x/{draft07.SOURCE.name}"}
    rendered = draft07.render(source | body)
    return {k: v for k, v in rendered.items() if k not in {"$schema", "$id", "$comment"}}


def test_defs_and_refs_are_renamed_at_any_depth() -> None:
    body = {
        "$defs": {"A": {"type": "string"}},
        "properties": {"a": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]}},
    }
    assert _render(body) == {
        "definitions": {"A": {"type": "string"}},
        "properties": {"a": {"anyOf": [{"$ref": "#/definitions/A"}, {"type": "null"}]}},
    }


def test_a_ref_beside_an_assertion_moves_into_all_of() -> None:
    body = {"$defs": {"A": {}}, "$ref": "#/$defs/A", "description": "d", "maxLength": 3}
    assert _render(body) == {
        "definitions": {"A": {}},
        "description": "d",
        "maxLength": 3,
        "allOf": [{"$ref": "#/definitions/A"}],
    }


def test_a_ref_beside_annotations_only_stays() -> None:
    assert _render({"$ref": "#/$defs/A", "description": "d"}) == {
        "$ref": "#/definitions/A",
        "description": "d",
    }


def test_tuple_and_dependency_keywords_are_translated() -> None:
    body = {
        "prefixItems": [{"type": "string"}],
        "items": False,
        "dependentRequired": {"a": ["b"]},
        "dependentSchemas": {"c": {"required": ["d"]}},
    }
    assert _render(body) == {
        "items": [{"type": "string"}],
        "additionalItems": False,
        "dependencies": {"a": ["b"], "c": {"required": ["d"]}},
    }


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"unevaluatedProperties": False}, "/unevaluatedProperties"),
        ({"properties": {"a": {"$dynamicRef": "#x"}}}, "/properties/a/$dynamicRef"),
        ({"allOf": [{"minContains": 1}]}, "/allOf/0/minContains"),
        ({"items": {"$anchor": "x"}}, "/items/$anchor"),
        ({"not": {"$id": "other"}}, "/not/$id"),
        ({"$ref": "other.json#/$defs/A"}, "/$ref"),
        ({"items": [{}]}, "/items"),
        ({"spelledWrong": 1}, "/spelledWrong"),
    ],
)
def test_anything_else_stops_the_tool(body: dict[str, Any], where: str) -> None:
    with pytest.raises(draft07.Untranslatable, match=f"^{re.escape(where)}: "):
        _render(body)


def test_only_a_2020_12_source_is_read() -> None:
    with pytest.raises(draft07.Untranslatable, match=r"^/\$schema"):
        draft07.render({"$schema": draft07.DRAFT_07, "$id": draft07.SOURCE.name})


def test_check_mode_reports_a_stale_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / draft07.OUTPUT.name
    stale.write_text(draft07.text().replace("draft-07", "draft-06", 1), encoding="utf-8")
    monkeypatch.setattr(draft07, "OUTPUT", stale)
    monkeypatch.setattr(draft07, "ROOT", tmp_path)
    assert draft07.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert '-  "$schema": "http://json-schema.org/draft-06/schema#"' in out
    assert "is stale: run `python -m tools.draft07` to rewrite it" in out
    assert draft07.main([]) == 0
    assert draft07.main(["--check"]) == 0
