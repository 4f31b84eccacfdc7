"""Metadata: a deep read-only view in the group, copied on entry, only what JSON carries."""

from __future__ import annotations

import copy
import json
import pickle
import time
from decimal import Decimal
from typing import Any

import pytest
from builders import T0, new_twap
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group.contract import schema
from execution_group.metadata import MAX_DECIMAL_TEXT, MAX_EXPANSION, TEXT_UNIT

ICEBERG: dict[str, Any] = {
    "group_id": "EXG_20251028_143022_a8f3c",
    "parent_directive_id": "EXE_20251028_143020_b7c4d890",
    "execution_strategy": "ICEBERG",
    "order_ids": [],
    "status": "PENDING",
    "created_at": T0,
    "updated_at": T0,
}


def iceberg(metadata: Any) -> ExecutionGroup:
    return ExecutionGroup(**ICEBERG, metadata=metadata)


def refused(excinfo: pytest.ExceptionInfo[ValidationError]) -> tuple[str, tuple[Any, ...]]:
    error = excinfo.value.errors()[0]
    return error["type"], error["loc"]


def schema_valid_and_reads_back(group: ExecutionGroup) -> None:
    import jsonschema  # pylint: disable=import-outside-toplevel

    written = group.model_dump_json()
    jsonschema.Draft202012Validator(schema()).validate(json.loads(written))
    assert ExecutionGroup.model_validate_json(written).model_dump_json() == written


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


# ---------------------------------------------------------------- no shared container


def test_the_group_never_shares_a_container_with_its_caller() -> None:
    metadata: dict[str, Any] = {"visible_ratio": 0.5, "nested": {"list": [1]}}
    group = iceberg(metadata)
    metadata["visible_ratio"] = 7
    metadata["nested"]["list"].append(float("nan"))
    assert group.metadata == {"visible_ratio": 0.5, "nested": {"list": [1]}}
    other: dict[str, Any] = {"visible_ratio": 0.25}
    group.metadata = other
    other["visible_ratio"] = 7
    assert group.metadata == {"visible_ratio": 0.25}
    schema_valid_and_reads_back(group)


class LyingItems(dict[str, Any]):
    def items(self) -> Any:  # type: ignore[override]
        return [("visible_ratio", 0.5)]

    def __getitem__(self, key: str) -> Any:
        return 0.5

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return 0.5

    def __iter__(self) -> Any:
        return iter(["visible_ratio"])


@pytest.mark.parametrize("stored", [float("nan"), 7, float("inf")], ids=repr)
def test_a_dict_subclass_cannot_lie_its_way_in(stored: Any) -> None:
    with pytest.raises(ValidationError):
        iceberg(LyingItems(visible_ratio=stored))
    group = iceberg({"visible_ratio": 0.5})
    with pytest.raises(ValidationError):
        group.metadata = LyingItems(visible_ratio=stored)
    assert group.metadata == {"visible_ratio": 0.5}


def test_a_subclass_that_tells_the_truth_is_stored_as_plain_types() -> None:
    class Text(str):
        def __hash__(self) -> int:
            return 0

    class Number(int):
        pass

    group = new_twap(metadata=LyingItems.__mro__[1]({Text("k"): [Text("v"), Number(3)]}))
    assert group.metadata is not None
    ((key, value),) = group.metadata.items()
    assert type(key) is str and type(value[0]) is str and type(value[1]) is int


# ---------------------------------------------------------------- what JSON cannot carry

BAD_VALUES = {
    "nan": (float("nan"), "metadata_json"),
    "inf": (float("inf"), "ijson_number_range"),
    "-inf": (float("-inf"), "ijson_number_range"),
    "set": ({1}, "metadata_json"),
    "tuple": ((1,), "metadata_json"),
    "bytes": (b"x", "metadata_json"),
    "lone surrogate": ("\ud800", "ijson_unicode"),
    "int beyond double": (10**400, "ijson_number_range"),
    "decimal nan": (Decimal("NaN"), "metadata_json"),
    "huge decimal": (Decimal("1e100000000"), "metadata_size"),
}


@pytest.mark.parametrize("name", BAD_VALUES)
def test_values_json_cannot_carry_are_refused(name: str) -> None:
    value, rule = BAD_VALUES[name]
    for metadata in ({"x": value}, {"x": [{"y": value}]}):
        with pytest.raises(ValidationError) as excinfo:
            new_twap(metadata=metadata)
        assert refused(excinfo) == (rule, ("metadata",))


def test_a_lone_surrogate_in_a_key_is_refused() -> None:
    for metadata in ({"\udc00": 1}, {"a": {"b\ud800": 1}}):
        with pytest.raises(ValidationError) as excinfo:
            new_twap(metadata=metadata)
        assert refused(excinfo) == ("ijson_unicode", ("metadata",))
    with pytest.raises(ValidationError) as excinfo:
        new_twap().cancel("risk \ud800")
    assert refused(excinfo)[0] == "ijson_unicode"


def test_decimal_length_bound_is_on_the_plain_text() -> None:
    digits = MAX_DECIMAL_TEXT - 2
    fits = Decimal(f"0.{'1' * digits}")
    assert len(str(fits)) == MAX_DECIMAL_TEXT
    group = new_twap(metadata={"x": fits})
    assert json.loads(group.model_dump_json())["metadata"]["x"] == str(fits)
    for too_long in (Decimal(f"0.{'1' * (digits + 1)}"), Decimal("1e1000"), Decimal("-1e-999")):
        with pytest.raises(ValidationError) as excinfo:
            new_twap(metadata={"x": too_long})
        assert refused(excinfo)[0] == "metadata_size"


def test_reused_lists_are_refused_without_walking_them_all() -> None:
    node: list[Any] = []
    for _ in range(25):
        node = [node, node]
    started = time.process_time()
    with pytest.raises(ValidationError) as excinfo:
        new_twap(metadata={"x": node})
    assert refused(excinfo)[0] == "metadata_size"
    assert time.process_time() - started < 10  # a bound, not a benchmark: 2**25 takes 30 s
    shared = [1, 2]
    group = new_twap(metadata={"a": shared, "b": shared})
    assert group.metadata == {"a": [1, 2], "b": [1, 2]}
    assert f"{MAX_EXPANSION:,}" != ""


def test_a_cycle_is_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValidationError) as excinfo:
        new_twap(metadata={"loop": loop})
    assert refused(excinfo)[0] == "ijson_depth"


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


NAME = "x" * 100_000


@pytest.mark.parametrize(
    "metadata",
    [
        {"k": ["x" * 1_000_000] * 100_000},
        {"k": [{NAME: 1} for _ in range(2_000)]},
        {"k": [Decimal("1" * 999)] * 100_000},
        {"k": ["x" * TEXT_UNIT] * MAX_EXPANSION},
    ],
    ids=["1 MB string x100,000", "100 kB name x2,000", "long Decimal", "at the unit"],
)
def test_reused_strings_and_decimals_count_toward_the_bound(metadata: dict[str, Any]) -> None:
    """One long string (or name, or Decimal) listed many times writes its text each time."""
    with pytest.raises(ValidationError) as excinfo:
        new_twap(metadata=metadata)
    assert refused(excinfo)[0] == "metadata_size"
    document = {**new_twap().model_dump(mode="json"), "metadata": metadata}
    with pytest.raises(ValidationError) as excinfo:
        ExecutionGroup.from_document(document)
    assert excinfo.value.errors()[0]["type"] in ("metadata_size", "metadata_json")


def test_short_strings_reused_and_long_ones_once_are_kept() -> None:
    """A decoder shares member names; short text costs a value's unit, long text used once
    is linear in the input: neither is bounded."""
    items = json.loads(json.dumps([{"price": "1", "venue": "x"} for _ in range(60_000)]))
    assert len(new_twap(metadata={"items": items}).metadata["items"]) == 60_000  # type: ignore[index,arg-type]
    long_once = {"k": ["x" * 1_000_000, "y" * 1_000_000]}
    assert new_twap(metadata=long_once).metadata == long_once
