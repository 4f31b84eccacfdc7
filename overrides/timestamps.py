"""UTC timestamps: the one lexical form of docs/contract.md §2, and aware UTC datetimes in Python.

JSON text must match the schema's ``Timestamp`` pattern exactly (pydantic alone would
also take unix numbers, ``HH:MM`` and other offsets). Python callers may pass aware
datetimes whose offset is zero; anything else is "UTC only". Sub-microsecond digits are
truncated, the one documented loss: Python datetimes hold microseconds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, SchemaValidator, core_schema

from .contract import schema

__all__ = ["UtcTimestamp", "parse_timestamp", "utc_now"]

_FORM_MESSAGE = (
    "must be an RFC 3339 UTC timestamp such as 2025-10-28T14:30:22Z "
    "(T and Z upper case, Z or +00:00, a real calendar date and time)"
)

# ``datetime.fromisoformat`` reads every text of the pattern (fractions past microseconds
# truncated) and, unlike pydantic's parser, gives ``UTC`` itself as the zone: timestamps
# from JSON and from Python then share one tzinfo, which compares fastest.
_TEXT_SCHEMA = core_schema.custom_error_schema(
    core_schema.no_info_after_validator_function(
        datetime.fromisoformat,
        core_schema.str_schema(pattern=schema()["$defs"]["Timestamp"]["pattern"], strict=True),
    ),
    custom_error_type="utc_timestamp_form",
    custom_error_message=_FORM_MESSAGE,
)
_TEXT = SchemaValidator(_TEXT_SCHEMA)
_ZERO = timedelta(0)


def utc_now() -> datetime:
    """The wall clock in UTC: the default ``at`` of every lifecycle method."""
    return datetime.now(UTC)


def parse_timestamp(value: Any) -> datetime:
    """Validate a Python value as a UTC instant (aware datetime or contract text)."""
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None:
            raise PydanticCustomError(
                "utc_only", "UTC only: the datetime has no time zone; pass an aware UTC datetime"
            )
        if offset != _ZERO:
            raise PydanticCustomError(
                "utc_only",
                "UTC only: the datetime has offset {offset}; convert it to UTC first",
                {"offset": str(offset)},
            )
        return value if value.tzinfo is UTC else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        result: datetime = _TEXT.validate_python(value)
        return result
    raise PydanticCustomError(
        "utc_timestamp_type",
        "must be an aware UTC datetime or RFC 3339 text, not {kind}",
        {"kind": type(value).__name__},
    )


class _UtcTimestampMarker:
    """Core schema of ``UtcTimestamp``: the text form from JSON, aware datetimes from Python."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, _handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.json_or_python_schema(
            json_schema=_TEXT_SCHEMA,
            python_schema=core_schema.no_info_plain_validator_function(parse_timestamp),
            serialization=core_schema.simple_ser_schema("datetime"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, _core: CoreSchema, _handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return dict(schema()["$defs"]["Timestamp"])


UtcTimestamp = Annotated[datetime, _UtcTimestampMarker]
"""An instant in UTC; pydantic writes it as ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``."""
