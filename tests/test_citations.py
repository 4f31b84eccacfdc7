"""The repository cites only what it contains: ``docs/contract.md §N`` for an existing section,
never a contract, design or issue tracker a reader of the repository cannot open."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "contract.md"
# Text a contributor writes: where a citation could appear.
SOURCES = (
    "README.md",
    "CHANGELOG.md",
    "docs",
    "overrides",
    "generated",
    "tests",
    "tools",
    "bench",
    "js",
    "schema",
    "examples",
    "noxfile.py",
    "pyproject.toml",
    "MANIFEST.in",
    ".pre-commit-hooks.yaml",
    ".ci",
)
SUFFIXES = {".md", ".py", ".json", ".mjs", ".js", ".ts", ".yaml", ".yml", ".txt", ""}
# Pointers to documents outside the repository.
OUTSIDE = re.compile(r"CONTRACT\s*§|CONTRACT\.md|\bseed/|shared/|\b(?i:issue)\s+#?[0-9]")
CITATION = re.compile(r"docs/contract\.md\s*§\s*([0-9]+)")

if not CONTRACT.is_file():  # an sdist or wheel without the docs: nothing to check against
    pytest.skip("docs/contract.md is not in this tree", allow_module_level=True)


def _texts() -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for name in SOURCES:
        top = ROOT / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            skipped = {"node_modules", "__pycache__", ".venv", ".nox"}
            if path.is_file() and path.suffix in SUFFIXES and not skipped & set(path.parts):
                found.append((path, path.read_text(encoding="utf-8", errors="replace")))
    return found


def _sections() -> set[str]:
    return set(re.findall(r"^## §([0-9]+) ", CONTRACT.read_text(encoding="utf-8"), re.MULTILINE))


def test_contract_has_the_six_sections() -> None:
    assert _sections() == {"1", "2", "3", "4", "5", "6"}


def test_nothing_points_outside_the_repository() -> None:
    this = Path(__file__).resolve()
    hits = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group()}"
        for path, text in _texts()
        if path != this
        for match in OUTSIDE.finditer(text)
    ]
    assert not hits, "cite docs/contract.md §N or a rule code instead:\n" + "\n".join(hits)


def test_every_contract_citation_names_a_section() -> None:
    sections = _sections()
    texts = _texts()
    # JSON files escape § as \u00a7: read them decoded.
    decoded = [
        (p, json.dumps(json.loads(t), ensure_ascii=False)) if p.suffix == ".json" else (p, t)
        for p, t in texts
    ]
    bad = [
        f"{path.relative_to(ROOT)}: §{number}"
        for path, text in decoded
        for number in CITATION.findall(text)
        if number not in sections
    ]
    assert not bad, "citations of sections docs/contract.md does not have:\n" + "\n".join(bad)
    assert any(CITATION.search(text) for _, text in decoded)
