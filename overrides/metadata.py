"""Strategy metadata: any JSON object, only what JSON carries unchanged, read-only in a group.

Pydantic would quietly write NaN as ``null``, a set as a list and a tuple as a list, so a
group would not read back as it was written. Such values are refused where they enter.
``Decimal`` is allowed (the design's examples use it) and written as a plain-notation
string (``_json_dump``); that is the one change a JSON round trip makes to metadata.

From JSON text the check runs in pydantic-core (``_json_value``). From Python, a ``Walk``
(``_walk``) copies the value, so the group never shares a container with its caller, and
refuses everything JSON cannot carry, plus the bounds of ``_limits``.

Inside a group, metadata is a deep read-only view (``_readonly``): it is changed by
assigning a new mapping, which goes through every check, never by writing into it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, PlainValidator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from ._json_dump import to_json
from ._json_value import JsonObject
from ._limits import MAX_DECIMAL_TEXT, MAX_DEPTH, MAX_EXPANSION, TEXT_UNIT
from ._readonly import ReadOnlyDict, freeze
from ._refused import Refused
from ._walk import Walk, checked_text
from .errors import rule_error

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = [
    "MAX_DECIMAL_TEXT",
    "MAX_DEPTH",
    "MAX_EXPANSION",
    "TEXT_UNIT",
    "Metadata",
    "MetadataField",
    "Reason",
]

_PYTHON = Walk(depth=MAX_DEPTH, decimals=True, arrays=(list,), read_only=True)


def _check_json_object(value: Any) -> dict[str, Any]:
    """A read-only copy of ``value`` when it is a dict JSON can carry; raise otherwise."""
    if not isinstance(value, dict):
        raise rule_error("metadata_type", kind=type(value).__name__)
    try:
        checked: dict[str, Any] = _PYTHON.copy(value)
    except Refused as refused:
        raise refused.as_metadata_error() from None
    return checked


class _MetadataMarker:
    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # From JSON text: checked in Rust (errors sit at the offending top-level key).
        return core_schema.json_or_python_schema(
            json_schema=handler.generate_schema(JsonObject),
            python_schema=core_schema.no_info_plain_validator_function(_check_json_object),
            serialization=core_schema.plain_serializer_function_ser_schema(
                to_json, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, _core: CoreSchema, _handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "object"}


Metadata = Annotated[dict[str, Any], _MetadataMarker]
"""Free-form JSON object; values must survive a JSON round trip."""


def _check_reason(value: Any) -> str:
    """A reason kept in metadata: non-empty text, plain ``str``, well-formed Unicode."""
    if not isinstance(value, str) or not value:
        raise rule_error("reason_type")
    try:
        return checked_text(None, value)
    except Refused as refused:
        raise refused.as_metadata_error() from None


Reason = Annotated[str, PlainValidator(_check_reason)]
"""A ``reason`` given with a move (kept in ``metadata`` under ``cancel_reason``, ...)."""


_BINDING = threading.Lock()
_MISSING: Any = object()


class MetadataField:
    """``group.metadata``: the stored value as a deep read-only view, made on first read.

    Validation from JSON text leaves plain dicts (making views there would slow every
    decode); the first read swaps in the view, once. Set on the model class after
    pydantic has built it, this data descriptor comes before the instance ``__dict__``.
    Writing (the model's checked commit does it with ``object.__setattr__``) stores the
    checked value as it is.
    """

    def __get__(self, group: ExecutionGroup | None, owner: type | None = None) -> Any:
        if group is None:
            raise AttributeError(f"type object {owner!r} has no attribute 'metadata'")
        fields = vars(group)
        while True:
            value = fields.get("metadata", _MISSING)
            if value is None or isinstance(value, ReadOnlyDict):
                return value
            if value is _MISSING:  # model_construct() without metadata
                raise AttributeError(f"{type(group).__name__!r} object has no attribute 'metadata'")
            view = freeze(value)
            with _BINDING:  # two readers of a new group get the same view
                if fields.get("metadata") is value:
                    fields["metadata"] = view
                    return view

    def __set__(self, group: ExecutionGroup, value: Any) -> None:
        vars(group)["metadata"] = value
