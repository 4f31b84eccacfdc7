"""``check_successor``: the successor corpus in every argument form, and properties."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from builders import at, new_twap
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from snapshots import snapshot_pairs
from successor_corpus import SuccessorCase, successor_cases, successor_errors

from execution_group import ExecutionGroup, GroupStatus, check_successor
from execution_group.lifecycle import IMMUTABLE_FIELDS, TRANSITIONS

CASES = successor_cases()


def test_the_corpus_covers_every_successor_rule_and_both_verdicts() -> None:
    named = {rule for case in CASES for rule in case.rules}
    assert {
        "immutable_field",
        "status_unreachable",
        "order_ids_append_only",
        "updated_at_backwards",
    } <= named
    assert sum(case.valid for case in CASES) >= 15
    assert sum(not case.valid for case in CASES) >= 15
    assert all(case.valid == (not case.rules) for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_corpus_decoded_values(case: SuccessorCase) -> None:
    rules = [rule for _, rule in successor_errors(case.before, case.after)]
    assert sorted(rules) == list(case.rules), case.why


@pytest.mark.parametrize("case", CASES, ids=str)
def test_corpus_json_text(case: SuccessorCase) -> None:
    found = successor_errors(json.dumps(case.before), json.dumps(case.after).encode())
    assert sorted(rule for _, rule in found) == list(case.rules), case.why


@pytest.mark.parametrize("case", [case for case in CASES if "invalid" not in case.name], ids=str)
def test_corpus_models(case: SuccessorCase) -> None:
    """Models read from the same text give the text's verdict, nanoseconds included."""
    before = ExecutionGroup.model_validate_json(json.dumps(case.before))
    after = ExecutionGroup.model_validate_json(json.dumps(case.after))
    assert sorted(rule for _, rule in successor_errors(before, after)) == list(case.rules)
    mixed = successor_errors(before, json.dumps(case.after))
    assert sorted(rule for _, rule in mixed) == list(case.rules)


def test_every_error_is_located_under_before_or_after() -> None:
    for case in CASES:
        for loc, _ in successor_errors(case.before, case.after):
            assert loc[0] in ("before", "after"), case.name


def test_invalid_snapshot_is_reported_under_its_side() -> None:
    case = next(case for case in CASES if case.name == "before_invalid")
    assert successor_errors(case.before, case.after) == [
        (("before", "filled_quantity"), "fill_exceeds_target")
    ]


def test_message_names_the_statuses() -> None:
    active = new_twap().model_copy()
    active.add_order("o1", at=at(1))
    pending = new_twap()
    with pytest.raises(ValidationError) as excinfo:
        check_successor(active, pending)
    messages = {err["type"]: err["msg"] for err in excinfo.value.errors()}
    assert messages["status_unreachable"] == (
        "status cannot go from ACTIVE to PENDING: PENDING is not reachable from ACTIVE"
    )
    assert messages["updated_at_backwards"] == (
        "updated_at cannot move backwards (from 2025-10-28T14:30:23Z)"
    )


@pytest.mark.parametrize("value", [{1, 2}, float("nan"), [1], "not json", b"\xff", None, 3])
def test_anything_else_is_a_validation_error(value: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        check_successor(value, new_twap())
    assert all(err["loc"][0] == "before" for err in excinfo.value.errors())


# --- properties --------------------------------------------------------------------------


@given(snapshot_pairs())
def test_a_later_snapshot_of_a_living_group_follows_an_earlier_one(
    pair: tuple[ExecutionGroup, ExecutionGroup],
) -> None:
    before, after = pair
    check_successor(before, after)
    check_successor(before.model_dump_json(), after.model_dump(mode="json"))


@given(snapshot_pairs())
def test_an_earlier_snapshot_follows_a_later_one_only_if_nothing_moved(
    pair: tuple[ExecutionGroup, ExecutionGroup],
) -> None:
    before, after = pair
    expected = set()
    if after.status != before.status:
        expected.add("status_unreachable")
    if len(after.order_ids) != len(before.order_ids):
        expected.add("order_ids_append_only")
    if after.updated_at != before.updated_at:
        expected.add("updated_at_backwards")
    assert {rule for _, rule in successor_errors(after, before)} == expected


_CHANGED = {
    "group_id": "EXG_20251028_143022_zzzzz",
    "parent_directive_id": "EXE_20251028_143020_ffffffff",
    "execution_strategy": "DCA",
    "created_at": "2025-10-28T14:30:21.999999999Z",
    "target_quantity": "100.00000001",
}


@given(st.sampled_from(sorted(IMMUTABLE_FIELDS)))
def test_a_changed_immutable_field_is_named(field: str) -> None:
    before = new_twap().model_dump(mode="json")
    after = {**before, field: _CHANGED[field]}
    assert successor_errors(before, after) == [(("after", field), "immutable_field")]


def test_every_immutable_field_has_a_change_above() -> None:
    assert set(_CHANGED) == IMMUTABLE_FIELDS


@given(st.integers(1, 10**12 - 1), st.integers(0, 8), st.integers(0, 8))
def test_quantities_compare_as_numbers(units: int, zeros_before: int, zeros_after: int) -> None:
    def spelled(zeros: int) -> str:
        return str(units) + ("." + "0" * zeros if zeros else "")

    before = new_twap().model_dump(mode="json") | {"target_quantity": spelled(zeros_before)}
    after = before | {"target_quantity": spelled(zeros_after)}
    check_successor(before, after)


@given(st.integers(0, 10**9 - 1), st.integers(0, 10**9 - 1))
def test_updated_at_compares_with_every_fraction_digit(first: int, second: int) -> None:
    base = new_twap().model_dump(mode="json")

    def stamp(nanoseconds: int) -> str:
        return f"2025-10-28T14:40:00.{nanoseconds:09d}Z"

    found = successor_errors(
        base | {"updated_at": stamp(first)}, base | {"updated_at": stamp(second)}
    )
    assert found == ([] if second >= first else [(("after", "updated_at"), "updated_at_backwards")])


def _reachable(source: GroupStatus) -> set[GroupStatus]:
    seen: set[GroupStatus] = set()
    stack = list(TRANSITIONS[source])
    while stack:
        status = stack.pop()
        if status not in seen:
            seen.add(status)
            stack.extend(TRANSITIONS[status])
    return seen | {source}


@given(st.sampled_from(list(GroupStatus)), st.sampled_from(list(GroupStatus)))
def test_status_may_skip_states_but_never_go_back(source: GroupStatus, target: GroupStatus) -> None:
    def snapshot(status: GroupStatus, minutes: int) -> dict[str, Any]:
        stamp = (at(0) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
        document = new_twap().model_dump(mode="json") | {"status": status.value}
        document |= {"order_ids": ["o1"], "updated_at": stamp}
        if status is GroupStatus.CANCELLED:
            document["cancelled_at"] = stamp
        if status is GroupStatus.COMPLETED:
            document["completed_at"] = stamp
        if status is GroupStatus.PENDING:
            document["order_ids"] = []
        return document

    found = {rule for _, rule in successor_errors(snapshot(source, 1), snapshot(target, 2))}
    expected_valid = target in _reachable(source)
    assert ("status_unreachable" not in found) == expected_valid


@pytest.mark.parametrize("decoded", [False, True])
def test_an_i_json_breach_is_named_under_its_side(decoded: bool) -> None:
    """A number beyond a double, as text or as the value json.loads made of it (inf)."""
    before = new_twap().model_dump(mode="json")
    text = json.dumps(before | {"metadata": {"size": 1}}).replace('"size": 1', '"size": 1e400')
    after: object = json.loads(text) if decoded else text
    assert successor_errors(before, after) == [
        (("after", "metadata", "size"), "ijson_number_range")
    ]
