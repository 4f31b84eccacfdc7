"""The JSON verdict for a decoded JSON value, and I-JSON errors for JSON text.

``ExecutionGroup.from_document(value)`` judges a value another library already decoded
(``json.loads``, a message deserializer) as its JSON text would be judged: quantities and
timestamps must be strings (``model_validate`` would take ``100`` for ``"100"``), only
JSON's types are taken (a tuple is an array, as ``json.dumps`` writes it; a ``Decimal``,
a set or a datetime is no JSON value), and the I-JSON rules hold. The value is copied,
so the group shares nothing with it.

``model_validate_json`` keeps pydantic-core's parser (fast) and, on the error path only,
turns the parser's own refusals of I-JSON breaches (a lone surrogate escape, nesting past
its limit, a number beyond a double) into the contract's rule codes by reading the text
again with ``json.loads`` and judging the value with ``from_document``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .errors import contract_error, details, violation
from .metadata import MAX_DEPTH, Refused, Walk
from .quantities import QUANTITY_NUMBER_MESSAGE

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = ["decoded_document", "json_error"]

QUANTITY_FIELDS = ("target_quantity", "filled_quantity")

_DOCUMENT = Walk(depth=MAX_DEPTH + 1, decimals=False, arrays=(list, tuple), read_only=False)
"""A document's walk: ``metadata`` is one step below the top, so its bound is the same."""

_REREAD = frozenset({"json_invalid", "string_unicode", "metadata_json"})
"""Error types of pydantic-core's JSON path that may hide an I-JSON breach."""


def _number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _quantity_error(field: str, value: Any) -> Any:
    if _number(value):
        return violation(
            (field,), "quantity_string", QUANTITY_NUMBER_MESSAGE, value, {"number": repr(value)}
        )
    return None


def decoded_document(value: object) -> Any:
    """A checked plain copy of the JSON value ``value``, ready for ``model_validate``."""
    try:
        document = _DOCUMENT.copy(value)
    except Refused as refused:
        raise contract_error(
            [violation(refused.path, refused.rule, refused.message, None, refused.context)]
        ) from None
    if isinstance(document, dict):
        errors = [
            error
            for field in QUANTITY_FIELDS
            if (error := _quantity_error(field, document.get(field))) is not None  # pyright: ignore[reportUnknownMemberType,reportUnknownArgumentType]
        ]
        if errors:
            raise contract_error(errors)
    return document


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _reread(model: type[ExecutionGroup], data: str | bytes | bytearray) -> ValidationError | None:
    """``from_document``'s errors for ``data`` decoded by ``json.loads``; None if it cannot."""
    try:
        value = json.loads(data, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return None
    try:
        model.from_document(value)
    except ValidationError as exc:
        return exc
    return None


def json_error(
    model: type[ExecutionGroup], data: str | bytes | bytearray, exc: ValidationError
) -> ValidationError:
    """The error ``model_validate_json`` reports: ``exc``, with the contract's codes where
    pydantic-core's parser speaks of its own limits or a JSON number stands for a quantity."""
    errors = exc.errors(include_url=False)
    if any(error["type"] in _REREAD for error in errors):
        better = _reread(model, data)
        if better is not None:
            return better
    if not any(error["type"] == "quantity_form" and _number(error["input"]) for error in errors):
        return exc
    rewritten = details(exc)
    for index, error in enumerate(errors):
        field = error["loc"][0] if error["loc"] else None
        if error["type"] == "quantity_form" and isinstance(field, str):
            found = _quantity_error(field, error["input"])
            if found is not None:
                rewritten[index] = found
    return contract_error(rewritten)
