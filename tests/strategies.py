"""Hypothesis strategies shared by the tests: the values public operations are tried with.

Pools mix what the contract accepts with what it refuses (a malformed id, a fill past the
target, NaN in metadata, a move the lifecycle forbids), so that a run meets both verdicts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from corpus import cases, parse_strict
from hypothesis import strategies as st

from execution_group import GroupStatus
from execution_group.contract import examples

FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
"""Where a state machine's groups live: after the wall clock, so that the implicit clock
(``append``, status assignment: never below ``updated_at``) is exactly ``updated_at``."""

ORDER_IDS = st.sampled_from(["o1", "o2", "o3", "o4", "bad id", "", "o\n"])
STATUSES = st.sampled_from(list(GroupStatus))
REASONS = st.sampled_from([None, "why", "ü"])
FILLS = st.sampled_from(["0.5", "1", "10", "33.33333333", "60", "0", "-1", "1E+2", "0.000000001"])
FILLED_VALUES = st.sampled_from(["0", "0.0", "5", "99.99999999", "150", "-1", None])
METADATA: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        {},
        {"visible_ratio": 0.5},
        {"visible_ratio": 1, "layers": [1, {"b": None}]},
        {"note": "é"},
        {"x": float("nan")},
        {"visible_ratio": True},
    ]
)
OFFSETS = st.integers(min_value=-2, max_value=3)
"""Seconds from the current ``updated_at`` (negative: time running backwards)."""
STAMP_FIELDS = st.sampled_from(["cancelled_at", "completed_at"])
STAMP_OFFSETS = st.sampled_from([None, -10_000_000_000, 0, 1])
"""A stamp relative to ``updated_at`` (``None`` clears it; the large one is before creation)."""


def instant(base: datetime, offset: int | None) -> datetime | None:
    """``base`` moved by ``offset`` seconds (``None`` stays ``None``)."""
    return None if offset is None else base + timedelta(seconds=offset)


DOCUMENTS = [case for case in cases() if parse_strict(case.text)[0]]
"""The corpus documents that are JSON text."""

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**320), max_value=10**320),
    st.floats(allow_nan=False),
    st.text(max_size=6),
    st.sampled_from(
        [
            "\ud800",
            "a\udc00",
            "100",
            "0.5",
            "2025-10-28T14:30:22Z",
            "ACTIVE",
            "CANCELLED",
            "binance_1",
            "EXG_20251028_143022_a8f3c",
        ]
    ),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=3) | st.just("\ud800"), inner, max_size=3),
    ),
    max_leaves=8,
)
FIELDS = [*list(examples()[0]), "metadata", "filled_qty"]


def deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    """A corpus document with a few members replaced, removed or nested deep."""
    _, document = parse_strict(draw(st.sampled_from(DOCUMENTS)).text)
    if not isinstance(document, dict):
        return document
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        field = draw(st.sampled_from(FIELDS))
        action = draw(st.sampled_from(["replace", "remove", "metadata", "deep"]))
        if action == "remove":
            document.pop(field, None)
        elif action == "metadata":
            document["metadata"] = draw(st.dictionaries(st.text(max_size=3), JSON_VALUES))
        elif action == "deep":
            document["metadata"] = {"x": deep(draw(st.integers(min_value=196, max_value=202)))}
        else:
            document[field] = draw(JSON_VALUES)
    return document
