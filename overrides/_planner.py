"""Planning a change: a state and a change give the new fields and their records, or the violations.

Pure: the planner reads a group's fields (``state``, its ``__dict__``) and its guarded
order list, and returns a ``Plan``; it never writes. ``_storage.write`` writes a plan,
the model holds the lock around both. Every mutation (lifecycle methods, the design's
idiom, assignment, ``model_copy(update=...)``, ``apply``, ``replay``) is planned here,
so each check exists once.

Each plan checks what its change can break: an append checks the new ids, the clock and
the rules that read the order count (``rules.order_count_violations``); any other change
checks every rule on the state it leads to, through the order list's length alone (a
transition, a fill or an assignment never builds the guarded list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from pydantic import TypeAdapter, ValidationError
from pydantic_core import InitErrorDetails, SchemaValidator

from ._generated.model import GroupStatus
from ._readonly import freeze
from .audit import ChangeKind, ChangeRecord, Records
from .errors import checked, contract_error, details, raise_if_any, violation
from .ids import OrderId
from .lifecycle import IMMUTABLE_FIELDS, REASON_KEYS, STATUS_TIMESTAMPS, check_transition
from .order_ids import OrderIds, not_unique
from .rules import order_count_violations, violations

__all__ = [
    "Plan",
    "backwards",
    "field_refusal",
    "new_order_ids",
    "owned",
    "parse_assignment",
    "parse_field",
    "plan_append",
    "plan_change",
    "transition_updates",
]

Plan = tuple[dict[str, Any], list[str], Records]
"""A checked change: the fields to write (``updated_at`` always among them), the order ids
to append, and the records that describe it."""

_PENDING = GroupStatus.PENDING
_ACTIVE = GroupStatus.ACTIVE
_TRANSITION = ChangeKind.TRANSITION
_ORDER_ADDED = ChangeKind.ORDER_ADDED
_ORDER_ID = SchemaValidator(TypeAdapter(OrderId).core_schema)
_validate_order_id = _ORDER_ID.validate_python
_MUTABLE = (dict, list)

_tuple = cast(
    Callable[[type[ChangeRecord], tuple[Any, ...]], ChangeRecord], tuple[Any, ...].__new__
)


def owned(value: Any) -> Any:
    """``value`` as a record may hold it: a plain dict or list becomes a deep read-only copy
    (read-only views are shared as they are)."""
    return freeze(value) if type(value) in _MUTABLE else value


def backwards(
    when: datetime, current: datetime, loc: tuple[str | int, ...] = ("updated_at",)
) -> InitErrorDetails:
    """``updated_at`` would move from ``current`` back to ``when``."""
    return violation("updated_at_backwards", loc, when, {"current": current.isoformat()})


def new_order_ids(
    orders: OrderIds,
    ids: Iterable[object],
    loc: tuple[str | int, ...] | None = None,
    pending: set[str] | None = None,
) -> list[str]:
    """``ids`` as order ids to add: each well formed, none already here (nor in ``pending``,
    ids about to be added), none twice. Raises with every problem found, each at ``loc``
    (by default where the id would land in ``order_ids``)."""
    errors: list[InitErrorDetails] = []
    seen = orders.seen
    fresh: set[str] = set() if pending is None else pending
    found: list[str] = []
    index = len(orders) + len(fresh)
    for given in ids:
        where = ("order_ids", index) if loc is None else loc
        index += 1
        try:
            order_id: str = _validate_order_id(given)
        except ValidationError as exc:
            errors.extend(details(exc, where))
            continue
        if order_id in seen or order_id in fresh:
            errors.append(not_unique(where, order_id))
        fresh.add(order_id)
        found.append(order_id)
    raise_if_any(errors)
    return found


def plan_append(
    state: Mapping[str, Any], orders: OrderIds, ids: Sequence[object], when: datetime
) -> Plan:
    """Add ``ids`` at ``when``: the first order activates a PENDING group.

    Checks what an append can break: each id (well formed, new), the rules an order count
    breaks, the clock. An empty ``ids`` plans nothing (``updated_at`` stays). Flat on
    purpose: it runs for every order a group takes.
    """
    added: list[str] | None = None
    if len(ids) == 1:  # the common case, without the loop that reports every problem
        try:
            order_id: str = _validate_order_id(ids[0])
        except ValidationError:
            pass
        else:
            if order_id not in orders.seen:
                added = [order_id]
    if added is None:
        added = new_order_ids(orders, ids)
        if not added:
            return {}, [], ()
    current: datetime = state["updated_at"]
    errors = order_count_violations(state, len(orders) + len(added))
    if when < current:
        errors.append(backwards(when, current))
    if errors:
        raise contract_error(errors)
    group_id: str = state["group_id"]
    records = (
        tuple(
            _tuple(ChangeRecord, (group_id, _ORDER_ADDED, "order_ids", None, order_id, when, None))
            for order_id in added
        )
        if len(added) > 1
        else (
            _tuple(ChangeRecord, (group_id, _ORDER_ADDED, "order_ids", None, added[0], when, None)),
        )
    )
    if state["status"] is _PENDING:
        activation = _tuple(
            ChangeRecord, (group_id, _TRANSITION, "status", _PENDING, _ACTIVE, when, None)
        )
        return {"status": _ACTIVE, "updated_at": when}, added, (activation, *records)
    return {"updated_at": when}, added, records


def transition_updates(
    state: Mapping[str, Any], target: GroupStatus, reason: str | None
) -> dict[str, Any]:
    """The fields ``transition_to(target, reason=...)`` sets: the status, and the reason
    under its ``metadata`` key (``cancel_reason``, ...)."""
    updates: dict[str, Any] = {"status": target}
    key = REASON_KEYS.get(target)
    if reason is not None and key is not None:
        updates["metadata"] = {**(state["metadata"] or {}), key: reason}
    return updates


def plan_change(  # noqa: PLR0913  # pylint: disable=too-many-arguments
    state: Mapping[str, Any],
    orders: OrderIds | None,
    kind: ChangeKind,
    updates: Mapping[str, Any],
    *,
    when: datetime,
    reason: str | None = None,
    added_ids: Iterable[object] = (),
) -> Plan:
    """Set ``updates`` (checked values of mutable fields) and add ``added_ids`` at ``when``.

    A status move is checked against the lifecycle and stamps ``cancelled_at`` or
    ``completed_at`` at ``when`` unless it is set or given; added orders activate a
    PENDING group unless a status is given. ``orders`` may be ``None`` when no id is added.
    """
    added = new_order_ids(orders, added_ids) if orders is not None else []
    source: GroupStatus = state["status"]
    target: GroupStatus = updates.get("status", source)
    if added and target is _PENDING and "status" not in updates:
        target = _ACTIVE
    fields: dict[str, Any] = {}
    stamp = None
    if target != source or "status" in updates:
        fields["status"] = target
    if target != source:
        check_transition(state["group_id"], source, target)
        stamp = STATUS_TIMESTAMPS.get(target)
        if stamp is not None and stamp not in updates and state[stamp] is None:
            fields[stamp] = when
    fields.update((name, value) for name, value in updates.items() if name != "status")
    fields["updated_at"] = when
    errors = violations({**state, **fields}, len(state["order_ids"]) + len(added))
    if when < state["updated_at"]:
        errors.append(backwards(when, state["updated_at"]))
    raise_if_any(errors)
    return fields, added, _records(state, kind, fields, added, reason=reason, stamp=stamp)


def _records(  # noqa: PLR0913  # pylint: disable=too-many-arguments
    state: Mapping[str, Any],
    kind: ChangeKind,
    fields: dict[str, Any],
    added: list[str],
    *,
    reason: str | None,
    stamp: str | None,
) -> Records:
    """What a checked change did: the status, each added order, each other changed field;
    ``updated_at`` alone when nothing else changed."""
    group_id: str = state["group_id"]
    when: datetime = fields["updated_at"]
    made: list[ChangeRecord] = []
    if fields.get("status", state["status"]) != state["status"]:
        made.append(
            _tuple(
                ChangeRecord,
                (group_id, _TRANSITION, "status", state["status"], fields["status"], when, reason),
            )
        )
    made.extend(
        _tuple(ChangeRecord, (group_id, _ORDER_ADDED, "order_ids", None, oid, when, None))
        for oid in added
    )
    for name, value in fields.items():
        old = state[name]
        if name not in ("status", "updated_at") and not _same(old, value):
            field_kind = _TRANSITION if name == stamp else kind
            made.append(
                _tuple(
                    ChangeRecord,
                    (group_id, field_kind, name, owned(old), owned(value), when, reason),
                )
            )
    if not made and when != state["updated_at"]:
        moved = (group_id, kind, "updated_at", state["updated_at"], when, when, reason)
        made.append(_tuple(ChangeRecord, moved))
    return tuple(made)


def _same(old: Any, new: Any) -> bool:
    """True when writing ``new`` over ``old`` changes nothing, JSON form included."""
    if old is new:
        return True
    return type(old) is type(new) and old == new and repr(old) == repr(new)


def field_refusal(
    name: str, fields: frozenset[str], value: Any, loc: tuple[str | int, ...]
) -> InitErrorDetails | None:
    """Why ``name`` cannot be set on a group with ``fields``: unknown, or immutable."""
    if name not in fields:
        return violation("unknown_field", loc, value, {"field": name})
    if name in IMMUTABLE_FIELDS:
        return violation("immutable_field", loc, value, {"field": name})
    return None


def parse_assignment(
    validators: Mapping[str, TypeAdapter[Any]],
    fields: frozenset[str],
    changes: Mapping[str, Any],
    unchanged_orders: object,
) -> dict[str, Any]:
    """``changes`` (field name -> value) checked as an assignment, every problem reported.

    An ``order_ids`` value that is ``unchanged_orders`` itself is left out: ``+=`` on the
    guarded list has made its adds, then rebinds the same list.
    """
    errors: list[InitErrorDetails] = []
    updates: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "order_ids" and value is unchanged_orders:
            continue
        refusal = field_refusal(name, fields, value, (name,))
        if refusal is not None:
            errors.append(refusal)
            continue
        try:
            updates[name] = parse_field(validators, name, value, (name,))
        except ValidationError as exc:
            errors.extend(details(exc))
    raise_if_any(errors)
    return updates


def parse_field(
    validators: Mapping[str, TypeAdapter[Any]], name: str, value: Any, loc: tuple[str | int, ...]
) -> Any:
    """``value`` checked as field ``name`` (the checks of model validation, Python mode)."""
    return checked(loc, validators[name].validate_python, value)
