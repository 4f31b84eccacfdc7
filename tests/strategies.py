"""Hypothesis strategies shared by the tests: the values public operations are tried with.

Pools mix what the contract accepts with what it refuses (a malformed id, a fill past the
target, NaN in metadata, a move the lifecycle forbids), so that a run meets both verdicts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from execution_group import GroupStatus

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
