"""Where a group's state lives and how a planned change reaches it and its subscribers.

Each group owns a ``Storage``: its re-entrant lock, its subscriptions and the queue of
records still to deliver. It sits in pydantic's ``__pydantic_private__`` and is made on
first use: declared as a ``PrivateAttr`` default, pydantic would build it in Python for
every validated document (about 2 µs), most of which are read and never changed.

Copies, pickles and dumps read the group through ``snapshot`` under its lock and never
write to the original: a copy that parked the private state elsewhere while copying
would let a racing thread make a second lock, or lose a subscription made meanwhile.
"""

from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from .audit import ChangeRecord, Records, Subscriber
from .order_ids import OrderIds

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = [
    "EVERY_GROUP",
    "Storage",
    "Subscribers",
    "clone",
    "snapshot",
    "storage_of",
    "write",
]

_KEY = "_storage"
_CREATING = threading.Lock()
_Group = TypeVar("_Group", bound="ExecutionGroup")


class _Subscription:
    """One ``subscribe`` call (the same callback subscribed twice is two subscriptions)."""

    __slots__ = ("function",)

    def __init__(self, function: Subscriber) -> None:
        self.function = function


class Subscribers:
    """A copy-on-write tuple of subscriptions: delivering never races a (un)subscribe."""

    __slots__ = ("_guard", "entries")

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self.entries: tuple[_Subscription, ...] = ()

    def add(self, function: Subscriber) -> Callable[[], None]:
        """Subscribe ``function``; returns the function that unsubscribes it."""
        if not callable(function):
            raise TypeError(f"a subscriber must be callable, not {type(function).__name__}")
        subscription = _Subscription(function)
        with self._guard:
            self.entries = (*self.entries, subscription)

        def unsubscribe() -> None:
            with self._guard:
                self.entries = tuple(entry for entry in self.entries if entry is not subscription)

        return unsubscribe


EVERY_GROUP = Subscribers()
"""Subscriptions to every group of the process (``ExecutionGroup.subscribe_all``)."""


class Storage:
    """One group's lock, subscriptions and undelivered records."""

    __slots__ = ("delivering", "lock", "outbox", "subscribers")

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.subscribers = Subscribers()
        self.outbox: deque[ChangeRecord] = deque()
        self.delivering = False


def storage_of(group: ExecutionGroup) -> Storage:
    """``group``'s storage, made on first use (two threads touching a new group get one)."""
    private: dict[str, Any] | None = group.__pydantic_private__
    if private is not None:
        found: Storage | None = private.get(_KEY)
        if found is not None:
            return found
    with _CREATING:
        private = group.__pydantic_private__
        if private is None:
            private = {}
            object.__setattr__(group, "__pydantic_private__", private)
        made: Storage = private.setdefault(_KEY, Storage())
        return made


def write(
    group: ExecutionGroup,
    storage: Storage,
    orders: OrderIds | None,
    plan: tuple[dict[str, Any], list[str], Records],
) -> Records:
    """Write a checked plan (it cannot fail), then deliver its records. Caller holds the lock.

    The fields change in one ``dict.update``: a reader that takes no lock sees the state
    before or after, never a mix.
    """
    updates, added, records = plan
    if added and orders is not None:
        orders.extend_trusted(added)
        group.__pydantic_fields_set__.add("order_ids")
    group.__dict__.update(updates)
    group.__pydantic_fields_set__.update(updates)
    if storage.subscribers.entries or EVERY_GROUP.entries or storage.delivering:
        _deliver(storage, records)
    return records


def _deliver(storage: Storage, records: Records) -> None:
    """Call the subscribers with ``records``, after every record committed before them.

    A subscriber that changes the group again (the lock is re-entrant) commits at once,
    but its records join the queue behind the ones being delivered: every subscriber
    sees records in commit order. The outermost delivery drains the queue and raises
    what the subscribers raised (an ``ExceptionGroup`` if several did).
    """
    storage.outbox.extend(records)
    if storage.delivering:
        return
    storage.delivering = True
    failures: list[Exception] = []
    try:
        while storage.outbox:
            record = storage.outbox.popleft()
            for subscription in (*storage.subscribers.entries, *EVERY_GROUP.entries):
                try:
                    subscription.function(record)
                except Exception as exc:  # pylint: disable=broad-exception-caught
                    failures.append(exc)
    finally:
        storage.delivering = False
        storage.outbox.clear()
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise ExceptionGroup("subscribers raised after the change was made", failures)


def snapshot(group: ExecutionGroup) -> tuple[dict[str, Any], set[str]]:
    """The fields and the set-fields of one committed state, read under the group's lock."""
    with storage_of(group).lock:
        return dict(group.__dict__), set(group.__pydantic_fields_set__)


def clone(group: _Group, memo: dict[int, Any] | None = None, *, deep: bool) -> _Group:
    """A new group equal to ``group``, with its own order list, lock and no subscribers.

    ``deep`` also copies every other field value (metadata is the mutable one).
    """
    with storage_of(group).lock:
        fields, fields_set = dict(group.__dict__), set(group.__pydantic_fields_set__)
        if deep:
            fields = {name: copy.deepcopy(value, memo) for name, value in fields.items()}
    fields["order_ids"] = list(fields["order_ids"])
    made = type(group).__new__(type(group))
    _install(made, fields, fields_set)
    return made


def restore(group: ExecutionGroup, fields: dict[str, Any], fields_set: Iterable[str]) -> None:
    """Fill a new, empty ``group`` (``__new__`` of an unpickled one) from saved state."""
    _install(group, {**fields, "order_ids": list(fields["order_ids"])}, set(fields_set))


def _install(group: ExecutionGroup, fields: dict[str, Any], fields_set: set[str]) -> None:
    object.__setattr__(group, "__dict__", fields)
    object.__setattr__(group, "__pydantic_fields_set__", fields_set)
    object.__setattr__(group, "__pydantic_extra__", None)
    object.__setattr__(group, "__pydantic_private__", None)
