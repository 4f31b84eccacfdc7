"""UTC timestamps: the one lexical form of docs/contract.md §2, and aware UTC datetimes in Python.

JSON text must match the schema's ``Timestamp`` pattern exactly (pydantic alone would
also take unix numbers, ``HH:MM`` and other offsets). Python callers may pass aware
datetimes whose offset is zero; anything else is "UTC only". Python datetimes hold
microseconds: digits past them are lost in the model's output (the one documented loss), but
kept for the rules' comparisons (``Instant``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, SchemaValidator, core_schema

from ._generated.rule_catalogue import MESSAGES
from .contract import schema
from .errors import rule_error

__all__ = ["Instant", "UtcTimestamp", "parse_timestamp", "sub_microsecond", "utc_now"]


_PATTERN: str = schema()["$defs"]["Timestamp"]["pattern"]
_FRACTION = r"(?:\.[0-9]{1,9})?"
if _FRACTION not in _PATTERN:  # pragma: no cover - the schema's Timestamp changed shape
    raise RuntimeError("the Timestamp pattern no longer has the fraction " + _FRACTION)


class Instant(datetime):
    """A UTC datetime read from text with digits past the microsecond, which it keeps.

    The rules compare instants with every fraction digit (``.0000001`` is later than
    ``.0000000``); a datetime holds microseconds, so the nanoseconds past them ride here.
    Only comparisons of the rules read them: equality, hashing and output are those of
    ``datetime`` (output keeps microseconds, the documented loss), and a copy drops them.
    """

    sub_microsecond: int = 0
    """Nanoseconds past the microsecond, 1 to 999."""


def sub_microsecond(value: datetime) -> int:
    """The nanoseconds ``value`` holds past its microsecond (0 unless read from such text)."""
    return value.sub_microsecond if isinstance(value, Instant) else 0


def _with_nanoseconds(text: str) -> datetime:
    """Text with 7 to 9 fraction digits: the datetime, plus the digits past microseconds."""
    digits = text[20:].rstrip("Z+:0")
    nanoseconds = int(digits[6:9].ljust(3, "0")) if len(digits) > 6 else 0
    if not nanoseconds:
        return datetime.fromisoformat(text)
    instant = Instant.fromisoformat(text)
    instant.sub_microsecond = nanoseconds
    return instant


# ``datetime.fromisoformat`` reads every text of the pattern (fractions past microseconds
# truncated) and, unlike pydantic's parser, gives ``UTC`` itself as the zone: timestamps
# from JSON and from Python then share one tzinfo, which compares fastest. Text with at
# most six fraction digits (nearly all) goes to it directly; longer fractions, the rare
# second branch, keep their nanoseconds in an ``Instant``.
_TEXT_SCHEMA = core_schema.custom_error_schema(
    core_schema.union_schema(
        [
            core_schema.no_info_after_validator_function(
                datetime.fromisoformat,
                core_schema.str_schema(
                    pattern=_PATTERN.replace(_FRACTION, r"(?:\.[0-9]{1,6})?"), strict=True
                ),
            ),
            core_schema.no_info_after_validator_function(
                _with_nanoseconds,
                core_schema.str_schema(
                    pattern=_PATTERN.replace(_FRACTION, r"\.[0-9]{7,9}"), strict=True
                ),
            ),
        ],
        mode="left_to_right",
    ),
    custom_error_type="utc_timestamp_form",
    custom_error_message=MESSAGES["utc_timestamp_form"],
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
            raise rule_error("utc_only", zone="no time zone")
        if offset != _ZERO:
            raise rule_error("utc_only", zone=f"offset {offset}")
        return value if value.tzinfo is UTC else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        result: datetime = _TEXT.validate_python(value)
        return result
    raise rule_error("utc_timestamp_type", kind=type(value).__name__)


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
