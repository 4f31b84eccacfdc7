"""Id generators: the form, the UTC second, and no repeats in one process."""

from __future__ import annotations

import multiprocessing
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from execution_group import generate_execution_directive_id, generate_execution_group_id
from execution_group.contract import pattern

SECOND = datetime(2025, 10, 28, 14, 30, 22, 999999, tzinfo=UTC)


def test_a_backtest_second_never_repeats_a_group_id() -> None:
    ids = [generate_execution_group_id(SECOND) for _ in range(200_000)]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("EXG_20251028_143022_") for i in ids[:10])
    assert all(re.fullmatch(pattern("GroupId"), i) for i in ids)


def test_a_backtest_second_never_repeats_a_directive_id() -> None:
    ids = [generate_execution_directive_id(SECOND) for _ in range(100_000)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(pattern("DirectiveId"), i) for i in ids)


def test_suffixes_are_not_a_visible_counter() -> None:
    suffixes = [generate_execution_group_id(SECOND)[-5:] for _ in range(1000)]
    assert suffixes != sorted(suffixes)
    assert len({s[0] for s in suffixes}) > 20  # spread over the alphabet, not clustered


def test_clock_default_is_utc_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = datetime.strptime(generate_execution_group_id()[4:19], "%Y%m%d_%H%M%S").replace(
        tzinfo=UTC
    )
    assert before <= stamp <= datetime.now(UTC)


@pytest.mark.parametrize(
    "at", [datetime(2025, 1, 1), datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=2)))]
)
def test_non_utc_at_is_refused(at: datetime) -> None:
    with pytest.raises(ValidationError) as excinfo:
        generate_execution_group_id(at)
    assert excinfo.value.errors()[0]["loc"] == ("at",)
    assert "UTC only" in excinfo.value.errors()[0]["msg"]


def _child_ids(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    queue.put([generate_execution_group_id(SECOND) for _ in range(1000)])


def test_forked_children_do_not_share_a_sequence() -> None:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_child_ids, args=(queue,)) for _ in range(2)]
    for child in children:
        child.start()
    first, second = queue.get(timeout=30), queue.get(timeout=30)
    for child in children:
        child.join(timeout=30)
    assert len(set(first) & set(second)) < 5  # independent draws; a shared sequence would match all
