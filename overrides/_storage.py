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
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Any, Self, TypeVar, cast

from pydantic import BaseModel

from .audit import ChangeRecord, Records, Subscriber
from .errors import contract_error, violation
from .order_ids import OrderIds

__all__ = [
    "EVERY_GROUP",
    "STORAGE_KEY",
    "Storage",
    "Stored",
    "Subscribers",
    "clone",
    "snapshot",
    "storage_of",
    "write",
]

STORAGE_KEY = "_storage"
_CREATING = threading.Lock()
_extend = cast(Callable[[list[str], list[str]], None], list[str].extend)
# A model's ``__dict__`` is a dict (some stubs type it as a read-only proxy).
_update = cast(Callable[[Mapping[str, Any], Mapping[str, Any]], None], dict[str, Any].update)
_Model = TypeVar("_Model", bound=BaseModel)


class _Subscription:
    """One ``subscribe`` call (the same callback subscribed twice is two subscriptions)."""

    __slots__ = ("function",)

    def __init__(self, function: Subscriber) -> None:
        self.function = function


class Subscribers:
    """A copy-on-write tuple of subscriptions: delivering never races a (un)subscribe."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: tuple[_Subscription, ...] = ()

    def add(self, function: Subscriber) -> Callable[[], None]:
        """Subscribe ``function``; returns the function that unsubscribes it."""
        if not callable(function):
            raise TypeError(f"a subscriber must be callable, not {type(function).__name__}")
        subscription = _Subscription(function)
        with _SUBSCRIBING:
            self.entries = (*self.entries, subscription)

        def unsubscribe() -> None:
            with _SUBSCRIBING:
                self.entries = tuple(entry for entry in self.entries if entry is not subscription)

        return unsubscribe


_SUBSCRIBING = threading.Lock()  # rare, quick, and never held while a subscriber runs

EVERY_GROUP = Subscribers()
"""Subscriptions to every group of the process (``ExecutionGroup.subscribe_all``)."""


class Storage(Subscribers):
    """One group's lock, its subscriptions and its undelivered records; and whether its
    ``fields_set`` holds every field already, so that a write has none to add (it only
    grows, and a copy or an unpickled group gets new storage).

    Made on a group's first change (or read under the lock): three objects, the queue
    only once a subscriber has records to receive.
    """

    __slots__ = ("delivering", "every_field_set", "lock", "outbox")

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.RLock()
        self.outbox: deque[ChangeRecord] | None = None
        self.delivering = False
        self.every_field_set = False


def storage_of(group: BaseModel) -> Storage:
    """``group``'s storage, made on first use (two threads touching a new group get one)."""
    private: dict[str, Any] | None = group.__pydantic_private__
    if private is not None:
        found: Storage | None = private.get(STORAGE_KEY)
        if found is not None:
            return found
    with _CREATING:
        private = group.__pydantic_private__
        if private is None:
            private = {}
            object.__setattr__(group, "__pydantic_private__", private)
        made: Storage = private.setdefault(STORAGE_KEY, Storage())
        return made


def write(
    group: BaseModel,
    fields: Mapping[str, Any],
    storage: Storage,
    orders: OrderIds | None,
    plan: tuple[dict[str, Any], list[str], Records],
) -> Records:
    """Write a checked plan into ``group`` (whose ``__dict__`` is ``fields``), then deliver
    its records. It cannot fail; the caller holds the lock.

    The fields change in one ``dict.update``: a reader that takes no lock sees the state
    before or after, never a mix.
    """
    updates, added, records = plan
    if added and orders is not None:  # order_ids is required: always among the set fields
        _extend(orders, added)  # checked by the planner: past the list's own guards
        seen = orders._seen  # pyright: ignore[reportPrivateUsage]  # pylint: disable=protected-access
        seen.update(added)
    _update(fields, updates)
    if not storage.every_field_set:
        fields_set = group.__pydantic_fields_set__
        fields_set.update(updates)
        storage.every_field_set = fields_set.issuperset(type(group).__pydantic_fields__)
    if storage.entries or EVERY_GROUP.entries or storage.delivering:
        _deliver(storage, records)
    return records


def _deliver(storage: Storage, records: Records) -> None:
    """Call the subscribers with ``records``, after every record committed before them.

    A subscriber that changes the group again (the lock is re-entrant) commits at once,
    but its records join the queue behind the ones being delivered: every subscriber
    sees records in commit order. The outermost delivery drains the queue and raises
    what the subscribers raised (an ``ExceptionGroup`` if several did).
    """
    if storage.outbox is None:
        storage.outbox = deque()
    outbox = storage.outbox
    outbox.extend(records)
    if storage.delivering:
        return
    storage.delivering = True
    failures: list[Exception] = []
    try:
        while outbox:
            record = outbox.popleft()
            for subscription in (*storage.entries, *EVERY_GROUP.entries):
                try:
                    subscription.function(record)
                except Exception as exc:  # pylint: disable=broad-exception-caught
                    failures.append(exc)
    finally:
        storage.delivering = False
        outbox.clear()
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise ExceptionGroup("subscribers raised after the change was made", failures)


def snapshot(group: BaseModel) -> tuple[dict[str, Any], set[str]]:
    """The fields and the set-fields of one committed state, read under the group's lock."""
    with storage_of(group).lock:
        return dict(group.__dict__), set(group.__pydantic_fields_set__)


def clone(group: _Model, memo: dict[int, Any] | None = None, *, deep: bool) -> _Model:
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


def restore(group: BaseModel, fields: dict[str, Any], fields_set: Iterable[str]) -> None:
    """Fill a new, empty ``group`` (``__new__`` of an unpickled one) from saved state."""
    _install(group, {**fields, "order_ids": list(fields["order_ids"])}, set(fields_set))


def _install(group: BaseModel, fields: dict[str, Any], fields_set: set[str]) -> None:
    object.__setattr__(group, "__dict__", fields)
    object.__setattr__(group, "__pydantic_fields_set__", fields_set)
    object.__setattr__(group, "__pydantic_extra__", None)
    object.__setattr__(group, "__pydantic_private__", None)


class Stored(BaseModel):
    """A model whose reads, copies, pickles and dumps go through its storage.

    Each sees one committed state (read under the lock) and leaves the original as it
    was; copies and unpickled groups get their own order list, lock and no subscribers.
    ``_views`` swaps in what readers are handed (guarded lists, read-only views).
    """

    def _views(self) -> None:
        """Make the views readers get; the model overrides it."""

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return other is self or snapshot(self)[0] == snapshot(cast(BaseModel, other))[0]

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Generator[tuple[str, Any], None, None]:
        """``dict(group)`` and ``for name, value in group``: one committed state."""
        self._views()
        yield from snapshot(self)[0].items()

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """``BaseModel.model_dump``, under the lock: a consistent snapshot of one state."""
        with storage_of(self).lock:
            return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        """``BaseModel.model_dump_json``, under the lock: a consistent snapshot of one state."""
        with storage_of(self).lock:
            if kwargs:
                return super().model_dump_json(**kwargs)
            # What ``BaseModel.model_dump_json()`` runs with every option at its default,
            # without its Python frame: writing events is as hot a path as reading them.
            return self.__pydantic_serializer__.to_json(self).decode()

    def __copy__(self) -> Self:
        return clone(self, deep=False)

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        return clone(self, memo, deep=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy that is its own group; ``update`` goes through the same checks as assignment.

        The copy has its own lock and order list and no subscribers. A shallow copy shares
        the ``metadata`` value with the original (a read-only view); ``deep=True`` does not.
        """
        if update is not None and not isinstance(update, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]
            kind = type(update).__name__
            raise contract_error([violation("update_type", ("update",), update, {"kind": kind})])
        made = clone(self, deep=deep)
        if update:
            made._assign(update)  # pylint: disable=protected-access
        return made

    def _assign(self, changes: Mapping[str, Any]) -> Records:
        """Assign ``changes`` field by field (the model's own assignment checks them all
        together and returns its records)."""
        for name, value in changes.items():
            setattr(self, name, value)
        return ()

    def __getstate__(self) -> dict[Any, Any]:
        fields, fields_set = snapshot(self)
        return {
            "__dict__": {**fields, "order_ids": list(fields["order_ids"])},
            "__pydantic_extra__": None,
            "__pydantic_fields_set__": fields_set,
            "__pydantic_private__": None,
        }

    def __setstate__(self, state: dict[Any, Any]) -> None:
        restore(self, state["__dict__"], state["__pydantic_fields_set__"])
