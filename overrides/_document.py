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
import math
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError
from pydantic_core import ErrorDetails, SchemaValidator

from .errors import contract_error, details, violation
from .metadata import MAX_DEPTH, MAX_DOUBLE_INT, Refused, Walk

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = ["from_document", "json_verdict", "judge_decoded"]

QUANTITY_FIELDS = ("target_quantity", "filled_quantity")
TIMESTAMP_FIELDS = ("created_at", "updated_at", "cancelled_at", "completed_at")
_OPTIONAL = frozenset({*QUANTITY_FIELDS, "cancelled_at", "completed_at"})

_DOCUMENT = Walk(depth=MAX_DEPTH + 1, decimals=False, arrays=(list, tuple), read_only=False)
"""A document's walk: ``metadata`` is one step below the top, so its bound is the same."""

_REREAD = frozenset({"json_invalid", "string_unicode", "metadata_json"})
"""Error types of pydantic-core's JSON path that may hide an I-JSON breach, or a metadata
member a later duplicate replaces (pydantic-core checks every duplicate there)."""


def _number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _quantity_error(field: str, value: Any) -> Any:
    if _number(value):
        return violation("quantity_string", (field,), value, {"number": repr(value)})
    return violation("quantity_form", (field,), value)


def _not_text(document: dict[str, Any]) -> dict[str, Any]:
    """Quantities and timestamps that are not strings (nor an allowed null), and metadata
    that is not an object, by field: reported as their JSON text is (``model_validate``
    would take numbers, ``Decimal`` and ``datetime`` objects, and says ``metadata_type``)."""
    found: dict[str, Any] = {}
    for field in (*QUANTITY_FIELDS, *TIMESTAMP_FIELDS):
        value = document.get(field, "")
        if not (isinstance(value, str) or (value is None and field in _OPTIONAL)):
            found[field] = value
    metadata = document.get("metadata")
    if not (metadata is None or isinstance(metadata, dict)):
        found["metadata"] = metadata
    return found


def _as_json_reports(exc: ValidationError, replaced: dict[str, Any]) -> ValidationError:
    """``exc`` with each replaced field's error about its real value, as JSON reports it."""
    errors = details(exc)
    for index, error in enumerate(exc.errors(include_url=False)):
        field = error["loc"][0] if error["loc"] else None
        if not isinstance(field, str) or field not in replaced:
            continue
        if field in QUANTITY_FIELDS:
            errors[index] = _quantity_error(field, replaced[field])
        elif field == "metadata":
            errors[index] = violation("dict_type", (field,), replaced[field])
        else:
            errors[index] = violation("utc_timestamp_form", (field,), replaced[field])
    return contract_error(errors)


def _json_branches(node: Any) -> Any:
    """A core schema that takes a Python value as its JSON text would be taken.

    Each ``json_or_python`` choice becomes its JSON side (quantities and timestamps as
    strings, metadata as strict JSON types), and every list and dict is strict (no
    tuple, set or other mapping: ``json.dumps`` writes no such thing, or none at all).
    """
    if isinstance(node, list):
        return [_json_branches(item) for item in node]  # pyright: ignore[reportUnknownVariableType]
    if not isinstance(node, dict):
        return node
    if node.get("type") == "json-or-python":
        return _json_branches(node["json_schema"])
    converted = {key: _json_branches(item) for key, item in node.items()}  # pyright: ignore[reportUnknownVariableType]
    if converted.get("type") in ("list", "dict"):
        converted["strict"] = True
    return converted


@cache
def _json_semantics(model: type[ExecutionGroup]) -> SchemaValidator:
    return SchemaValidator(_json_branches(model.__pydantic_core_schema__))


def _plain_tree(metadata: object) -> bool:
    """Whether the caller's ``metadata`` may take the fast path: a tree (no list or dict
    reached twice, so pydantic-core's copy is linear in its JSON size), no value deeper
    than ``MAX_DEPTH``, and no lone surrogate (pydantic-core does not check Python
    strings). Reads what containers really hold, as pydantic-core does."""
    if type(metadata) is not dict:
        return True  # None, or refused by the fast path's own schema
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(metadata, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            return False
        seen.add(id(node))
        pairs: Any = dict.items(node) if isinstance(node, dict) else enumerate(node)
        for key, item in pairs:
            if isinstance(key, str) and not _text_ok(key):
                return False
            if isinstance(item, str):
                if not _text_ok(item):
                    return False
            elif isinstance(item, (dict, list)):
                if depth >= MAX_DEPTH:
                    return False
                stack.append((item, depth + 1))
    return True


def _text_ok(text: str) -> bool:
    if str.isascii(text):
        return True
    try:
        str.encode(text, "utf-8")
    except UnicodeEncodeError:
        return False
    return True


def from_document(model: type[ExecutionGroup], value: object) -> ExecutionGroup:
    """The group ``value`` describes, judged as its JSON text would be (see the module).

    Fast path: the model's own core schema with its JSON sides, run on the Python value
    (no text written, no text parsed), once the metadata is known to be a well-formed tree.
    Anything it refuses goes to ``judge_decoded``, which reports what the JSON path
    reports, by the same rule codes.
    """
    if type(value) is dict and _plain_tree(value.get("metadata")):  # pyright: ignore[reportUnknownMemberType]
        try:
            return cast("ExecutionGroup", _json_semantics(model).validate_python(value))
        except ValidationError:
            pass
    return judge_decoded(model, value)


def judge_decoded(model: type[ExecutionGroup], value: object) -> ExecutionGroup:
    """``from_document`` checked in Python: JSON types, I-JSON, strings where JSON has them."""
    try:
        document = _DOCUMENT.copy(value)
    except Refused as refused:
        raise contract_error(
            [violation(refused.rule, refused.path, None, refused.context_at(()))]
        ) from None
    replaced = _not_text(document) if isinstance(document, dict) else {}  # pyright: ignore[reportUnknownArgumentType]
    for field in replaced:
        if field != "metadata":
            document[field] = ""  # refused by the field's own pattern, reported as JSON would
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        if not replaced:
            raise
        raise _as_json_reports(exc, replaced) from None


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
        return judge_decoded(model, value)
    except ValidationError as exc:
        return exc


def _may_hide_a_json_rule(error: ErrorDetails) -> bool:
    """Whether an error of pydantic-core's JSON path may stand for an I-JSON breach or a
    replaced duplicate member (``from_document`` on ``json.loads`` output then decides)."""
    return error["type"] in _REREAD or _beyond_double(error["input"])


def _beyond_double(found: Any) -> bool:
    """Whether a value pydantic-core read from JSON holds a number beyond a double."""
    stack = [found]
    while stack:
        item = stack.pop()
        if type(item) is int:
            if not -MAX_DOUBLE_INT <= item <= MAX_DOUBLE_INT:
                return True
        elif type(item) is float:
            if not math.isfinite(item):
                return True
        elif type(item) is list:
            stack.extend(item)  # pyright: ignore[reportUnknownArgumentType]
        elif type(item) is dict:
            stack.extend(item.values())  # pyright: ignore[reportUnknownArgumentType,reportUnknownMemberType]
    return False


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
    if any(_may_hide_a_json_rule(error) for error in errors):
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
        if error["type"] == "quantity_form" and isinstance(field, str) and _number(error["input"]):
            rewritten[index] = _quantity_error(field, error["input"])
    raise contract_error(rewritten) from None
