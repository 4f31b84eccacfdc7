"""Change records: what every accepted mutation of a group did, and how to replay them.

Every commit of a group (a transition, added orders, a fill, a field assignment) yields
``ChangeRecord`` objects, one per changed field and one per added order, in the order
they were applied. The lifecycle methods return them, and ``ExecutionGroup.subscribe``
(one group) and ``ExecutionGroup.subscribe_all`` (every group) deliver them to callbacks.
A rejected change yields nothing: records are made after every check has passed.

``replay(initial, records)`` applies a log of records onto a copy of ``initial`` and gives
back a group equal to the one that produced them; ``ExecutionGroup.apply`` does the same
in place (for a replica that follows a change feed). Both check each record against the
state it claims to follow, and the result against every rule, all or nothing.

On the wire a record is a JSON object (``schema/execution_group.change.schema.json``, whose
values are in their field's JSON form), so a service in any language can follow a feed:
``record.to_json()`` / ``ChangeRecord.from_json(text)``, and ``write_feed`` / ``read_feed``
for JSON Lines.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from typing import IO, TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from ._generated.model import GroupStatus
from .errors import contract_error, details
from .ids import GroupId, OrderId
from .metadata import Metadata
from .quantities import Quantity
from .timestamps import UtcTimestamp

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = ["ChangeKind", "ChangeRecord", "Subscriber", "read_feed", "replay", "write_feed"]


class ChangeKind(str, Enum):
    """What the caller did."""

    TRANSITION = "transition"
    """A status change (by any path), and the fields a transition stamps with it."""
    ORDER_ADDED = "order_added"
    """One order appended to ``order_ids`` (``new`` is its id; ``old`` is ``None``)."""
    FILL = "fill"
    """``record_fill``: ``filled_quantity`` grew from ``old`` to ``new``."""
    ASSIGNMENT = "assignment"
    """A field set by assignment or ``model_copy(update=...)``."""


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One field of one group changed from ``old`` to ``new`` at ``at`` (the ``updated_at`` set).

    Immutable: mutable values (metadata dicts) are deep copies, so a later change to the
    group cannot rewrite its history. A commit that moved only ``updated_at`` (an explicit
    assignment) records ``field="updated_at"``; otherwise ``updated_at`` is carried by ``at``.
    """

    group_id: str
    kind: ChangeKind
    field: str
    old: Any
    new: Any
    at: datetime
    reason: str | None = None

    def __post_init__(self) -> None:
        for name in ("old", "new"):
            value: object = getattr(self, name)
            if type(value) in _MUTABLE:
                object.__setattr__(self, name, copy.deepcopy(value))

    def to_json(self) -> str:
        """The record as one line of JSON, valid against the change schema.

        Values take their field's JSON form: quantities as plain-notation strings, instants
        in RFC 3339 with ``Z``, the status as its name, metadata as written in a group.
        """
        wire = _wire()
        document = {name: getattr(self, name) for name in _WIRE_FIELDS}
        return wire.dump_json(wire.validate_python(document)).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """The record a ``to_json`` text (or any document valid against the change schema)
        describes; ``pydantic.ValidationError`` naming the member and the rule otherwise."""
        wire = _wire().validate_json(text)
        return cls(**{name: getattr(wire, name) for name in _WIRE_FIELDS})


_MUTABLE = (dict, list)
_WIRE_FIELDS = ("group_id", "kind", "field", "old", "new", "at", "reason")


class _Wire(BaseModel, extra="forbid", frozen=True):
    """A record's JSON form; each subclass types ``old`` and ``new`` as its field's values."""

    group_id: GroupId
    kind: ChangeKind
    field: str
    old: Any
    new: Any
    at: UtcTimestamp
    reason: str | None


class _FieldChange(_Wire, frozen=True):
    """A change of a field's value (every kind but an added order)."""

    kind: Literal[ChangeKind.TRANSITION, ChangeKind.FILL, ChangeKind.ASSIGNMENT]


class _StatusChange(_FieldChange, frozen=True):
    field: Literal["status"]
    old: GroupStatus
    new: GroupStatus


class _OrderAdded(_Wire, frozen=True):
    kind: Literal[ChangeKind.ORDER_ADDED]
    field: Literal["order_ids"]
    old: None
    new: OrderId


class _QuantityChange(_FieldChange, frozen=True):
    field: Literal["filled_quantity"]
    old: Quantity | None
    new: Quantity | None


class _StampChange(_FieldChange, frozen=True):
    field: Literal["cancelled_at", "completed_at"]
    old: UtcTimestamp | None
    new: UtcTimestamp | None


class _UpdatedAtChange(_FieldChange, frozen=True):
    field: Literal["updated_at"]
    old: UtcTimestamp
    new: UtcTimestamp


class _MetadataChange(_FieldChange, frozen=True):
    field: Literal["metadata"]
    old: Metadata | None
    new: Metadata | None


_AnyChange = Annotated[
    _StatusChange
    | _OrderAdded
    | _QuantityChange
    | _StampChange
    | _UpdatedAtChange
    | _MetadataChange,
    Field(discriminator="field"),
]


@cache
def _wire() -> TypeAdapter[_Wire]:
    """The reader and writer of the JSON form, built on first use."""
    adapter: TypeAdapter[_Wire] = TypeAdapter(_AnyChange)
    return adapter


def write_feed(records: Iterable[ChangeRecord], stream: IO[str]) -> int:
    """Write ``records`` to ``stream`` as JSON Lines, one record a line; returns the count."""
    count = 0
    for record in records:
        stream.write(record.to_json() + "\n")
        count += 1
    return count


def read_feed(lines: Iterable[str | bytes]) -> Iterator[ChangeRecord]:
    """The records of a JSON Lines feed (a text or binary file, or any iterable of lines),
    read one line at a time; blank lines are skipped.

    A line that is not a valid record raises ``pydantic.ValidationError`` at ``("line", n)``
    (1-based), after the records before it have been yielded.
    """
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield ChangeRecord.from_json(line)
        except ValidationError as exc:
            raise contract_error(details(exc, ("line", number))) from None


Subscriber = Callable[[ChangeRecord], object]
"""A callback that receives each record of a commit, in order, after the commit."""


def replay(initial: ExecutionGroup, records: Iterable[ChangeRecord]) -> ExecutionGroup:
    """A copy of ``initial`` with ``records`` applied (``initial`` itself is not touched).

    Raises ``pydantic.ValidationError`` when a record does not follow the state before it
    (another group, a wrong ``old`` value, time running backwards, an illegal transition,
    a duplicate order) or when the result breaks a rule.
    """
    group = copy.deepcopy(initial)
    group.apply(records)
    return group
