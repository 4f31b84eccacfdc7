"""Where the full contract's decode time goes (part of ``python -m bench.run``).

Times, in the same run and on the schema's five examples, the bare generated model, variants
of it that each take one of the contract's strict types, one with all of them, and the
full contract with its cross-field rules (``rules.violations``) swapped for a function
that checks nothing. Each figure is µs a document above the bare model (min of repeats),
so the parts show what the 1.5x target leaves room for. ``python -m bench.parts`` prints
this table alone.
"""

from __future__ import annotations

import json
import timeit
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

from execution_group import ExecutionGroup
from execution_group import _fields as full_model
from execution_group._generated.model import ExecutionGroup as BareGroup
from execution_group.contract import examples
from execution_group.metadata import Metadata
from execution_group.quantities import Quantity
from execution_group.timestamps import UtcTimestamp

REPEAT = 9
NUMBER = 10_000


class Timestamps(BareGroup):
    """The bare model with the contract's UTC timestamps."""

    created_at: UtcTimestamp
    updated_at: UtcTimestamp
    cancelled_at: UtcTimestamp | None = None
    completed_at: UtcTimestamp | None = None


class Quantities(BareGroup):
    """The bare model with Decimal quantities."""

    target_quantity: Quantity | None = None  # type: ignore[assignment]
    filled_quantity: Quantity | None = None  # type: ignore[assignment]


class JsonMetadata(BareGroup):
    """The bare model with NaN-free JSON metadata."""

    metadata: Metadata | None = None


class StrictTypes(BareGroup):
    """The bare model with every strict type of the contract, and no rule.

    Spelled out: inheriting from the three classes above would not work, because pydantic
    would take every field from the first base, which holds the bare versions of the
    fields it does not override."""

    created_at: UtcTimestamp
    updated_at: UtcTimestamp
    cancelled_at: UtcTimestamp | None = None
    completed_at: UtcTimestamp | None = None
    target_quantity: Quantity | None = None  # type: ignore[assignment]
    filled_quantity: Quantity | None = None  # type: ignore[assignment]
    metadata: Metadata | None = None


@contextmanager
def rules_checking_nothing() -> Iterator[None]:
    """The full contract with ``violations`` answering "none" (its call and hop stay)."""
    real = full_model.violations

    def nothing(_state: Any, _order_count: int) -> list[Any]:
        return []

    full_model.violations = nothing
    try:
        yield
    finally:
        full_model.violations = real


def per_document(model: type[BaseModel], documents: list[bytes]) -> float:
    """Seconds a document for ``model.model_validate_json``, min of ``REPEAT`` repeats."""
    decode: Callable[[bytes], Any] = model.model_validate_json
    timer = timeit.Timer(lambda: [decode(document) for document in documents])
    return min(timer.repeat(repeat=REPEAT, number=NUMBER)) / NUMBER / len(documents)


VARIANTS: dict[str, type[BaseModel]] = {
    "bare + UTC timestamps": Timestamps,
    "bare + Decimal quantities": Quantities,
    "bare + JSON-safe metadata": JsonMetadata,
    "bare + every strict type, no rule": StrictTypes,
}


def measure() -> list[dict[str, Any]]:
    """Each variant's seconds a document on the five examples, the bare model first."""
    documents = [json.dumps(example).encode() for example in examples()]
    timed = [("bare generated model", per_document(BareGroup, documents))]
    timed += [(name, per_document(model, documents)) for name, model in VARIANTS.items()]
    with rules_checking_nothing():
        timed.append(
            ("full contract, rules checking nothing", per_document(ExecutionGroup, documents))
        )
    timed.append(("full contract", per_document(ExecutionGroup, documents)))
    return [{"variant": name, "min": value} for name, value in timed]


def table(rows: list[dict[str, Any]]) -> list[str]:
    """Markdown lines: each variant's µs a document, its extra over bare, its ratio."""
    bare = rows[0]["min"]
    lines = [
        "| decode, 5 examples | µs per document (min) | above bare | x bare |",
        "|---|---:|---:|---:|",
    ]
    for row in rows:
        value = row["min"]
        extra = (value - bare) * 1e6
        lines.append(
            f"| {row['variant']} | {value * 1e6:.2f} | {extra:+.2f} | {value / bare:.2f} |"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(table(measure())))
