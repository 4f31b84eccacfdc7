"""``quick_check``: the model's checks without the model, for the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from corpus import Case, cases
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError, model_validator
from strategies import mutated_documents

from execution_group import ExecutionGroup
from execution_group._verdict import quick_check

QUICK = quick_check(ExecutionGroup)

LAST_DUPLICATE_WINS = {"duplicates/metadata_key_last_wins"}
"""Refused by pydantic-core, which checks every duplicate of a metadata member; the model's
JSON reader then keeps the last one, as every JSON reader does, and accepts."""


def accepted(check: Any, text: str | bytes) -> bool:
    try:
        check(text)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("case", cases(), ids=str)
def test_the_corpus_gets_the_models_verdict(case: Case) -> None:
    quick = accepted(QUICK, case.text)
    if case.name in LAST_DUPLICATE_WINS:
        assert (quick, case.contract_valid) == (False, True)
    else:
        assert quick == case.contract_valid


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_what_it_accepts_the_model_accepts(document: Any) -> None:
    """Its yes is the model's yes; its no sends the text to the model, which decides."""
    text = json.dumps(document)
    if accepted(QUICK, text):
        assert accepted(ExecutionGroup.model_validate_json, text)


def test_it_returns_nothing_and_builds_no_group() -> None:
    for case in cases():
        if case.contract_valid and case.name not in LAST_DUPLICATE_WINS:
            assert QUICK(case.text) is None


def test_a_model_with_validators_of_its_own_gets_its_own_validate_json() -> None:
    class Audited(ExecutionGroup):
        @model_validator(mode="after")
        def _audited(self) -> Audited:
            return self

    check: Any = quick_check(Audited)
    assert check.__self__ is Audited.__pydantic_validator__
    assert check.__self__ is not QUICK.__self__  # type: ignore[attr-defined]
