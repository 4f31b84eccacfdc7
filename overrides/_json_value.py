"""Metadata read from JSON text: a JSON object checked in pydantic-core, in Rust.

Its parser refuses lone surrogates and nesting past its limit, and yields only dicts with
string keys, lists, strings, numbers, booleans and null; a recursive union of strict JSON
types with a finite float and an integer within double range refuses the rest.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema
from typing_extensions import TypeAliasType

from ._generated.rule_catalogue import MESSAGES
from ._limits import MAX_DOUBLE_INT
from .errors import problem

__all__ = ["JsonObject"]


class _JsonValueMarker:
    """One JSON value from JSON text: a left-to-right union of strict JSON types, in Rust.

    The types are disjoint, so their order changes no verdict, only the cost: each choice
    tried before the one that takes a value builds an error. The common ones come first
    (objects and arrays, which strategies nest, before booleans and null).
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.union_schema(
            [
                core_schema.str_schema(strict=True),
                core_schema.int_schema(strict=True, ge=-MAX_DOUBLE_INT, le=MAX_DOUBLE_INT),
                core_schema.float_schema(strict=True, allow_inf_nan=False),
                handler.generate_schema(dict[str, _JsonValue]),
                handler.generate_schema(list[_JsonValue]),
                core_schema.bool_schema(strict=True),
                core_schema.none_schema(),
            ],
            mode="left_to_right",
            custom_error_type="metadata_json",
            custom_error_message=MESSAGES["metadata_json"],
            custom_error_context={
                "where": "metadata",
                "problem": problem("metadata_json", "not_a_json_number"),
            },
        )


_JsonValue = TypeAliasType("_JsonValue", Annotated[Any, _JsonValueMarker])
"""Recursive through the alias, so that pydantic keeps the definition for the references."""

JsonObject = dict[str, _JsonValue]
"""A JSON object of JSON values: what metadata is, read from JSON text."""
