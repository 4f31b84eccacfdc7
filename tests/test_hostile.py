"""Hostile input: the only outcomes are a valid group or ``pydantic.ValidationError``.

Costs for growing sizes are measured by ``python -m tools.hostile_bounds``, not asserted here.
"""

from __future__ import annotations

import contextlib
import json
import math
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from builders import T0
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group.contract import examples
from execution_group.metadata import MAX_DEPTH

BASE: dict[str, Any] = examples()[0]
BASE_TEXT = json.dumps(BASE)
FIELDS = list(ExecutionGroup.model_fields)


def outcome_json(text: str | bytes) -> ExecutionGroup | None:
    """Validate JSON text: a group (checked to round-trip) or ``None`` on ValidationError."""
    try:
        group = ExecutionGroup.model_validate_json(text)
    except ValidationError as exc:
        assert exc.errors(), "a ValidationError must name at least one field and rule"
        return None
    assert ExecutionGroup.model_validate_json(group.model_dump_json()) == group
    return group


def outcome_python(document: dict[str, Any]) -> ExecutionGroup | None:
    try:
        group = ExecutionGroup.model_validate(document)
    except ValidationError:
        return None
    assert ExecutionGroup.model_validate(group.model_dump()) == group
    return group


def test_every_truncation_of_a_valid_document_is_a_validation_error() -> None:
    assert outcome_json(BASE_TEXT) is not None
    for end in range(len(BASE_TEXT)):
        with pytest.raises(ValidationError) as raised:
            ExecutionGroup.model_validate_json(BASE_TEXT[:end])
        assert raised.value.errors()[0]["type"] == "json_invalid"


@pytest.mark.parametrize(
    "bad",
    [b"\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\x00"],
    ids=repr,
)
def test_invalid_utf8_anywhere_is_a_validation_error(bad: bytes) -> None:
    raw = BASE_TEXT.encode()
    for target in (b"binance_123", b"chunk_size", b"EXG_"):
        where = raw.index(target) + 2
        corrupted = raw[:where] + bad + raw[where:]
        with pytest.raises(ValidationError):
            ExecutionGroup.model_validate_json(corrupted)


def nested_text(depth: int) -> str:
    nested = '{"a": ' * depth + "{}" + "}" * depth
    return json.dumps({**BASE, "metadata": None}).replace(
        '"metadata": null', '"metadata": ' + nested
    )


def nested_dict(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {}
    root = node
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    return root


@pytest.mark.parametrize("depth", [1_000, 10_000, 100_000])
def test_deep_metadata_from_json_text_is_a_validation_error(depth: int) -> None:
    with pytest.raises(ValidationError) as raised:
        ExecutionGroup.model_validate_json(nested_text(depth))
    assert raised.value.errors()[0]["type"] == "ijson_depth"  # well-formed, too deep


def test_moderately_nested_metadata_round_trips() -> None:
    group = outcome_json(nested_text(100))
    assert group is not None
    assert group == ExecutionGroup.model_validate({**BASE, "metadata": nested_dict(100)})


def test_deep_metadata_from_python_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as raised:
        ExecutionGroup.model_validate({**BASE, "metadata": nested_dict(10_000)})
    assert raised.value.errors()[0]["loc"] == ("metadata",)
    assert raised.value.errors()[0]["type"] == "ijson_depth"
    assert "metadata may nest at most 199 levels deep" in raised.value.errors()[0]["msg"]


def _nest(levels: int, leaf: Any, container: str) -> dict[str, Any]:
    value = leaf
    for _ in range(levels):
        value = {"a": value} if container == "object" else [value]
    return value if container == "object" else {"l": value}


@pytest.mark.parametrize("container", ["object", "array"])
@pytest.mark.parametrize("leaf", [1, "s", None, {}, []], ids=repr)
def test_python_and_json_agree_on_the_metadata_depth_limit(leaf: Any, container: str) -> None:
    """Around the JSON parser's limit, a group is accepted from Python exactly when from JSON,
    and what Python accepts can be written."""
    verdicts = set()
    for levels in range(MAX_DEPTH - 3, MAX_DEPTH + 4):
        metadata = _nest(levels, leaf, container)
        from_python = outcome_python({**BASE, "metadata": metadata})
        from_json = outcome_json(json.dumps({**BASE, "metadata": metadata}))
        assert (from_python is None) is (from_json is None), levels
        if from_json is None:
            with pytest.raises(ValidationError) as raised:
                ExecutionGroup.model_validate_json(json.dumps({**BASE, "metadata": metadata}))
            assert raised.value.errors()[0]["type"] == "ijson_depth"
        if from_python is not None:
            assert ExecutionGroup.model_validate_json(from_python.model_dump_json()) == from_json
        verdicts.add(from_python is None)
    assert verdicts == {True, False}


def test_ten_megabyte_strings() -> None:
    blob = "é" * (5 * 2**20)  # 10 MB of UTF-8
    group = outcome_json(json.dumps({**BASE, "metadata": {"blob": blob}}, ensure_ascii=False))
    assert group is not None
    assert group.metadata == {"blob": blob}
    for field in ("group_id", "parent_directive_id", "created_at", "target_quantity", "status"):
        with pytest.raises(ValidationError) as raised:
            ExecutionGroup.model_validate_json(json.dumps({**BASE, field: "9" * 10 * 2**20}))
        assert raised.value.errors()[0]["loc"] == (field,)
    with pytest.raises(ValidationError) as raised:
        ExecutionGroup.model_validate({**BASE, "order_ids": ["x" * 10 * 2**20]})
    assert raised.value.errors()[0]["loc"] == ("order_ids", 0)


def test_a_million_order_ids() -> None:
    ids = [f"o{n}" for n in range(1_000_000)]
    group = outcome_json(json.dumps({**BASE, "order_ids": ids}))
    assert group is not None
    assert len(group.order_ids) == 1_000_000
    group.add_order("one_more")
    with pytest.raises(ValidationError) as raised:
        group.add_order("o999999")
    assert raised.value.errors()[0]["type"] == "order_ids_unique"
    with pytest.raises(ValidationError) as raised:
        ExecutionGroup.model_validate_json(json.dumps({**BASE, "order_ids": [*ids, "o0"]}))
    assert raised.value.errors()[0]["type"] == "order_ids_unique"


def test_duplicate_keys_last_one_wins_and_is_checked() -> None:
    """JSON leaves duplicate keys undefined; pydantic-core keeps the last: that one is checked."""
    good, bad = '"status": "ACTIVE"', '"status": "NOPE"'
    head = BASE_TEXT[:-1]
    assert outcome_json(head + ", " + bad + ", " + good + "}") is not None
    with pytest.raises(ValidationError) as raised:
        ExecutionGroup.model_validate_json(head + ", " + good + ", " + bad + "}")
    assert raised.value.errors()[0]["loc"] == ("status",)
    group = outcome_json(BASE_TEXT.replace('"chunk_size": "10.0"', '"k": 1, "k": 2'))
    assert group is not None
    assert group.metadata is not None
    assert group.metadata["k"] == 2


class Opaque:
    pass


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.binary(max_size=20),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.timedeltas(),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=4),
    st.tuples(st.text(max_size=5)),
    st.frozensets(st.integers(), max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), st.integers(), max_size=3),
    st.builds(Opaque),
    st.sampled_from(
        [
            math.nan,
            math.inf,
            Decimal("NaN"),
            "ACTIVE",
            "TWAP",
            "",
            "\ud800",
            "1e5",
            "EXG_20251028_143022_a8f3c",
            "2025-10-28T14:30:22Z",
            T0,
            T0.replace(tzinfo=None),
            float(2**63),
        ]
    ),
)


@given(st.sampled_from(FIELDS), ANYTHING)
def test_any_value_in_any_field_is_valid_or_a_validation_error(field: str, value: Any) -> None:
    outcome_python({**BASE, field: value})
    try:
        text = json.dumps({**BASE, field: value}, allow_nan=True)
    except (TypeError, ValueError, UnicodeEncodeError):
        return
    outcome_json(text)


@given(st.dictionaries(st.sampled_from(FIELDS), ANYTHING, min_size=1, max_size=4))
def test_assigning_anything_keeps_a_valid_group_or_raises_validation_error(
    changes: dict[str, Any],
) -> None:
    group = ExecutionGroup.model_validate(BASE)
    before = group.model_dump_json()
    try:
        clone = group.model_copy(update=changes)
    except ValidationError:
        assert group.model_dump_json() == before
        return
    assert ExecutionGroup.model_validate(clone.model_dump()) == clone
    for name, value in changes.items():
        try:
            setattr(group, name, value)
        except ValidationError:
            continue
        assert ExecutionGroup.model_validate(group.model_dump()) == group


@given(ANYTHING, st.one_of(st.none(), ANYTHING))
def test_lifecycle_arguments_of_any_type(value: Any, when: Any) -> None:
    group = ExecutionGroup.model_validate(BASE)
    moment = when if isinstance(when, datetime) else T0 + timedelta(days=1)
    for call in (
        lambda: group.add_order(value, at=moment),
        lambda: group.add_orders([value], at=when),
        lambda: group.record_fill(value, at=when),
        lambda: group.transition_to(value, at=when),
        lambda: group.cancel(value, at=when),
        lambda: group.order_ids.append(value),
    ):
        with contextlib.suppress(ValidationError):
            call()
        assert ExecutionGroup.model_validate(group.model_dump()) == group
