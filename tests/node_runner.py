"""Run the JavaScript consumers (``js/``) from pytest.

Node and ``js/node_modules`` are needed. When ``js/node_modules`` is absent and npm is on
the PATH, ``npm ci --prefix js`` installs the pinned packages first (once per session).
When node or the packages are still missing, the test is skipped with the reason, except
under ``CI=true``, where it fails: CI must run every engine of docs/contract.md §1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "js"
VALIDATE_CORPUS = JS / "validate-corpus.mjs"
CONFORMANCE = ROOT / "tests" / "conformance"

__all__ = ["CONFORMANCE", "ROOT", "VALIDATE_CORPUS", "ajv_verdicts", "require_node", "run_node"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, so this may not be skipped: {reason}", pytrace=False)
    pytest.skip(f"JavaScript consumer not run: {reason}")


@cache
def _install() -> str | None:
    """``npm ci --prefix js`` when ``js/node_modules`` is absent; an error text or None."""
    if (JS / "node_modules").is_dir():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "js/node_modules is missing and npm is not on the PATH (run: npm ci --prefix js)"
    result = subprocess.run(
        [npm, "ci", "--prefix", str(JS), "--no-audit", "--no-fund"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        return f"npm ci --prefix js failed ({result.returncode}):\n{result.stderr[-4000:]}"
    return None


def require_node() -> str:
    """The node executable, with ``js/node_modules`` installed; else skip (fail under CI)."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not on the PATH (Node 20 is needed)")
        raise AssertionError("unreachable")  # pragma: no cover
    problem = _install()
    if problem is not None:
        _unavailable(problem)
    return node


def run_node(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``node`` with ``args`` from the repository root."""
    node = require_node()
    return subprocess.run(
        [node, *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=timeout
    )


def ajv_verdicts(items: list[dict[str, Any]], workdir: Path) -> list[bool]:
    """Ajv's verdict on each ``{"document": ...}`` / ``{"document_text": ...}`` item."""
    batch = workdir / "ajv_batch.json"
    batch.write_text(json.dumps(items), encoding="utf-8")
    result = run_node(str(VALIDATE_CORPUS), "--verdicts", str(batch))
    assert result.returncode == 0, f"validate-corpus.mjs --verdicts failed:\n{result.stderr}"
    verdicts: list[bool] = json.loads(result.stdout)
    assert len(verdicts) == len(items)
    return verdicts
