"""``from_document``: the JSON verdict for decoded JSON; I-JSON by code on every reader."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import UserString
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from corpus import Case, cases, parse_strict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from strategies import DOCUMENTS, mutated_documents

from execution_group import ExecutionGroup
from execution_group.contract import examples


def json_outcome(text: str | bytes) -> tuple[bool, list[str]]:
    try:
        ExecutionGroup.model_validate_json(text)
    except ValidationError as exc:
        return False, sorted({error["type"] for error in exc.errors()})
    return True, []


def document_outcome(value: Any) -> tuple[bool, list[str]]:
    try:
        ExecutionGroup.from_document(value)
    except ValidationError as exc:
        return False, sorted({error["type"] for error in exc.errors()})
    return True, []


def errors_of(judge: Any, argument: Any) -> list[tuple[Any, ...]]:
    """Every error, word for word: where, which rule, the message."""
    try:
        judge(argument)
    except ValidationError as exc:
        return [(error["loc"], error["type"], error["msg"]) for error in exc.errors()]
    return []


@pytest.mark.parametrize("case", DOCUMENTS, ids=str)
def test_from_document_gives_every_corpus_document_its_json_verdict(case: Case) -> None:
    _, value = parse_strict(case.text)
    assert document_outcome(value)[0] is case.contract_valid
    assert errors_of(ExecutionGroup.from_document, value) == errors_of(
        ExecutionGroup.model_validate_json, case.text
    )


def test_a_json_number_quantity_is_refused_where_model_validate_takes_it() -> None:
    document = {**examples()[0], "target_quantity": 100}
    assert ExecutionGroup.model_validate(document).target_quantity == 100
    assert document_outcome(document) == (False, ["quantity_string"])
    assert json_outcome(json.dumps(document)) == (False, ["quantity_string"])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_from_document_is_model_validate_json_of_json_dumps(document: Any) -> None:
    """The same verdict; the same rule codes too, unless ``json.dumps`` had to write
    ``Infinity`` (not JSON) for an infinite float, which ``from_document`` reports as
    the number beyond a double that ``json.loads`` makes such a float of."""
    from_document = document_outcome(document)
    from_text = json_outcome(json.dumps(document))
    assert from_document[0] is from_text[0]
    try:
        text = json.dumps(document, allow_nan=False)
    except ValueError:
        return
    assert errors_of(ExecutionGroup.from_document, document) == errors_of(
        ExecutionGroup.model_validate_json, text
    )


def test_from_document_shares_nothing_with_its_input() -> None:
    document = json.loads(json.dumps({**examples()[0], "metadata": {"a": [1]}}))
    group = ExecutionGroup.from_document(document)
    document["metadata"]["a"].append(2)
    document["order_ids"].append("x")
    assert group.metadata == {"a": [1]}
    assert list(group.order_ids) == examples()[0]["order_ids"]


@pytest.mark.parametrize(
    "value",
    [
        {**examples()[0], "order_ids": ("a", "b", "c")},
    ],
)
def test_a_tuple_is_an_array_as_json_dumps_writes_it(value: Any) -> None:
    assert document_outcome(value) == json_outcome(json.dumps(value)) == (True, [])


@pytest.mark.parametrize(
    "value",
    [
        {**examples()[0], "order_ids": {"a"}},
        {**examples()[0], "created_at": examples()[0]["created_at"].encode()},
        {**examples()[0], "metadata": {"x": float("nan")}},
    ],
    ids=["set", "bytes", "nan"],
)
def test_what_json_cannot_hold_is_refused(value: Any) -> None:
    assert not document_outcome(value)[0]


# ---------------------------------------------------------------- I-JSON, on every reader

IJSON = {case.name: case for case in cases() if case.name.startswith("ijson/")}
RULES = {
    "ijson/number_1e400": "ijson_number_range",
    "ijson/number_minus_1e400": "ijson_number_range",
    "ijson/number_integer_beyond_double": "ijson_number_range",
    "ijson/surrogate_escaped_value": "ijson_unicode",
    "ijson/surrogate_escaped_member_name": "ijson_unicode",
    "ijson/surrogate_raw_value": "ijson_unicode",
    "ijson/surrogate_raw_member_name": "ijson_unicode",
    "ijson/depth_200": "ijson_depth",
}


@pytest.mark.parametrize("name", RULES)
def test_every_python_reader_reports_the_ijson_rule(name: str) -> None:
    text = IJSON[name].text
    assert IJSON[name].schema_valid and not IJSON[name].contract_valid
    assert json_outcome(text) == (False, [RULES[name]])
    assert document_outcome(json.loads(text)) == (False, [RULES[name]])
    if text.isascii():
        assert json_outcome(text.encode()) == (False, [RULES[name]])


def test_the_cli_reports_ijson_rules(tmp_path: Path) -> None:
    ascii_names = [name for name in RULES if IJSON[name].text.isascii()]
    path = tmp_path / "ijson.jsonl"
    path.write_text("".join(IJSON[name].text + "\n" for name in ascii_names), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "execution_group", "validate", "--format", "json", str(path)],
        capture_output=True,
        check=False,
        timeout=60,
        text=True,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    reported = [
        {error["rule"] for error in line["errors"]} for line in lines if line["kind"] == "document"
    ]
    assert reported == [{RULES[name]} for name in ascii_names]


def test_ijson_messages_say_what_is_wrong() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup.model_validate_json(IJSON["ijson/number_1e400"].text)
    (error,) = excinfo.value.errors()
    assert error["loc"] == ("metadata", "x")
    assert "range of an IEEE double" in error["msg"]


# ---------------------------------------------------------------- duplicate member names


def test_the_last_duplicate_member_name_wins_in_every_python_reader() -> None:
    head = json.dumps({**examples()[0], "metadata": {}})[: -len("{}}")]
    text = head + '{"k": 1e400, "k": "\\ud800", "k": 2}}'
    assert json.loads(text)["metadata"] == {"k": 2}
    assert ExecutionGroup.model_validate_json(text).metadata == {"k": 2}
    assert ExecutionGroup.from_document(json.loads(text)).metadata == {"k": 2}
    reversed_text = head + '{"k": 2, "k": 1e400}}'
    assert json_outcome(reversed_text) == (False, ["ijson_number_range"])


# ---------------------------------------------------------------- hostile decoded values


def test_reused_containers_take_the_checked_path_and_are_refused() -> None:
    node: list[Any] = []
    for _ in range(25):
        node = [node, node]
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup.from_document({**examples()[0], "metadata": {"x": node}})
    assert excinfo.value.errors()[0]["type"] == "metadata_size"
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup.from_document({**examples()[0], "metadata": {"loop": loop}})
    assert excinfo.value.errors()[0]["type"] == "ijson_depth"


class Lying(dict[str, Any]):
    def items(self) -> Any:  # type: ignore[override]
        return [("visible_ratio", 0.5)]

    def __getitem__(self, key: str) -> Any:
        return 0.5


def test_a_lying_dict_subclass_cannot_smuggle_an_unchecked_value() -> None:
    """A subclass is read as its base: what it holds is what is checked and kept."""
    document = {
        **examples()[0],
        "execution_strategy": "ICEBERG",
        "metadata": Lying(visible_ratio=7),
    }
    assert document_outcome(document) == (False, ["iceberg_visible_ratio"])
    document["metadata"] = Lying(visible_ratio=0.25)
    group = ExecutionGroup.from_document(document)
    assert group.metadata == {"visible_ratio": 0.25}
    assert ExecutionGroup.model_validate_json(group.model_dump_json()) == group


@given(st.lists(st.text(max_size=4), max_size=3).map(tuple))
def test_tuples_are_arrays_on_both_paths(items: tuple[str, ...]) -> None:
    document = {**examples()[0], "metadata": {"t": items}}
    assert document_outcome(document) == json_outcome(json.dumps(document))


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 10**400, [float("inf")], {"a": float("nan")}, 7, None],
    ids=["nan", "inf", "10**400", "[inf]", "{a: nan}", "7", "None"],
)
def test_model_validate_json_of_a_non_text_value_is_a_json_type_error(value: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup.model_validate_json(value)
    assert [error["type"] for error in excinfo.value.errors()] == ["json_type"]


NOT_JSON = {
    "Decimal": Decimal("12345678901234567890"),
    "Fraction": Fraction(1, 3),
    "UserString": UserString("TWAP"),
    "set": {1},
    "bytes": b"TWAP",
}


@pytest.mark.parametrize("field", ["metadata", "execution_strategy", "order_ids"])
@pytest.mark.parametrize("kind", NOT_JSON, ids=str)
def test_what_no_json_text_decodes_to_is_refused_where_it_sits(field: str, kind: str) -> None:
    """Not converted (``json.dumps`` cannot even write most of these), and refused the same
    way whatever else is wrong with the document, beside those other errors."""
    stray = NOT_JSON[kind]
    value = {"x": stray} if field == "metadata" else [stray] if field == "order_ids" else stray
    where = {"metadata": (field, "x"), "order_ids": (field, 0)}.get(field, (field,))
    alone = errors_of(ExecutionGroup.from_document, {**examples()[0], field: value})
    assert [(loc, rule) for loc, rule, _ in alone] == [(where, "metadata_json")]
    also_wrong = {**examples()[0], field: value, "status": "BOGUS", "group_id": 7}
    errors = errors_of(ExecutionGroup.from_document, also_wrong)
    others = errors_of(ExecutionGroup.from_document, {**also_wrong, field: examples()[0][field]})
    assert errors == alone + others
    assert {"enum", "group_id_form"} <= {rule for _, rule, _ in others}


def test_a_member_name_that_is_no_string_is_refused() -> None:
    """JSON names are strings; ``json.dumps`` would silently write ``1`` as ``"1"``."""
    for document in ({**examples()[0], "metadata": {1: "x"}}, {**examples()[0], 1: "x"}):
        assert document_outcome(document) == (False, ["metadata_json"])
        assert document_outcome({**document, "status": "BOGUS"}) == (
            False,
            ["enum", "metadata_json"],
        )


@pytest.mark.parametrize(
    ("literal", "decoded_rule"),
    [
        ("NaN", "metadata_json"),
        ("-Infinity", "ijson_number_range"),
        ("1e400", "ijson_number_range"),
    ],
)
def test_nan_and_infinity_decoded(literal: str, decoded_rule: str) -> None:
    """NaN comes from no JSON text: ``metadata_json`` on every path. A decoded infinity is
    what JSON text beyond a double (``1e400``) decodes to: ``ijson_number_range``, as every
    reader says for that text; ``Infinity`` text itself is no JSON (``metadata_json``)."""
    text = json.dumps({**examples()[0], "metadata": {"a": "@"}}).replace('"@"', literal)
    assert document_outcome(json.loads(text)) == (False, [decoded_rule])
    text_rule = (
        "metadata_json" if literal.endswith("Infinity") or literal == "NaN" else decoded_rule
    )
    assert json_outcome(text) == (False, [text_rule])


def _nested_metadata_text(levels: int) -> str:
    text = json.dumps({**examples()[0], "metadata": {"a": "@"}})
    return text.replace('"@"', "[" * (levels - 1) + "1" + "]" * (levels - 1))


def _at_depth(frames: int, call: Any) -> Any:
    return call() if frames == 0 else _at_depth(frames - 1, call)


@pytest.mark.parametrize("levels", [199, 200, 201, 300, 1500, 20_000])
def test_deep_json_is_ijson_depth_whatever_the_callers_stack(levels: int) -> None:
    """Well-formed text nested past the bound is ``ijson_depth``, never ``json_invalid``,
    however deep it nests and however deep the caller's own stack already is."""
    text = _nested_metadata_text(levels)
    expected = (True, []) if levels < 200 else (False, ["ijson_depth"])
    assert json_outcome(text) == expected
    assert _at_depth(800, lambda: json_outcome(text)) == expected
    if levels >= 200:
        errors = errors_of(ExecutionGroup.model_validate_json, text)
        assert errors[0][0] == ("metadata", "a", *[0] * 199)


@pytest.mark.parametrize("broken", ["]", ",]", "}", '"', "1 2"])
def test_deep_text_that_is_no_json_stays_json_invalid(broken: str) -> None:
    text = _nested_metadata_text(1500)
    text = text[:-1] + broken + text[-1]
    assert json_outcome(text) == (False, ["json_invalid"])


def test_the_text_read_again_is_read_with_the_callers_options() -> None:
    """A duplicate member (last wins) sends the text to the careful reader, which must take
    ``extra="allow"`` as the caller gave it."""
    document = {key: value for key, value in examples()[0].items() if key != "metadata"}
    text = json.dumps(document)[:-1] + ', "zz": 1, "metadata": {"x": 1e400, "x": 1}}'
    group = ExecutionGroup.model_validate_json(text, extra="allow")
    assert group.metadata == {"x": 1}
    assert group.model_extra == {"zz": 1}
    with pytest.raises(ValidationError) as refused:
        ExecutionGroup.model_validate_json(text)
    assert [error["type"] for error in refused.value.errors()] == ["extra_forbidden"]
