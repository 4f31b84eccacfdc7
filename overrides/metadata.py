"""Strategy metadata: any JSON object, and only what JSON can carry unchanged.

Pydantic would quietly write NaN as ``null``, a set as a list and a tuple as a list, so a
group would not read back as it was written. Such values are refused where they enter.
``Decimal`` is allowed (the design's examples use it) and written as a plain-notation
string; that is the one change a JSON round trip makes to metadata.

From JSON text the check runs in pydantic-core: its parser already refuses lone
surrogates and yields only dicts with string keys, lists, strings, numbers, booleans and
null, so what is left to refuse is NaN and Infinity (``NaN``, ``Infinity``, ``1e400``),
which a recursive union of strict JSON types with a finite float rejects. From Python the
walk below runs, which also refuses sets, tuples, non-string keys and other objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema
from typing_extensions import TypeAliasType

from .errors import rule_error
from ._generated.rule_catalogue import MESSAGES
from .quantities import plain

__all__ = ["MAX_DEPTH", "Metadata", "check_json_object"]

MAX_DEPTH = 199
"""Most keys and indexes on the way from ``metadata`` down to any value in it.

It is what pydantic's JSON parser admits there (its limit of 200 counts the document
too), so a group built in Python can always be written and read back. Deeper is refused
from JSON and from Python alike.
"""

_SCALARS = (str, int, type(None))
_PLAIN = frozenset({str, int, float, bool, type(None)})


class _JsonValueMarker:
    """One JSON value from JSON text: a left-to-right union of strict JSON types, in Rust."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.union_schema(
            [
                core_schema.str_schema(strict=True),
                core_schema.int_schema(strict=True),
                core_schema.float_schema(strict=True, allow_inf_nan=False),
                core_schema.bool_schema(strict=True),
                core_schema.none_schema(),
                handler.generate_schema(dict[str, _JsonValue]),
                handler.generate_schema(list[_JsonValue]),
            ],
            mode="left_to_right",
            custom_error_type="metadata_json",
            custom_error_message=MESSAGES["metadata_json"],
            custom_error_context={
                "where": "metadata",
                "problem": "NaN and Infinity are not JSON (nor is a number too large for a "
                "double); use null or a number",
            },
        )


_JsonValue = TypeAliasType("_JsonValue", Annotated[Any, _JsonValueMarker])
"""Recursive through the alias, so that pydantic keeps the definition for the references."""


_Step = tuple[Any, str | int]
"""Where a value sits: (the step of its container, its key or index); ``None`` is the top."""

_Node = dict[Any, Any] | list[Any] | str | int | float | Decimal | None
"""A value met in a walk, as the walk sees it (anything else falls to the scalar check).

Declared rather than ``Any`` so that ``isinstance`` narrows to typed containers."""


def _reject(step: _Step | None, message: str, **context: Any) -> PydanticCustomError:
    path: list[str | int] = []
    while step is not None:
        step, key = step
        path.append(key)
    where = "metadata" + "".join(f"[{key!r}]" for key in reversed(path))
    return rule_error("metadata_json", where=where, problem=message.format(**context))


def _check_scalar(path: _Step | None, node: Any) -> None:
    """Raise unless ``node`` is a string, number, bool or None that JSON carries unchanged."""
    if isinstance(node, str):
        try:
            node.encode("utf-8")
        except UnicodeEncodeError:
            raise _reject(path, "text with a lone surrogate is not valid JSON") from None
    elif isinstance(node, _SCALARS):
        return
    elif isinstance(node, float):
        if not math.isfinite(node):
            raise _reject(path, "{value} is not JSON; use null or a number", value=repr(node))
    elif isinstance(node, Decimal):
        if not node.is_finite():
            raise _reject(path, "{value} is not JSON; use null or a number", value=str(node))
    else:
        raise _reject(path, "a {kind} cannot be written as JSON", kind=type(node).__name__)


def check_json_object(value: Any) -> dict[str, Any]:
    """Return ``value`` unchanged when it is a dict JSON can carry; raise otherwise.

    Walks iteratively, with each value's place kept as a link to its container's, so
    the walk costs O(size) whatever the depth; nesting past ``MAX_DEPTH`` is refused.
    """
    document: _Node = value
    if not isinstance(document, dict):
        raise rule_error("metadata_type", kind=type(value).__name__)
    stack: list[tuple[_Step | None, _Node, int]] = [(None, document, 0)]
    while stack:
        step, node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _reject(step, "nested deeper than {limit} levels", limit=MAX_DEPTH)
        if isinstance(node, dict):
            for key, item in node.items():
                if not isinstance(key, str):
                    raise _reject(step, "key {key} is not a string", key=repr(key))
                stack.append(((step, key), item, depth + 1))
        elif isinstance(node, list):
            stack.extend(((step, index), item, depth + 1) for index, item in enumerate(node))
        else:
            _check_scalar(step, node)
    return document


def _only_plain_json(value: dict[str, Any]) -> bool:
    """True when ``value`` holds only str, int, float, bool, None, plain dicts and lists.

    Such metadata (all of it, when read from JSON) is written by pydantic-core as it is.
    """
    stack: list[Iterable[Any]] = [value.values()]
    while stack:
        for item in stack.pop():
            kind: type[Any] = type(item)  # pyright: ignore[reportUnknownVariableType]
            if kind in _PLAIN:
                continue
            if kind is dict:
                stack.append(item.values())  # pyright: ignore[reportUnknownMemberType,reportUnknownArgumentType]
            elif kind is list:
                stack.append(item)
            else:
                return False
    return True


def _to_json(value: dict[str, Any]) -> dict[str, Any]:
    """A copy with every ``Decimal`` in plain notation; ``value`` itself if it holds none."""
    if _PLAIN.issuperset(map(type, value.values())) or _only_plain_json(value):
        return value  # the first test, all in C, settles flat metadata

    def convert(node: _Node) -> Any:
        if isinstance(node, Decimal):
            return plain(node)
        if isinstance(node, dict):
            return {key: convert(item) for key, item in node.items()}
        if isinstance(node, list):
            return [convert(item) for item in node]
        return node

    return {key: convert(item) for key, item in value.items()}


class _MetadataMarker:
    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # From JSON text: checked in Rust (errors sit at the offending top-level key).
        return core_schema.json_or_python_schema(
            json_schema=handler.generate_schema(dict[str, _JsonValue]),
            python_schema=core_schema.no_info_plain_validator_function(check_json_object),
            serialization=core_schema.plain_serializer_function_ser_schema(
                _to_json, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, _core: CoreSchema, _handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "object"}


Metadata = Annotated[dict[str, Any], _MetadataMarker]
"""Free-form JSON object; values must survive a JSON round trip."""
