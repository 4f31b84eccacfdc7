"""``ExecutionGroup``: the generated base model plus every rule JSON Schema cannot run alone.

The base class (``_generated.model``) is what datamodel-code-generator makes of the
schema. This subclass swaps in the contract's strict types (UTC timestamps, Decimal
quantities, JSON-safe metadata, a guarded order list), adds the cross-field rules of
``rules`` and owns every mutation, so that a rejected change leaves the group exactly as
it was. Pydantic's ``validate_assignment`` is not used: it keeps the new value even when
a later validator rejects it, and re-validating the whole model costs O(n) per order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

from pydantic import AfterValidator, ConfigDict, Field, PrivateAttr, TypeAdapter, model_validator
from pydantic_core import InitErrorDetails, SchemaValidator

from ._generated import model as generated
from ._generated.model import GroupStatus
from .contract import examples, schema
from .errors import checked, contract_error, raise_if_any, violation
from .ids import DirectiveId, GroupId, OrderId
from .lifecycle import (
    IMMUTABLE_FIELDS,
    REASON_KEYS,
    STATUS_TIMESTAMPS,
    TRANSITIONS,
    check_transition,
    is_terminal,
)
from .metadata import Metadata
from .order_ids import OrderIds, unique_order_ids
from .quantities import Quantity, parse_quantity
from .rules import check_filled_quantity, check_target_quantity, violations
from .timestamps import UtcTimestamp, parse_timestamp, utc_now

__all__ = ["ExecutionGroup"]

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


class ExecutionGroup(generated.ExecutionGroup):
    """The record of one execution directive's child orders, their lifecycle and fills.

    Mutable by design: add orders, record fills and move the status with the lifecycle
    methods, or with the design's idiom (``group.order_ids.append(x)``,
    ``group.status = s``); every path checks every rule and changes nothing when it
    rejects. Safe to share between threads: mutations hold a per-group lock.
    """

    model_config = ConfigDict(
        extra="forbid",
        title="ExecutionGroup",
        json_schema_extra=_schema_extra,
    )

    group_id: Annotated[GroupId, _about("group_id")]
    parent_directive_id: Annotated[DirectiveId, _about("parent_directive_id")]
    order_ids: Annotated[
        list[OrderId], AfterValidator(unique_order_ids), _about("order_ids", "uniqueItems")
    ]
    created_at: Annotated[UtcTimestamp, _about("created_at")]
    updated_at: Annotated[UtcTimestamp, _about("updated_at")]
    target_quantity: Annotated[  # type: ignore[assignment]
        Quantity | None,
        AfterValidator(check_target_quantity),
        _about("target_quantity", "not"),
    ] = None
    filled_quantity: Annotated[  # type: ignore[assignment]
        Quantity | None,
        AfterValidator(check_filled_quantity),
        _about("filled_quantity"),
    ] = None
    cancelled_at: Annotated[UtcTimestamp | None, _about("cancelled_at")] = None
    completed_at: Annotated[UtcTimestamp | None, _about("completed_at")] = None
    metadata: Annotated[Metadata | None, _about("metadata")] = None

    _lock: threading.RLock = PrivateAttr(default_factory=threading.RLock)
    _field_validators: ClassVar[dict[str, TypeAdapter[Any]]]

    @model_validator(mode="after")
    def _check_document(self) -> Self:
        raise_if_any(violations(self.__dict__, len(self.order_ids)))
        self._adopt_orders(self.__dict__["order_ids"])
        return self

    # ------------------------------------------------------------------ derived values

    @property
    def fill_ratio(self) -> Decimal | None:
        """``filled_quantity / target_quantity`` (nothing filled counts as 0); ``None`` without a target."""
        target = self.target_quantity
        if target is None:
            return None
        return (self.filled_quantity or _ZERO) / target

    @property
    def remaining_quantity(self) -> Decimal | None:
        """``target_quantity - filled_quantity`` (nothing filled counts as 0); ``None`` without a target."""
        target = self.target_quantity
        if target is None:
            return None
        return target - (self.filled_quantity or _ZERO)

    @property
    def is_terminal(self) -> bool:
        """True once the status has no way out (COMPLETED, CANCELLED, FAILED, PARTIAL)."""
        return is_terminal(self.status)

    @property
    def allowed_transitions(self) -> frozenset[GroupStatus]:
        """The statuses this group may move to next."""
        return TRANSITIONS[self.status]

    # ------------------------------------------------------------------ lifecycle

    def add_order(self, order_id: str, *, at: datetime | None = None) -> None:
        """Track one more child order; a PENDING group becomes ACTIVE. O(1).

        Allowed after the group is terminal (an order acknowledged after a cancel must
        still be tracked); the status then stays as it is.
        """
        self.add_orders([order_id], at=at)

    def add_orders(self, order_ids: Iterable[str], *, at: datetime | None = None) -> None:
        """Track several orders at once: all of them, or none when one is refused."""
        with self._lock:
            self._commit({}, self._new_orders(list(order_ids)), at)

    def record_fill(self, quantity: Decimal | int | str, *, at: datetime | None = None) -> None:
        """Add a fill increment to ``filled_quantity``; refused if it would pass the target.

        Allowed after the group is terminal: fills race cancels at every venue.
        """
        increment = checked(("quantity",), parse_quantity, quantity)
        if increment <= _ZERO:
            raise contract_error(
                [violation(("quantity",), "fill_positive", "a fill must be positive", quantity)]
            )
        with self._lock:
            total = (self.filled_quantity or _ZERO) + increment
            total = checked(("filled_quantity",), parse_quantity, total)
            self._commit({"filled_quantity": total}, [], at)

    def transition_to(
        self, status: GroupStatus | str, *, at: datetime | None = None, reason: str | None = None
    ) -> None:
        """Move to ``status`` if the lifecycle allows it; moving to the current status is a no-op.

        A move to CANCELLED or COMPLETED stamps ``cancelled_at``/``completed_at`` with
        ``at`` (unless already set); ``reason`` is kept in ``metadata`` (``cancel_reason``,
        ``failure_reason``, ...).
        """
        target = checked(("status",), self._validator("status").validate_python, status)
        note = None if reason is None else checked(("reason",), _REASON.validate_python, reason)
        with self._lock:
            if target == self.status:
                return
            check_transition(self.group_id, self.status, target)
            when = self._clock(at)
            updates: dict[str, Any] = {"status": target}
            stamp_field = STATUS_TIMESTAMPS.get(target)
            if stamp_field is not None and self.__dict__[stamp_field] is None:
                updates[stamp_field] = when
            if note is not None and target in REASON_KEYS:
                updates["metadata"] = {**(self.metadata or {}), REASON_KEYS[target]: note}
            self._commit(updates, [], when)

    def cancel(self, reason: str | None = None, *, at: datetime | None = None) -> None:
        """Cancel the group (idempotent); ``reason`` goes to ``metadata["cancel_reason"]``."""
        self.transition_to(GroupStatus.CANCELLED, at=at, reason=reason)

    def complete(self, *, at: datetime | None = None) -> None:
        """Mark the group COMPLETED (all orders done)."""
        self.transition_to(GroupStatus.COMPLETED, at=at)

    def fail(self, reason: str | None = None, *, at: datetime | None = None) -> None:
        """Mark the group FAILED; ``reason`` goes to ``metadata["failure_reason"]``."""
        self.transition_to(GroupStatus.FAILED, at=at, reason=reason)

    # ------------------------------------------------------------------ assignment

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FIELD_NAMES or not name.startswith("_"):
            self._assign({name: value})
        else:
            super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in _FIELD_NAMES:
            raise contract_error(
                [violation((name,), "field_required", "{field} cannot be deleted", None,
                           {"field": name})]
            )
        super().__delattr__(name)

    def _assign(self, changes: Mapping[str, Any]) -> None:
        """Field assignment (``group.x = v``, ``model_copy(update=...)``), all or nothing."""
        errors: list[InitErrorDetails] = []
        updates: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in _FIELD_NAMES:
                errors.append(violation((name,), "extra_forbidden",
                                        "{field} is not a field of ExecutionGroup", value,
                                        {"field": name}))
            elif name in IMMUTABLE_FIELDS:
                errors.append(violation((name,), "immutable_field",
                                        "{field} is immutable after creation", value,
                                        {"field": name}))
            else:
                try:
                    updates[name] = checked((name,), self._validator(name).validate_python, value)
                except Exception as exc:
                    errors.extend(_details(exc))
        raise_if_any(errors)
        with self._lock:
            added: list[str] = []
            if "order_ids" in updates:
                added = self._appended(updates.pop("order_ids"))
            at = updates.pop("updated_at", None)
            if at is None and not added and updates.get("status", self.status) == self.status:
                self._commit(updates, [], self.updated_at)
            else:
                self._commit(updates, added, at)

    # ------------------------------------------------------------------ the one commit path

    def _commit(self, updates: dict[str, Any], added: list[str], at: datetime | None) -> None:
        """Check ``updates`` plus ``added`` orders against every rule, then apply all of them.

        ``at`` becomes ``updated_at`` (now, if ``None``); nothing is written unless every
        check passes, and the writes themselves cannot fail. Caller holds the lock.
        """
        when = self._clock(at)
        state = {**self.__dict__, **updates, "updated_at": when}
        if added and state["status"] == GroupStatus.PENDING:
            state["status"] = GroupStatus.ACTIVE
        if state["status"] != self.status:
            check_transition(self.group_id, self.status, state["status"])
        errors = violations(state, len(self.order_ids) + len(added))
        if when < self.updated_at:
            errors.append(violation(("updated_at",), "updated_at_backwards",
                                    "updated_at cannot move backwards (from {current})", when,
                                    {"current": self.updated_at.isoformat()}))
        raise_if_any(errors)
        orders: OrderIds = self.__dict__["order_ids"]
        if added:
            orders.extend_trusted(added)
        changed = {name: state[name] for name in _FIELD_NAMES if name != "order_ids"}
        self.__dict__.update(changed)
        self.__pydantic_fields_set__.update(updates)
        self.__pydantic_fields_set__.add("updated_at")

    def _clock(self, at: datetime | None) -> datetime:
        """``at`` checked as a UTC instant, or now; the implicit clock never runs backwards."""
        if at is None:
            now = utc_now()
            current: datetime = self.__dict__["updated_at"]
            return now if now >= current else current
        return checked(("at",), parse_timestamp, at)

    def _new_orders(self, order_ids: list[str]) -> list[str]:
        """Validate ids to add: each well formed, none already here, none twice."""
        orders: OrderIds = self.__dict__["order_ids"]
        errors: list[InitErrorDetails] = []
        seen: set[str] = set()
        base = len(orders)
        for offset, order_id in enumerate(order_ids):
            loc: tuple[str | int, ...] = ("order_ids", base + offset)
            try:
                checked(loc, _ORDER_ID.validate_python, order_id)
            except Exception as exc:
                errors.extend(_details(exc))
                continue
            if orders.has(order_id) or order_id in seen:
                errors.append(violation(loc, "order_ids_unique",
                                        "order_ids must contain unique values", order_id))
            seen.add(order_id)
        raise_if_any(errors)
        return order_ids

    def _appended(self, new: list[str]) -> list[str]:
        """The orders a whole-list assignment adds; refused if it removes or reorders."""
        orders: OrderIds = self.__dict__["order_ids"]
        if new is orders:
            return []
        if len(new) < len(orders) or new[: len(orders)] != orders:
            raise contract_error(
                [violation(("order_ids",), "order_ids_append_only",
                           "order_ids is append-only: the new list must start with the "
                           "current orders, in order", new)]
            )
        return self._new_orders(list(new[len(orders):]))

    def _adopt_orders(self, orders: list[str]) -> None:
        guarded = orders if isinstance(orders, OrderIds) else unique_order_ids(list(orders))
        guarded.bind(self)
        self.__dict__["order_ids"] = guarded

    @classmethod
    def _validator(cls, name: str) -> TypeAdapter[Any]:
        return _FIELD_VALIDATORS[name]

    # ------------------------------------------------------------------ copies and pickles

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__  # type: ignore[union-attr]

    __hash__ = None  # type: ignore[assignment]

    def __copy__(self) -> Self:
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
        """A copy that is its own group; ``update`` goes through the same checks as assignment."""
        clone = self.__deepcopy__() if deep else self.__copy__()
        if update:
            clone._assign(update)
        return clone

    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        state["__pydantic_private__"] = None
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        object.__setattr__(self, "__pydantic_private__", {"_lock": threading.RLock()})
        self._adopt_orders(list(self.__dict__["order_ids"]))

    def _detach_from(self, original: ExecutionGroup) -> None:
        object.__setattr__(self, "__pydantic_private__", {"_lock": threading.RLock()})
        self.__dict__["order_ids"] = None
        self._adopt_orders(OrderIds(original.__dict__["order_ids"]))


def _details(exc: Exception) -> list[InitErrorDetails]:
    from pydantic import ValidationError  # pylint: disable=import-outside-toplevel

    if not isinstance(exc, ValidationError):
        raise exc
    return [
        violation(err["loc"], err["type"], err["msg"], err["input"])
        for err in exc.errors(include_url=False)
    ]


_FIELD_NAMES = frozenset(ExecutionGroup.model_fields)


def _field_validator(annotation: Any, metadata: list[Any]) -> TypeAdapter[Any]:
    """The same checks as model validation, for one field on its own (Python mode)."""
    if not metadata:
        return TypeAdapter(annotation)
    return TypeAdapter(Annotated[(annotation, *metadata)])  # type: ignore[valid-type]


_FIELD_VALIDATORS: dict[str, TypeAdapter[Any]] = {
    name: _field_validator(info.annotation, info.metadata)
    for name, info in ExecutionGroup.model_fields.items()
}
_ORDER_ID = SchemaValidator(TypeAdapter(OrderId).core_schema)
_REASON = TypeAdapter(Annotated[str, Field(min_length=1, strict=True)])
