"""Generated documents and snapshot pairs: the packed npm package and Python agree on each.

The documents are the differential fuzzer's (``tests/test_differential.py``: drawn from the
schema's patterns, and the examples mutated one field at a time with boundary values),
drawn deterministically; the pairs are valid documents and later states of them (status
moved along or back, orders appended or dropped, instants and quantities respelled or
changed). Each goes through node in one batch and through Python, as text and as a decoded
value; verdicts and errors must be equal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from test_against_python import _compare, _text_check, _value_check
from test_differential import EXAMPLES, STATUSES, fuzz, mutated_examples, schema_documents

from execution_group import ExecutionGroup


def _draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    drawn: list[Any] = []

    @fuzz(count)
    @given(strategy)
    def collect(item: Any) -> None:
        drawn.append(item)

    collect()
    return drawn


def _documents() -> list[str]:
    documents = _draw(st.one_of(schema_documents(), mutated_examples()), 1500)
    return list(dict.fromkeys(json.dumps(document) for document in documents))


def test_generated_documents(consumer: Path) -> None:
    texts = _documents()
    named = [
        (f"generated {i}: {t}", {"check": "text", "text": t}, _text_check(t))
        for i, t in enumerate(texts)
    ]
    named += [
        (f"decoded {i}: {t}", {"check": "value", "text": t}, _value_check(t))
        for i, t in enumerate(texts)
    ]
    assert len(named) > 1000
    _compare(consumer, named)


def _valid(document: dict[str, Any]) -> bool:
    try:
        ExecutionGroup.model_validate_json(json.dumps(document))
    except ValidationError:
        return False
    return True


CHANGES: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]] = {
    "status": lambda d, status: {**d, "status": status},
    "order appended": lambda d, _: {**d, "order_ids": [*d["order_ids"], "venue_999"]},
    "order dropped": lambda d, _: {**d, "order_ids": d["order_ids"][1:]},
    "orders reversed": lambda d, _: {**d, "order_ids": d["order_ids"][::-1]},
    "updated earlier": lambda d, _: {**d, "updated_at": d["created_at"]},
    "updated +1ns": lambda d, _: {**d, "updated_at": d["updated_at"].replace("Z", ".000000001Z")},
    "created respelled": lambda d, _: {
        **d,
        "created_at": d["created_at"].replace("Z", ".000+00:00"),
    },
    "created later": lambda d, _: {**d, "created_at": d["created_at"].replace("Z", ".1Z")},
    "target respelled": lambda d, _: {
        **d,
        "target_quantity": None if d["target_quantity"] is None else d["target_quantity"] + "000",
    },
    "target changed": lambda d, _: {**d, "target_quantity": "12345.6"},
    "filled down": lambda d, _: {**d, "filled_quantity": "0"},
    "strategy changed": lambda d, _: {**d, "execution_strategy": "POV"},
    "group changed": lambda d, _: {**d, "group_id": "EXG_20251028_143022_zzzzz"},
    "metadata changed": lambda d, _: {**d, "metadata": {"note": "free"}},
}


@st.composite
def _pairs(draw: st.DrawFn) -> tuple[str, str]:
    before = draw(st.sampled_from(EXAMPLES))
    after = dict(before)
    for name in draw(st.lists(st.sampled_from(sorted(CHANGES)), min_size=1, max_size=4)):
        after = CHANGES[name](after, draw(st.sampled_from(STATUSES)))
    if draw(st.booleans()):
        before, after = after, before
    return json.dumps(before), json.dumps(after)


def _successor_check(before: str, after: str, form: str) -> Callable[[], object]:
    from execution_group import check_successor  # pylint: disable=import-outside-toplevel

    if form == "text":
        return lambda: check_successor(before, after)
    return lambda: check_successor(json.loads(before), json.loads(after))


def test_generated_snapshot_pairs(consumer: Path) -> None:
    pairs = list(dict.fromkeys(_draw(_pairs(), 600)))
    named: list[tuple[str, dict[str, Any], Callable[[], object]]] = []
    for index, (before, after) in enumerate(pairs):
        for form in ("text", "value"):
            case = {"check": "successor", "as": form, "before": before, "after": after}
            check = _successor_check(before, after, form)
            named.append((f"pair {index} ({form}): {before} -> {after}", case, check))
    both_valid = sum(_valid(json.loads(b)) and _valid(json.loads(a)) for b, a in pairs)
    assert both_valid > 100, "too few pairs reach the successor rules"
    _compare(consumer, named)
