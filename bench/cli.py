"""The command line on a JSON Lines file, end to end, against Ajv and a bare model loop.

``python -m bench.cli`` (also run by ``python -m bench.run``) writes a JSON Lines file of
``DOCUMENTS`` documents (the seven ``execution-group example`` documents and variations of
them; one in ``INVALID_EVERY`` breaks the schema), then times, as subprocesses, each from
start to exit, with stdout to ``/dev/null``:

* ``execution-group validate FILE`` with every core (the default ``--jobs``);
* the same with ``--jobs 1``;
* the bare model loop: one Python process that imports the model and calls
  ``ExecutionGroup.model_validate_json`` on each line of the file (``--model-loop``);
* Ajv in node (``js/validate-lines.mjs``): the schema alone, compiled once, each line
  parsed and checked.

The four run interleaved, ``REPEAT`` times; min and median of the wall time and of the
CPU time (the command's and its worker processes', from ``getrusage``) are kept, and the
ratios are taken from the same run. On a busy machine the wall time of a run on every
core depends on what else runs; the CPU time of one core's work does much less. Every
command first runs once untimed, and all four must count the same documents and the same
invalid ones.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AJV_LINES = ROOT / "js" / "validate-lines.mjs"
DOCUMENTS = 200_000
INVALID_EVERY = 100
REPEAT = 7
CLI = "execution-group validate (every core)"
CLI_ONE = "execution-group validate --jobs 1"
LOOP = "model loop, one process"
AJV = "Ajv (node), schema only"
Ratios = dict[str, tuple[str, str, str, tuple[str, float] | None]]
"""name: (numerator, denominator, measure, target); measure "" is wall time, "cpu_" CPU."""
RATIOS: Ratios = {
    "ajv_over_cli": (AJV, CLI, "", (">=", 1.5)),
    "cli_jobs_1_over_model_loop": (CLI_ONE, LOOP, "", ("<=", 1.1)),
    "cli_jobs_1_over_model_loop (CPU)": (CLI_ONE, LOOP, "cpu_", ("<=", 1.1)),
    "cli_over_ajv (CPU, all processes)": (CLI, AJV, "cpu_", None),
}


# ---------------------------------------------------------------------------- the file


def variants() -> Iterator[dict[str, Any]]:
    """Endless valid documents: the strategy examples with other ids, times and quantities."""
    from execution_group._generated.model import ExecutionStrategyType
    from execution_group.cli._samples import example

    samples = [example(strategy.value) for strategy in ExecutionStrategyType]
    number = 0
    while True:
        for sample in samples:
            document = dict(sample)
            orders = 0 if not sample["order_ids"] else 1 + (number % len(sample["order_ids"])) * 4
            document["order_ids"] = [f"venue_{number}_{index}" for index in range(orders)]
            document["target_quantity"] = f"{1000 + number % 997}.5"
            number += 1
            yield document


def broken(document: dict[str, Any], number: int) -> dict[str, Any]:
    """A schema-invalid copy of ``document`` (invalid for Ajv and for the contract)."""
    broken = dict(document)
    kind = number % 3
    if kind == 0:
        broken["group_id"] = "not a group id"
    elif kind == 1:
        broken["target_quantity"] = 1000
    else:
        broken["status"] = "PAUSED"
    return broken


def write_file(path: Path, documents: int = DOCUMENTS) -> dict[str, int]:
    """Write the timed JSON Lines file; how many documents and invalid ones it holds."""
    invalid = 0
    with path.open("w", encoding="utf-8") as stream:
        for number, variant in zip(range(documents), variants(), strict=False):
            written = variant
            if number % INVALID_EVERY == INVALID_EVERY - 1:
                written = broken(variant, number)
                invalid += 1
            stream.write(json.dumps(written, separators=(",", ":")) + "\n")
    return {"documents": documents, "invalid": invalid, "bytes": path.stat().st_size}


# ---------------------------------------------------------------------------- the commands


def model_loop(path: str) -> int:
    """The per-core floor: the model on each line, nothing else (``--model-loop FILE``)."""
    from pydantic import ValidationError

    from execution_group import ExecutionGroup

    validate = ExecutionGroup.model_validate_json
    documents = invalid = 0
    with open(path, "rb") as stream:
        for line in stream:
            documents += 1
            try:
                validate(line)
            except ValidationError:
                invalid += 1
    sys.stdout.write(json.dumps({"documents": documents, "invalid": invalid}) + "\n")
    return 1 if invalid else 0


def commands(path: Path) -> dict[str, list[str]]:
    """The timed commands, by name."""
    cli = [sys.executable, "-m", "execution_group", "validate"]
    found = {
        CLI: [*cli, str(path)],
        CLI_ONE: [*cli, "--jobs", "1", str(path)],
        LOOP: [sys.executable, "-m", "bench.cli", "--model-loop", str(path)],
    }
    node = shutil.which("node")
    if node and (ROOT / "js" / "node_modules" / "ajv").is_dir():
        found[AJV] = [node, str(AJV_LINES), str(path)]
    return found


def counts(name: str, command: list[str]) -> tuple[int, int]:
    """(documents, invalid) as the command itself reports them."""
    if name.startswith("execution-group"):
        command = [*command[:4], "--format", "json", *command[4:]]
    done = subprocess.run(command, capture_output=True, check=False, cwd=ROOT, text=True)
    last = json.loads(done.stdout.splitlines()[-1])
    return last["documents"], last["invalid"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(command: list[str]) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the command and its worker processes."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False, cwd=ROOT)
    return time.perf_counter() - start, _children_cpu() - cpu


def measure(documents: int = DOCUMENTS, repeat: int = REPEAT) -> dict[str, Any]:
    """One run: the file, each command's wall times, and the ratios."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "groups.jsonl"
        written = write_file(path, documents)
        timed = commands(path)
        found = {name: counts(name, command) for name, command in timed.items()}
        expected = (written["documents"], written["invalid"])
        wrong = {name: seen for name, seen in found.items() if seen != expected}
        if wrong:
            raise SystemExit(f"bench.cli: verdicts differ from the file's {expected}: {wrong}")
        rows = interleaved(timed, repeat)
    return {
        "file": written,
        "cores": cores(),
        "repeat": repeat,
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "rows": rows,
        "ratios": ratios(rows),
    }


def interleaved(timed: dict[str, list[str]], repeat: int) -> dict[str, dict[str, Any]]:
    """Each command run ``repeat`` times, in turn with the others: min and median of the
    wall and CPU seconds, by name."""
    walls: dict[str, list[float]] = {name: [] for name in timed}
    cpus: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(repeat):
        for name, command in timed.items():
            wall, cpu = timed_run(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {
        name: {
            "min": min(runs),
            "median": statistics.median(runs),
            "cpu_min": min(cpus[name]),
            "cpu_median": statistics.median(cpus[name]),
            "runs": runs,
        }
        for name, runs in walls.items()
    }


def cores() -> int:
    from execution_group.cli._parallel import available_cores

    return available_cores()


def ratios(rows: dict[str, dict[str, Any]], wanted: Ratios | None = None) -> dict[str, Any]:
    """The ``wanted`` ratios (``RATIOS`` by default) of this run, from its minima (and from
    its medians, beside them)."""
    found: dict[str, Any] = {}
    for key, (top, bottom, measure, target) in (wanted or RATIOS).items():
        if top not in rows or bottom not in rows:
            continue
        value, median = (
            rows[top][f"{measure}{stat}"] / rows[bottom][f"{measure}{stat}"]
            for stat in ("min", "median")
        )
        verdict: dict[str, Any] = {"value": round(value, 3), "median": round(median, 3)}
        verdict["of"] = "CPU seconds" if measure else "wall seconds"
        if target is not None:
            op, bound = target
            verdict["target"] = f"{op} {bound}"
            verdict["met"] = value >= bound if op == ">=" else value <= bound
        found[key] = verdict
    return found


def markdown(result: dict[str, Any]) -> list[str]:
    """The run as markdown lines: the file, the table, the ratios."""
    file = result["file"]
    lines = [
        f"A JSON Lines file of {file['documents']:,} documents ({file['bytes'] / 2**20:,.1f} "
        f"MiB, {file['invalid']:,} invalid), {how(result, 'bench.cli')}:",
        "",
    ]
    lines += rows_table(result["rows"], file["documents"])
    lines += ["", *ratios_table(result["ratios"])]
    if AJV not in result["rows"]:
        lines += ["", "Ajv not timed: node or js/node_modules missing (`npm ci --prefix js`)."]
    return lines


def how(result: dict[str, Any], module: str) -> str:
    """How the run ``result`` of ``python -m module`` was timed, in words."""
    return (
        f"checked end to end by each command as a subprocess, interleaved, "
        f"{result['repeat']} repeats, on {result['cores']} cores (load average "
        f"{result['load'][0]} before, {result['load'][1]} after; `python -m {module}`)"
    )


def rows_table(rows: dict[str, dict[str, Any]], documents: int) -> list[str]:
    """The commands' times as a markdown table."""
    lines = [
        "| command | wall s (min) | median | CPU s (min) | median | wall µs/document (min) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        per_document = row["min"] / documents * 1e6
        lines.append(
            f"| {name} | {row['min']:.3f} | {row['median']:.3f} | {row['cpu_min']:.3f} | "
            f"{row['cpu_median']:.3f} | {per_document:.2f} |"
        )
    return lines


def ratios_table(found: dict[str, Any]) -> list[str]:
    """The ratios of a run as a markdown table."""
    lines = ["| ratio | of | min | median | target | met |", "|---|---|---:|---:|---|---|"]
    for name, verdict in found.items():
        met = {True: "yes", False: "**no**", None: ""}[verdict.get("met")]
        lines.append(
            f"| {name} | {verdict['of']} | {verdict['value']:.2f} | {verdict['median']:.2f} | "
            f"{verdict.get('target', '')} | {met} |"
        )
    return lines


def main(argv: list[str]) -> int:
    if argv[:1] == ["--model-loop"]:
        return model_loop(argv[1])
    documents = int(argv[0]) if argv else DOCUMENTS
    sys.stdout.write("\n".join(markdown(measure(documents))) + "\n")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
