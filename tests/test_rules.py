"""The document rules: compiled (``generated/rules.py``) against their reading as data.

``rules.violations`` runs the document checks of the rules file as generated code; the
interpreter of ``execution_group._checks`` reads the same checks on JSON values, as the
JavaScript package does. On every schema-valid document both must name the same rules at
the same places.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from corpus import cases
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group._checks import broken, instant_key
from execution_group.contract import examples, lifecycle, rules, schema
from execution_group.errors import contract_error
from execution_group.rules import violations
from tools import rules_codegen

_DOCUMENT_RULES = {check["rule"] for check in rules()["document"]}


def compiled(text: str) -> list[tuple[tuple[Any, ...], str, str]]:
    """The document-rule errors model validation reports (the compiled rules)."""
    try:
        ExecutionGroup.model_validate_json(text)
    except ValidationError as exc:
        return sorted(
            (tuple(err["loc"]), err["type"], err["msg"])
            for err in exc.errors()
            if err["type"] in _DOCUMENT_RULES
        )
    return []


def interpreted(document: dict[str, Any]) -> list[tuple[tuple[Any, ...], str, str]]:
    """The document-rule errors of the rules file read as data on the JSON value."""
    found = broken("document", {"self": document})
    if not found:
        return []
    return sorted(
        (tuple(err["loc"]), err["type"], err["msg"]) for err in contract_error(found).errors()
    )


def _schema_valid_documents() -> list[dict[str, Any]]:
    return [json.loads(case.text) for case in cases() if case.schema_valid]


@pytest.mark.parametrize("document", _schema_valid_documents())
def test_compiled_and_interpreted_agree_on_the_corpus(document: dict[str, Any]) -> None:
    assert compiled(json.dumps(document)) == interpreted(document)


_MUTATIONS: dict[str, st.SearchStrategy[Any]] = {
    "target_quantity": st.sampled_from(
        [None, "0", "0.00000001", "30", "30.0", "100", "99.99999999"]
    ),
    "filled_quantity": st.sampled_from([None, "0", "30", "30.00000001", "100", "100.0", "1000"]),
    "status": st.sampled_from(["PENDING", "ACTIVE", "COMPLETED", "CANCELLED", "FAILED", "PARTIAL"]),
    "execution_strategy": st.sampled_from(
        ["SINGLE", "TWAP", "VWAP", "ICEBERG", "DCA", "LAYERED", "POV"]
    ),
    "order_ids": st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3),
    "created_at": st.sampled_from(
        ["2025-10-28T14:30:22Z", "2025-10-28T14:30:22.0000001Z", "2025-10-28T14:30:23+00:00"]
    ),
    "updated_at": st.sampled_from(
        ["2025-10-28T14:30:22.000000000Z", "2025-10-28T14:30:22.00000005Z", "2025-10-28T14:30:21Z"]
    ),
    "cancelled_at": st.sampled_from([None, "2025-10-28T14:30:22Z", "2025-10-28T14:30:21.9Z"]),
    "completed_at": st.sampled_from([None, "2025-10-28T14:30:22.0000001Z", "2025-10-28T14:29:00Z"]),
    "metadata": st.sampled_from(
        [
            None,
            {},
            {"visible_ratio": 0.2},
            {"visible_ratio": 0},
            {"visible_ratio": 1},
            {"visible_ratio": 1.5},
            {"visible_ratio": True},
            {"visible_ratio": "0.5"},
        ]
    ),
}


@given(st.sampled_from(examples()), st.fixed_dictionaries({}, optional=_MUTATIONS))
def test_compiled_and_interpreted_agree_on_mutated_examples(
    example: dict[str, Any], changes: dict[str, Any]
) -> None:
    document = copy.deepcopy(example) | changes
    assert compiled(json.dumps(document)) == interpreted(document)


def test_violations_keeps_its_signature_and_reads_the_count() -> None:
    group = ExecutionGroup.model_validate(examples()[0])
    state = dict(group.__dict__)
    assert violations(state, 1) == []
    state["execution_strategy"] = "SINGLE"
    assert [err["type"].type for err in violations(state, 2)] == ["single_order"]  # type: ignore[union-attr]


def test_fill_exceeds_target_names_both_values() -> None:
    document = examples()[0] | {"target_quantity": "0.00000001", "filled_quantity": "30.0"}
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup.model_validate_json(json.dumps(document))
    (error,) = excinfo.value.errors()
    assert error["msg"] == "filled_quantity 30.0 cannot exceed target_quantity 0.00000001"


@given(st.integers(0, 10**9 - 1), st.integers(0, 10**9 - 1), st.booleans())
def test_instant_key_orders_as_nanoseconds(first: int, second: int, offset: bool) -> None:
    zone = "+00:00" if offset else "Z"

    def text(nanoseconds: int) -> str:
        digits = f"{nanoseconds:09d}".rstrip("0")
        return "2025-10-28T14:30:22" + (f".{digits}" if digits else "") + zone

    assert (instant_key(text(first)) < instant_key(text(second))) == (first < second)
    assert (instant_key(text(first)) == instant_key(text(second))) == (first == second)


# --- the compiler ------------------------------------------------------------------------


def test_generated_files_are_what_the_rules_file_gives() -> None:
    for path, text in rules_codegen.sources().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: nox -s rules"


def _compile(document_checks: list[dict[str, Any]]) -> str:
    data = copy.deepcopy(rules()) | {"document": document_checks}
    return rules_codegen.rules_source(data, lifecycle(), schema())


def test_a_new_comparison_rule_is_data_only() -> None:
    """A check added to the rules file compiles with no Python written for it (here:
    an ACTIVE group must have filled at least 1)."""
    check = {
        "rule": "filled_quantity_negative",
        "at": ["self", "filled_quantity"],
        "when": {
            "all": [
                {"in": [{"get": ["self", "status"]}, ["ACTIVE"]]},
                {"set": ["self", "filled_quantity"]},
            ]
        },
        "require": {"ge": [{"get": ["self", "filled_quantity"]}, "1"], "as": "decimal"},
    }
    source = _compile([check]).replace("from ..", "from execution_group.")
    source = source.replace("from .model", "from execution_group._generated.model")
    namespace: dict[str, Any] = {}
    exec(compile(source, "rules", "exec"), namespace)  # pylint: disable=exec-used
    state = dict(ExecutionGroup.model_validate(examples()[0]).__dict__)
    assert namespace["violations"](state, 3) == []
    state["filled_quantity"] = Decimal("0.5")
    found = namespace["violations"](state, 3)
    assert [err["type"].type for err in found] == ["filled_quantity_negative"]


@pytest.mark.parametrize(
    "check",
    [
        {"rule": "x", "at": ["before", "status"], "require": {"set": ["before", "status"]}},
        {"rule": "x", "at": ["self", "status"], "require": {"reachable": [1, 2]}},
        {"rule": "x", "at": ["self", "nope"], "require": {"set": ["self", "nope"]}},
        {
            "rule": "x",
            "at": ["self", "created_at"],
            "require": {
                "ge": [{"get": ["self", "created_at"]}, {"get": ["self", "target_quantity"]}],
                "as": "instant",
            },
        },
    ],
)
def test_the_compiler_refuses_what_it_cannot_compile(check: dict[str, Any]) -> None:
    with pytest.raises(rules_codegen.RulesError):
        _compile([check])
