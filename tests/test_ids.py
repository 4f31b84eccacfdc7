"""Ids: the generators (form, UTC second, no repeats in one process); ids kept as plain str."""

from __future__ import annotations

import multiprocessing
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from builders import new_twap
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


class SneakyId(str):
    """An id whose class makes every instance look new to a set, and equal to nothing."""

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return other is self


def test_str_subclass_ids_are_stored_as_plain_str() -> None:
    group = new_twap()
    group.add_order(SneakyId("o1"))
    assert all(type(order_id) is str for order_id in group.order_ids)
    for attempt in (
        lambda: group.add_order(SneakyId("o1")),
        lambda: group.order_ids.append(SneakyId("o1")),
        lambda: group.add_orders([SneakyId("o2"), SneakyId("o2")]),
    ):
        try:
            attempt()
        except ValidationError as exc:
            assert exc.errors()[0]["type"] == "order_ids_unique"
        else:
            raise AssertionError("a duplicate order id was added")
    assert list(group.order_ids) == ["o1"]
    built = new_twap(order_ids=[SneakyId("a")], status="ACTIVE")
    assert type(built.order_ids[0]) is str
    assert type(built.group_id) is str
