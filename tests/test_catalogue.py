"""The rule catalogue (``schema/execution_group.rules.json``): well formed, complete, and
the one source of every rule code and message the package reports."""

from __future__ import annotations

import ast
import json
import re
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group._generated.rule_catalogue import MESSAGES, PROBLEMS, RuleCode
from execution_group.contract import examples, lifecycle, rules, schema

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = rules()["rules"]


def test_the_rules_file_is_of_its_own_schema() -> None:
    meta = json.loads((ROOT / "schema" / "execution_group.rules.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(meta)
    jsonschema.Draft202012Validator(meta).validate(rules())


_PYTHON_CODES = {code for code, entry in CATALOGUE.items() if entry["kind"] != "internal"}
"""The codes Python may report: all but kind ``internal`` (JavaScript's own failure)."""


def test_rule_code_literal_and_messages_are_the_catalogue() -> None:
    assert set(typing.get_args(RuleCode)) == _PYTHON_CODES
    assert {code: CATALOGUE[code]["message"] for code in _PYTHON_CODES} == MESSAGES
    assert {
        code: entry["problems"] for code, entry in CATALOGUE.items() if "problems" in entry
    } == PROBLEMS


def test_the_codes_python_never_reports_are_documented_as_such() -> None:
    """``internal_error`` is catalogued (JavaScript reports it), not in ``RuleCode``, and
    docs/reference.md says Python never reports it."""
    internal = set(CATALOGUE) - _PYTHON_CODES
    assert internal == {"internal_error"}
    reference = (ROOT / "docs" / "reference.md").read_text("utf-8")
    words = " ".join(reference.split())
    assert "`internal_error` says the JavaScript package failed" in words
    assert "Python never reports it" in words


def test_every_check_names_a_catalogued_rule_of_its_kind() -> None:
    for section, kinds in (("document", {"document"}), ("successor", {"lifecycle", "successor"})):
        for check in rules()[section]:
            assert CATALOGUE[check["rule"]]["kind"] in kinds, check["rule"]


def test_every_schema_path_points_into_the_schema() -> None:
    for code, entry in CATALOGUE.items():
        for pointer in entry.get("schema_path", []):
            node: Any = schema()
            for part in pointer.removeprefix("#/").split("/"):
                if part:
                    node = node[int(part)] if isinstance(node, list) else node[part]
            assert node is not None, (code, pointer)


def test_every_cross_field_rule_of_the_schema_has_one_code() -> None:
    claimed = [
        pointer
        for entry in CATALOGUE.values()
        for pointer in entry.get("schema_path", [])
        if pointer.startswith("#/allOf/")
    ]
    assert sorted(claimed) == [f"#/allOf/{index}" for index in range(len(schema()["allOf"]))]


def test_each_refers_to_lifecycle_members() -> None:
    for section in ("document", "successor"):
        for check in rules()[section]:
            if "lifecycle" in check.get("each", {}):
                assert check["each"]["lifecycle"] in lifecycle()


def _probe(text: str) -> dict[str, str]:
    try:
        ExecutionGroup.model_validate_json(text)
    except ValidationError as exc:
        return {err["type"]: err["msg"] for err in exc.errors()}
    return {}


_EXAMPLE = examples()[0]
_PYDANTIC_PROBES = {
    "json_invalid": "{",
    "model_type": "[]",
    "missing": json.dumps({k: v for k, v in _EXAMPLE.items() if k != "status"}),
    "extra_forbidden": json.dumps(_EXAMPLE | {"filled_qty": "1"}),
    "list_type": json.dumps(_EXAMPLE | {"order_ids": "a"}),
    "dict_type": json.dumps(_EXAMPLE | {"metadata": []}),
    "enum": json.dumps(_EXAMPLE | {"status": "active"}),
}


def test_pydantic_messages_are_the_catalogue_s() -> None:
    """The codes pydantic reports carry the message the catalogue states for them."""
    pydantic_codes = {
        code for code, entry in CATALOGUE.items() if entry.get("origin") == "pydantic"
    }
    reported = {code: _probe(text) for code, text in _PYDANTIC_PROBES.items()}
    assert pydantic_codes == set(reported)
    for code, found in reported.items():
        message = found[code]
        template = CATALOGUE[code]["message"]
        prefix = template.split("{", 1)[0]
        assert message.startswith(prefix) if "{" in template else message == template, code


def _codes_in_source() -> set[str]:
    """Rule codes named as string literals in the hand-written package."""
    found: set[str] = set()
    for path in (ROOT / "overrides").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and node.value in CATALOGUE:
                found.add(node.value)
    return found


def test_every_package_rule_is_raised_somewhere() -> None:
    """Each code the package itself builds is used: by the compiled rules, the checks
    read as data, or a call in the package."""
    own = {code for code in _PYTHON_CODES if CATALOGUE[code].get("origin") != "pydantic"}
    by_data = {check["rule"] for section in ("document", "successor") for check in rules()[section]}
    unused = (
        own - by_data - _codes_in_source() - {"ijson_number_range", "ijson_unicode", "ijson_depth"}
    )
    assert not unused


_SOURCES = sorted(
    [
        *(ROOT / "overrides").rglob("*.py"),
        *(ROOT / "npm" / "src").glob("*.ts"),
        *(ROOT / "tools").rglob("*.py"),
    ]
)
"""The hand-written code of every runtime and tool: none of it writes a catalogue text."""


def _catalogue_texts() -> dict[str, str]:
    """Every message and ``{problem}`` text of the catalogue, by a name for the report."""
    texts = {code: entry["message"] for code, entry in CATALOGUE.items()}
    for code, entry in CATALOGUE.items():
        texts |= {f"{code}.{name}": text for name, text in entry.get("problems", {}).items()}
    return texts


@pytest.mark.parametrize("path", _SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_message_is_written_outside_the_catalogue(path: Path) -> None:
    """No catalogue message or problem text appears as a literal in the code of Python,
    JavaScript or the tools: errors are built from the catalogue."""
    text = " ".join(path.read_text("utf-8").split())
    for name, message in _catalogue_texts().items():
        fixed = max(message.replace("}", "{").split("{")[::2], key=len)
        if len(fixed) > 16:
            assert fixed not in text, f"{path.name} writes the text of {name}"


def _problem_literals(path: Path) -> list[int]:
    """Lines of ``path`` that give a ``problem`` as literal text, not from the catalogue."""
    lines: list[int] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        pairs: list[tuple[Any, ast.expr]] = []
        if isinstance(node, ast.Call):
            pairs = [(word.arg, word.value) for word in node.keywords]
        elif isinstance(node, ast.Dict):
            pairs = [
                (key.value if isinstance(key, ast.Constant) else None, value)
                for key, value in zip(node.keys, node.values, strict=True)
            ]
        lines += [
            value.lineno
            for name, value in pairs
            if name == "problem" and isinstance(value, (ast.Constant, ast.JoinedStr))
        ]
    return lines


def test_every_problem_text_is_read_from_the_catalogue() -> None:
    """Python and JavaScript fill ``{problem}`` with the catalogue's ``problems`` texts."""
    python = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in (ROOT / "overrides").rglob("*.py")
        for line in _problem_literals(path)
    ]
    assert not python
    typescript = [
        f"{path.name}: {match.group(0)}"
        for path in (ROOT / "npm" / "src").glob("*.ts")
        for match in re.finditer(r"problem: [`\"'][^,}]*", path.read_text("utf-8"))
    ]
    assert not typescript


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@given(st.sampled_from([*_EXAMPLE, "unknown"]), _JSON_VALUES)
def test_every_error_reported_is_catalogued(field: str, value: Any) -> None:
    """Whatever a member holds, from JSON text or Python values, each error's code is in
    the catalogue."""
    document = _EXAMPLE | {field: value}
    found = _probe(json.dumps(document))
    try:
        ExecutionGroup.model_validate(document)
    except ValidationError as exc:
        found |= {err["type"]: err["msg"] for err in exc.errors()}
    assert set(found) <= set(CATALOGUE)


def _decoded_probe(value: object) -> dict[str, str]:
    try:
        ExecutionGroup.from_document(value)
    except ValidationError as exc:
        return {err["type"]: err["msg"] for err in exc.errors()}
    return {}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (_EXAMPLE | {"order_ids": "a"}, "list_type"),
        (_EXAMPLE | {"metadata": []}, "dict_type"),
        ([], "model_type"),
        (5, "model_type"),
    ],
)
def test_decoded_values_get_the_catalogue_s_message(value: object, code: str) -> None:
    """From a decoded value as from its text: the catalogue's words, not pydantic's Python
    ones ("a valid list", "a valid dictionary or instance of ExecutionGroup")."""
    assert _decoded_probe(value) == {code: CATALOGUE[code]["message"]}


def test_assignment_gets_the_catalogue_s_message() -> None:
    group = ExecutionGroup.model_validate(_EXAMPLE)
    with pytest.raises(ValidationError) as excinfo:
        group.order_ids = "a"  # type: ignore[assignment]
    assert [err["msg"] for err in excinfo.value.errors()] == [CATALOGUE["list_type"]["message"]]
