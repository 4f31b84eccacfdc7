"""The JSON verdict for a decoded JSON value, and I-JSON errors for JSON text.

``ExecutionGroup.from_document(value)`` judges a value another library already decoded
(``json.loads``, a message deserializer) as its JSON text would be judged: quantities and
timestamps must be strings (``model_validate`` would take ``100`` for ``"100"``), only
JSON's types are taken (a tuple is an array, as ``json.dumps`` writes it; a ``Decimal``,
a set or a datetime is no JSON value), and the I-JSON rules hold. The value is copied,
so the group shares nothing with it.

``model_validate_json`` keeps pydantic-core's parser (fast) and, on the error path only,
reads the text again with ``json.loads`` and judges the value with ``from_document``
where the parser's refusal is about I-JSON (a lone surrogate escape, nesting past its
limit, a number beyond a double) or about a duplicate member name: so the contract's
rule codes are reported, and the last of duplicate member names wins on every path.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError

from .errors import contract_error, details, violation
from .metadata import MAX_DEPTH, Refused, Walk
from .quantities import QUANTITY_NUMBER_MESSAGE

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = ["decoded_document", "json_verdict"]

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


def _reread(model: type[ExecutionGroup], data: str | bytes | bytearray) -> Any:
    """``from_document`` on ``data`` decoded by ``json.loads``: a group, or its error.

    ``None`` when ``json.loads`` cannot decode ``data`` as JSON text in UTF-8 either.
    """
    try:
        text = data if isinstance(data, str) else bytes(data).decode("utf-8")
        value = json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return None
    try:
        return model.from_document(value)
    except ValidationError as exc:
        return exc


def json_verdict(
    model: type[ExecutionGroup], data: str | bytes | bytearray, exc: ValidationError
) -> ExecutionGroup:
    """What ``model_validate_json`` gives when pydantic-core refused ``data`` with ``exc``.

    Where the parser speaks of its own limits (a lone surrogate escape, its nesting
    limit), of a number beyond a double, or checked a value a later duplicate member
    name replaces (pydantic-core validates every duplicate of a metadata member; JSON
    readers keep the last), ``from_document`` on ``json.loads`` output decides: the
    contract's rule codes, and the last duplicate wins. A JSON number where a quantity
    belongs is reported as such. Otherwise ``exc`` stands.
    """
    errors = exc.errors(include_url=False)
    if any(error["type"] in _REREAD or error["loc"][:1] == ("metadata",) for error in errors):
        verdict = _reread(model, data)
        if isinstance(verdict, ValidationError):
            raise verdict from None
        if verdict is not None:
            return cast("ExecutionGroup", verdict)
    if not any(error["type"] == "quantity_form" and _number(error["input"]) for error in errors):
        raise exc from None
    rewritten = details(exc)
    for index, error in enumerate(errors):
        field = error["loc"][0] if error["loc"] else None
        if error["type"] == "quantity_form" and isinstance(field, str):
            found = _quantity_error(field, error["input"])
            if found is not None:
                rewritten[index] = found
    raise contract_error(rewritten) from None
