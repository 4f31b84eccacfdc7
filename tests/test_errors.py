"""Errors are built from the catalogue: a rule code in, the catalogue's message out."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from execution_group.errors import contract_error, rule_error, violation


def test_violation_fills_the_catalogue_message() -> None:
    error = contract_error(
        [
            violation(
                "fill_exceeds_target",
                ("filled_quantity",),
                "30",
                {"filled_quantity": "30", "target_quantity": "20"},
            )
        ]
    )
    (detail,) = error.errors()
    assert detail["type"] == "fill_exceeds_target"
    assert detail["loc"] == ("filled_quantity",)
    assert detail["msg"] == "filled_quantity 30 cannot exceed target_quantity 20"


def test_rule_error_is_raised_inside_validators() -> None:
    error = rule_error("quantity_type", kind="bool")
    assert isinstance(error, PydanticCustomError)
    assert error.message() == "must be a Decimal, an int or a string, not bool"


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(KeyError):
        violation("no_such_rule", (), None)  # type: ignore[arg-type]


def test_contract_error_is_a_validation_error() -> None:
    assert isinstance(contract_error([violation("record_type", (), "int")]), ValidationError)
