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
from dataclasses import FrozenInstanceError
from datetime import datetime
from enum import Enum
from functools import cache
from typing import IO, TYPE_CHECKING, Annotated, Any, Literal, Self, cast

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from ._generated.model import GroupStatus
from ._readonly import freeze
from .errors import contract_error, details
from .ids import GroupId, OrderId
from .metadata import Metadata
from .quantities import Quantity
from .timestamps import UtcTimestamp

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = [
    "ChangeKind",
    "ChangeRecord",
    "Records",
    "Subscriber",
    "read_feed",
    "replay",
    "write_feed",
]


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


class ChangeRecord(tuple[Any, ...]):
    """One field of one group changed from ``old`` to ``new`` at ``at`` (the ``updated_at`` set).

    ``ChangeRecord(group_id, kind, field, old, new, at, reason=None)``, by position or by
    name. Immutable, and cheap: a tuple underneath (the group makes one for every order it
    takes), equal only to another record, read by field name. Mutable values (metadata
    dicts) are deep read-only copies, so no later change can rewrite history.
    ``replace(**changes)`` gives a record with some fields changed.

    A commit that moved only ``updated_at`` (an explicit assignment) records
    ``field="updated_at"``; otherwise ``updated_at`` is carried by ``at``.
    """

    __slots__ = ()

    def __new__(  # noqa: PLR0913, PLR0917  # pylint: disable=too-many-arguments,too-many-positional-arguments
        cls,
        group_id: str,
        kind: ChangeKind,
        field: str,
        old: Any,
        new: Any,
        at: datetime,
        reason: str | None = None,
    ) -> Self:
        return super().__new__(cls, (group_id, kind, field, _own(old), _own(new), at, reason))

    @property
    def group_id(self) -> str:
        """The group that changed."""
        return cast(str, self[0])

    @property
    def kind(self) -> ChangeKind:
        """What the caller did."""
        return cast(ChangeKind, self[1])

    @property
    def field(self) -> str:
        """The field that changed (``order_ids`` for an added order)."""
        return cast(str, self[2])

    @property
    def old(self) -> Any:
        """The value before (``None`` for an added order)."""
        return self[3]

    @property
    def new(self) -> Any:
        """The value after (the id, for an added order)."""
        return self[4]

    @property
    def at(self) -> datetime:
        """The ``updated_at`` the change set."""
        return cast(datetime, self[5])

    @property
    def reason(self) -> str | None:
        """Why, when the caller said (a transition's reason)."""
        return cast("str | None", self[6])

    def replace(self, **changes: Any) -> ChangeRecord:
        """This record with ``changes`` (field name -> value) applied."""
        fields = dict(zip(_FIELDS, self, strict=True))
        unknown = set(changes) - fields.keys()
        if unknown:
            raise TypeError(f"ChangeRecord has no field {', '.join(sorted(unknown))}")
        return ChangeRecord(**(fields | changes))

    __replace__ = replace

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    # A record equals another record only, never the tuple of its values.
    # pylint: disable=unidiomatic-typecheck
    def __eq__(self, other: object) -> bool:
        if type(other) is not ChangeRecord:
            return NotImplemented
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        if type(other) is not ChangeRecord:
            return NotImplemented
        return super().__ne__(other)

    # pylint: enable=unidiomatic-typecheck

    def __hash__(self) -> int:
        return super().__hash__()

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(self)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(_FIELDS, self, strict=True))
        return f"ChangeRecord({shown})"

    def to_json(self) -> str:
        """The record as one line of JSON, valid against the change schema.

        Values take their field's JSON form: quantities as plain-notation strings, instants
        in RFC 3339 with ``Z``, the status as its name, metadata as written in a group.
        """
        wire = _wire()
        document = {name: getattr(self, name) for name in _FIELDS}
        return wire.dump_json(wire.validate_python(document)).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """The record a ``to_json`` text (or any document valid against the change schema)
        describes; ``pydantic.ValidationError`` naming the member and the rule otherwise."""
        wire = _wire().validate_json(text)
        return cls(**{name: getattr(wire, name) for name in _FIELDS})


_FIELDS = ("group_id", "kind", "field", "old", "new", "at", "reason")


def _own(value: Any) -> Any:
    """``value``, or a deep read-only copy of it when it is a plain dict or list."""
    return freeze(value) if type(value) in _MUTABLE else value


_MUTABLE = (dict, list)

Records = tuple[ChangeRecord, ...]
"""What one mutation changed, in the order it was applied (empty for a no-op)."""

Subscriber = Callable[[ChangeRecord], object]
"""A callback that receives each record of a commit, in commit order, after the commit."""


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


def replay(initial: ExecutionGroup, records: Iterable[ChangeRecord]) -> ExecutionGroup:
    """A copy of ``initial`` with ``records`` applied (``initial`` itself is not touched).

    Raises ``pydantic.ValidationError`` when a record does not follow the state before it
    (another group, a wrong ``old`` value, time running backwards, an illegal transition,
    a duplicate order) or when the result breaks a rule.
    """
    group = copy.deepcopy(initial)
    group.apply(records)
    return group
