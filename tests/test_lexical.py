"""Property tests of the lexical forms (CONTRACT §2): the model agrees with the schema."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from corpus import jsonschema_rs_verdict, jsonschema_verdict, model_verdict
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import (
    ExecutionGroup,
    generate_execution_directive_id,
    generate_execution_group_id,
)
from execution_group.contract import examples, pattern
from execution_group.quantities import plain

BASE = examples()[0]
QUANTITY = pattern("Quantity")
TIMESTAMP = pattern("Timestamp")

# Text near the forms: digits of other scripts, signs, exponents, spaces, newlines.
NEAR = st.text(
    alphabet=st.sampled_from("0123456789.+-eEZzTt:_ \n\u0663\uff12abcfxEXGE"), max_size=32
)


def document(**changes: Any) -> str:
    return json.dumps({**BASE, **changes}, ensure_ascii=False)


def same_verdict(text: str) -> bool:
    verdict = jsonschema_rs_verdict(text)
    assert jsonschema_verdict(text) is verdict, text
    assert model_verdict(text) is verdict, text
    return verdict


@given(st.from_regex(QUANTITY, fullmatch=True))
def test_every_quantity_text_of_the_form_is_accepted_and_written_back_unchanged(text: str) -> None:
    assume(Decimal(text) <= Decimal(BASE["target_quantity"]))
    doc = document(filled_quantity=text)
    assert same_verdict(doc)
    assert (
        json.loads(ExecutionGroup.model_validate_json(doc).model_dump_json())["filled_quantity"]
        == text
    )


@given(st.one_of(NEAR, st.from_regex(QUANTITY, fullmatch=True).map(lambda t: t + "\n")))
def test_quantity_text_verdicts_agree(text: str) -> None:
    same_verdict(document(filled_quantity=text, target_quantity="999999999999"))


@given(st.decimals(allow_nan=True, allow_infinity=True, places=None))
def test_python_decimals_accepted_exactly_when_their_plain_text_fits(value: Decimal) -> None:
    fits = (
        value.is_finite()
        and value >= 0
        and re.fullmatch(QUANTITY, format(abs(value), "f")) is not None
    )
    try:
        group = ExecutionGroup.model_validate(
            {
                **BASE,
                "execution_strategy": "VWAP",
                "target_quantity": None,
                "filled_quantity": value,
            }
        )
    except ValidationError as exc:
        assert not fits
        assert exc.errors()[0]["loc"] == ("filled_quantity",)
        return
    assert fits
    written = json.loads(group.model_dump_json())["filled_quantity"]
    assert re.fullmatch(QUANTITY, written) and Decimal(written) == value


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_floats_only_when_exact_within_eight_places(value: float) -> None:
    exact = (
        math.isfinite(value)
        and value >= 0
        and re.fullmatch(QUANTITY, format(abs(Decimal(value)), "f")) is not None
    )
    try:
        group = ExecutionGroup.model_validate(
            {
                **BASE,
                "execution_strategy": "VWAP",
                "target_quantity": None,
                "filled_quantity": value,
            }
        )
    except ValidationError:
        assert not exact
        return
    assert exact and group.filled_quantity == Decimal(value)


@given(st.datetimes(timezones=st.just(UTC)))
def test_utc_datetimes_are_written_in_the_timestamp_form_and_read_back_equal(
    instant: datetime,
) -> None:
    group = ExecutionGroup.model_validate({**BASE, "created_at": instant, "updated_at": instant})
    written = json.loads(group.model_dump_json())["created_at"]
    assert re.fullmatch(TIMESTAMP, written) and written.endswith("Z")
    assert ExecutionGroup.model_validate_json(group.model_dump_json()) == group


@given(st.from_regex(TIMESTAMP, fullmatch=True))
def test_every_timestamp_text_of_the_form_is_accepted(text: str) -> None:
    assert same_verdict(document(created_at=text, updated_at=text))


@given(
    st.one_of(
        NEAR,
        st.from_regex(TIMESTAMP, fullmatch=True).map(lambda t: t.replace("T", " ", 1)),
        st.from_regex(TIMESTAMP, fullmatch=True).map(lambda t: t.lower()),
        st.from_regex(TIMESTAMP, fullmatch=True).map(lambda t: t + "\n"),
    )
)
def test_timestamp_text_verdicts_agree(text: str) -> None:
    same_verdict(document(created_at=text, updated_at=text))


@given(st.sampled_from(["group_id", "parent_directive_id"]), NEAR)
def test_id_text_verdicts_agree(field: str, text: str) -> None:
    same_verdict(document(**{field: text}))


@given(st.lists(st.text(max_size=130), min_size=1, max_size=3))
def test_order_id_verdicts_agree(ids: list[str]) -> None:
    same_verdict(document(order_ids=ids))


@given(st.datetimes(min_value=datetime(1, 1, 1), timezones=st.just(UTC)))
def test_generated_ids_have_the_form_and_the_second(at: datetime) -> None:
    group_id, directive_id = generate_execution_group_id(at), generate_execution_directive_id(at)
    assert re.fullmatch(pattern("GroupId"), group_id)
    assert re.fullmatch(pattern("DirectiveId"), directive_id)
    second = f"{at.year:04d}{at.month:02d}{at.day:02d}_{at.hour:02d}{at.minute:02d}{at.second:02d}"
    assert group_id[4:19] == directive_id[4:19] == second


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_plain_notation_never_has_an_exponent_or_a_negative_zero(value: Decimal) -> None:
    written = plain(value)
    assert "E" not in written and "e" not in written
    assert Decimal(written) == value
    assert not (value.is_zero() and written.startswith("-"))
    assert written == format(value.copy_abs() if value.is_zero() else value, "f")


def test_timestamps_read_from_json_and_from_python_share_the_utc_zone() -> None:
    from_json = ExecutionGroup.model_validate_json(json.dumps(BASE))
    from_python = ExecutionGroup.model_validate(from_json.model_dump())
    assert from_json.created_at.tzinfo is UTC
    assert from_python.created_at.tzinfo is UTC
