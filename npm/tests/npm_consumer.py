"""The npm package as a consumer gets it: packed by ``npm pack``, installed from the tarball
in a folder outside the repository, and run there by node.

Node and npm are needed: without them the tests skip with the reason, except under
``CI=true``, where they fail (CI must check the package).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "npm"
RUNNER = Path(__file__).with_name("run_cases.mjs")

__all__ = ["PACKAGE", "ROOT", "install", "node_and_npm", "pack", "run", "run_cases"]


def node_and_npm() -> tuple[str, str]:
    """The node and npm executables; else skip (fail under ``CI=true``)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        reason = "node and npm are needed (Node 20) to pack and run the npm package"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true, so this may not be skipped: {reason}", pytrace=False)
        pytest.skip(reason)
    return node, npm


def run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``args`` in ``cwd``; fail the test with the output when it exits non-zero."""
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, check=False, timeout=timeout
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} (in {cwd}) exited {result.returncode}:\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}",
            pytrace=False,
        )
    return result


def pack(destination: Path) -> Path:
    """``npm pack`` of ``npm/`` (its ``prepack`` builds it) into ``destination``: the tarball."""
    _, npm = node_and_npm()
    if not (PACKAGE / "node_modules").is_dir():
        run([npm, "ci", "--no-audit", "--no-fund"], PACKAGE)
    result = run([npm, "pack", "--json", "--pack-destination", str(destination)], PACKAGE)
    # The build (prepack) may print before npm's JSON report, and npm may print after it.
    report = result.stdout[result.stdout.index("[\n") :]
    packed: list[dict[str, Any]] = json.JSONDecoder().raw_decode(report)[0]
    return destination / packed[0]["filename"]


def install(tarball: Path, folder: Path) -> Path:
    """A new project in ``folder`` (outside the repository) with the tarball installed."""
    _, npm = node_and_npm()
    assert ROOT not in folder.resolve().parents, "the consumer must live outside the repository"
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"name": "consumer", "version": "0.0.0", "private": True, "type": "module"}
    (folder / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
    run([npm, "install", "--no-audit", "--no-fund", str(tarball)], folder)
    return folder


def run_cases(consumer: Path, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case's ``{valid, errors}`` from the installed package (see run_cases.mjs)."""
    node, _ = node_and_npm()
    shutil.copy(RUNNER, consumer / RUNNER.name)
    batch = consumer / "cases.json"
    batch.write_text(json.dumps(cases), encoding="utf-8")  # ASCII: lone surrogates survive
    result = run([node, RUNNER.name, batch.name], consumer)
    answers: list[dict[str, Any]] = json.loads(result.stdout)
    assert len(answers) == len(cases)
    return answers
