"""The engine run's probes (``tools/engines/_cases.py``) get their expected verdict here.

A probe is a document the corpus cannot hold; ``nox -s engines`` expects every engine to
give it ``schema_valid``, so the Python contract and the Python schema engines must too.
"""

from __future__ import annotations

import json

import pytest
from corpus import draft07_verdicts, jsonschema_rs_verdict, jsonschema_verdict
from pydantic import ValidationError

from execution_group import ExecutionGroup
from tools.engines._cases import Case, probe_cases

PROBES = probe_cases()


def _text(case: Case) -> str | None:
    """The document as text, or None when its bytes are not UTF-8 (so not a JSON text)."""
    try:
        return case.data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def test_probes_are_named_and_not_in_the_corpus() -> None:
    assert PROBES
    assert all(case.is_probe for case in PROBES)
    assert len({case.name for case in PROBES}) == len(PROBES)


@pytest.mark.parametrize("case", PROBES, ids=str)
def test_the_model_gives_the_expected_verdict(case: Case) -> None:
    if case.schema_valid:
        ExecutionGroup.model_validate_json(case.data)
    else:
        with pytest.raises(ValidationError):
            ExecutionGroup.model_validate_json(case.data)


@pytest.mark.parametrize("case", PROBES, ids=str)
def test_the_schema_engines_give_the_expected_verdict(case: Case) -> None:
    text = _text(case)
    if text is None:
        assert not case.schema_valid
        return
    assert jsonschema_verdict(text) is case.schema_valid
    assert jsonschema_rs_verdict(text) is case.schema_valid
    assert draft07_verdicts(text) == (case.schema_valid, case.schema_valid)


def test_the_invalid_utf8_probe_is_otherwise_a_valid_document() -> None:
    """Only the one byte is wrong: with it replaced, every engine accepts the document."""
    (case,) = [case for case in PROBES if "utf8" in case.name]
    repaired = case.data.replace(b"\xff", b"?").decode("utf-8")
    assert jsonschema_verdict(repaired)
    assert ExecutionGroup.model_validate_json(repaired).metadata["note"] == "?"


def test_the_long_fraction_probe_breaks_only_the_fraction() -> None:
    (case,) = [case for case in PROBES if "fraction" in case.name]
    document = json.loads(case.data)
    assert len(document["created_at"]) > 1_000_000
    document["created_at"] = document["created_at"][:29] + "Z"
    assert jsonschema_verdict(json.dumps(document))
