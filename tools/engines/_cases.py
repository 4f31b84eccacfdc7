"""The documents every engine judges: the conformance corpus, plus byte-level probes.

A case's document is its raw bytes: ``document`` written as ``json.dumps`` writes it
(UTF-8, non-ASCII kept), ``document_text`` exactly as given, in UTF-8. Probes are documents the
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


def _document_bytes(case: dict[str, Any]) -> bytes | None:
    """The document's UTF-8 bytes. A ``document`` value holding a lone surrogate is written
    with ``\\u`` escapes (its only JSON form); a ``document_text`` holding a raw one has no
    UTF-8 form, so None: that case is about a decoded string, which no byte-level engine
    can be given."""
    if "document_text" in case:
        text = str(case["document_text"])
    else:
        text = json.dumps(case["document"], ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None if "document_text" in case else json.dumps(case["document"]).encode()


def corpus_cases(folder: Path = CORPUS) -> tuple[list[Case], list[str]]:
    """Every ``<area>/<case>.json`` under ``folder``, sorted by name; and the names of the
    cases that have no byte form, so are not run."""
    found: list[Case] = []
    text_only: list[str] = []
    for path in sorted(folder.rglob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        name = path.relative_to(folder).with_suffix("").as_posix()
        data = _document_bytes(case)
        if data is None:
            text_only.append(name)
        else:
            found.append(Case(name, data, bool(case["schema_valid"])))
    return found, text_only


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


def all_cases() -> tuple[list[Case], list[str]]:
    """The corpus, then the probes; and the corpus cases that have no byte form."""
    corpus, text_only = corpus_cases()
    return corpus + probe_cases(), text_only


def write(cases: list[Case], folder: Path) -> list[Path]:
    """One file of raw bytes per case, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{index:05d}.json" for index in range(len(cases))]
    for path, case in zip(paths, cases, strict=True):
        path.write_bytes(case.data)
    return paths
