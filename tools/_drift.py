"""One drift check for generated files: compare with what the sources give, show a diff."""

from __future__ import annotations

import difflib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check(path: Path, expected: str, source: str, fix: str) -> int:
    """0 when ``path`` holds ``expected``; else print a unified diff (on disk -> from
    ``source``) and the command that rewrites it (``fix``), and return 1."""
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current == expected:
        print(f"{name} is up to date")
        return 0
    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        expected.splitlines(keepends=True),
        f"{name} (on disk)",
        f"{name} (from {source})",
    )
    print("".join(diff))
    print(f"{name} is stale: run `{fix}` to rewrite it")
    return 1
