"""One benchmark run: the contract against the bare model and other engines, same documents.

``python -m bench.run`` (or ``nox -s bench``) measures, in one process and one run:

* JSON bytes -> validated object: the full contract (``ExecutionGroup.model_validate_json``),
  the bare generated model, ``jsonschema`` (Draft 2020-12 with its format checker),
  ``fastjsonschema``, ``jsonschema-rs`` (``validate_formats=True``) and a ``msgspec.Struct``
  of the same fields (the practical floor: types and patterns, no cross-field rule). The
  schema validators get ``json.loads`` output, and the parse is inside the timing.
* object -> JSON bytes: full contract, bare model, ``msgspec``.
* decoded JSON value -> validated object: ``ExecutionGroup.from_document`` against
  ``model_validate_json(json.dumps(value))``, the verdict it must equal.
* ``add_order`` per call on groups of 10, 1,000 and 100,000 orders.
* Mutations against a hand-written floor, and the first change after decoding at 10 and
  100,000 orders (``bench/mutation.py``).
* ``execution-group validate`` on a JSON Lines file, end to end, against Ajv in node and a
  bare model loop (``bench/cli.py``, also runnable alone as ``python -m bench.cli``).
* ``execution-group validate`` on a folder of 20,000 small ``.json`` files, every core
  against ``--jobs 1`` (``bench/cli_files.py``, alone: ``python -m bench.cli_files``).

Documents: the schema's five examples (timed as one batch, reported per document) and one
valid TWAP group with 1,000 orders. Every engine must accept every document before it is
timed; one that does not is reported, not timed.

Timing: ``timeit.Timer`` (garbage collector off while timing); ``autorange`` picks the loop
count (at least 0.2 s per repeat), then 7 repeats. The **minimum** per-call time over the
repeats is the figure used in the table and in every ratio (the least disturbed run: noise
only ever adds time); the median is kept in ``results.json`` beside it.

Writes ``bench/results.md`` and ``bench/results.json`` and prints the table.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata as dist
from pathlib import Path
from typing import Annotated, Any

from execution_group import ExecutionGroup
from execution_group._generated.model import ExecutionGroup as BareGroup
from execution_group._generated.model import ExecutionStrategyType, GroupStatus
from execution_group.contract import examples, pattern, schema

from . import cli, cli_files, mutation, parts

HERE = Path(__file__).resolve().parent
REPEAT = 7
MIN_TIME = 0.2
ADD_CALLS = 1_000
ADD_SIZES = (10, 1_000, 100_000)
TARGETS = {
    "full_over_bare": ("<=", 1.5),
    "full_over_bare_examples_decode": ("<=", 1.35),
    "jsonschema_over_full": (">=", 20.0),
    "add_order_100000_over_10": ("<=", 2.0),
    "add_order_over_floor": ("<=", 3.0),
    "first_transition_after_decoding": ("<=", 2.0),
    "first_fill_after_decoding": ("<=", 2.0),
    "first_assignment_after_decoding": ("<=", 2.0),
    "dumps_over_from_document": (">=", 1.0),
}


# ---------------------------------------------------------------------------- documents


def big_document(orders: int) -> dict[str, Any]:
    """A valid ACTIVE TWAP group (schema example 1) holding ``orders`` order ids."""
    document = dict(examples()[0])
    document["order_ids"] = [f"binance_{index}" for index in range(orders)]
    return document


def document_sets() -> dict[str, list[bytes]]:
    """The timed inputs: name -> the JSON documents timed together as one batch."""
    return {
        "5 examples": [json.dumps(example).encode() for example in examples()],
        "1,000 orders": [json.dumps(big_document(1_000)).encode()],
    }


# ---------------------------------------------------------------------------- engines

Engine = Callable[[bytes], Any]


def _jsonschema() -> tuple[Engine | None, str]:
    import jsonschema  # pylint: disable=import-outside-toplevel

    validator = jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    def run(data: bytes) -> Any:
        document = json.loads(data)
        validator.validate(document)
        return document

    return run, f"jsonschema {dist.version('jsonschema')}, Draft202012Validator + FORMAT_CHECKER"


def _fastjsonschema() -> tuple[Engine | None, str]:
    import fastjsonschema  # pylint: disable=import-outside-toplevel

    version = dist.version("fastjsonschema")
    try:
        validate = fastjsonschema.compile(schema())
    except Exception as exc:  # reported, not fatal
        return None, f"fastjsonschema {version}: cannot compile the schema ({exc!r})"

    def run(data: bytes) -> Any:
        return validate(json.loads(data))

    return run, (
        f"fastjsonschema {version}: no Draft 2020-12 support; the 2020-12 $schema falls back "
        "to its Draft 2019-09 generator (this schema uses no 2020-12-only keyword)"
    )


def _jsonschema_rs() -> tuple[Engine | None, str]:
    import jsonschema_rs  # pylint: disable=import-outside-toplevel

    validator = jsonschema_rs.validator_for(schema(), validate_formats=True)

    def run(data: bytes) -> Any:
        document = json.loads(data)
        validator.validate(document)
        return document

    return run, f"jsonschema-rs {dist.version('jsonschema-rs')}, validate_formats=True"


def msgspec_struct() -> Any:
    """A ``msgspec.Struct`` of the same fields: enums, patterns, aware datetimes; no rules."""
    import msgspec  # pylint: disable=import-outside-toplevel

    def text(definition: str) -> Any:
        return Annotated[str, msgspec.Meta(pattern=pattern(definition))]

    quantity = text("Quantity")
    aware = Annotated[datetime, msgspec.Meta(tz=True)]
    return msgspec.defstruct(
        "MsgspecGroup",
        [
            ("group_id", text("GroupId")),
            ("parent_directive_id", text("DirectiveId")),
            ("execution_strategy", ExecutionStrategyType),
            ("order_ids", list[text("OrderId")]),  # type: ignore[misc]
            ("status", GroupStatus),
            ("created_at", aware),
            ("updated_at", aware),
            ("target_quantity", quantity | None, None),
            ("filled_quantity", quantity | None, None),
            ("cancelled_at", aware | None, None),
            ("completed_at", aware | None, None),
            ("metadata", dict[str, Any] | None, None),
        ],
        forbid_unknown_fields=True,
    )


def _msgspec() -> tuple[Engine | None, str]:
    import msgspec  # pylint: disable=import-outside-toplevel

    decoder = msgspec.json.Decoder(msgspec_struct())
    return decoder.decode, (
        f"msgspec {dist.version('msgspec')}: Struct of the same fields (types, enums, patterns, "
        "aware datetimes), forbid_unknown_fields; no cross-field rule: the floor"
    )


def decoders() -> dict[str, tuple[Engine | None, str]]:
    """Engine name -> (JSON bytes -> validated object, or None; a note for the report)."""
    return {
        "full contract": (
            ExecutionGroup.model_validate_json,
            f"ExecutionGroup.model_validate_json (pydantic {dist.version('pydantic')})",
        ),
        "bare generated model": (
            BareGroup.model_validate_json,
            "execution_group._generated.model.ExecutionGroup.model_validate_json",
        ),
        "jsonschema": _jsonschema(),
        "fastjsonschema": _fastjsonschema(),
        "jsonschema-rs": _jsonschema_rs(),
        "msgspec": _msgspec(),
    }


def document_readers() -> dict[str, Callable[[Any], Any]]:
    """Engine name -> (a value ``json.loads`` made -> validated object, with the JSON verdict)."""
    return {
        "full contract": ExecutionGroup.from_document,
        "full contract via json.dumps": lambda value: ExecutionGroup.model_validate_json(
            json.dumps(value)
        ),
    }


def encoders() -> dict[str, tuple[Engine, Callable[[Any], bytes]]]:
    """Engine name -> (how to make the object from JSON, object -> JSON bytes)."""
    import msgspec  # pylint: disable=import-outside-toplevel

    encoder = msgspec.json.Encoder()
    return {
        "full contract": (
            ExecutionGroup.model_validate_json,
            lambda group: group.model_dump_json(),
        ),
        "bare generated model": (
            BareGroup.model_validate_json,
            lambda group: group.model_dump_json(),
        ),
        "msgspec": (msgspec.json.Decoder(msgspec_struct()).decode, encoder.encode),
    }


# ---------------------------------------------------------------------------- timing


def measure(call: Callable[[], Any], per_call: int = 1) -> dict[str, float | int]:
    """Seconds per unit (``call`` does ``per_call`` units): min and median of ``REPEAT`` repeats."""
    timer = timeit.Timer(call)
    number, elapsed = timer.autorange()
    if elapsed < MIN_TIME:
        number = max(1, int(number * MIN_TIME / max(elapsed, 1e-9)))
    runs = [total / number / per_call for total in timer.repeat(repeat=REPEAT, number=number)]
    return {"min": min(runs), "median": statistics.median(runs), "loops": number, "repeat": REPEAT}


def measure_add_order(size: int) -> dict[str, dict[str, float | int]]:
    """``add_order`` on a fresh group of ``size`` orders a repeat: the first call after
    decoding (it guards the decoded order list: O(n), once), then ``ADD_CALLS`` more calls,
    per call."""
    data = json.dumps(big_document(size)).encode()
    at = datetime(2025, 10, 28, 15, 0, tzinfo=UTC)
    new_ids = [f"okx_{index}" for index in range(ADD_CALLS + 1)]
    first: list[float] = []
    runs: list[float] = []
    for _ in range(REPEAT):
        group = ExecutionGroup.model_validate_json(data)
        add = group.add_order
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            add(new_ids[0], at=at)
            first.append(time.perf_counter() - start)
            start = time.perf_counter()
            for order_id in new_ids[1:]:
                add(order_id, at=at)
            runs.append((time.perf_counter() - start) / ADD_CALLS)
        finally:
            gc.enable()
        assert len(group.order_ids) == size + ADD_CALLS + 1
    return {
        "first": {"min": min(first), "median": statistics.median(first), "repeat": REPEAT},
        "next": {
            "min": min(runs),
            "median": statistics.median(runs),
            "loops": ADD_CALLS,
            "repeat": REPEAT,
        },
    }


# ---------------------------------------------------------------------------- the run


def machine() -> dict[str, Any]:
    """CPU model, cores and the versions that decide the numbers."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in (
        "pydantic",
        "pydantic-core",
        "jsonschema",
        "fastjsonschema",
        "jsonschema-rs",
        "msgspec",
    ):
        try:
            versions[name] = dist.version(name)
        except dist.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "versions": versions,
    }


def run() -> dict[str, Any]:
    """Every measurement of this run, with the ratios computed from it."""
    mutated = mutation.measure()
    rows: list[dict[str, Any]] = []
    notes: dict[str, str] = {}
    sets = document_sets()
    for engine, (decode, note) in decoders().items():
        notes[engine] = note
        for label, docs in sets.items():
            row: dict[str, Any] = {
                "operation": "decode + validate",
                "documents": label,
                "engine": engine,
            }
            rows.append(row)
            if decode is None:
                row["skipped"] = note
                continue
            try:
                for doc in docs:
                    decode(doc)
            except Exception as exc:  # a rejecting engine is reported
                row["skipped"] = f"rejects a valid document: {exc!r}"[:300]
                continue
            row.update(measure(lambda d=decode, ds=docs: [d(x) for x in ds], len(docs)))
    for label, docs in sets.items():
        values = [json.loads(doc) for doc in docs]
        for engine, judge in document_readers().items():
            row = {"operation": "decoded value + validate", "documents": label, "engine": engine}
            row.update(measure(lambda j=judge, vs=values: [j(v) for v in vs], len(values)))
            rows.append(row)
    for engine, (make, encode) in encoders().items():
        for label, docs in sets.items():
            objects = [make(doc) for doc in docs]
            row = {"operation": "encode", "documents": label, "engine": engine}
            row.update(measure(lambda e=encode, os_=objects: [e(o) for o in os_], len(objects)))
            rows.append(row)
    for size in ADD_SIZES:
        measured = measure_add_order(size)
        for operation, part in (
            ("add_order (at= given)", "next"),
            ("add_order, first after decoding (guards the list, once)", "first"),
        ):
            row = {
                "operation": operation,
                "documents": f"group of {size:,} orders",
                "engine": "full contract",
            }
            row.update(measured[part])
            rows.append(row)
    return {
        "machine": machine(),
        "method": method(),
        "notes": notes,
        "rows": rows,
        "parts": parts.measure(),
        "mutation": mutated,
        "ratios": verdicts(
            {
                **ratios(rows),
                **{name: value["min"] for name, value in mutated["ratios"].items()},
            }
        ),
        "cli": cli.measure(),
        "cli_files": cli_files.measure(),
    }


def method() -> str:
    return (
        f"timeit.Timer, gc off while timing; autorange (>= {MIN_TIME} s per repeat), "
        f"{REPEAT} repeats; figure = min over repeats (median in results.json). "
        f"add_order: the first call after decoding (which guards the order list, O(n) once) "
        f"timed alone, then {ADD_CALLS:,} calls with at= on the same group, per-call mean."
    )


def _time(rows: list[dict[str, Any]], operation: str, documents: str, engine: str) -> float | None:
    for row in rows:
        if (row["operation"], row["documents"], row["engine"]) == (operation, documents, engine):
            value = row.get("min")
            return float(value) if value is not None else None
    return None


def ratios(rows: list[dict[str, Any]]) -> dict[str, float]:
    """The target ratios of the engine rows, for every document set, from this run's minima."""
    found: dict[str, Any] = {}
    decode = "decode + validate"
    for label in document_sets():
        full = _time(rows, decode, label, "full contract")
        bare = _time(rows, decode, label, "bare generated model")
        slow = _time(rows, decode, label, "jsonschema")
        full_out = _time(rows, "encode", label, "full contract")
        bare_out = _time(rows, "encode", label, "bare generated model")
        if full and bare:
            found[f"full_over_bare ({label}, decode)"] = full / bare
            if label == "5 examples":
                found["full_over_bare_examples_decode"] = full / bare
        if full_out and bare_out:
            found[f"full_over_bare ({label}, encode)"] = full_out / bare_out
        if full and slow:
            found[f"jsonschema_over_full ({label})"] = slow / full
        direct = _time(rows, "decoded value + validate", label, "full contract")
        dumped = _time(rows, "decoded value + validate", label, "full contract via json.dumps")
        if direct and dumped:
            found[f"dumps_over_from_document ({label})"] = dumped / direct
    small = _time(rows, "add_order (at= given)", "group of 10 orders", "full contract")
    large = _time(rows, "add_order (at= given)", "group of 100,000 orders", "full contract")
    if small and large:
        found["add_order_100000_over_10"] = large / small
    return found


def verdicts(found: dict[str, float]) -> dict[str, Any]:
    """Each ratio against its target."""
    judged = {}
    for name, value in found.items():
        op, bound = TARGETS[name.split(" ", 1)[0]]
        met = value <= bound if op == "<=" else value >= bound
        judged[name] = {"value": round(value, 3), "target": f"{op} {bound}", "met": met}
    return judged


def _us(value: float | None) -> str:
    return "—" if value is None else f"{value * 1e6:,.2f}"


def markdown(result: dict[str, Any]) -> str:
    """The run as a markdown page: machine, method, table, ratios, notes."""
    info = result["machine"]
    versions = ", ".join(f"{name} {version}" for name, version in info["versions"].items())
    lines = [
        "# Benchmark: `python -m bench.run`",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores; {info['implementation']} "
        f"{info['python']} on {info['platform']}.",
        "",
        f"Versions: {versions}.",
        "",
        f"Method: {result['method']}",
        "",
        "| operation | documents | engine | µs per document (min) | median | x full contract |",
        "|---|---|---|---:|---:|---:|",
    ]
    rows = result["rows"]
    for row in rows:
        full = _time(rows, row["operation"], row["documents"], "full contract")
        mine = row.get("min")
        ratio = f"{mine / full:.2f}" if mine and full else "—"
        median = row.get("median")
        if "skipped" in row:
            lines.append(
                f"| {row['operation']} | {row['documents']} | {row['engine']} | "
                f"not timed | | {row['skipped']} |"
            )
        else:
            lines.append(
                f"| {row['operation']} | {row['documents']} | {row['engine']} | "
                f"{_us(mine)} | {_us(median)} | {ratio} |"
            )
    lines += ["", "| ratio | value | target | met |", "|---|---:|---|---|"]
    for name, verdict in result["ratios"].items():
        lines.append(
            f"| {name} | {verdict['value']:.2f} | {verdict['target']} | "
            f"{'yes' if verdict['met'] else '**no**'} |"
        )
    lines += ["", "Mutations (`bench/mutation.py`; ratios above from the minima):", ""]
    lines += mutation.table(result["mutation"])
    lines += ["", "Where the full contract's decode time goes (`bench/parts.py`):", ""]
    lines += parts.table(result["parts"])
    lines += ["", "The command line on a JSON Lines file (`bench/cli.py`):", ""]
    lines += cli.markdown(result["cli"])
    lines += ["", "The command line on a folder of `.json` files (`bench/cli_files.py`):", ""]
    lines += cli_files.markdown(result["cli_files"])
    lines += ["", "Engines:", ""]
    lines += [f"- {name}: {note}" for name, note in result["notes"].items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    result = run()
    page = markdown(result)
    (HERE / "results.md").write_text(page, encoding="utf-8")
    (HERE / "results.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
