"""Replaying change records: a log of ``ChangeRecord`` objects as one planned change.

A record is a fact about one field (or one added order), so a log is played field by
field onto a scratch copy of the state, each record checked against the state it claims
to follow; the planner's own checks run on each (a new, well formed order id, a mutable
field, a value the field accepts, a move the lifecycle allows, a clock that does not run
backwards) and every rule on the result. An added order activates a PENDING group, as
``add_order`` does; an ``updated_at`` record sets ``updated_at`` to its ``new`` value.
Stamps are not inferred: a log carries the ``cancelled_at`` record its cancel made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from ._generated.model import GroupStatus
from ._planner import Plan, backwards, field_refusal, new_order_ids, owned, parse_field
from .audit import ChangeRecord
from .errors import checked, contract_error, raise_if_any, violation
from .lifecycle import check_transition
from .order_ids import OrderIds
from .rules import violations
from .timestamps import parse_timestamp

__all__ = ["plan_records"]

_Loc = tuple[str | int, ...]


class _Scratch:
    """The state a log has reached so far, and the orders it added."""

    __slots__ = ("added", "fields", "fresh", "orders", "validators")

    def __init__(
        self,
        state: Mapping[str, Any],
        orders: OrderIds,
        validators: Mapping[str, TypeAdapter[Any]],
    ) -> None:
        self.fields = dict(state)
        self.orders = orders
        self.validators = validators
        self.added: list[str] = []
        self.fresh: set[str] = set()

    def play(self, loc: _Loc, item: object) -> ChangeRecord:
        """Check ``item`` against the scratch state and apply it there."""
        entry = _record(self.fields["group_id"], loc, item)
        when: datetime = checked((*loc, "at"), parse_timestamp, entry.at)
        current: datetime = self.fields["updated_at"]
        field = entry.field
        if field == "order_ids":
            self.added += new_order_ids(self.orders, [entry.new], (*loc, "new"), self.fresh)
            if self.fields["status"] is GroupStatus.PENDING:
                self.fields["status"] = GroupStatus.ACTIVE
        else:
            value = self._value(loc, entry)
            if field == "updated_at":
                when = value
            self.fields[field] = owned(value)
        if when < current:
            raise contract_error([backwards(when, current, (*loc, "at"))])
        self.fields["updated_at"] = when
        return entry

    def _value(self, loc: _Loc, entry: ChangeRecord) -> Any:
        field = entry.field
        refusal = field_refusal(field, frozenset(self.validators), field, (*loc, "field"))
        if refusal is not None:
            raise contract_error([refusal])
        current = self.fields[field]
        if current != entry.old:
            raise contract_error(
                [
                    violation(
                        "record_out_of_order",
                        (*loc, "old"),
                        entry.old,
                        {"field": field, "current": str(current)},
                    )
                ]
            )
        value = parse_field(self.validators, field, entry.new, (*loc, "new"))
        if field == "status":
            check_transition(self.fields["group_id"], current, value)
        return value


def _record(group_id: str, loc: _Loc, item: object) -> ChangeRecord:
    """``item`` as a record of group ``group_id``, or the error that says why it is not."""
    if not isinstance(item, ChangeRecord):
        raise contract_error([violation("record_type", loc, type(item).__name__)])
    if item.group_id != group_id:
        raise contract_error(
            [
                violation(
                    "record_group",
                    (*loc, "group_id"),
                    item.group_id,
                    {"other": item.group_id, "group_id": group_id},
                )
            ]
        )
    return item


def plan_records(
    state: Mapping[str, Any],
    orders: OrderIds,
    records: Iterable[object],
    validators: Mapping[str, TypeAdapter[Any]],
) -> Plan:
    """The plan that applies ``records`` to ``state``, all of them or none.

    The plan's records are the given ones: a replica delivers what its source committed.
    """
    scratch = _Scratch(state, orders, validators)
    played = tuple(scratch.play(("records", index), item) for index, item in enumerate(records))
    fields = scratch.fields
    raise_if_any(violations(fields, len(orders) + len(scratch.added)))
    touched = {entry.field for entry in played} | {"status", "updated_at"}
    touched.discard("order_ids")
    return {name: fields[name] for name in touched}, scratch.added, played
