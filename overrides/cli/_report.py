"""What ``execution-group validate`` prints: verdicts, input errors, a summary, progress.

Text (the default) is for people: ``OK`` or ``INVALID`` per document, then one line per
broken rule. JSON is for machines: one JSON object per line (JSON Lines), each with a
``kind``: ``"document"``, ``"unreadable"`` and, last, ``"summary"``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from ._check import Checked, Problem, json_text
from ._inputs import InputError

__all__ = [
    "EXIT_INPUT",
    "EXIT_INVALID",
    "EXIT_VALID",
    "Counts",
    "Format",
    "Progress",
    "Report",
    "document_record",
]

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_INPUT = 2

Format = Literal["text", "json"]


@dataclass(slots=True)
class Counts:
    """Running totals of one run; ``files`` does not count standard input."""

    documents: int = 0
    valid: int = 0
    invalid: int = 0
    files: int = 0
    stdin: bool = False
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

    def start(self, source: str, total: int | None, *, stdin: bool = False) -> None:
        """An input was opened: a file, or standard input (not counted as a file)."""
        if stdin:
            self.counts.stdin = True
        else:
            self.counts.files += 1
        self.progress.start(source, total)

    def checked(self, source: str, first_line: int | None, checked: Checked) -> None:
        """The verdicts on lines of ``source`` numbered from ``first_line``, or on a whole
        document (``first_line`` is ``None``)."""
        counts = self.counts
        documents = checked.documents
        counts.documents += documents
        counts.invalid += len(checked.failures)
        counts.valid += documents - len(checked.failures)
        if checked.failures or not self._quiet:
            self.progress.clear()
            render = _json_lines if self._fmt == "json" else _text_lines
            self._out.write(render(source, first_line, checked, self._quiet))
        self.progress.advance(checked.size, counts.documents)

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
                    "stdin": counts.stdin,
                    "unreadable": counts.unreadable,
                    "exit_code": counts.exit_code,
                }
            )
        else:
            self._out.write(_summary_text(counts))
        self._out.flush()
        return counts.exit_code

    def _json(self, record: dict[str, Any]) -> None:
        self._out.write(json_text(record) + "\n")


def _where(source: str, line: int | None) -> str:
    return source if line is None else f"{source}:{line}"


@dataclass(frozen=True, slots=True)
class _Valid:
    """What a valid document prints: ``whole`` for a whole document, ``head``, the line
    number and ``tail`` for a line (the common case, built in one comprehension)."""

    whole: str
    head: str
    tail: str


def _render(
    first_line: int | None,
    checked: Checked,
    quiet: bool,
    valid: _Valid,
    invalid: Callable[[int | None, tuple[Problem, ...]], str],
) -> str:
    """The text of the documents of ``checked`` to print, in order."""
    shown: list[str] = []
    if quiet or first_line is None:
        if not (quiet or checked.failures):
            shown.append(valid.whole)
        for failure in checked.failures:
            line = None if first_line is None else first_line + failure.index
            shown.append(invalid(line, failure.problems))
        return "".join(shown)
    # Lines not OK, in order: each ends a run of valid ones, printed by one join.
    others = sorted(
        [(index, "") for index in checked.blank]
        + [(f.index, invalid(first_line + f.index, f.problems)) for f in checked.failures]
    )
    start = 0
    for index, text in [*others, (checked.lines, "")]:
        shown.append(_valid_run(valid, first_line + start, first_line + index))
        shown.append(text)
        start = index + 1
    return "".join(shown)


def _valid_run(valid: _Valid, first: int, stop: int) -> str:
    """The text of the valid lines numbered ``first`` to ``stop - 1``."""
    if first >= stop:
        return ""
    between = f"{valid.tail}{valid.head}"
    return f"{valid.head}{between.join(map(str, range(first, stop)))}{valid.tail}"


def _text_lines(source: str, first_line: int | None, checked: Checked, quiet: bool) -> str:
    def invalid(line: int | None, problems: tuple[Problem, ...]) -> str:
        text = [f"INVALID  {_where(source, line)}\n"]
        for problem in problems:
            got = "" if problem.got is None else f"; got {problem.got}"
            text.append(f"  {problem.path}: {problem.message}  [{problem.rule}{got}]\n")
        return "".join(text)

    valid = _Valid(f"OK       {source}\n", f"OK       {source}:", "\n")
    return _render(first_line, checked, quiet, valid, invalid)


def _json_lines(source: str, first_line: int | None, checked: Checked, quiet: bool) -> str:
    def invalid(line: int | None, problems: tuple[Problem, ...]) -> str:
        return json_text(document_record(source, line, problems)) + "\n"

    # A valid document's record differs from the next one by its line number only.
    head = f'{{"kind": "document", "source": {json_text(source)}, "line": '
    tail = ', "valid": true, "errors": []}\n'
    return _render(first_line, checked, quiet, _Valid(f"{head}null{tail}", head, tail), invalid)


def document_record(source: str, line: int | None, problems: tuple[Problem, ...]) -> dict[str, Any]:
    """The JSON record of one document's verdict (``--format json``)."""
    return {
        "kind": "document",
        "source": source,
        "line": line,
        "valid": not problems,
        "errors": [_error_record(problem) for problem in problems],
    }


def _error_record(problem: Problem) -> dict[str, Any]:
    record: dict[str, Any] = {
        "path": problem.path,
        "loc": list(problem.loc),
        "rule": problem.rule,
        "message": problem.message,
    }
    if problem.has_value:
        record["value"] = problem.value
    return record


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _summary_text(counts: Counts) -> str:
    where = f"in {_plural(counts.files, 'file')}"
    if counts.stdin:
        where = f"{where} and standard input" if counts.files else "from standard input"
    text = (
        f"\nChecked {_plural(counts.documents, 'document')} {where}: "
        f"{counts.valid:,} valid, {counts.invalid:,} invalid."
    )
    if counts.unreadable:
        text += f" {_plural(counts.unreadable, 'input')} could not be checked (see above)."
    return text + "\n"
