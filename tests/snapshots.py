"""Hypothesis strategy: two snapshots of one group that lived through lifecycle steps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from builders import at, new_twap
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import ExecutionGroup, GroupStatus

_STEP = st.one_of(
    st.tuples(st.just("order"), st.integers(0, 10**6)),
    st.tuples(st.just("fill"), st.integers(1, 20)),
    st.tuples(st.just("move"), st.sampled_from(list(GroupStatus))),
    st.tuples(st.just("metadata"), st.integers(0, 99)),
)


def _apply(group: ExecutionGroup, kind: str, value: Any, index: int) -> None:
    when = at(index * 0.000001)  # a microsecond apart: instants close together
    if kind == "order":
        group.add_order(f"o{value}", at=when)
    elif kind == "fill":
        group.record_fill(Decimal(value) / 10, at=when)
    elif kind == "move":
        group.transition_to(value, at=when)
    else:
        group.metadata = {"note": value}


def lived(steps: list[tuple[str, Any]]) -> list[ExecutionGroup]:
    """Snapshots of one group after each lifecycle step that the group accepted."""
    group = new_twap()
    snapshots = [group.model_copy(deep=True)]
    for index, (kind, value) in enumerate(steps, start=1):
        try:
            _apply(group, kind, value, index)
        except ValidationError:
            continue
        snapshots.append(group.model_copy(deep=True))
    return snapshots


@st.composite
def snapshot_pairs(draw: st.DrawFn) -> tuple[ExecutionGroup, ExecutionGroup]:
    """(earlier, later) snapshots of one group; sometimes the same one twice."""
    snapshots = lived(draw(st.lists(_STEP, max_size=12)))
    first = draw(st.integers(0, len(snapshots) - 1))
    second = draw(st.integers(first, len(snapshots) - 1))
    return snapshots[first], snapshots[second]
