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
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = ["ChangeKind", "ChangeRecord", "Records", "Subscriber", "replay"]


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
    group cannot rewrite its history. The group makes its records without ``__init__``
    (``_planner.record``, about a third of the cost), with values it owns alone. A commit that moved only ``updated_at`` (an explicit
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


_MUTABLE = (dict, list)

Records = tuple[ChangeRecord, ...]
"""What one mutation changed, in the order it was applied (empty for a no-op)."""

Subscriber = Callable[[ChangeRecord], object]
"""A callback that receives each record of a commit, in commit order, after the commit."""


def replay(initial: ExecutionGroup, records: Iterable[ChangeRecord]) -> ExecutionGroup:
    """A copy of ``initial`` with ``records`` applied (``initial`` itself is not touched).

    Raises ``pydantic.ValidationError`` when a record does not follow the state before it
    (another group, a wrong ``old`` value, time running backwards, an illegal transition,
    a duplicate order) or when the result breaks a rule.
    """
    group = copy.deepcopy(initial)
    group.apply(records)
    return group
