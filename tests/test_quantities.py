"""Quantities: exact whatever the caller's decimal context, hostile sizes refused at once."""

from __future__ import annotations

import decimal
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from builders import new_twap
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group.contract import examples
from execution_group.quantities import plain, plain_length


@contextmanager
def hostile_context(**changes: Any) -> Iterator[None]:
    with decimal.localcontext() as context:
        for name, value in changes.items():
            if name == "traps":
                for trap in value:
                    context.traps[trap] = True
            else:
                setattr(context, name, value)
        yield


CONTEXTS = {
    "prec 6": {"prec": 6},
    "prec 1 round down": {"prec": 1, "rounding": decimal.ROUND_DOWN},
    "inexact trapped": {"traps": [decimal.Inexact, decimal.Rounded]},
    "float operation trapped": {"traps": [decimal.FloatOperation]},
    "capitals 0": {"capitals": 0},
    "tiny exponent range": {"Emax": 5, "Emin": -5, "traps": [decimal.Overflow, decimal.Underflow]},
}


@pytest.mark.parametrize("name", CONTEXTS)
def test_a_tiny_fill_is_kept_in_any_caller_context(name: str) -> None:
    group = new_twap(target_quantity="2", filled_quantity="1.5")
    with hostile_context(**CONTEXTS[name]):
        records = group.record_fill(Decimal("0.00000001"))
        assert group.filled_quantity == Decimal("1.50000001")
        assert records[0].new == Decimal("1.50000001")
        assert group.remaining_quantity == Decimal("0.49999999")
        assert group.fill_ratio == Decimal("0.750000005")
        assert json.loads(group.model_dump_json())["filled_quantity"] == "1.50000001"


@pytest.mark.parametrize("name", CONTEXTS)
def test_floats_and_refusals_raise_validation_errors_in_any_caller_context(name: str) -> None:
    with hostile_context(**CONTEXTS[name]):
        group = new_twap(target_quantity=0.5, filled_quantity=0.25)
        assert group.target_quantity == Decimal("0.5")
        with pytest.raises(ValidationError):
            new_twap(target_quantity=0.1)
        with pytest.raises(ValidationError):
            group.record_fill(Decimal("0.25000001"))
        group.record_fill(0.25)
        assert group.filled_quantity == Decimal("0.5")


def test_the_ratio_does_not_depend_on_the_context() -> None:
    group = new_twap(target_quantity="3", filled_quantity="1")
    expected = group.fill_ratio
    with hostile_context(prec=3):
        assert group.fill_ratio == expected
    with hostile_context(traps=[decimal.Inexact, decimal.Rounded]):
        assert group.fill_ratio == expected
    assert expected == Decimal("0.3333333333333333333333333333")


HUGE = {
    "1e999999999": Decimal("1e999999999"),
    "1e999999999999999999": Decimal("1e999999999999999999"),
    "1e-999999999999999999": Decimal("1e-999999999999999999"),
    "int 10**100000": 10**100000,
    "float 1e300": 1e300,
    "float 5e-324": 5e-324,
}


@pytest.mark.parametrize("name", HUGE)
def test_huge_quantities_are_refused_at_once(name: str) -> None:
    started = time.process_time()
    with pytest.raises(ValidationError) as excinfo:
        new_twap(target_quantity=HUGE[name])
    assert excinfo.value.errors()[0]["loc"] == ("target_quantity",)
    group = new_twap()
    with pytest.raises(ValidationError):
        group.record_fill(HUGE[name])
    assert time.process_time() - started < 1  # a bound, not a benchmark: it took seconds


def test_zero_with_a_large_exponent_is_zero() -> None:
    assert new_twap(filled_quantity=Decimal("0E+100")).filled_quantity == 0
    with pytest.raises(ValidationError):
        new_twap(metadata={"x": Decimal("0E-5000")})


@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=None)
    | st.builds(
        Decimal, st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{1,12})?E[+-]?[0-9]{1,3}", fullmatch=True)
    )
)
def test_plain_length_is_the_length_of_plain(value: Decimal) -> None:
    if plain_length(value) <= 2_000:
        assert plain_length(value) == len(plain(value))


class Amount(Decimal):
    def __str__(self) -> str:
        return "1"


def test_a_decimal_subclass_is_stored_as_a_decimal() -> None:
    group = new_twap(target_quantity=Amount("100"))
    assert type(group.target_quantity) is Decimal
    assert json.loads(group.model_dump_json())["target_quantity"] == "100"


NUMBER_DOCUMENTS = {
    "int": ("target_quantity", 100, "100"),
    "float": ("filled_quantity", 30.5, "30.5"),
}


@pytest.mark.parametrize("name", NUMBER_DOCUMENTS)
@pytest.mark.parametrize(
    "reader",
    [
        lambda document: ExecutionGroup.model_validate_json(json.dumps(document)),
        lambda document: ExecutionGroup.from_document(document),  # noqa: PLW0108 (looked up late)
    ],
    ids=["model_validate_json", "from_document"],
)
def test_a_json_number_for_a_quantity_says_so(
    name: str, reader: Callable[[dict[str, Any]], ExecutionGroup]
) -> None:
    field, number, shown = NUMBER_DOCUMENTS[name]
    document = {**examples()[0], field: number}
    with pytest.raises(ValidationError) as excinfo:
        reader(document)
    (error,) = excinfo.value.errors()
    assert error["loc"] == (field,)
    assert error["type"] == "quantity_string"
    assert error["msg"] == f"must be a string in plain decimal notation, got the number {shown}"


QUANTITIES = st.decimals(
    min_value=Decimal("0.00000001"), max_value=Decimal("999999999999"), places=8
)


@given(QUANTITIES, QUANTITIES, st.integers(min_value=1, max_value=12), st.booleans())
def test_fills_are_exact_in_any_precision(
    filled: Decimal, fill: Decimal, precision: int, trap_inexact: bool
) -> None:
    target = Decimal("999999999999.99999999")
    group = new_twap(target_quantity=target, filled_quantity=filled)
    exact = filled + fill  # the default context is exact here: at most 21 digits
    remaining = target - exact
    traps = [decimal.Inexact] if trap_inexact else []
    with hostile_context(prec=precision, traps=traps):
        if exact > target:
            with pytest.raises(ValidationError):
                group.record_fill(fill)
            assert group.filled_quantity == filled
        else:
            group.record_fill(fill)
            assert group.filled_quantity == exact
            assert group.remaining_quantity == remaining
