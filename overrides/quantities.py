"""Decimal quantities: plain-notation strings in JSON, ``Decimal`` in Python.

A quantity is valid when its plain-notation text (sign aside) matches the schema's
``Quantity`` pattern: at most 12 integer digits and 8 decimal places. Floats are taken
only when exactly representable there (``0.5`` yes, ``0.1`` no: its binary value is not
0.1). Sign rules belong to the fields (``target_quantity`` > 0, ``filled_quantity`` >= 0)
so that each reports the contract's own message.

Every ``Decimal`` operation of the package runs here, in one private context (28 digits,
half-even, no trap a quantity can reach), never in the caller's thread context: under
``localcontext(prec=6)`` a fill of 0.00000001 on 1.5 is not rounded away, and a caller's
``Inexact`` or ``FloatOperation`` trap never escapes from a lifecycle method. Sums and
differences of quantities are exact at 28 digits (they have at most 21).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, SchemaValidator, core_schema

from ._generated.rule_catalogue import MESSAGES
from .contract import pattern, schema
from .errors import rule_error

__all__ = [
    "Quantity",
    "add",
    "parse_quantity",
    "plain",
    "plain_length",
    "ratio",
    "subtract",
]

_PATTERN = pattern("Quantity")
_FORM = re.compile(_PATTERN)

_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[], capitals=1)
_LIMIT = 10**12
"""Quantities stay below this (12 integer digits)."""
_PLACES = -8
"""The smallest exponent a quantity may have (8 decimal places)."""

_TEXT_SCHEMA = core_schema.custom_error_schema(
    core_schema.no_info_after_validator_function(
        Decimal, core_schema.str_schema(pattern=_PATTERN, strict=True)
    ),
    custom_error_type="quantity_form",
    custom_error_message=MESSAGES["quantity_form"],
)
_TEXT = SchemaValidator(_TEXT_SCHEMA)


def plain(value: Decimal) -> str:
    """Plain notation, never an exponent, never a negative zero.

    ``str`` already gives that for most quantities and costs a third of ``format``: it
    writes an exponent only for tiny or exponent-given values (``1E-8``, ``1E+2``; ``1e-8``
    when the thread's decimal context has ``capitals=0``).
    """
    text = str(value)
    if "E" in text or "e" in text or (text[0] == "-" and value.is_zero()):
        return format(value.copy_abs() if value.is_zero() else value, "f")
    return text


def plain_length(value: Decimal) -> int:
    """How many characters ``plain(value)`` writes, computed without writing it (finite only)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    if not any(digits):  # zero: no sign, and as many places as its exponent says
        return 1 if exponent >= 0 else 2 - exponent
    count = len(digits)
    if exponent >= 0:
        return sign + count + exponent
    places = -exponent
    return sign + max(count - places, 1) + 1 + places


def add(left: Decimal, right: Decimal) -> Decimal:
    """``left + right``, exact, whatever the caller's decimal context."""
    return _CONTEXT.add(left, right)


def subtract(left: Decimal, right: Decimal) -> Decimal:
    """``left - right``, exact, whatever the caller's decimal context."""
    return _CONTEXT.subtract(left, right)


def ratio(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole`` to 28 significant digits, whatever the caller's decimal context."""
    return _CONTEXT.divide(part, whole)


def _fits(value: Decimal) -> bool:
    """Whether the plain text of ``value`` (sign aside) is of the schema's ``Quantity`` form.

    The exponent is checked first, so that ``Decimal("1e999999999")`` is refused at once
    instead of being written out in a gigabyte of digits.
    """
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if exponent < _PLACES or (not value.is_zero() and value.adjusted() >= 12):
        return False
    return _FORM.fullmatch(plain(value.copy_abs())) is not None


def _checked(value: Decimal, given: Any) -> Decimal:
    if not value.is_finite():
        raise rule_error("quantity_finite", value=str(given))
    if not _fits(value):
        raise rule_error("quantity_form")
    return value


def parse_quantity(value: Any) -> Decimal:
    """Validate a Python value as a quantity (sign not checked here)."""
    if isinstance(value, Decimal):
        exact = value if type(value) is Decimal else Decimal(value)  # pylint: disable=unidiomatic-typecheck
        return _checked(exact, value)
    if isinstance(value, bool):
        raise rule_error("quantity_type", kind="bool")
    if isinstance(value, int):
        number = int.__int__(value)
        if not -_LIMIT < number < _LIMIT:
            raise rule_error("quantity_form")
        return _checked(Decimal(number), value)
    if isinstance(value, float):
        exact = Decimal.from_float(float.__float__(value))
        if exact.is_finite() and not _fits(exact):
            raise rule_error("quantity_float_inexact", value=repr(value))
        return _checked(exact, value)
    if isinstance(value, str):
        result: Decimal = _TEXT.validate_python(value)
        return result
    raise rule_error("quantity_type", kind=type(value).__name__)


class _QuantityMarker:
    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, _handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.json_or_python_schema(
            json_schema=_TEXT_SCHEMA,
            python_schema=core_schema.no_info_plain_validator_function(parse_quantity),
            serialization=core_schema.plain_serializer_function_ser_schema(plain, when_used="json"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, _core: CoreSchema, _handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return dict(schema()["$defs"]["Quantity"])


Quantity = Annotated[Decimal, _QuantityMarker]
"""A quantity: ``Decimal`` in Python, a plain-notation string in JSON."""
