"""``order_ids``: the guarded list on its own (every removal refused, additions through
its group, the set beside it kept in step)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from builders import at, new_twap
from pydantic import ValidationError

from execution_group.order_ids import OrderIds

REFUSED: dict[str, Callable[[OrderIds], Any]] = {
    "insert": lambda ids: ids.insert(0, "x"),
    "remove": lambda ids: ids.remove("o1"),
    "pop": lambda ids: ids.pop(),
    "clear": lambda ids: ids.clear(),
    "sort": lambda ids: ids.sort(),
    "reverse": lambda ids: ids.reverse(),
    "item assignment": lambda ids: ids.__setitem__(0, "x"),
    "del": lambda ids: ids.__delitem__(0),
    "*=": lambda ids: ids.__imul__(2),
}


def guarded(*ids: str) -> OrderIds:
    group = new_twap()
    if ids:
        group.add_orders(list(ids), at=at(1))
    return group.order_ids  # type: ignore[return-value]


@pytest.mark.parametrize("operation", REFUSED, ids=list(REFUSED))
def test_every_removal_or_reordering_is_refused(operation: str) -> None:
    ids = guarded("o1", "o2")
    with pytest.raises(ValidationError) as raised:
        REFUSED[operation](ids)
    (error,) = raised.value.errors()
    assert error["type"] == "order_ids_append_only" and error["loc"] == ("order_ids",)
    assert list(ids) == ["o1", "o2"] and ids.seen == {"o1", "o2"}


def test_additions_go_through_the_group_and_keep_the_set_in_step() -> None:
    ids = guarded()
    ids.append("o1")
    ids.extend(["o2"])
    ids += ["o3"]
    assert list(ids) == ["o1", "o2", "o3"] and ids.seen == {"o1", "o2", "o3"}
    assert "o2" in ids and "zz" not in ids and ids.has("o3")
    with pytest.raises(ValidationError, match="order_ids_unique"):
        ids.extend(["o4", "o1"])
    assert list(ids) == ["o1", "o2", "o3"] and ids.seen == {"o1", "o2", "o3"}


def test_added_by_is_what_a_whole_list_assignment_adds() -> None:
    ids = guarded("o1", "o2")
    assert ids.added_by(["o1", "o2", "o3"]) == ["o3"]
    assert ids.added_by(["o1", "o2"]) == []
    for bad in (["o1"], ["o2", "o1", "o3"], []):
        with pytest.raises(ValidationError, match="order_ids_append_only"):
            ids.added_by(bad)


def test_copies_and_pickles_are_plain_lists() -> None:
    ids = guarded("o1")
    for made in (copy.copy(ids), copy.deepcopy(ids), pickle.loads(pickle.dumps(ids))):
        assert type(made) is list and made == ["o1"]
