"""The documents every engine judges: the conformance corpus, plus byte-level probes.

A case's document is its raw bytes: ``document`` written as ``json.dumps`` writes it
(UTF-8, non-ASCII kept), ``document_text`` exactly as given. Probes are documents the
corpus cannot hold (its files are JSON, so always valid UTF-8) or should not (a megabyte
of digits): each is built here, and the Python contract's verdict on it is tested in
``tests/test_engine_probes.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS = ROOT / "tests" / "conformance"
PROBE_BASE = CORPUS / "examples" / "seed_example_1.json"
PROBE_PREFIX = "probe/"


@dataclass(frozen=True)
class Case:
    """One document and the verdict every JSON Schema engine must give it."""

    name: str
    data: bytes
    schema_valid: bool

    @property
    def is_probe(self) -> bool:
        """Built here rather than read from the corpus."""
        return self.name.startswith(PROBE_PREFIX)


def _document_bytes(case: dict[str, Any]) -> bytes:
    if "document_text" in case:
        text: str = case["document_text"]
        return text.encode("utf-8", "surrogatepass")
    return json.dumps(case["document"], ensure_ascii=False).encode("utf-8", "surrogatepass")


def corpus_cases(folder: Path = CORPUS) -> list[Case]:
    """Every ``<area>/<case>.json`` under ``folder``, sorted by name."""
    found = []
    for path in sorted(folder.rglob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        name = path.relative_to(folder).with_suffix("").as_posix()
        found.append(Case(name, _document_bytes(case), bool(case["schema_valid"])))
    return found


def _base_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(PROBE_BASE.read_text(encoding="utf-8"))["document"]
    return document


def probe_cases() -> list[Case]:
    """Documents that showed engine bugs and cannot live in the corpus. All invalid."""
    with_note = _base_document()
    with_note["metadata"] = {**with_note["metadata"], "note": "@NOTE@"}
    long_fraction = _base_document()
    long_fraction["created_at"] = "2025-10-28T14:30:22." + "1" * 1_000_000 + "Z"
    return [
        # 0xFF never occurs in UTF-8: the bytes are not a JSON text (RFC 8259 section 8.1).
        Case(
            PROBE_PREFIX + "metadata_string_invalid_utf8",
            json.dumps(with_note).encode("ascii").replace(b"@NOTE@", b"\xff"),
            False,
        ),
        # The Timestamp pattern allows at most nine fraction digits.
        Case(
            PROBE_PREFIX + "created_at_fraction_of_a_million_digits",
            json.dumps(long_fraction).encode("utf-8"),
            False,
        ),
    ]


def all_cases() -> list[Case]:
    """The corpus, then the probes."""
    return corpus_cases() + probe_cases()


def write(cases: list[Case], folder: Path) -> list[Path]:
    """One file of raw bytes per case, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{index:05d}.json" for index in range(len(cases))]
    for path, case in zip(paths, cases, strict=True):
        path.write_bytes(case.data)
    return paths
