"""Check many documents against the full contract: files, directories, JSON Lines, stdin.

A ``.json`` file (or a single document on stdin) is one document. A ``.jsonl`` or
``.ndjson`` file (or a JSON Lines stream on stdin) holds one document per line; it is
read line by line, so its size does not matter. Blank lines are skipped. A line that is
not JSON is an invalid document (rule ``json_invalid``); a ``.json`` file that is not
JSON at all, a missing path or an unreadable file is an ``InputError``.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from .model import ExecutionGroup

__all__ = [
    "DOCUMENT_SUFFIXES",
    "JSONL_SUFFIXES",
    "STDIN",
    "STDIN_NAME",
    "InputError",
    "Problem",
    "Verdict",
    "check_document",
    "expand",
    "json_path",
    "read_file",
    "read_stdin",
]

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
DOCUMENT_SUFFIXES = frozenset({".json"}) | JSONL_SUFFIXES
STDIN = "-"
STDIN_NAME = "<stdin>"
_NOT_JSON = "json_invalid"
_SHOWN_INPUT = 60
_LINE_ONE = re.compile(r"at line 1 column ([0-9]+)$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: where (JSON path), which rule (pydantic error type), and why."""

    path: str
    rule: str
    message: str
    loc: tuple[str | int, ...]
    got: str | None = None
    """The offending value as short JSON text, when it is a plain value."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result for one document: ``line`` is set for JSON Lines, ``size`` is in bytes."""

    source: str
    line: int | None
    problems: tuple[Problem, ...]
    size: int

    @property
    def valid(self) -> bool:
        """True when the document breaks no rule."""
        return not self.problems

    @property
    def where(self) -> str:
        """``source`` or ``source:line``."""
        return self.source if self.line is None else f"{self.source}:{self.line}"


class InputError(Exception):
    """A path that cannot be checked at all: missing, unreadable, or a file that is not JSON."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    @classmethod
    def cannot_read(cls, source: str, exc: OSError) -> InputError:
        """The error for ``source`` when opening or reading it raised ``exc``."""
        return cls(source, f"cannot read: {_reason(exc)}")


def json_path(loc: Iterable[str | int]) -> str:
    """``("order_ids", 3)`` as ``$.order_ids[3]``; odd keys as ``$.metadata["a b"]``."""
    parts = ["$"]
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part.isidentifier():
            parts.append(f".{part}")
        else:
            parts.append(f"[{json.dumps(part)}]")
    return "".join(parts)


def _shown(rule: str, value: Any) -> str | None:
    if rule in {_NOT_JSON, "missing"} or not isinstance(value, str | int | float):
        return None
    text = json.dumps(value)
    return text if len(text) <= _SHOWN_INPUT else text[: _SHOWN_INPUT - 3] + "..."


def check_document(raw: bytes) -> tuple[Problem, ...]:
    """Every rule the JSON text ``raw`` breaks (none when it is a valid ExecutionGroup)."""
    try:
        # The base class is generated; pyright on the source tree cannot see it.
        ExecutionGroup.model_validate_json(raw)  # pyright: ignore[reportUnknownMemberType]
    except ValidationError as exc:
        return tuple(
            Problem(
                path=json_path(error["loc"]),
                rule=error["type"],
                message=error["msg"],
                loc=tuple(error["loc"]),
                got=_shown(error["type"], error["input"]),
            )
            for error in exc.errors(include_url=False)
        )
    return ()


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def expand(target: str) -> Iterator[Path | str | InputError]:
    """The inputs a command-line ``target`` names: stdin (``-``), a file, or every
    ``*.json``, ``*.jsonl`` and ``*.ndjson`` file below a directory, in sorted order
    (hidden directories such as ``.git`` are skipped)."""
    if target == STDIN:
        yield STDIN
        return
    path = Path(target)
    if path.is_dir():
        yield from _walk(path)
    elif path.exists():
        yield path
    else:
        yield InputError(target, "no such file or directory")


def _walk(root: Path) -> Iterator[Path | InputError]:
    failures: list[OSError] = []
    for folder, subfolders, names in os.walk(root, onerror=failures.append):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            if Path(name).suffix.lower() in DOCUMENT_SUFFIXES:
                yield Path(folder, name)
        while failures:
            failure = failures.pop()
            yield InputError(str(failure.filename or folder), _reason(failure))


def read_file(path: Path) -> Iterator[Verdict]:
    """The verdicts for one file: one for a ``.json`` document, one per line of a stream."""
    source = str(path)
    try:
        with path.open("rb") as stream:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from _lines(stream, source)
            else:
                yield _whole(stream.read(), source)
    except OSError as exc:
        raise InputError.cannot_read(source, exc) from None


def read_stdin(stream: BinaryIO, *, jsonl: bool) -> Iterator[Verdict]:
    """The verdicts for standard input: JSON Lines when ``jsonl``, otherwise by content.

    When the first non-blank line is a complete JSON value, the input is read as JSON
    Lines; otherwise it is one (pretty-printed) document.
    """
    if jsonl:
        yield from _lines(stream, STDIN_NAME)
        return
    first, skipped = stream.readline(), 0
    while first and first.isspace():
        first, skipped = stream.readline(), skipped + 1
    if not first:
        raise InputError(STDIN_NAME, "no input")
    if _complete_json(first):
        yield from _lines(itertools.chain([first], stream), STDIN_NAME, start=skipped + 1)
    else:
        yield _whole(first + stream.read(), STDIN_NAME)


def _complete_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _whole(raw: bytes, source: str) -> Verdict:
    problems = check_document(raw)
    if problems and problems[0].rule == _NOT_JSON:
        raise InputError(source, f"not a JSON document ({problems[0].message})")
    return Verdict(source, None, problems, len(raw))


def _lines(lines: Iterable[bytes], source: str, *, start: int = 1) -> Iterator[Verdict]:
    for number, raw in enumerate(lines, start=start):
        if raw.isspace():
            continue
        problems = check_document(raw)
        if problems and problems[0].rule == _NOT_JSON:
            # The parser counts within the line; "line 1" would mislead.
            problem = problems[0]
            problems = (replace(problem, message=_LINE_ONE.sub(r"at column \1", problem.message)),)
        yield Verdict(source, number, problems, len(raw))
