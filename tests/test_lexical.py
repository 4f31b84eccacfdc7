"""Property tests of the lexical forms (docs/contract.md §2): the model agrees with the schema."""

from __future__ import annotations

import decimal
import json
import math
import re
import shutil
import subprocess
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from corpus import jsonschema_rs_verdict, jsonschema_verdict, model_verdict
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import (
    ExecutionGroup,
    generate_execution_directive_id,
    generate_execution_group_id,
)
from execution_group.contract import examples, pattern, schema
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
    with decimal.localcontext() as context:
        context.capitals = 0  # str() then writes "1e-8"
        assert plain(value) == written


def test_timestamps_read_from_json_and_from_python_share_the_utc_zone() -> None:
    from_json = ExecutionGroup.model_validate_json(json.dumps(BASE))
    from_python = ExecutionGroup.model_validate(from_json.model_dump())
    assert from_json.created_at.tzinfo is UTC
    assert from_python.created_at.tzinfo is UTC


# Java's "$" (java.util.regex, no MULTILINE) also matches before a final line terminator.
JAVA_LINE_ENDS = ("\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029")
GUARDED = {name: spec for name, spec in schema()["$defs"].items() if "not" in spec}


def _java_search(pattern_text: str, text: str) -> bool:
    """``Matcher.find()`` of ``java.util.regex``, for our anchored patterns."""
    body = pattern_text.removesuffix("$")
    return re.search(body + "(?=(?:\r\n|[\n\r\u0085\u2028\u2029])?\\Z)", text) is not None


def _valid_value(name: str) -> str:
    return {
        "GroupId": BASE["group_id"],
        "DirectiveId": BASE["parent_directive_id"],
        "OrderId": BASE["order_ids"][0],
        "Timestamp": BASE["created_at"],
        "Quantity": BASE["target_quantity"],
    }[name]


def test_every_anchored_form_is_guarded() -> None:
    anchored = {name for name, spec in schema()["$defs"].items() if "pattern" in spec}
    assert set(GUARDED) == anchored


@given(st.sampled_from(sorted(GUARDED)), st.sampled_from(JAVA_LINE_ENDS))
def test_no_trailing_line_terminator_passes_javas_dollar(name: str, end: str) -> None:
    spec = GUARDED[name]
    text = _valid_value(name) + end
    assert _java_search(spec["pattern"], text)  # the trap is there...
    assert re.search(spec["not"]["pattern"], text)  # ...and the guard rejects the value
    if end != "\n" and "\n" not in end:
        assert not re.search("\n", text)  # what the 1.0.0 guard missed


@given(
    st.sampled_from(sorted(GUARDED)),
    st.text(max_size=12),
    st.sampled_from("\r\u0085\u2028\u2029"),
    st.text(max_size=12),
)
def test_the_wider_guard_changes_no_ecma_verdict(
    name: str, before: str, terminator: str, after: str
) -> None:
    """Reviewed in schema/released/1.0.0.reviewed.json: such text fails the form anyway."""
    text = before + terminator + after
    assert re.fullmatch(GUARDED[name]["pattern"].removeprefix("^").removesuffix("$"), text) is None


JAVA = """
import java.util.regex.Pattern;
public class Guard {
  public static void main(String[] args) throws Exception {
    java.io.BufferedReader in = new java.io.BufferedReader(
        new java.io.InputStreamReader(System.in, "UTF-8"));
    String pattern = in.readLine(), guard = in.readLine(), line;
    while ((line = in.readLine()) != null) {
      String text = line.replace("\\\\r", "\\r").replace("\\\\u0085", "\\u0085")
          .replace("\\\\u2028", "\\u2028").replace("\\\\u2029", "\\u2029");
      boolean valid = Pattern.compile(pattern).matcher(text).find()
          && !Pattern.compile(guard).matcher(text).find();
      System.out.println(valid);
    }
  }
}
"""


@pytest.mark.skipif(shutil.which("javac") is None, reason="no JDK here (CI has none)")
def test_java_regex_rejects_trailing_line_terminators(tmp_path: Path) -> None:
    (tmp_path / "Guard.java").write_text(JAVA, encoding="utf-8")
    subprocess.run(["javac", "Guard.java"], cwd=tmp_path, check=True)
    ends = {"": "", "\r": "\\r", "\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
    for name, spec in GUARDED.items():
        guard = spec["not"]["pattern"].encode("unicode_escape").decode()
        lines = [spec["pattern"], guard] + [_valid_value(name) + shown for shown in ends.values()]
        done = subprocess.run(
            ["java", "-cp", str(tmp_path), "Guard"],
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.split() == ["true"] + ["false"] * (len(ends) - 1), name
