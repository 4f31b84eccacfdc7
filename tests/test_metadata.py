"""Metadata: a deep read-only view in the group, and any JSON object reads back equal."""

from __future__ import annotations

import copy
import json
import pickle
from decimal import Decimal
from typing import Any

import pytest
from builders import iceberg, new_twap, refused, schema_valid_and_reads_back
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import ExecutionGroup

# ---------------------------------------------------------------- no side door (read-only)

WRITES = {
    "setitem nan": lambda m: m.__setitem__("x", float("nan")),
    "pop visible_ratio": lambda m: m.pop("visible_ratio"),
    "set value": lambda m: m.__setitem__("x", {1, 2}),
    "non-str key": lambda m: m.__setitem__(1, "x"),
    "nested inf": lambda m: m["nested"].__setitem__("k", float("inf")),
    "nested list append": lambda m: m["nested"]["list"].append({3}),
    "nested list setitem": lambda m: m["nested"]["list"].__setitem__(0, float("nan")),
    "del": lambda m: m.__delitem__("visible_ratio"),
    "clear": lambda m: m.clear(),
    "update": lambda m: m.update(visible_ratio=7),
    "setdefault": lambda m: m.setdefault("y", float("nan")),
    "popitem": lambda m: m.popitem(),
    "ior": lambda m: m.__ior__({"visible_ratio": 7}),
    "list iadd": lambda m: m["nested"]["list"].__iadd__([float("nan")]),
    "list extend": lambda m: m["nested"]["list"].extend([float("nan")]),
    "list insert": lambda m: m["nested"]["list"].insert(0, float("nan")),
    "list pop": lambda m: m["nested"]["list"].pop(),
    "list sort": lambda m: m["nested"]["list"].sort(),
    "list del": lambda m: m["nested"]["list"].__delitem__(0),
    "init kwargs": lambda m: m.__init__(visible_ratio=float("nan")),
    "init mapping": lambda m: m.__init__({"visible_ratio": 7}),
    "list init": lambda m: m["nested"]["list"].__init__([float("nan")]),
    "list init empty": lambda m: m["nested"]["list"].__init__(),
    "list imul": lambda m: m["nested"]["list"].__imul__(0),
    "list remove": lambda m: m["nested"]["list"].remove(1),
    "list reverse": lambda m: m["nested"]["list"].reverse(),
    "list clear": lambda m: m["nested"]["list"].clear(),
    "list append": lambda m: m["nested"]["list"].append(3),
    "class swap": lambda m: setattr(m, "__class__", type("Open", (dict,), {"__slots__": ()})),
    "list class swap": lambda m: setattr(
        m["nested"]["list"], "__class__", type("Open", (list,), {"__slots__": ()})
    ),
}


@pytest.mark.parametrize("source", ["python", "json"])
@pytest.mark.parametrize("write", WRITES, ids=str)
def test_no_write_into_metadata_reaches_the_group(write: str, source: str) -> None:
    metadata = {"visible_ratio": 0.5, "nested": {"k": 1, "list": [2, 1]}}
    group = iceberg(metadata)
    if source == "json":
        group = ExecutionGroup.model_validate_json(group.model_dump_json())
    before = group.model_dump_json()
    with pytest.raises(ValidationError) as excinfo:
        WRITES[write](group.metadata)
    assert refused(excinfo) == ("metadata_read_only", ("metadata",))
    assert group.model_dump_json() == before
    schema_valid_and_reads_back(group)


def test_metadata_is_changed_by_assigning_a_new_mapping() -> None:
    group = iceberg({"visible_ratio": 0.5, "nested": {"list": [1]}})
    group.metadata = {**group.metadata, "visible_ratio": 0.25}  # type: ignore[dict-item]
    assert group.metadata == {"visible_ratio": 0.25, "nested": {"list": [1]}}
    editable = copy.deepcopy(group.metadata)
    editable["nested"]["list"].append(2)
    group.metadata = editable
    assert group.metadata["nested"]["list"] == [1, 2]  # type: ignore[index]
    with pytest.raises(ValidationError):
        group.metadata = {**group.metadata, "visible_ratio": 7}  # type: ignore[dict-item]
    assert group.metadata["visible_ratio"] == 0.25  # type: ignore[index]


def test_the_view_reads_like_plain_containers() -> None:
    group = new_twap(metadata={"a": [1, 2], "d": Decimal("1.50"), "n": {"x": None}})
    view = group.metadata
    assert view == {"a": [1, 2], "d": Decimal("1.50"), "n": {"x": None}}
    assert isinstance(view, dict) and isinstance(view["a"], list)  # type: ignore[index]
    assert group.metadata is view
    assert json.loads(json.dumps(view, default=str)) == {"a": [1, 2], "d": "1.50", "n": {"x": None}}
    dumped = group.model_dump()["metadata"]
    assert type(dumped) is dict and type(dumped["a"]) is list
    for clone in (copy.copy(view), copy.deepcopy(view), pickle.loads(pickle.dumps(view))):
        assert type(clone) is dict and clone == view
    thawed = copy.deepcopy(view)
    thawed["a"].append(3)  # a deep copy is the caller's own, mutable
    assert group.metadata["a"] == [1, 2]  # type: ignore[index]
    for clone_group in (copy.deepcopy(group), pickle.loads(pickle.dumps(group))):
        assert clone_group == group
        with pytest.raises(ValidationError):
            clone_group.metadata["a"].append(3)  # type: ignore[index]


def test_iteration_and_records_see_the_view() -> None:
    group = ExecutionGroup.model_validate_json(new_twap(metadata={"a": [1]}).model_dump_json())
    fields = dict(group)
    with pytest.raises(ValidationError):
        fields["metadata"]["a"].append(2)


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=4))
def test_any_json_metadata_is_kept_read_only_and_reads_back_equal(metadata: dict[str, Any]) -> None:
    group = new_twap(metadata=metadata)
    assert group.metadata == metadata
    schema_valid_and_reads_back(group)
    assert ExecutionGroup.model_validate_json(group.model_dump_json()) == group
    assert ExecutionGroup.from_document(json.loads(group.model_dump_json())) == group
