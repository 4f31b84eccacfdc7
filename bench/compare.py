"""Decoding the five examples: this tree against another git revision, in one process.

``python -m bench.compare [REV]`` (default ``main``) extracts REV's package from git into a
temporary folder under another name, imports both, and times ``model_validate_json`` on
the schema's five examples for the bare generated model, REV's contract and this tree's,
interleaved: each round times every engine on a short block, in alternating order, so a
busy machine slows all of them alike. Prints min and median per document over the rounds,
each over the bare model, and this tree over REV. A change that must not make decoding
slower shows it here.
"""

from __future__ import annotations

import importlib
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from execution_group import ExecutionGroup
from execution_group._generated.model import ExecutionGroup as BareGroup
from execution_group.contract import examples

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 300
BLOCK = 200
_BASE = "execution_group_base"


def _extract(revision: str, into: Path) -> None:
    """REV's overrides/, generated/ and schema/ laid out as the package ``_BASE``."""
    archive = subprocess.run(
        ["git", "archive", revision, "overrides", "generated", "schema"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    package = into / _BASE
    (into / "overrides").rename(package)
    (into / "generated").rename(package / "_generated")
    (into / "schema").rename(package / "schema")
    (package / "schema" / "__init__.py").touch()
    contract = package / "contract.py"
    text = contract.read_text(encoding="utf-8")
    contract.write_text(text.replace('"execution_group.schema"', f'"{_BASE}.schema"'), "utf-8")


def _block(decode: Callable[[bytes], Any], documents: list[bytes]) -> float:
    start = time.perf_counter()
    for _ in range(BLOCK):
        for document in documents:
            decode(document)
    return (time.perf_counter() - start) / BLOCK / len(documents) * 1e6


def main(argv: list[str]) -> int:
    """Time the three decoders and print the comparison."""
    revision = argv[0] if argv else "main"
    documents = [
        ExecutionGroup.model_validate(example).model_dump_json().encode() for example in examples()
    ]
    with tempfile.TemporaryDirectory() as folder:
        _extract(revision, Path(folder))
        sys.path.insert(0, folder)
        base = importlib.import_module(_BASE).ExecutionGroup
        engines: dict[str, Callable[[bytes], Any]] = {
            "bare": BareGroup.model_validate_json,
            revision: base.model_validate_json,
            "this tree": ExecutionGroup.model_validate_json,
        }
        times: dict[str, list[float]] = {name: [] for name in engines}
        for index in range(ROUNDS):
            order = list(engines.items())
            for name, decode in order if index % 2 else reversed(order):
                times[name].append(_block(decode, documents))
    low = {name: min(runs) for name, runs in times.items()}
    mid = {name: statistics.median(runs) for name, runs in times.items()}
    print(f"five examples, us per document, {ROUNDS} interleaved rounds of {BLOCK}")
    for name in engines:
        print(
            f"  {name:>10}: min {low[name]:.3f} median {mid[name]:.3f}"
            f"  (over bare: {low[name] / low['bare']:.3f} / {mid[name] / mid['bare']:.3f})"
        )
    print(
        f"  this tree over {revision}: min {low['this tree'] / low[revision]:.3f}"
        f" median {mid['this tree'] / mid[revision]:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
