"""Every engine gives every corpus document its expected verdict (docs/contract.md §1)."""

from __future__ import annotations

import pytest
from corpus import Case, cases, jsonschema_rs_verdict, jsonschema_verdict, model_verdict

from execution_group import ExecutionGroup

CASES = cases()


def test_corpus_covers_every_area() -> None:
    areas = {case.name.split("/")[0] for case in CASES}
    assert {
        "examples",
        "group_id",
        "parent_directive_id",
        "order_ids",
        "enums",
        "timestamps",
        "quantities",
        "metadata",
        "structure",
        "rules",
        "python_only",
    } <= areas
    assert any(case.schema_valid and not case.contract_valid for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_jsonschema(case: Case) -> None:
    assert jsonschema_verdict(case.text) is case.schema_valid


@pytest.mark.parametrize("case", CASES, ids=str)
def test_jsonschema_rs(case: Case) -> None:
    assert jsonschema_rs_verdict(case.text) is case.schema_valid


@pytest.mark.parametrize("case", CASES, ids=str)
def test_model(case: Case) -> None:
    assert model_verdict(case.text) is case.contract_valid


@pytest.mark.parametrize("case", [c for c in CASES if c.contract_valid], ids=str)
def test_valid_documents_write_schema_valid_json(case: Case) -> None:
    written = ExecutionGroup.model_validate_json(case.text).model_dump_json()
    assert jsonschema_verdict(written)
    assert jsonschema_rs_verdict(written)
    assert ExecutionGroup.model_validate_json(written) == ExecutionGroup.model_validate_json(
        case.text
    )


def test_contract_is_never_looser_than_schema() -> None:
    assert not [c.name for c in CASES if c.contract_valid and not c.schema_valid]
