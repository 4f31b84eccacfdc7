"""What ``execution-group validate`` prints: verdicts, input errors, a summary, progress.

Text (the default) is for people: ``OK`` or ``INVALID`` per document, then one line per
broken rule. JSON is for machines: one JSON object per line (JSON Lines), each with a
``kind``: ``"document"``, ``"unreadable"`` and, last, ``"summary"``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from .batch import InputError, Verdict

__all__ = ["EXIT_INPUT", "EXIT_INVALID", "EXIT_VALID", "Counts", "Format", "Progress", "Report"]

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_INPUT = 2

Format = Literal["text", "json"]


@dataclass(slots=True)
class Counts:
    """Running totals of one run."""

    documents: int = 0
    valid: int = 0
    invalid: int = 0
    files: int = 0
    unreadable: int = 0

    @property
    def exit_code(self) -> int:
        """2 if any input could not be read, else 1 if any document is invalid, else 0."""
        if self.unreadable:
            return EXIT_INPUT
        return EXIT_INVALID if self.invalid else EXIT_VALID


class Progress:
    """A one-line progress display on a terminal, shown only once a run has taken a second."""

    _DELAY = 1.0
    _INTERVAL = 0.2

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled
        self._next_draw = time.monotonic() + self._DELAY
        self._visible = False
        self._source = ""
        self._total: int | None = None
        self._done = 0

    def start(self, source: str, total: int | None) -> None:
        """A new input of ``total`` bytes (``None`` when unknown, as for stdin)."""
        self._source, self._total, self._done = source, total, 0

    def advance(self, size: int, documents: int) -> None:
        """``size`` more bytes read; ``documents`` checked so far in the run."""
        if not self._enabled:
            return
        self._done += size
        now = time.monotonic()
        if now < self._next_draw:
            return
        self._next_draw = now + self._INTERVAL
        done = f"{self._done / 2**20:,.0f} MiB"
        if self._total:
            done += f" of {self._total / 2**20:,.0f} MiB ({100 * self._done / self._total:.0f}%)"
        self._stream.write(f"\r\x1b[Kchecking {self._source}: {done}, {documents:,} documents")
        self._stream.flush()
        self._visible = True

    def clear(self) -> None:
        """Erase the progress line, so that other output starts on a clean line."""
        if self._visible:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._visible = False


class Report:
    """Prints verdicts as they come and counts them; ``finish`` prints the summary."""

    def __init__(
        self, out: TextIO, err: TextIO, *, fmt: Format, quiet: bool, progress: Progress
    ) -> None:
        self._out = out
        self._err = err
        self._fmt = fmt
        self._quiet = quiet
        self.progress = progress
        self.counts = Counts()

    def start(self, source: str, total: int | None) -> None:
        """An input was opened."""
        self.counts.files += 1
        self.progress.start(source, total)

    def document(self, verdict: Verdict) -> None:
        """One document's verdict."""
        counts = self.counts
        counts.documents += 1
        if verdict.valid:
            counts.valid += 1
        else:
            counts.invalid += 1
        if not (self._quiet and verdict.valid):
            self.progress.clear()
            if self._fmt == "json":
                self._json(_document_record(verdict))
            else:
                self._out.write(_document_text(verdict))
        self.progress.advance(verdict.size, counts.documents)

    def unreadable(self, error: InputError) -> None:
        """An input that could not be checked: one line on stderr (and a record in JSON)."""
        self.counts.unreadable += 1
        self.progress.clear()
        self._out.flush()
        self._err.write(f"execution-group: error: {error}\n")
        self._err.flush()
        if self._fmt == "json":
            self._json({"kind": "unreadable", "source": error.source, "error": error.reason})

    def finish(self) -> int:
        """Print the summary; the exit code."""
        self.progress.clear()
        counts = self.counts
        if self._fmt == "json":
            self._json(
                {
                    "kind": "summary",
                    "documents": counts.documents,
                    "valid": counts.valid,
                    "invalid": counts.invalid,
                    "files": counts.files,
                    "unreadable": counts.unreadable,
                    "exit_code": counts.exit_code,
                }
            )
        else:
            self._out.write(_summary_text(counts))
        self._out.flush()
        return counts.exit_code

    def _json(self, record: dict[str, Any]) -> None:
        self._out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _document_record(verdict: Verdict) -> dict[str, Any]:
    return {
        "kind": "document",
        "source": verdict.source,
        "line": verdict.line,
        "valid": verdict.valid,
        "errors": [
            {
                "path": problem.path,
                "loc": list(problem.loc),
                "rule": problem.rule,
                "message": problem.message,
            }
            for problem in verdict.problems
        ],
    }


def _document_text(verdict: Verdict) -> str:
    if verdict.valid:
        return f"OK       {verdict.where}\n"
    lines = [f"INVALID  {verdict.where}"]
    for problem in verdict.problems:
        got = "" if problem.got is None else f"; got {problem.got}"
        lines.append(f"  {problem.path}: {problem.message}  [{problem.rule}{got}]")
    return "\n".join(lines) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _summary_text(counts: Counts) -> str:
    text = (
        f"\nChecked {_plural(counts.documents, 'document')} in {_plural(counts.files, 'file')}: "
        f"{counts.valid:,} valid, {counts.invalid:,} invalid."
    )
    if counts.unreadable:
        text += f" {_plural(counts.unreadable, 'input')} could not be checked (see above)."
    return text + "\n"
