"""Differential fuzzing: every engine of docs/contract.md §1 gives every generated document
one verdict.

Documents come from two sources:

- the schema itself: each lexical form drawn from its ``$defs`` pattern, enums from the
  schema's enums, optional properties present or not, the cross-field rules kept or not
  (hypothesis-jsonschema does not run on the pinned hypothesis, so the strategies are
  built here, from the schema file);
- mutations of the schema's valid ``examples``, one field at a time, with boundary values
  of every lexical form (ids, order ids, timestamps, quantities, enums, metadata).

The Python model (``ExecutionGroup.model_validate_json``), ``jsonschema`` (format checker)
and ``jsonschema-rs`` (``validate_formats=True``) must agree, except on a document that is
schema-valid and breaks a docs/contract.md §4 rule (computed here, numerically and as instants):
that one only the model rejects. A batch of the documents then goes to Ajv (node), whose
verdict must be jsonschema's. The number of documents tried is printed at the end of the
module (``differential fuzzing: N documents``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from corpus import (
    draft07_verdicts,
    jsonschema_rs_verdict,
    jsonschema_verdict,
    model_verdict,
    parse_strict,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from node_runner import ajv_verdicts

from execution_group.contract import examples, schema

SCHEMA = schema()
DEFS: dict[str, Any] = SCHEMA["$defs"]
EXAMPLES = examples()
STRATEGIES: list[str] = DEFS["ExecutionStrategyType"]["enum"]
STATUSES: list[str] = DEFS["GroupStatus"]["enum"]
TIMESTAMP_FIELDS = ("created_at", "updated_at", "cancelled_at", "completed_at")
QUANTITY_FIELDS = ("target_quantity", "filled_quantity")
OPTIONAL = ("target_quantity", "filled_quantity", "cancelled_at", "completed_at", "metadata")


def fuzz(max_examples: int) -> settings:
    """Fast and deterministic: the same documents on every run and machine."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


TRIED: Counter[str] = Counter()
"""Documents tried, by source; printed when the module finishes."""
SIDE: Counter[str] = Counter()
"""Documents judged by Ajv, and known disagreements let through (a subset of TRIED)."""
BATCH: list[str] = []
"""Every document text tried here; the Ajv test judges them all."""


@pytest.fixture(scope="module", autouse=True)
def _summary(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    line = (
        f"differential fuzzing: {sum(TRIED.values())} documents tried "
        f"({', '.join(f'{source} {count}' for source, count in sorted(TRIED.items()))}); "
        + ", ".join(f"{what}: {count}" for what, count in sorted(SIDE.items()))
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is None:  # pragma: no cover - run with -p no:capture
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")


# --- the docs/contract.md §4 exception, computed independently of the model ---------------

_INSTANT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:Z|\+00:00)"
)


def _instant(text: str) -> tuple[datetime, Decimal]:
    """A schema-valid timestamp as (whole second, exact fraction): nothing is truncated."""
    match = _INSTANT.fullmatch(text)
    assert match is not None, text
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction = Decimal("0." + (match.group(7) or "0"))
    return datetime(year, month, day, hour, minute, second), fraction


def section4_broken(document: dict[str, Any]) -> list[str]:
    """The docs/contract.md §4 rules a schema-valid document breaks (fill, timestamps' order)."""
    broken = []
    target, filled = document.get("target_quantity"), document.get("filled_quantity")
    if isinstance(target, str) and isinstance(filled, str) and Decimal(filled) > Decimal(target):
        broken.append("filled_quantity > target_quantity")
    created = _instant(document["created_at"])
    for field in ("updated_at", "cancelled_at", "completed_at"):
        stamp = document.get(field)
        if isinstance(stamp, str) and _instant(stamp) < created:
            broken.append(f"{field} before created_at")
    return broken


# --- the engines --------------------------------------------------------------------------


def _text(document: Any) -> str:
    return json.dumps(document)


def check(document: Any, source: str) -> None:
    """All engines agree on ``document`` (modulo docs/contract.md §4); else fail, showing it."""
    text = _text(document)
    TRIED[source] += 1
    BATCH.append(text)
    by_jsonschema = jsonschema_verdict(text)
    by_rs = jsonschema_rs_verdict(text)
    by_model = model_verdict(text)
    assert draft07_verdicts(text) == (by_jsonschema, by_jsonschema), (
        f"the draft-07 rendering disagrees with the 2020-12 schema on {text}"
    )
    only_python = section4_broken(document) if by_jsonschema else []
    expected_model = by_jsonschema and not only_python
    assert (by_rs, by_model) == (by_jsonschema, expected_model), (
        f"engines disagree on {text}\n"
        f"  jsonschema: {by_jsonschema}, jsonschema-rs: {by_rs}, model: {by_model}"
        f" (docs/contract.md §4 rules broken: {only_python or 'none'})"
    )


# --- lexical forms: valid (from the schema's patterns) and boundary values ----------------


def from_pattern(definition: str) -> st.SearchStrategy[str]:
    """Strings of one ``$defs`` lexical form, generated from its pattern."""
    return st.from_regex(DEFS[definition]["pattern"], fullmatch=True)


# Characters that break lexical forms in one engine but not another, if anything does.
TRICKY = [
    "0", "9", "a", "f", "g", "z", "A", "F", "Z", "_", "-", " ", "\n", "\r", "\t", "\x00", "\x7f",
    "\u00e9", "\uff12", "\u0663", "\u0660", "\u00b2", "\u2028", "\u00a0", "\U0001f600", ".",
]  # fmt: skip


@st.composite
def char_mutation(draw: st.DrawFn, valid: st.SearchStrategy[str]) -> str:
    """A valid string with one character replaced, inserted or deleted, or framed."""
    text = draw(valid)
    kind = draw(st.sampled_from(["replace", "insert", "delete", "append", "prepend"]))
    char = draw(st.sampled_from(TRICKY))
    index = draw(st.integers(0, max(len(text) - 1, 0)))
    if kind == "replace" and text:
        return text[:index] + char + text[index + 1 :]
    if kind == "insert":
        return text[:index] + char + text[index:]
    if kind == "delete" and text:
        return text[:index] + text[index + 1 :]
    if kind == "prepend":
        return char + text
    return text + char


def group_ids() -> st.SearchStrategy[Any]:
    valid = from_pattern("GroupId")
    return st.one_of(
        valid,
        char_mutation(valid),
        st.sampled_from([
            "EXG_20251028_143022_a8f3c\n", "EXG_20251028_143022_A8F3C", "EXG_20251028_143022_a8f3",
            "EXG_20251028_143022_a8f3cd", "EXE_20251028_143022_a8f3c", "exg_20251028_143022_a8f3c",
            "EXG_2025102\uff18_143022_a8f3c", "EXG_20251028_143022_a8f3\u0663",
            "EXG_99999999_999999_zzzzz", "EXG_00000000_000000_00000",
            " EXG_20251028_143022_a8f3c", "", 20251028, None,
        ]),
    )  # fmt: skip


def directive_ids() -> st.SearchStrategy[Any]:
    valid = from_pattern("DirectiveId")
    return st.one_of(
        valid,
        char_mutation(valid),
        st.sampled_from([
            "EXE_20251028_143020_b7c4d890\n", "EXE_20251028_143020_B7C4D890",
            "EXE_20251028_143020_b7c4d89", "EXE_20251028_143020_b7c4d8900",
            "EXE_20251028_143020_b7c4d89g", "EXE_20251028_143020_h7c4d890",
            "EXE_20251028_143020_b7c4d89\uff10", "EXG_20251028_143020_b7c4d890", None, [],
        ]),
    )  # fmt: skip


def order_id_values() -> st.SearchStrategy[str]:
    printable = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1)
    return st.one_of(
        from_pattern("OrderId"),
        char_mutation(st.sampled_from(["binance_123", "x", "!" * 128, "~" * 127])),
        st.integers(126, 130).flatmap(lambda n: printable.filter(lambda s: len(s) <= n).map(
            lambda s: (s * n)[:n])),
        st.sampled_from([
            "a" * 128, "a" * 129, "", " ", "binance 1", "binance_1\n", "\u00e9", "ord\u00e9r",
            "\uff11", "\x7f", "a\tb", "\u0663",
        ]),
    )  # fmt: skip


def order_id_lists() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(from_pattern("OrderId"), max_size=3, unique=True),
        st.lists(order_id_values(), min_size=1, max_size=3),
        st.sampled_from([[], ["a", "a"], ["a"], ["a", "b"], [1], [None], "a", None, {}]),
    )


VALID_DATES = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from([
        date(2024, 2, 29), date(2000, 2, 29), date(1600, 2, 29), date(4, 2, 29), date(2023, 2, 28),
        date(1900, 2, 28), date(2100, 2, 28), date(9999, 12, 31), date(1, 1, 1), date(2025, 4, 30),
    ]),
).map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}")  # fmt: skip
INVALID_DATES = st.sampled_from([
    "2023-02-29", "1900-02-29", "2100-02-29", "2025-02-30", "2025-04-31", "2025-06-31",
    "2025-11-31", "2025-00-10", "2025-13-01", "2025-01-00", "2025-01-32", "0000-01-01",
    "0000-02-29", "10000-01-01", "999-01-01", "2025-1-01", "2025-01-1", "+2025-01-01",
    "2025\u221201-01", "2\uff10\uff12\uff15-01-01",
])  # fmt: skip
VALID_TIMES = st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)).map(
    lambda t: f"{t[0]:02d}:{t[1]:02d}:{t[2]:02d}"
) | st.sampled_from(["23:59:59", "00:00:00"])
INVALID_TIMES = st.sampled_from([
    "24:00:00", "23:59:60", "23:60:00", "25:00:00", "12:00", "12:00:0", "1:00:00", "12:00:00:00",
    "\uff11\uff12:00:00",
])  # fmt: skip
VALID_FRACTIONS = st.integers(0, 9).flatmap(
    lambda n: st.just("") if n == 0 else st.from_regex(f"[0-9]{{{n}}}", fullmatch=True).map(
        lambda digits: "." + digits)
)  # fmt: skip
INVALID_FRACTIONS = st.sampled_from([".", ".1234567890", ".12345678901", ",5", ".\u0663"])
VALID_SEPARATORS = st.just("T")
INVALID_SEPARATORS = st.sampled_from(["t", " ", "_", "TT", ""])
VALID_OFFSETS = st.sampled_from(["Z", "+00:00"])
INVALID_OFFSETS = st.sampled_from([
    "z", "-00:00", "+01:00", "-05:00", "+0000", "+00", "", "Z\n", "+00:00\n", "UTC", " Z",
    "+00:00:00", "Z ", "+24:00",
])  # fmt: skip


@st.composite
def timestamps(draw: st.DrawFn) -> Any:
    """RFC 3339 text with at most one part (date, time, fraction, T, offset) off the form."""
    parts = [
        (VALID_DATES, INVALID_DATES),
        (VALID_SEPARATORS, INVALID_SEPARATORS),
        (VALID_TIMES, INVALID_TIMES),
        (VALID_FRACTIONS, INVALID_FRACTIONS),
        (VALID_OFFSETS, INVALID_OFFSETS),
    ]
    broken = draw(st.integers(-1, len(parts) - 1))  # -1: every part valid
    text = "".join(
        draw(invalid if index == broken else valid) for index, (valid, invalid) in enumerate(parts)
    )
    frame = draw(st.sampled_from(["", "", "", " ", "\n", "\t"]))
    return text + frame if draw(st.booleans()) else frame + text


def timestamp_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        timestamps(),
        from_pattern("Timestamp"),
        st.sampled_from([1761661822, "1761661822", "2025-10-28", "14:30:22", "", None, True]),
    )


VALID_QUANTITIES = st.one_of(
    from_pattern("Quantity"),
    st.sampled_from([
        "0", "0.0", "0.00000001", "1", "999999999999", "999999999999.99999999", "100000000000",
        "123456789012.12345678", "0.10000000",
    ]),
)  # fmt: skip
INVALID_QUANTITIES = st.sampled_from([
    "1000000000000", "1234567890123.5", "0.123456789", "1.000000000", "01", "00", "00.5",
    "-1", "-0", "-0.0", "+1", "1e5", "1E-8", "1e0", " 1", "1 ", "1.", ".5", "1_000", "1,5",
    "\uff11", "\u0663", "NaN", "Infinity", "-Infinity", "1\n", "", "0x10", "1.5.5",
])  # fmt: skip


def quantity_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        VALID_QUANTITIES,
        INVALID_QUANTITIES,
        char_mutation(VALID_QUANTITIES),
        st.sampled_from([None, 0, 1, 1.5, 100, True, [], {}]),
    )


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
RATIOS: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from([0, 0.0, -0.0, 5e-324, 1e-300, 0.2, 0.5, 1, 1.0, 1.0000000000000002, 1.5, 2,
                     -0.1, True, False, "0.5", None, [], {}, 10**30]),
    st.floats(allow_nan=False, allow_infinity=False),
)  # fmt: skip


def metadata_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=3),
        st.builds(lambda ratio, rest: {**rest, "visible_ratio": ratio}, RATIOS,
                  st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=2)),
        st.sampled_from([[], "x", 1, True, [{"visible_ratio": 0.5}]]),
    )  # fmt: skip


def enum_values(values: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(values),
        st.sampled_from(values).map(str.lower),
        st.sampled_from(values).map(lambda v: v + "\n"),
        st.sampled_from(values).map(lambda v: " " + v),
        st.sampled_from(["MARKET", "PAUSED", "", "Active", None, 0]),
    )


FIELD_VALUES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "group_id": group_ids,
    "parent_directive_id": directive_ids,
    "execution_strategy": lambda: enum_values(STRATEGIES),
    "order_ids": order_id_lists,
    "status": lambda: enum_values(STATUSES),
    **dict.fromkeys(TIMESTAMP_FIELDS, timestamp_values),
    **dict.fromkeys(QUANTITY_FIELDS, quantity_values),
    "metadata": metadata_values,
}
ABSENT = object()


# --- documents from the schema --------------------------------------------------------------


@st.composite
def schema_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A document drawn from the schema's forms and enums; rules kept or not, at random."""
    strategy = draw(st.sampled_from(STRATEGIES))
    status = draw(st.sampled_from(STATUSES))
    stamps = sorted(draw(st.lists(from_pattern("Timestamp"), min_size=4, max_size=4)))
    coherent = draw(st.booleans())
    if coherent:  # sorted text is chronological within one year-to-second form, mostly
        stamps.sort(key=_instant)
    document: dict[str, Any] = {
        "group_id": draw(from_pattern("GroupId")),
        "parent_directive_id": draw(from_pattern("DirectiveId")),
        "execution_strategy": strategy,
        "order_ids": draw(st.lists(from_pattern("OrderId"), max_size=3, unique=True)),
        "status": status,
        "created_at": stamps[0],
        "updated_at": stamps[3] if coherent else draw(st.sampled_from(stamps)),
        "target_quantity": draw(st.none() | from_pattern("Quantity")),
        "filled_quantity": draw(st.none() | from_pattern("Quantity")),
        "cancelled_at": draw(st.none() | st.just(stamps[1])),
        "completed_at": draw(st.none() | st.just(stamps[2])),
        "metadata": draw(metadata_values()),
    }
    if coherent:
        document["cancelled_at"] = stamps[1] if status == "CANCELLED" else None
        document["completed_at"] = stamps[2] if status == "COMPLETED" else None
        if strategy == "SINGLE":
            document["order_ids"] = document["order_ids"][:1]
        if status in ("ACTIVE", "COMPLETED", "PARTIAL") and not document["order_ids"]:
            document["order_ids"] = ["binance_1"]
        if strategy == "ICEBERG":
            document["metadata"] = {"visible_ratio": draw(RATIOS)}
        if strategy in ("TWAP", "DCA", "LAYERED") and document["target_quantity"] is None:
            document["target_quantity"] = "1"
    for field in OPTIONAL:
        if draw(st.booleans()) and draw(st.booleans()):
            del document[field]
    return document


# --- mutations of the valid examples ---------------------------------------------------------


@st.composite
def mutated_examples(draw: st.DrawFn) -> dict[str, Any]:
    """One of the schema's examples with one field (rarely two) changed, removed or added."""
    document = dict(draw(st.sampled_from(EXAMPLES)))
    for _ in range(draw(st.sampled_from([1, 1, 1, 2]))):
        field = draw(st.sampled_from([*FIELD_VALUES, "<unknown>", "<same instant>"]))
        if field == "<unknown>":
            key = draw(st.sampled_from(["filled_qty", "Status", "group_id ", "", "x-extra"]))
            document[key] = draw(JSON_VALUES)
        elif field == "<same instant>":
            # created_at a fraction of a second from another stamp: §4 compares instants
            others = [f for f in TIMESTAMP_FIELDS[1:] if isinstance(document.get(f), str)]
            if not others:
                continue
            other = draw(st.sampled_from(others))
            base = document[other].removesuffix("Z").removesuffix("+00:00").split(".")[0]
            fraction = draw(
                VALID_FRACTIONS | st.sampled_from([".000000001", ".0000001", ".999999999"])
            )
            document["created_at"] = base + fraction + draw(VALID_OFFSETS)
        else:
            value = draw(st.one_of(FIELD_VALUES[field](), st.just(ABSENT)))
            if value is ABSENT:
                document.pop(field, None)
            else:
                document[field] = value
    return document


# --- the tests -------------------------------------------------------------------------------


def test_the_examples_are_valid_everywhere() -> None:
    """The mutations start from documents every engine accepts."""
    for document in EXAMPLES:
        text = _text(document)
        assert jsonschema_verdict(text) and jsonschema_rs_verdict(text) and model_verdict(text)


def test_section4_is_computed() -> None:
    """The exception above is real: it finds each §4 rule, and nothing in the examples."""
    base = EXAMPLES[0]
    assert [section4_broken(document) for document in EXAMPLES] == [[]] * len(EXAMPLES)
    assert section4_broken({**base, "filled_quantity": "100.00000001"}) == [
        "filled_quantity > target_quantity"
    ]
    assert section4_broken({**base, "filled_quantity": "99.99999999"}) == []
    assert section4_broken({**base, "updated_at": "2025-10-28T14:30:21.999999999+00:00"}) == [
        "updated_at before created_at"
    ]
    assert section4_broken({**base, "created_at": "2025-10-28T14:35:15.000000001Z"}) == [
        "updated_at before created_at"
    ]
    assert section4_broken({**base, "cancelled_at": "2025-10-28T14:30:22+00:00"}) == []


def test_sub_microsecond_order_is_checked_as_instants() -> None:
    """Fuzz-found: created_at 1 ns after updated_at; every fraction digit counts."""
    document = {**EXAMPLES[0], "created_at": "2025-10-28T14:35:15.000000001Z"}
    assert section4_broken(document) == ["updated_at before created_at"]
    assert not model_verdict(_text(document))


@fuzz(500)
@given(schema_documents())
def test_documents_from_the_schema(document: dict[str, Any]) -> None:
    check(document, "from-schema")


@fuzz(2500)
@given(mutated_examples())
def test_mutated_examples(document: dict[str, Any]) -> None:
    check(document, "mutated")


@fuzz(400)
@given(st.sampled_from(EXAMPLES), st.sampled_from(TIMESTAMP_FIELDS), timestamps())
def test_timestamp_forms(document: dict[str, Any], field: str, stamp: str) -> None:
    """Every field that holds a timestamp, with the timestamp generator's boundary forms."""
    check({**document, field: stamp}, "timestamps")


@fuzz(300)
@given(st.sampled_from(EXAMPLES), st.sampled_from(QUANTITY_FIELDS), quantity_values())
def test_quantity_forms(document: dict[str, Any], field: str, quantity: Any) -> None:
    check({**document, field: quantity}, "quantities")


def test_ajv_agrees_on_the_generated_documents(tmp_path: Path) -> None:
    """Ajv (default options, ajv-formats) on every document the tests above tried."""
    texts = list(dict.fromkeys(BATCH))
    if not texts:  # this test run alone: draw a batch of its own
        collect: Callable[[dict[str, Any]], None] = texts.append  # type: ignore[assignment]

        @fuzz(1000)
        @given(st.one_of(schema_documents(), mutated_examples()))
        def draw_batch(document: dict[str, Any]) -> None:
            collect(_text(document))  # type: ignore[arg-type]

        draw_batch()
    by_ajv = ajv_verdicts([{"document_text": text} for text in texts], tmp_path)
    disagree = [
        f"{text}\n  jsonschema: {expected}, Ajv: {got}"
        for text, got in zip(texts, by_ajv, strict=True)
        if got is not (expected := jsonschema_verdict(text))
    ]
    SIDE["judged by Ajv (distinct)"] += len(texts)
    assert not disagree, f"Ajv disagrees on {len(disagree)} of {len(texts)}:\n" + "\n".join(
        disagree[:20]
    )
    assert parse_strict(texts[0])[0]
