"""A group driven through random public operations beside the reference model of the contract.

Every step is a public operation (lifecycle methods, the design's idiom, assignment,
``model_copy(update=...)``, ``apply``, ``replay``, copies, pickles, JSON round trips).
After each: the same accept/refuse verdict as the reference, the same fields, a
``model_dump_json()`` that passes the schema (jsonschema, format checker on) and reads
back equal; a refused operation leaves the group byte-identical.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import jsonschema
import reference
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from pydantic import ValidationError
from strategies import (
    FILLED_VALUES,
    FILLS,
    FUTURE,
    METADATA,
    OFFSETS,
    ORDER_IDS,
    REASONS,
    STAMP_FIELDS,
    STAMP_OFFSETS,
    STATUSES,
    instant,
)

from execution_group import ChangeKind, ChangeRecord, ExecutionGroup, GroupStatus, replay
from execution_group.contract import schema

SCHEMA = jsonschema.Draft202012Validator(
    schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
TARGETS = {"TWAP": "100", "SINGLE": "10", "ICEBERG": "50", "POV": None}
COPIES: dict[str, Callable[[ExecutionGroup], ExecutionGroup]] = {
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
    "model_copy": lambda group: group.model_copy(),
    "model_copy(deep=True)": lambda group: group.model_copy(deep=True),
    "pickle": lambda group: pickle.loads(pickle.dumps(group)),
    "json": lambda group: ExecutionGroup.model_validate_json(group.model_dump_json()),
    "from_document": lambda group: ExecutionGroup.from_document(
        json.loads(group.model_dump_json())
    ),
    "replay of nothing": lambda group: replay(group, []),
}


class GroupMachine(RuleBasedStateMachine):
    """One group and the reference state it must match."""

    group: ExecutionGroup
    model: reference.State

    @initialize(strategy=st.sampled_from(sorted(TARGETS)))
    def create(self, strategy: str) -> None:
        metadata = {"visible_ratio": 0.25} if strategy == "ICEBERG" else None
        self.group = ExecutionGroup(
            group_id="EXG_20251028_143022_a8f3c",
            parent_directive_id="EXE_20251028_143020_b7c4d890",
            execution_strategy=strategy,
            order_ids=[],
            status=GroupStatus.PENDING,
            created_at=FUTURE,
            updated_at=FUTURE,
            target_quantity=TARGETS[strategy],
            filled_quantity="0",
            metadata=metadata,
        )
        target = TARGETS[strategy]
        self.model = reference.State(
            strategy=strategy,
            created_at=FUTURE,
            updated_at=FUTURE,
            target=None if target is None else Decimal(target),
            metadata=metadata,
        )

    # ------------------------------------------------------------------ the driver

    def when(self, offset: int) -> datetime:
        return self.model.updated_at + timedelta(seconds=offset)

    def attempt(
        self, name: str, operation: Callable[[], object], expected: reference.State | None
    ) -> None:
        """Run ``operation``; the verdict and the outcome must be the reference's."""
        before = self.group.model_dump_json()
        try:
            operation()
        except ValidationError as exc:
            event(f"{name}: refused")
            assert expected is None, f"refused, the contract accepts: {exc}"
            assert self.group.model_dump_json() == before
            return
        event(f"{name}: accepted")
        assert expected is not None, "accepted, the contract refuses"
        self.model = expected

    # ------------------------------------------------------------------ lifecycle methods

    @rule(ids=st.lists(ORDER_IDS, max_size=3), offset=OFFSETS)
    def add_orders(self, ids: list[str], offset: int) -> None:
        when = self.when(offset)
        expected = reference.add_orders(self.model, ids, when)
        if len(ids) == 1:
            self.attempt("add_order", lambda: self.group.add_order(ids[0], at=when), expected)
        else:
            self.attempt("add_orders", lambda: self.group.add_orders(ids, at=when), expected)

    @rule(quantity=FILLS, offset=OFFSETS)
    def record_fill(self, quantity: str, offset: int) -> None:
        when = self.when(offset)
        expected = reference.fill(self.model, quantity, when)
        self.attempt("record_fill", lambda: self.group.record_fill(quantity, at=when), expected)

    @rule(status=STATUSES, offset=OFFSETS, reason=REASONS)
    def transition_to(self, status: GroupStatus, offset: int, reason: str | None) -> None:
        when = self.when(offset)
        expected = reference.transition(self.model, status.value, when, reason)
        self.attempt(
            "transition_to",
            lambda: self.group.transition_to(status, at=when, reason=reason),
            expected,
        )

    @rule(name=st.sampled_from(["cancel", "complete", "fail"]), reason=REASONS)
    def shortcut(self, name: str, reason: str | None) -> None:
        status = {"cancel": "CANCELLED", "complete": "COMPLETED", "fail": "FAILED"}[name]
        when = self.model.updated_at  # the implicit clock, never below updated_at
        if name == "complete":
            expected = reference.transition(self.model, status, when, None)
            self.attempt(name, self.group.complete, expected)
            return
        expected = reference.transition(self.model, status, when, reason)
        self.attempt(name, lambda: getattr(self.group, name)(reason), expected)

    # ------------------------------------------------------------------ the idiom, assignment

    @rule(order_id=ORDER_IDS)
    def append(self, order_id: str) -> None:
        expected = reference.add_orders(self.model, [order_id], self.model.updated_at)
        self.attempt("order_ids.append", lambda: self.group.order_ids.append(order_id), expected)

    @rule(status=STATUSES)
    def assign_status(self, status: GroupStatus) -> None:
        now = self.model.updated_at
        expected = reference.change(self.model, {"status": status.value}, None, now=now)
        self.attempt("status =", lambda: setattr(self.group, "status", status), expected)

    @rule(
        filled=FILLED_VALUES,
        metadata=METADATA,
        stamp=STAMP_FIELDS,
        stamp_offset=STAMP_OFFSETS,
        updated=st.none() | OFFSETS,
        extra=st.lists(ORDER_IDS, max_size=2),
        which=st.sets(
            st.sampled_from(["filled", "metadata", "stamp", "updated", "orders", "status"]),
            min_size=1,
        ),
        status=STATUSES,
        through_copy=st.booleans(),
    )
    def assign(
        self,
        *,
        filled: str | None,
        metadata: Any,
        stamp: str,
        stamp_offset: int | None,
        updated: int | None,
        extra: list[str],
        which: set[str],
        status: GroupStatus,
        through_copy: bool,
    ) -> None:
        chosen = {
            "filled": ("filled_quantity", filled),
            "metadata": ("metadata", metadata),
            "stamp": (stamp, instant(self.model.updated_at, stamp_offset)),
            "updated": ("updated_at", None if updated is None else self.when(updated)),
            "orders": ("order_ids", [*self.model.orders, *extra]),
            "status": ("status", status.value),
        }
        updates = dict(chosen[name] for name in sorted(which))
        if updates.get("updated_at", 0) is None:
            del updates["updated_at"]
        if not updates:
            return
        now = self.model.updated_at
        expected = reference.change(self.model, updates, None, now=now)
        if through_copy:
            self.copy_with(updates, expected)
        elif len(updates) == 1:
            ((name, value),) = updates.items()
            self.attempt(f"{name} =", lambda: setattr(self.group, name, value), expected)
        # several fields at once: model_copy(update=...) is the public way

    def copy_with(self, updates: dict[str, Any], expected: reference.State | None) -> None:
        """``model_copy(update=...)``: the original untouched, the copy as assigned."""
        before = self.group.model_dump_json()
        try:
            made = self.group.model_copy(update=updates)
        except ValidationError as exc:
            event("model_copy(update=...): refused")
            assert expected is None, f"refused, the contract accepts: {exc}"
        else:
            event("model_copy(update=...): accepted")
            assert expected is not None, "accepted, the contract refuses"
            self.group, self.model = made, expected
            return
        finally:
            if expected is None:
                assert self.group.model_dump_json() == before

    # ------------------------------------------------------------------ logs, copies

    @rule(ids=st.lists(ORDER_IDS, max_size=2), quantity=FILLS, status=STATUSES, via=st.booleans())
    def apply_a_log(self, ids: list[str], quantity: str, status: GroupStatus, via: bool) -> None:
        """Records made on a copy, then applied to the group (or replayed onto it)."""
        source = copy.deepcopy(self.group)
        log: list[ChangeRecord] = []
        when = self.model.updated_at + timedelta(seconds=1)
        steps: list[tuple[Callable[[], Any], Callable[[reference.State], Any]]] = [
            (
                lambda: source.add_orders(ids, at=when),
                lambda model: reference.add_orders(model, ids, when),
            ),
            (
                lambda: source.record_fill(quantity, at=when),
                lambda model: reference.fill(model, quantity, when),
            ),
            (
                lambda: source.transition_to(status, at=when),
                lambda model: reference.transition(model, status.value, when, None),
            ),
        ]
        model = self.model
        for make, expect in steps:
            expected = expect(model)
            try:
                log.extend(make())
            except ValidationError:
                assert expected is None
                continue
            assert expected is not None
            model = expected
        if via:
            self.group = replay(self.group, log)
        else:
            self.group.apply(log)
        self.model = model
        assert self.group == source

    @rule(offset=OFFSETS)
    def apply_a_bad_log(self, offset: int) -> None:
        """A record that does not follow the state: refused, the group untouched."""
        record = ChangeRecord(
            self.group.group_id,
            ChangeKind.ASSIGNMENT,
            "filled_quantity",
            "12345",
            "1",
            self.when(offset),
        )
        self.attempt("apply (bad log)", lambda: self.group.apply([record]), None)

    @rule(how=st.sampled_from(sorted(COPIES)))
    def copy_or_round_trip(self, how: str) -> None:
        made = COPIES[how](self.group)
        assert made == self.group
        self.group = made

    # ------------------------------------------------------------------ after every step

    @invariant()
    def matches_the_reference(self) -> None:
        group = self.group
        for name, value in self.model.fields().items():
            actual = getattr(group, name)
            if name == "status":
                actual = actual.value
            assert actual == value, (name, actual, value)

    @invariant()
    def writes_a_valid_document_that_reads_back_equal(self) -> None:
        text = self.group.model_dump_json()
        SCHEMA.validate(json.loads(text))
        assert ExecutionGroup.model_validate_json(text) == self.group


GroupMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30)
test_group_against_the_reference = GroupMachine.TestCase
