"""``ExecutionGroup``: the generated base model plus every rule JSON Schema cannot run alone.

The base class (``_generated.model``) is what datamodel-code-generator makes of the
schema. This subclass swaps in the contract's strict types (UTC timestamps, Decimal
quantities, JSON-safe metadata, a guarded order list), adds the cross-field rules of
``rules`` and owns every mutation, so that a rejected change leaves the group exactly as
it was. Pydantic's ``validate_assignment`` is not used: it keeps the new value even when
a later validator rejects it, and re-validating the whole model costs O(n) per order.

Every accepted change is described by ``ChangeRecord`` objects (module ``audit``): the
lifecycle methods return them and subscribers receive them (see ``subscribe``).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Generator, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Self, cast

from pydantic import (
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic.config import ExtraValues
from pydantic_core import InitErrorDetails, SchemaValidator

from ._document import from_document, json_verdict
from ._generated import model as generated
from ._generated.model import GroupStatus
from .audit import ChangeKind, ChangeRecord, Subscriber
from .contract import examples, schema
from .errors import checked, contract_error, details, raise_if_any, violation
from .ids import DirectiveId, GroupId, OrderId
from .lifecycle import (
    IMMUTABLE_FIELDS,
    REASON_KEYS,
    STATUS_TIMESTAMPS,
    TRANSITIONS,
    check_transition,
    is_terminal,
)
from .metadata import Metadata, MetadataField, Reason
from .order_ids import OrderIds, OrderIdsField, not_unique
from .quantities import Quantity, add, parse_quantity, ratio, subtract
from .rules import violations
from .timestamps import UtcTimestamp, parse_timestamp, utc_now

__all__ = ["ExecutionGroup", "Records"]

Records = tuple[ChangeRecord, ...]
"""What one mutation changed, in the order it was applied (empty for a no-op)."""

_PROPERTIES: dict[str, Any] = schema()["properties"]
_ZERO = Decimal(0)


def _about(name: str, *keywords: str) -> Any:
    """``Field`` for a property, with its schema description and any ``keywords`` pydantic
    cannot derive from the Python type (``uniqueItems``, a ``not``), read from the schema."""
    source = _PROPERTIES[name]
    extra = {keyword: source[keyword] for keyword in keywords}
    return Field(description=source["description"], json_schema_extra=extra or None)


def _schema_extra(document: dict[str, Any]) -> None:
    """The model's JSON Schema carries the source's identity and cross-field rules."""
    source = schema()
    document["$schema"] = source["$schema"]
    document["$id"] = source["$id"]
    document["allOf"] = source["allOf"]
    document["examples"] = examples()


class _Subscription:
    """One ``subscribe`` call (the same callback subscribed twice is two subscriptions)."""

    __slots__ = ("function",)

    def __init__(self, function: Subscriber) -> None:
        self.function = function


class _Subscribers:
    """A copy-on-write list of subscriptions: notifying never races a (un)subscribe."""

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


_EVERY_GROUP = _Subscribers()
_CREATING = threading.Lock()


class ExecutionGroup(generated.ExecutionGroup):
    """The record of one execution directive's child orders, their lifecycle and fills.

    Mutable by design: add orders, record fills and move the status with the lifecycle
    methods, or with the design's idiom (``group.order_ids.append(x)``,
    ``group.status = s``); every path checks every rule and changes nothing when it
    rejects. Safe to share between threads: every mutation, copy, pickle and dump holds a
    per-group re-entrant lock, so each sees (and leaves) a state that keeps every rule.
    """

    model_config = ConfigDict(
        extra="forbid",
        title="ExecutionGroup",
        json_schema_extra=_schema_extra,
    )

    group_id: Annotated[GroupId, _about("group_id")]
    parent_directive_id: Annotated[DirectiveId, _about("parent_directive_id")]
    order_ids: Annotated[list[OrderId], _about("order_ids", "uniqueItems")]
    created_at: Annotated[UtcTimestamp, _about("created_at")]
    updated_at: Annotated[UtcTimestamp, _about("updated_at")]
    target_quantity: Annotated[  # pyright: ignore[reportIncompatibleVariableOverride]
        Quantity | None,
        _about("target_quantity", "not"),
    ] = None  # type: ignore[assignment]
    filled_quantity: Annotated[  # pyright: ignore[reportIncompatibleVariableOverride]
        Quantity | None,
        _about("filled_quantity"),
    ] = None  # type: ignore[assignment]
    cancelled_at: Annotated[UtcTimestamp | None, _about("cancelled_at")] = None
    completed_at: Annotated[UtcTimestamp | None, _about("completed_at")] = None
    metadata: Annotated[Metadata | None, _about("metadata")] = None

    # The lock and the subscriptions live in ``__pydantic_private__``, made on first use:
    # declared as ``PrivateAttr`` defaults, pydantic would build them in Python for every
    # validated document (about 2 µs), most of which are read and never changed.

    @property
    def _lock(self) -> threading.RLock:
        lock: threading.RLock = self._private("_lock", threading.RLock)
        return lock

    @property
    def _subscribers(self) -> _Subscribers:
        subscribers: _Subscribers = self._private("_subscribers", _Subscribers)
        return subscribers

    def _private(self, name: str, make: Callable[[], Any]) -> Any:
        private: dict[str, Any] | None = self.__pydantic_private__
        if private is not None:
            found = private.get(name)
            if found is not None:
                return found
        with _CREATING:  # two threads touching a new group get the same lock
            private = self.__pydantic_private__
            if private is None:
                private = {}
                object.__setattr__(self, "__pydantic_private__", private)
            return private.setdefault(name, make())

    @model_validator(mode="after")
    def _check_document(self) -> Self:
        fields = self.__dict__
        ids: list[str] = fields["order_ids"]
        count = len(ids)
        errors = violations(fields, count)
        if count > 1 and len(set(ids)) != count:
            errors.append(not_unique(("order_ids",), ids))
        raise_if_any(errors)
        return self  # ``order_ids`` stays a plain list until first touched (OrderIdsField)

    @classmethod
    def model_validate_json(  # noqa: PLR0913  # pylint: disable=too-many-arguments
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: ExtraValues | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """``BaseModel.model_validate_json``; I-JSON breaches by their rule codes, last duplicate
        wins. Calls the validator itself, as ``BaseModel`` does: one Python frame on a hot path."""
        if by_alias is False and by_name is not True:  # pydantic's own usage error
            return super().model_validate_json(json_data, by_alias=by_alias, by_name=by_name)
        try:
            return cls.__pydantic_validator__.validate_json(  # type: ignore[no-any-return]
                json_data,
                strict=strict,
                extra=extra,
                context=context,
                by_alias=by_alias,
                by_name=by_name,
            )
        except ValidationError as exc:
            return cast(Self, json_verdict(cls, json_data, exc))

    @classmethod
    def from_document(cls, value: object) -> Self:
        """The JSON verdict for an already-decoded JSON value (``json.loads`` output, say).

        The same as ``model_validate_json(json.dumps(value))``, without writing the text:
        quantities and timestamps must be strings, only JSON types count (a tuple is an
        array), the I-JSON rules hold. ``model_validate`` is the Python-object reader and
        takes ``100`` or a ``Decimal`` for a quantity; a service that receives decoded JSON
        wants this one. The group shares no container with ``value``.
        """
        return cast(Self, from_document(cls, value))

    # ------------------------------------------------------------------ derived values

    @property
    def fill_ratio(self) -> Decimal | None:
        """``filled_quantity / target_quantity`` (nothing filled counts as 0).

        ``None`` without a target.
        """
        target = self.target_quantity
        if target is None:
            return None
        return ratio(self.filled_quantity or _ZERO, target)

    @property
    def remaining_quantity(self) -> Decimal | None:
        """``target_quantity - filled_quantity`` (nothing filled counts as 0).

        ``None`` without a target.
        """
        target = self.target_quantity
        if target is None:
            return None
        return subtract(target, self.filled_quantity or _ZERO)

    @property
    def is_terminal(self) -> bool:
        """True once the status has no way out (COMPLETED, CANCELLED, FAILED, PARTIAL)."""
        return is_terminal(self.status)

    @property
    def allowed_transitions(self) -> frozenset[GroupStatus]:
        """The statuses this group may move to next."""
        return TRANSITIONS[self.status]

    # ------------------------------------------------------------------ lifecycle

    def add_order(self, order_id: str, *, at: datetime | None = None) -> Records:
        """Track one more child order; a PENDING group becomes ACTIVE. O(1).

        Allowed after the group is terminal (an order acknowledged after a cancel must
        still be tracked); the status then stays as it is.
        """
        return self.add_orders([order_id], at=at)

    def add_orders(self, order_ids: Iterable[str], *, at: datetime | None = None) -> Records:
        """Track several orders at once: all of them, or none when one is refused.

        No ids is no change (``updated_at`` does not move).
        """
        ids = list(order_ids)
        with self._lock:
            added = self._new_orders(ids)
            if not added:
                return ()
            return self._commit(ChangeKind.ORDER_ADDED, {}, added, at)

    def record_fill(self, quantity: Decimal | int | str, *, at: datetime | None = None) -> Records:
        """Add a fill increment to ``filled_quantity``; refused if it would pass the target.

        Allowed after the group is terminal: fills race cancels at every venue.
        """
        increment = checked(("quantity",), parse_quantity, quantity)
        if increment <= _ZERO:
            raise contract_error([violation("fill_positive", ("quantity",), quantity)])
        with self._lock:
            total = add(self.filled_quantity or _ZERO, increment)
            total = checked(("filled_quantity",), parse_quantity, total)
            return self._commit(ChangeKind.FILL, {"filled_quantity": total}, [], at)

    def transition_to(
        self, status: GroupStatus | str, *, at: datetime | None = None, reason: str | None = None
    ) -> Records:
        """Move to ``status`` if the lifecycle allows it; moving to the current status is a no-op.

        A move to CANCELLED or COMPLETED stamps ``cancelled_at``/``completed_at`` with
        ``at`` (unless already set); ``reason`` is kept in ``metadata`` (``cancel_reason``,
        ``failure_reason``, ...).
        """
        target = checked(("status",), self._validator("status").validate_python, status)
        note = None if reason is None else checked(("reason",), _REASON.validate_python, reason)
        with self._lock:
            if target == self.status:
                return ()
            check_transition(self.group_id, self.status, target)
            when = self._clock(at)
            updates: dict[str, Any] = {"status": target}
            stamp_field = STATUS_TIMESTAMPS.get(target)
            if stamp_field is not None and self.__dict__[stamp_field] is None:
                updates[stamp_field] = when
            if note is not None and target in REASON_KEYS:
                updates["metadata"] = {**(self.metadata or {}), REASON_KEYS[target]: note}
            return self._commit(ChangeKind.TRANSITION, updates, [], when, note)

    def cancel(self, reason: str | None = None, *, at: datetime | None = None) -> Records:
        """Cancel the group (idempotent); ``reason`` goes to ``metadata["cancel_reason"]``."""
        return self.transition_to(GroupStatus.CANCELLED, at=at, reason=reason)

    def complete(self, *, at: datetime | None = None) -> Records:
        """Mark the group COMPLETED (all orders done)."""
        return self.transition_to(GroupStatus.COMPLETED, at=at)

    def fail(self, reason: str | None = None, *, at: datetime | None = None) -> Records:
        """Mark the group FAILED; ``reason`` goes to ``metadata["failure_reason"]``."""
        return self.transition_to(GroupStatus.FAILED, at=at, reason=reason)

    # ------------------------------------------------------------------ audit

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(record)`` for every record of every later change of this group.

        Returns a function that ends this subscription (calling it twice is harmless).

        Callbacks run after the change is written, in commit order, while the group's
        lock is held: they see the group as the change left it, and a callback may
        change the group again (the lock is re-entrant; its records then follow).
        They must be quick and must not wait on another thread that uses this group.
        An exception from a callback does not undo the change, which stands: every
        callback is still called, then the exception propagates to the caller of the
        mutation (an ``ExceptionGroup`` if several raised); the records are not returned.

        Subscriptions belong to this object: copies, pickles and ``model_copy`` results
        start with none.
        """
        return self._subscribers.add(callback)

    @classmethod
    def subscribe_all(cls, callback: Subscriber) -> Callable[[], None]:
        """Like ``subscribe``, for every group in the process (after the group's own callbacks)."""
        return _EVERY_GROUP.add(callback)

    def apply(self, records: Iterable[ChangeRecord]) -> Records:
        """Apply a log of ``records`` (from this group or an equal one), all or nothing.

        Each record must follow the state before it: this group's id, a known, mutable
        field, ``old`` equal to the current value, ``at`` not before ``updated_at``, a
        status move the lifecycle allows, a new, well formed order id, a value the field
        accepts. The result must keep every rule. Subscribers receive the records.
        """
        items = list(records)
        with self._lock:
            state = dict(self.__dict__)
            added: list[str] = []
            fresh: set[str] = set()
            for index, record in enumerate(items):
                self._replay_one(state, added, fresh, index, record)
            errors = violations(state, len(self.order_ids) + len(added))
            raise_if_any(errors)
            self._write(state, added, {record.field for record in items})
            self._notify(items)
        return tuple(items)

    def _replay_one(
        self,
        state: dict[str, Any],
        added: list[str],
        fresh: set[str],
        index: int,
        record: object,
    ) -> None:
        """Check one record against ``state`` and apply it there (``state`` is a scratch copy)."""
        loc: tuple[str | int, ...] = ("records", index)
        if not isinstance(record, ChangeRecord):
            raise contract_error([violation("record_type", loc, type(record).__name__)])
        if record.group_id != self.group_id:
            raise contract_error(
                [
                    violation(
                        "record_group",
                        (*loc, "group_id"),
                        record.group_id,
                        {"other": record.group_id, "group_id": self.group_id},
                    )
                ]
            )
        when = checked((*loc, "at"), parse_timestamp, record.at)
        if when < state["updated_at"]:
            raise contract_error([_backwards(when, state["updated_at"], (*loc, "at"))])
        field = record.field
        if field == "order_ids":
            order_id: str = checked((*loc, "new"), _ORDER_ID.validate_python, record.new)
            if self._orders().has(order_id) or order_id in fresh:
                raise contract_error([not_unique((*loc, "new"), order_id)])
            added.append(order_id)
            fresh.add(order_id)
        elif field not in _FIELD_NAMES or field in IMMUTABLE_FIELDS:
            raise contract_error(
                [
                    violation(
                        "record_field",
                        (*loc, "field"),
                        field,
                        {"field": field},
                    )
                ]
            )
        else:
            if state[field] != record.old:
                raise contract_error(
                    [
                        violation(
                            "record_out_of_order",
                            (*loc, "old"),
                            record.old,
                            {"field": field, "current": str(state[field])},
                        )
                    ]
                )
            value = checked((*loc, "new"), self._validator(field).validate_python, record.new)
            if field == "status":
                check_transition(self.group_id, state["status"], value)
            state[field] = copy.deepcopy(value) if field == "metadata" else value
        state["updated_at"] = when

    # ------------------------------------------------------------------ assignment

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FIELD_NAMES or not name.startswith("_"):
            self._assign({name: value})
        else:
            super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in _FIELD_NAMES:
            raise contract_error(
                [
                    violation(
                        "field_required",
                        (name,),
                        None,
                        {"field": name},
                    )
                ]
            )
        super().__delattr__(name)

    def _assign(self, changes: Mapping[str, Any]) -> Records:
        """Field assignment (``group.x = v``, ``model_copy(update=...)``), all or nothing."""
        errors: list[InitErrorDetails] = []
        updates: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "order_ids" and value is self.__dict__["order_ids"]:
                continue  # ``group.order_ids += [...]`` rebinds the same list: its adds are done
            if name not in _FIELD_NAMES:
                errors.append(
                    violation(
                        "unknown_field",
                        (name,),
                        value,
                        {"field": name},
                    )
                )
            elif name in IMMUTABLE_FIELDS:
                errors.append(
                    violation(
                        "immutable_field",
                        (name,),
                        value,
                        {"field": name},
                    )
                )
            else:
                try:
                    updates[name] = checked((name,), self._validator(name).validate_python, value)
                except ValidationError as exc:
                    errors.extend(details(exc))
        raise_if_any(errors)
        with self._lock:
            added: list[str] = []
            if "order_ids" in updates:
                added = self._appended(updates.pop("order_ids"))
            at = updates.pop("updated_at", None)
            if at is None and not added and updates.get("status", self.status) == self.status:
                at = self.updated_at
            return self._commit(ChangeKind.ASSIGNMENT, updates, added, at)

    # ------------------------------------------------------------------ the one commit path

    def _commit(
        self,
        kind: ChangeKind,
        updates: dict[str, Any],
        added: list[str],
        at: datetime | None,
        reason: str | None = None,
    ) -> Records:
        """Check ``updates`` plus ``added`` orders against every rule, then apply all of them.

        ``at`` becomes ``updated_at`` (now, if ``None``); nothing is written unless every
        check passes, and the writes themselves cannot fail. The records are made before
        the writes, the subscribers called after them. Caller holds the lock.
        """
        when = self._clock(at)
        state: dict[str, Any] = {**self.__dict__, **updates, "updated_at": when}
        if added and state["status"] == GroupStatus.PENDING:
            state["status"] = GroupStatus.ACTIVE
        if state["status"] != self.status:
            check_transition(self.group_id, self.status, state["status"])
        errors = violations(state, len(self.order_ids) + len(added))
        if when < self.updated_at:
            errors.append(_backwards(when, self.updated_at))
        raise_if_any(errors)
        records = self._records(kind, state, updates, added, reason)
        self._write(state, added, updates)
        self._notify(records)
        return records

    def _records(
        self,
        kind: ChangeKind,
        state: dict[str, Any],
        updates: dict[str, Any],
        added: list[str],
        reason: str | None,
    ) -> Records:
        """What a checked commit changes: the status, each added order, each other field."""
        group_id: str = self.group_id
        when: datetime = state["updated_at"]
        records: list[ChangeRecord] = []
        if state["status"] != self.status:
            records.append(
                ChangeRecord(
                    group_id,
                    ChangeKind.TRANSITION,
                    "status",
                    self.status,
                    state["status"],
                    when,
                    reason,
                )
            )
        records.extend(
            ChangeRecord(group_id, ChangeKind.ORDER_ADDED, "order_ids", None, order_id, when)
            for order_id in added
        )
        for name, value in updates.items():
            old = self.__dict__[name]
            if name != "status" and not _same(old, value):
                records.append(ChangeRecord(group_id, kind, name, old, value, when, reason))
        if not records and when != self.updated_at:
            records.append(
                ChangeRecord(group_id, kind, "updated_at", self.updated_at, when, when, reason)
            )
        return tuple(records)

    def _write(self, state: dict[str, Any], added: list[str], touched: Iterable[str]) -> None:
        """Write a checked ``state`` (and ``added`` orders); cannot fail. Caller holds the lock."""
        orders = self._orders()
        if added:
            orders.extend_trusted(added)
        changed = {name: state[name] for name in _FIELD_NAMES if name != "order_ids"}
        for name, value in changed.items():
            object.__setattr__(self, name, value)
        fields_set = self.__pydantic_fields_set__
        fields_set.update(name for name in touched if name in _FIELD_NAMES)
        fields_set.add("updated_at")
        if added:
            fields_set.add("order_ids")

    def _notify(self, records: Iterable[ChangeRecord]) -> None:
        """Deliver ``records`` to this group's subscribers, then to every group's."""
        callbacks = (*self._subscribers.entries, *_EVERY_GROUP.entries)
        if not callbacks:
            return
        failures: list[Exception] = []
        for record in records:
            for callback in callbacks:
                try:
                    callback.function(record)
                except Exception as exc:  # pylint: disable=broad-exception-caught
                    failures.append(exc)
        if len(failures) == 1:
            raise failures[0]
        if failures:
            raise ExceptionGroup("subscribers raised after the change was made", failures)

    def _clock(self, at: datetime | None) -> datetime:
        """``at`` checked as a UTC instant, or now; the implicit clock never runs backwards."""
        if at is None:
            now = utc_now()
            current: datetime = self.__dict__["updated_at"]
            return now if now >= current else current
        return checked(("at",), parse_timestamp, at)

    def _new_orders(self, order_ids: list[str]) -> list[str]:
        """Validate ids to add: each well formed, none already here, none twice.

        Caller holds the lock, so no other thread can add an id between check and write.
        """
        orders = self._orders()
        errors: list[InitErrorDetails] = []
        seen: set[str] = set()
        base = len(orders)
        for offset, given in enumerate(order_ids):
            loc: tuple[str | int, ...] = ("order_ids", base + offset)
            try:
                order_id = order_ids[offset] = checked(loc, _ORDER_ID.validate_python, given)
            except ValidationError as exc:
                errors.extend(details(exc))
                continue
            if orders.has(order_id) or order_id in seen:
                errors.append(not_unique(loc, order_id))
            seen.add(order_id)
        raise_if_any(errors)
        return order_ids

    def _appended(self, new: list[str]) -> list[str]:
        """The orders a whole-list assignment adds; refused if it removes or reorders."""
        orders = self._orders()
        if len(new) < len(orders) or new[: len(orders)] != orders:
            raise contract_error(
                [
                    violation(
                        "order_ids_append_only",
                        ("order_ids",),
                        new,
                        {"operation": "assigning a list that does not start with the current one"},
                    )
                ]
            )
        return self._new_orders(list(new[len(orders) :]))

    def _orders(self) -> OrderIds:
        """The guarded order list (made now if this group has not been touched yet)."""
        return cast(OrderIds, self.order_ids)

    def _adopt_orders(self, orders: list[str]) -> None:
        """Take a copy of ``orders`` (from a valid group) as this group's own order list."""
        vars(self)["order_ids"] = list(orders)

    @classmethod
    def _validator(cls, name: str) -> TypeAdapter[Any]:
        return _FIELD_VALIDATORS[name]

    # ------------------------------------------------------------------ copies, pickles, dumps

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Generator[tuple[str, Any], None, None]:
        """``dict(group)`` and ``for name, value in group`` see the guarded order list."""
        self._orders()
        _ = self.metadata  # the read-only view, never the stored dict
        return super().__iter__()

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """``BaseModel.model_dump``, under the lock: a consistent snapshot of one state."""
        with self._lock:
            return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        """``BaseModel.model_dump_json``, under the lock: a consistent snapshot of one state."""
        with self._lock:
            if kwargs:
                return super().model_dump_json(**kwargs)
            # What ``BaseModel.model_dump_json()`` runs with every option at its default,
            # without its Python frame: writing events is as hot a path as reading them.
            return self.__pydantic_serializer__.to_json(self).decode()

    def __copy__(self) -> Self:
        with self._lock:
            clone = super().__copy__()
            clone._detach_from(self)
        return clone

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        with self._lock:
            private = self.__pydantic_private__
            object.__setattr__(self, "__pydantic_private__", None)
            try:
                clone = super().__deepcopy__(memo)
            finally:
                object.__setattr__(self, "__pydantic_private__", private)
            clone._detach_from(self)
        return clone

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy that is its own group; ``update`` goes through the same checks as assignment.

        The copy has its own lock and order list and no subscribers. A shallow copy shares
        the ``metadata`` dict with the original (as any shallow copy does); ``deep=True``
        does not.
        """
        clone = copy.deepcopy(self) if deep else copy.copy(self)
        if update:
            clone._assign(update)  # pylint: disable=protected-access
        return clone

    def __getstate__(self) -> dict[Any, Any]:
        with self._lock:
            state = super().__getstate__()
            state["__dict__"] = {**state["__dict__"], "order_ids": list(self.__dict__["order_ids"])}
            state["__pydantic_fields_set__"] = set(state["__pydantic_fields_set__"])
        state["__pydantic_private__"] = None
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        self._fresh_private()
        self._adopt_orders(self.__dict__["order_ids"])

    def _fresh_private(self) -> None:
        """A new lock and no subscribers: what a copy or an unpickled group starts with."""
        object.__setattr__(self, "__pydantic_private__", None)

    def _detach_from(self, original: ExecutionGroup) -> None:
        self._fresh_private()
        self._adopt_orders(original.__dict__["order_ids"])


def _same(old: Any, new: Any) -> bool:
    """True when writing ``new`` over ``old`` changes nothing, JSON form included."""
    if old is new:
        return True
    return type(old) is type(new) and old == new and repr(old) == repr(new)


def _backwards(
    when: datetime, current: datetime, loc: tuple[str | int, ...] = ("updated_at",)
) -> InitErrorDetails:
    """``updated_at`` would move from ``current`` back to ``when``."""
    return violation(
        "updated_at_backwards",
        loc,
        when,
        {"current": current.isoformat()},
    )


_FIELD_NAMES = frozenset(ExecutionGroup.model_fields)
# Set after pydantic has read the class (in the class body it would be the default).
setattr(ExecutionGroup, "order_ids", OrderIdsField())  # noqa: B010 (typed as the field)
setattr(ExecutionGroup, "metadata", MetadataField())  # noqa: B010 (typed as the field)


def _field_validator(annotation: Any, metadata: list[Any]) -> TypeAdapter[Any]:
    """The same checks as model validation, for one field on its own (Python mode)."""
    if not metadata:
        return TypeAdapter(annotation)
    return TypeAdapter(Annotated[(annotation, *metadata)])  # pyright: ignore


_FIELD_VALIDATORS: dict[str, TypeAdapter[Any]] = {
    name: _field_validator(info.annotation, info.metadata)
    for name, info in ExecutionGroup.model_fields.items()
}
_ORDER_ID = SchemaValidator(TypeAdapter(OrderId).core_schema)
_REASON = TypeAdapter(Reason)
