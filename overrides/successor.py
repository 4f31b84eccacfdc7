"""Whether one snapshot of a group may follow another (``docs/contract.md`` §6).

A consumer of snapshots sees a group only now and then: ``check_successor(before, after)``
says whether ``after`` is a legal later state of ``before``. Both must be valid under the
full contract; then the successor rules of ``schema/execution_group.rules.json`` (the same
group, immutable fields equal as values, status equal or reachable, orders only appended,
``updated_at`` not earlier) run on their JSON values, exactly as the JavaScript package
runs them, so the two give the same verdicts on the same snapshots.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails

from ._checks import broken
from .errors import details, raise_if_any, violation
from .model import ExecutionGroup
from .timestamps import sub_microsecond

__all__ = ["check_successor"]

_TIMESTAMPS = ("created_at", "updated_at", "cancelled_at", "completed_at")


def check_successor(before: object, after: object) -> None:
    """Raise ``pydantic.ValidationError`` naming every rule by which ``after`` cannot follow
    ``before``; return None when it can.

    Each argument is an ``ExecutionGroup``, JSON text (``str`` or ``bytes``), or a JSON
    value already decoded (a ``dict`` from ``json.loads``). Errors are located under
    ``before`` or ``after``: first every way either is invalid, else every successor rule
    broken (``immutable_field``, ``status_unreachable``, ``order_ids_append_only``,
    ``updated_at_backwards``).
    """
    first, first_errors = _document(before, "before")
    second, second_errors = _document(after, "after")
    raise_if_any(first_errors + second_errors)
    raise_if_any(broken("successor", {"before": first, "after": second}))


def _document(value: object, root: str) -> tuple[dict[str, Any], list[InitErrorDetails]]:
    """The JSON value of ``value`` when it is a valid group, else its errors under ``root``.

    Text is judged by ``model_validate_json``, a decoded value by ``from_document`` (its
    JSON text's verdict, I-JSON included); the rules then read the JSON value itself, so
    timestamps keep every digit and the spelling the document gave them.
    """
    try:
        if isinstance(value, str | bytes | bytearray):
            ExecutionGroup.model_validate_json(value)
            document: dict[str, Any] = json.loads(value)
        elif isinstance(value, ExecutionGroup):
            document = _json_value(value)
            ExecutionGroup.from_document(document)
        else:
            ExecutionGroup.from_document(value)
            document = json.loads(json.dumps(value, allow_nan=False))
    except ValidationError as exc:
        return {}, details(exc, (root,))
    except (TypeError, ValueError, RecursionError) as exc:  # pragma: no cover - judged above
        return {}, [violation("json_invalid", (root,), repr(value)[:100], {"error": str(exc)})]
    return document, []


def _json_value(group: ExecutionGroup) -> dict[str, Any]:
    """``group`` as JSON values, timestamps with every fraction digit the group holds."""
    document = group.model_dump(mode="json")
    for field in _TIMESTAMPS:
        stamp = getattr(group, field)
        if isinstance(stamp, datetime) and sub_microsecond(stamp):
            document[field] = _full_text(stamp)
    return document


def _full_text(stamp: datetime) -> str:
    """``stamp`` (UTC) as RFC 3339 text with its nanoseconds."""
    digits = f"{stamp.microsecond:06d}{sub_microsecond(stamp):03d}".rstrip("0")
    whole = (
        f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d}"
        f"T{stamp.hour:02d}:{stamp.minute:02d}:{stamp.second:02d}"
    )
    return whole + (f".{digits}" if digits else "") + "Z"
