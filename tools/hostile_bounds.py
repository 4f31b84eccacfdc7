"""Time and peak memory of validating hostile inputs of growing size.

Run: ``python -m tools.hostile_bounds``. Prints one line per case: the outcome (``valid``
or ``ValidationError``), wall time and the peak of Python allocations (``tracemalloc``;
pydantic-core's Rust allocations are not counted, so the JSON-text cases also show the
process's peak RSS growth). No assertions: the tests check outcomes, this shows costs.
"""

from __future__ import annotations

import json
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group.contract import examples

BASE: dict[str, Any] = {**examples()[0], "order_ids": ["o1"], "metadata": None}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(validate: Callable[[Any], Any], value: Any) -> str:
    try:
        validate(value)
    except ValidationError as exc:
        return f"ValidationError({exc.errors()[0]['type']})"
    return "valid"


def measure(label: str, make: Callable[[], Any], validate: Callable[[Any], Any]) -> None:
    """Build the input outside the measurement; time one untraced run, then trace one."""
    value = make()
    rss = _rss_mb()
    started = time.perf_counter()
    outcome = _run(validate, value)
    elapsed = time.perf_counter() - started
    growth = _rss_mb() - rss
    tracemalloc.start()
    _run(validate, value)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<44} {outcome:<42} {elapsed * 1000:9.1f} ms  "
        f"py-peak {peak / 2**20:8.1f} MiB  rss-growth {growth:7.1f} MiB"
    )


def deep_dict(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {}
    root = node
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    return {**BASE, "metadata": root}


def orders(count: int) -> dict[str, Any]:
    return {**BASE, "order_ids": [f"binance_{n}" for n in range(count)]}


def text(size: int) -> dict[str, Any]:
    return {**BASE, "metadata": {"blob": "x" * size}}


def nested(depth: int) -> str:
    return json.dumps(BASE)[:-1] + ', "metadata": ' + '{"a":' * depth + "{}" + "}" * depth + "}"


def main() -> None:
    from_python = ExecutionGroup.model_validate
    from_json = ExecutionGroup.model_validate_json
    for count in (10**4, 10**5, 10**6):
        measure(f"{count:>9,} order ids (python)", lambda c=count: orders(c), from_python)
        measure(f"{count:>9,} order ids (json)", lambda c=count: json.dumps(orders(c)), from_json)
        measure(
            f"{count:>9,} order ids, last duplicate (json)",
            lambda c=count: json.dumps(
                {**orders(c), "order_ids": [*orders(c)["order_ids"], "binance_0"]}
            ),
            from_json,
        )
    for megabytes in (1, 10):
        size = megabytes * 2**20
        measure(f"{megabytes:>3} MB metadata string (python)", lambda s=size: text(s), from_python)
        measure(
            f"{megabytes:>3} MB metadata string (json)",
            lambda s=size: json.dumps(text(s)),
            from_json,
        )
        measure(
            f"{megabytes:>3} MB group_id (json)",
            lambda s=size: json.dumps({**BASE, "group_id": "E" * s}),
            from_json,
        )
    for depth in (100, 1_000, 10_000, 100_000):
        measure(f"metadata depth {depth:,} (json)", lambda d=depth: nested(d), from_json)
    for depth in (100, 1_000, 10_000):
        measure(f"metadata depth {depth:,} (python)", lambda d=depth: deep_dict(d), from_python)
    measure("10 MB truncated JSON", lambda: json.dumps(text(10 * 2**20))[:-7], from_json)


if __name__ == "__main__":
    main()
