"""``ExecutionGroup``: the contract's document (``_fields``) with its lifecycle.

The fields, their strict types and the rules checked when a document is read live in
``_fields.GroupFields``. This class adds the derived values and is the public face of
every mutation: each method parses its arguments, then, under the group's lock, has the
change planned (``_planner``, ``_replay``: pure, all or nothing), written and delivered
(``_storage``). Pydantic's
``validate_assignment`` is not used: it keeps the new value even when a later validator
rejects it, and re-validating the whole model costs O(n) per order.

Every accepted change is described by ``ChangeRecord`` objects (module ``audit``): the
lifecycle methods return them and subscribers receive them (see ``subscribe``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, cast

from pydantic import TypeAdapter

from ._fields import GroupFields
from ._generated.model import GroupStatus
from ._planner import (
    parse_assignment,
    parse_field,
    plan_append,
    plan_change,
    transition_updates,
)
from ._replay import plan_records
from ._storage import EVERY_GROUP, STORAGE_KEY, storage_of, write
from .audit import ChangeKind, ChangeRecord, Records, Subscriber
from .errors import checked, contract_error, violation
from .lifecycle import TRANSITIONS, is_terminal
from .metadata import MetadataField, Reason
from .order_ids import OrderIds, OrderIdsField
from .quantities import add, parse_quantity, ratio, subtract
from .timestamps import parse_timestamp, utc_now

__all__ = ["ExecutionGroup", "Records", "Subscriber"]

_ZERO = Decimal(0)


class ExecutionGroup(GroupFields):
    """The record of one execution directive's child orders, their lifecycle and fills.

    Mutable by design: add orders, record fills and move the status with the lifecycle
    methods, or with the design's idiom (``group.order_ids.append(x)``,
    ``group.status = s``); every path checks every rule and changes nothing when it
    rejects. Safe to share between threads: every mutation, copy, pickle and dump holds a
    per-group re-entrant lock, so each sees (and leaves) a state that keeps every rule.
    """

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
        # Flat, exact types first: every order a group takes comes through here.
        # pylint: disable=unidiomatic-typecheck
        private = self.__pydantic_private__
        storage = private.get(STORAGE_KEY) if private else None
        if storage is None:
            storage = storage_of(self)
        with storage.lock:
            fields = self.__dict__
            orders = fields["order_ids"]
            if type(orders) is not OrderIds:
                orders = self._orders()
            when = at if type(at) is datetime and at.tzinfo is UTC else self._when(at)
            plan = plan_append(fields, orders, (order_id,), when)
            return write(self, fields, storage, orders, plan)

    def add_orders(self, order_ids: Iterable[str], *, at: datetime | None = None) -> Records:
        """Track several orders at once: all of them, or none when one is refused.

        No ids is no change (``updated_at`` does not move).
        """
        ids = list(order_ids)
        storage = storage_of(self)
        with storage.lock:
            fields = self.__dict__
            orders = self._orders()
            plan = plan_append(fields, orders, ids, self._when(at))
            return write(self, fields, storage, orders, plan)

    def record_fill(self, quantity: Decimal | int | str, *, at: datetime | None = None) -> Records:
        """Add a fill increment to ``filled_quantity``; refused if it would pass the target.

        Allowed after the group is terminal: fills race cancels at every venue.
        """
        increment = checked(("quantity",), parse_quantity, quantity)
        if increment <= _ZERO:
            raise contract_error([violation("fill_positive", ("quantity",), quantity)])
        with storage_of(self).lock:
            total = add(self.filled_quantity or _ZERO, increment)
            total = checked(("filled_quantity",), parse_quantity, total)
            return self._change(ChangeKind.FILL, {"filled_quantity": total}, self._when(at))

    def transition_to(
        self, status: GroupStatus | str, *, at: datetime | None = None, reason: str | None = None
    ) -> Records:
        """Move to ``status`` if the lifecycle allows it; moving to the current status is a no-op.

        A move to CANCELLED or COMPLETED stamps ``cancelled_at``/``completed_at`` with
        ``at`` (unless already set); ``reason`` is kept in ``metadata`` (``cancel_reason``,
        ``failure_reason``, ...).
        """
        target = parse_field(_VALIDATORS, "status", status, ("status",))
        note = None if reason is None else checked(("reason",), _REASON.validate_python, reason)
        with storage_of(self).lock:
            if target == self.status:
                return ()
            updates = transition_updates(self.__dict__, target, note)
            return self._change(ChangeKind.TRANSITION, updates, self._when(at), note)

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

        Callbacks run after the change is written, while the group's lock is held, and
        see records in commit order, always: a callback may change the group again (the
        lock is re-entrant); that change is made at once and its records are delivered
        after the ones still being delivered. Callbacks must be quick and must not wait
        on another thread that uses this group. An exception from a callback does not
        undo the change, which stands: every callback is still called, then the exception
        propagates to the caller of the mutation (an ``ExceptionGroup`` if several
        raised); the records are not returned.

        Subscriptions belong to this object: copies, pickles and ``model_copy`` results
        start with none.
        """
        return storage_of(self).add(callback)

    @classmethod
    def subscribe_all(cls, callback: Subscriber) -> Callable[[], None]:
        """Like ``subscribe``, for every group in the process (after the group's own callbacks)."""
        return EVERY_GROUP.add(callback)

    def apply(self, records: Iterable[ChangeRecord]) -> Records:
        """Apply a log of ``records`` (from this group or an equal one), all or nothing.

        Each record must follow the state before it: this group's id, a known, mutable
        field, ``old`` equal to the current value, ``at`` not before ``updated_at``, a
        status move the lifecycle allows, a new, well formed order id (which activates a
        PENDING group, as ``add_order`` does), a value the field accepts (an
        ``updated_at`` record sets ``updated_at`` to its ``new``). The result must keep
        every rule. Subscribers receive the records.
        """
        storage = storage_of(self)
        with storage.lock:
            fields = self.__dict__
            orders = self._orders()
            plan = plan_records(fields, orders, records, _VALIDATORS)
            return write(self, fields, storage, orders, plan)

    # ------------------------------------------------------------------ assignment

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FIELD_NAMES or not name.startswith("_"):
            self._assign({name: value})
        else:
            super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in _FIELD_NAMES:
            raise contract_error([violation("field_required", (name,), None, {"field": name})])
        super().__delattr__(name)

    def _assign(self, changes: Mapping[str, Any]) -> Records:
        """Field assignment (``group.x = v``, ``model_copy(update=...)``), all or nothing.

        A status goes through the lifecycle exactly as ``transition_to`` (stamps
        included); a list of orders must keep the current ones as its prefix.
        """
        skip = self.__dict__["order_ids"]  # ``group.order_ids += [...]`` rebinds the same list
        updates = parse_assignment(_VALIDATORS, _FIELD_NAMES, changes, skip)
        storage = storage_of(self)
        with storage.lock:
            fields = self.__dict__
            new_ids: list[str] = []
            if "order_ids" in updates:
                new_ids = self._orders().added_by(updates.pop("order_ids"))
            given: datetime | None = updates.pop("updated_at", None)
            moves = new_ids or updates.get("status", fields["status"]) != fields["status"]
            when: datetime = given or (self._when(None) if moves else fields["updated_at"])
            orders = self._orders() if new_ids else None
            plan = plan_change(
                fields, orders, ChangeKind.ASSIGNMENT, updates, when=when, added_ids=new_ids
            )
            return write(self, fields, storage, orders, plan)

    # ------------------------------------------------------------------ the commit path

    def _change(
        self,
        kind: ChangeKind,
        updates: dict[str, Any],
        when: datetime,
        reason: str | None = None,
    ) -> Records:
        """Plan and write a change that adds no order. Caller holds the lock."""
        fields = self.__dict__
        plan = plan_change(fields, None, kind, updates, when=when, reason=reason)
        return write(self, fields, storage_of(self), None, plan)

    def _when(self, at: datetime | None) -> datetime:
        """``at`` checked as a UTC instant, or now; the implicit clock never runs backwards."""
        if at is None:
            now = utc_now()
            current: datetime = self.__dict__["updated_at"]
            return now if now >= current else current
        if type(at) is datetime and at.tzinfo is UTC:  # pylint: disable=unidiomatic-typecheck
            return at  # the common case, without a call
        return checked(("at",), parse_timestamp, at)

    def _orders(self) -> OrderIds:
        """The guarded order list (made now if this group has not been touched yet)."""
        ids = self.__dict__["order_ids"]
        if type(ids) is OrderIds:  # pylint: disable=unidiomatic-typecheck
            return ids
        return cast(OrderIds, self.order_ids)

    def _views(self) -> None:
        """Swap in the guarded order list and the read-only metadata view (what readers get)."""
        self._orders()
        _ = self.metadata


_FIELD_NAMES = frozenset(ExecutionGroup.model_fields)
# Set after pydantic has read the class (in the class body it would be the default).
setattr(ExecutionGroup, "order_ids", OrderIdsField())  # noqa: B010 (typed as the field)
setattr(ExecutionGroup, "metadata", MetadataField())  # noqa: B010 (typed as the field)


def _field_validator(annotation: Any, metadata: list[Any]) -> TypeAdapter[Any]:
    """The same checks as model validation, for one field on its own (Python mode)."""
    if not metadata:
        return TypeAdapter(annotation)
    return TypeAdapter(Annotated[(annotation, *metadata)])  # pyright: ignore


_VALIDATORS: dict[str, TypeAdapter[Any]] = {
    name: _field_validator(info.annotation, info.metadata)
    for name, info in ExecutionGroup.model_fields.items()
}
_REASON = TypeAdapter(Reason)
