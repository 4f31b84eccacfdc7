"""Where the full contract's decode time goes (part of ``python -m bench.run``).

Times, in the same run and on the schema's five examples, the bare generated model, variants
of it that each take one of the contract's strict types, one with all of them, and the
full contract with its cross-field rules (``rules.violations``) swapped for a function
that checks nothing. Each figure is µs a document above the bare model (min of rounds),
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

ROUNDS = 300
NUMBER = 40


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


VARIANTS: dict[str, type[BaseModel]] = {
    "bare + UTC timestamps": Timestamps,
    "bare + Decimal quantities": Quantities,
    "bare + JSON-safe metadata": JsonMetadata,
    "bare + every strict type, no rule": StrictTypes,
}


def _decoder(model: type[BaseModel]) -> Callable[[bytes], Any]:
    decode: Callable[[bytes], Any] = model.model_validate_json
    return decode


def measure() -> list[dict[str, Any]]:
    """Each variant's seconds a document on the five examples, the bare model first.

    Interleaved: each round times every variant once (``NUMBER`` loops over the five
    documents), and each figure is the minimum over ``ROUNDS`` rounds, so that a busy
    moment of the machine lands on every variant alike.
    """
    documents = [json.dumps(example).encode() for example in examples()]
    variants: list[tuple[str, Callable[[bytes], Any]]] = [
        ("bare generated model", _decoder(BareGroup)),
        *((name, _decoder(model)) for name, model in VARIANTS.items()),
        ("full contract, rules checking nothing", _decoder(ExecutionGroup)),
        ("full contract", _decoder(ExecutionGroup)),
    ]
    best = dict.fromkeys((name for name, _ in variants), float("inf"))
    for _ in range(ROUNDS):
        for name, decode in variants:
            timer = timeit.Timer(lambda d=decode: [d(document) for document in documents])
            if name == "full contract, rules checking nothing":
                with rules_checking_nothing():
                    elapsed = timer.timeit(NUMBER)
            else:
                elapsed = timer.timeit(NUMBER)
            best[name] = min(best[name], elapsed / NUMBER / len(documents))
    return [{"variant": name, "min": value} for name, value in best.items()]


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
