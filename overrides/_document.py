"""The JSON verdict for a decoded JSON value, and I-JSON errors for JSON text.

``ExecutionGroup.from_document(value)`` judges a value another library already decoded
(``json.loads``, a message deserializer) as its JSON text would be judged, on every JSON
value: quantities and timestamps must be strings (``model_validate`` would take ``100`` for
``"100"``), only JSON's types are taken (a subclass read as its base; a tuple is an array,
as ``json.dumps`` writes it), and the I-JSON rules hold. What no JSON text decodes to (a
``Decimal``, a ``UserString``, a set, a member name that is no string: ``json.dumps``
refuses some and silently rewrites others) is refused where it sits, beside the other
errors, so its errors do not depend on what else is wrong. The value is copied,
so the group shares nothing with it. A valid value takes the fast path (the model's
JSON-side schema run on the value itself); a refused one is judged again the careful way
(``judge_decoded``), so that it gets the very errors its JSON text gets.

``model_validate_json`` keeps pydantic-core's parser (fast) and, on the error path only,
reads the text again with ``json.loads`` and judges the value with ``from_document``
where the parser's refusal is about I-JSON (a lone surrogate escape, nesting past its
limit, a number beyond a double) or about a duplicate member name: so the contract's
rule codes are reported, and the last of duplicate member names wins on every path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError
from pydantic_core import ErrorDetails, InitErrorDetails, SchemaValidator

from ._limits import MAX_DEPTH, MAX_DOUBLE_INT, TEXT_UNIT
from ._nesting import nests_beyond, read_nesting
from ._readonly import held_items, held_values
from ._refused import Refused
from ._walk import Walk, well_formed
from .errors import contract_error, details, problem, violation

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = ["from_document", "json_verdict", "judge_decoded"]

_NO_OPTIONS: Mapping[str, Any] = MappingProxyType({})
"""``model_validate_json``'s options when none is given (``strict``, ``extra``, ``context``,
...): a JSON text read again is read with the caller's options."""

_DOCUMENT = Walk(depth=MAX_DEPTH + 1, decimals=False, arrays=(list, tuple), read_only=False)
"""A document's walk: ``metadata`` is one step below the top, so its bound is the same.

A decoded infinity is refused as ``ijson_number_range``: JSON text yields one only for a
number beyond a double (``1e400``), which is what every reader calls it. ``Infinity`` is no
JSON text (the text readers say ``metadata_json`` there), but ``json.loads`` reads it to
the same float, so a decoded value cannot tell the two apart. NaN comes from no JSON text:
``metadata_json``, as the text readers say for ``NaN``."""

_SCALARS = (str, int, float, type(None))
"""What a decoded JSON scalar is (``bool`` is an ``int``); a subclass is read as its base."""

_EXACT = frozenset({dict, list, str, int, float, bool, type(None)})
"""The exact types the fast path takes; a subclass or tuple goes the careful way."""

_EVERY_MEMBER_REFUSES: Any = [[]]
"""Stands in for a member holding a stray, so the rest is judged member by member (a
member's error keeps the model's own rules from running, as any member's error does)."""

_REREAD = frozenset({"json_invalid", "string_unicode", "metadata_json"})
"""Error types of pydantic-core's JSON path that may hide an I-JSON breach, or a metadata
member a later duplicate replaces (pydantic-core checks every duplicate there)."""


def _number(value: Any) -> bool:
    """A JSON number as Python reads it (a bool is no number here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _json_branches(node: Any) -> Any:
    """A core schema that takes a Python value as its JSON text would be taken.

    Each ``json_or_python`` choice becomes its JSON side (quantities and timestamps as
    strings, metadata as strict JSON types), and every list and dict is strict (no
    tuple, set or other mapping: ``json.dumps`` writes no such thing, or none at all).
    """
    if isinstance(node, list):
        return [_json_branches(item) for item in held_values(cast(Any, node))]
    if not isinstance(node, dict):
        return node
    schema = cast(dict[str, Any], node)
    if schema.get("type") == "json-or-python":
        return _json_branches(schema["json_schema"])
    converted = {key: _json_branches(item) for key, item in schema.items()}
    if converted.get("type") in ("list", "dict"):
        converted["strict"] = True
    return converted


@cache
def _json_semantics(model: type[ExecutionGroup]) -> SchemaValidator:
    return SchemaValidator(_json_branches(model.__pydantic_core_schema__))


def _plain_tree(document: dict[str, Any]) -> bool:
    """Whether ``document`` may take the fast path: exact JSON types only (pydantic-core
    would take a ``UserString`` for an enum, a ``Decimal`` or ``Fraction`` for a float),
    and plain metadata (``_plain_metadata``). The other members' own schemas refuse the
    rest (their strings have patterns; a ``str`` subclass is read as a ``str``)."""
    if not set(map(type, document.values())) <= _EXACT:
        return False
    metadata = document.get("metadata")
    if type(metadata) is not dict:  # pylint: disable=unidiomatic-typecheck
        return True  # None, or refused by the fast path's own schema
    return _plain_metadata(cast(dict[str, Any], metadata))


def _plain_metadata(metadata: dict[str, Any]) -> bool:
    """Whether ``metadata`` holds exact JSON types only, as a tree (no list, dict or long
    string reached twice, so its JSON size is linear in its own), with no value deeper
    than ``MAX_DEPTH`` and no lone surrogate (pydantic-core does not check Python
    strings)."""
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(metadata, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            return False
        seen.add(id(node))
        pairs = held_items(node) if type(node) is dict else enumerate(held_values(node))  # pyright: ignore[reportUnknownArgumentType]  # pylint: disable=unidiomatic-typecheck
        for key, item in pairs:
            if type(key) is not str or not _fresh_text(key, seen):  # pylint: disable=unidiomatic-typecheck
                return False
            kind: type[Any] = type(item)  # pyright: ignore[reportUnknownVariableType]
            if kind is dict or kind is list:
                if depth >= MAX_DEPTH:
                    return False
                stack.append((item, depth + 1))
            elif kind not in _EXACT or (kind is str and not _fresh_text(item, seen)):
                return False
    return True


def _fresh_text(text: str, seen: set[int]) -> bool:
    """Whether ``text`` is well-formed, and not a long string reached before (the careful
    path then counts what its JSON would write)."""
    if len(text) >= TEXT_UNIT:
        if id(text) in seen:
            return False
        seen.add(id(text))
    return well_formed(text)


def _strays(value: Any) -> list[Refused]:
    """Every place in ``value`` holding what no JSON text decodes to, in document order:
    a value of another type (``Decimal``, ``Fraction``, ``UserString``, a set, ...) or a
    member name that is not a string. Each container is read once, to the walk's depth."""
    found: list[Refused] = []
    seen: set[int] = set()
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:
        path, node = stack.pop()
        if _is_container(node):
            if id(node) in seen or len(path) > _DOCUMENT.depth:
                continue  # reached already, or too deep: the walk refuses that
            seen.add(id(node))
            stack.extend(reversed(_members(path, node, found)))
        elif not isinstance(node, _SCALARS):
            found.append(
                Refused(
                    path,
                    "metadata_json",
                    problem=problem(
                        "metadata_json", "stray_value", what=f"a {type(node).__name__}"
                    ),
                )
            )
    return found


def _is_container(node: Any) -> bool:
    return isinstance(node, (dict, list, tuple))


def _members(
    path: tuple[str | int, ...], node: Any, found: list[Refused]
) -> list[tuple[tuple[str | int, ...], Any]]:
    """A container's members with their paths; a member name that is no string is a stray."""
    if isinstance(node, dict):
        members: list[tuple[tuple[str | int, ...], Any]] = []
        for key, item in held_items(cast(Any, node)):
            if isinstance(key, str):
                members.append(((*path, str.__str__(key)), item))
            else:
                found.append(
                    Refused(
                        path,
                        "metadata_json",
                        problem=problem("metadata_json", "key_not_text", key=repr(key)),
                    )
                )
        return members
    items = (
        held_values(node)  # pyright: ignore[reportUnknownArgumentType]
        if isinstance(node, list)
        else iter(cast(tuple[Any, ...], node))
    )
    return [((*path, index), item) for index, item in enumerate(items)]


def from_document(model: type[ExecutionGroup], value: object) -> ExecutionGroup:
    """The group ``value`` describes, judged as its JSON text would be (see the module).

    Fast path: the model's own core schema with its JSON sides, run on the Python value
    (no text written, no text parsed), once the metadata is known to be a well-formed tree.
    Anything it refuses goes to ``judge_decoded``, which reports what the JSON path
    reports, by the same rule codes.
    """
    if type(value) is dict and _plain_tree(cast(dict[str, Any], value)):  # pylint: disable=unidiomatic-typecheck
        try:
            return cast("ExecutionGroup", _json_semantics(model).validate_python(value))
        except ValidationError:
            pass
    return judge_decoded(model, cast(Any, value))


def judge_decoded(
    model: type[ExecutionGroup], value: object, options: Mapping[str, Any] = _NO_OPTIONS
) -> ExecutionGroup:
    """``from_document`` the careful way, with the JSON path's own errors.

    What is no JSON value is refused at every place it sits, and the rest of the document
    is judged beside it, so these errors are the same whatever else is wrong. Then the
    walk refuses the I-JSON breaches and hostile sizes, by rule code, and makes a plain
    copy; pydantic-core reads that copy's text, so every other error is the one
    ``model_validate_json`` reports, word for word.
    """
    strays = _strays(value)
    if strays:
        raise contract_error(
            [
                *(
                    violation(stray.rule, stray.path, None, stray.context_at(()))
                    for stray in strays
                ),
                *_other_errors(model, value, strays, options),
            ]
        )
    try:
        document = _DOCUMENT.copy(value)
    except Refused as refused:
        raise contract_error(
            [violation(refused.rule, refused.path, None, refused.context_at(()))]
        ) from None
    try:
        return cast(
            "ExecutionGroup",
            model.__pydantic_validator__.validate_json(json.dumps(document), **options),
        )
    except ValidationError as exc:
        raise _numbers_named(exc) from None


def _other_errors(
    model: type[ExecutionGroup], value: Any, strays: list[Refused], options: Mapping[str, Any]
) -> list[InitErrorDetails]:
    """The errors of the members of ``value`` that hold no stray (none if it is no dict)."""
    if not isinstance(value, dict):
        return []
    held = {stray.path[0] for stray in strays if stray.path}
    held_at = {(key,) for key in held}
    rest = {
        key: _EVERY_MEMBER_REFUSES if key in held else item
        for key, item in held_items(cast(Any, value))
        if isinstance(key, str)
    }
    try:
        judge_decoded(model, rest, options)
    except ValidationError as exc:
        return [error for error in details(exc) if error.get("loc", ("",))[:1] not in held_at]
    return []


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _reread(
    model: type[ExecutionGroup], data: str | bytes | bytearray, options: Mapping[str, Any]
) -> Any:
    """``from_document`` on ``data`` decoded by ``json.loads``: a group, or its error.

    ``None`` when ``json.loads`` cannot decode ``data`` as JSON text in UTF-8 either.
    Text nested past the bound is read without recursion (``_nesting``), so its
    ``ijson_depth`` does not depend on how deep the caller's stack already is.
    """
    try:
        text = data if isinstance(data, str) else bytes(data).decode("utf-8")
    except ValueError:
        return None
    if nests_beyond(text, _DOCUMENT.depth):
        nesting = read_nesting(text, _DOCUMENT.depth)
        if not nesting.well_formed:
            return None
        if nesting.too_deep is not None:
            return contract_error(
                [violation("ijson_depth", nesting.too_deep, None, {"limit": MAX_DEPTH})]
            )
    try:
        value = json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return None
    try:
        return judge_decoded(model, value, options)
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
        if isinstance(item, int):
            if not -MAX_DOUBLE_INT <= item <= MAX_DOUBLE_INT:
                return True
        elif isinstance(item, float):
            if not math.isfinite(item):
                return True
        elif isinstance(item, list):
            stack.extend(held_values(cast(Any, item)))
        elif isinstance(item, dict):
            stack.extend(value for _, value in held_items(cast(Any, item)))
    return False


def json_verdict(
    model: type[ExecutionGroup],
    data: str | bytes | bytearray,
    exc: ValidationError,
    options: Mapping[str, Any] = _NO_OPTIONS,
) -> ExecutionGroup:
    """What ``model_validate_json`` gives when pydantic-core refused ``data`` with ``exc``.

    Where the parser speaks of its own limits (a lone surrogate escape, its nesting
    limit), of a number beyond a double, or checked a value a later duplicate member
    name replaces (pydantic-core validates every duplicate of a metadata member; JSON
    readers keep the last), ``from_document`` on ``json.loads`` output decides: the
    contract's rule codes, and the last duplicate wins. A JSON number where a quantity
    belongs is reported as such. Otherwise ``exc`` stands. The text read again is read with
    the caller's ``options`` (``strict``, ``extra``, ``context``, ...).
    """
    if not isinstance(cast(object, data), (str, bytes, bytearray)):
        raise exc  # no text at all: pydantic-core's json_type stands
    errors = exc.errors(include_url=False)
    if any(_may_hide_a_json_rule(error) for error in errors):
        verdict = _reread(model, data, options)
        if isinstance(verdict, ValidationError):
            raise verdict from None
        if verdict is not None:
            return cast("ExecutionGroup", verdict)
    raise _numbers_named(exc) from None


def _numbers_named(exc: ValidationError) -> ValidationError:
    """``exc``, with a JSON number where a quantity string belongs reported as such."""
    errors = exc.errors(include_url=False)
    if not any(error["type"] == "quantity_form" and _number(error["input"]) for error in errors):
        return exc
    rewritten = details(exc)
    for index, error in enumerate(errors):
        field = error["loc"][0] if error["loc"] else None
        if error["type"] == "quantity_form" and isinstance(field, str) and _number(error["input"]):
            rewritten[index] = violation(
                "quantity_string", (field,), error["input"], {"number": repr(error["input"])}
            )
    return contract_error(rewritten)
