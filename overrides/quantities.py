"""Decimal quantities: plain-notation strings in JSON, ``Decimal`` in Python.

A quantity is valid when its plain-notation text (sign aside) matches the schema's
``Quantity`` pattern: at most 12 integer digits and 8 decimal places. Floats are taken
only when exactly representable there (``0.5`` yes, ``0.1`` no: its binary value is not
0.1). Sign rules belong to the fields (``target_quantity`` > 0, ``filled_quantity`` >= 0)
so that each reports the contract's own message.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, SchemaValidator, core_schema

from ._generated.rule_catalogue import MESSAGES
from .contract import pattern, schema
from .errors import rule_error

__all__ = ["Quantity", "parse_quantity", "plain"]

_PATTERN = pattern("Quantity")
_FORM = re.compile(_PATTERN)

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


def _fits(value: Decimal) -> bool:
    """Whether the plain text of ``value`` (sign aside) is of the schema's ``Quantity`` form."""
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
        return _checked(value, value)
    if isinstance(value, bool):
        raise rule_error("quantity_type", kind="bool")
    if isinstance(value, int):
        return _checked(Decimal(value), value)
    if isinstance(value, float):
        exact = Decimal(value)
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
