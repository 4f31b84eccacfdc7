"""The walk (``_walk``): metadata copied on entry from the real storage, only what JSON
carries, and an object reused only so often."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import pytest
from builders import iceberg, new_twap, refused, schema_valid_and_reads_back
from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group.metadata import MAX_DECIMAL_TEXT, MAX_EXPANSION, TEXT_UNIT

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
