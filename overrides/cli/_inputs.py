"""What a ``validate`` run reads: paths, files, directories, JSON Lines, stdin.

A ``.json`` file (or a single document on stdin) is one document. A ``.jsonl`` or
``.ndjson`` file (or a JSON Lines stream on stdin) holds one document per line; it is cut
into pieces of whole lines (``Span`` for a file, bytes for stdin) that are checked apart
and in parallel, so its size does not matter. A ``.json`` file that is not JSON at all, a
missing path or an unreadable file is an ``InputError``.
"""

from __future__ import annotations

import io
import json
import os
import select
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ._check import NOT_JSON, Checked, Failure, check_lines, check_text

__all__ = [
    "CHUNK_BYTES",
    "DOCUMENT_SUFFIXES",
    "IDLE",
    "JSONL_SUFFIXES",
    "STDIN",
    "STDIN_NAME",
    "InputError",
    "Span",
    "Stdin",
    "check_piece",
    "check_whole",
    "expand",
    "is_jsonl",
    "spans",
    "stdin_pieces",
]

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
DOCUMENT_SUFFIXES = frozenset({".json"}) | JSONL_SUFFIXES
STDIN = "-"
STDIN_NAME = "<stdin>"
IDLE = b""
"""Between pieces of a stream: nothing more is waiting, report what has been checked."""
CHUNK_BYTES = 4 << 20
"""The most of a JSON Lines input one worker checks at a time: each piece costs the main
process a hand-over, so pieces are as large as keeping every worker busy allows."""
_PIECES_PER_JOB = 8
"""A file is cut into at least this many pieces a worker (unless they would be tiny), so
that no worker waits long for the last one."""
_MIN_PIECE_BYTES = 1 << 16
_SCAN_BYTES = 1 << 16
_WAIT_SECONDS = 0.002
"""How long a piece of a pipe waits for more before it is cut: a producer writing flat out
refills the pipe in far less; one writing a line now and then is not held up by it."""
_NEWLINE = b"\n"


class InputError(Exception):
    """A path that cannot be checked at all: missing, unreadable, or a file that is not JSON."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return type(self), (self.source, self.reason)

    @classmethod
    def cannot_read(cls, source: str, exc: OSError) -> InputError:
        """The error for ``source`` when opening or reading it raised ``exc``."""
        return cls(source, f"cannot read: {_reason(exc)}")


@dataclass(frozen=True, slots=True)
class Span:
    """Whole lines of a file: ``length`` bytes from ``offset``. A worker reads them itself,
    so the file's contents never pass between processes."""

    path: str
    offset: int
    length: int


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class Stdin:
    """Standard input, as an input to check (``-`` on the command line)."""

    def __str__(self) -> str:
        return STDIN


def is_jsonl(path: str) -> bool:
    """True for a JSON Lines file (by its suffix)."""
    return _suffix(os.path.basename(path)).lower() in JSONL_SUFFIXES


def expand(target: str) -> Iterator[str | Stdin | InputError]:
    """The inputs a command-line ``target`` names: stdin (``-``), a file, or every
    ``*.json``, ``*.jsonl`` and ``*.ndjson`` file below a directory, in sorted order
    (hidden directories such as ``.git`` are skipped). A file is named by its path as
    ``pathlib`` writes it (``./a.json`` is ``a.json``)."""
    if target == STDIN:
        yield Stdin()
        return
    path = Path(target)
    if path.is_dir():
        yield from _walk(path)
    elif path.exists():
        yield str(path)
    else:
        yield InputError(target, "no such file or directory")


def _walk(root: Path) -> Iterator[str | InputError]:
    """The files of ``root``, named as ``str(Path(folder, name))`` would name them; the
    ``Path`` is not built for each (a folder of many small files pays for each)."""
    failures: list[OSError] = []
    for folder, subfolders, names in os.walk(root, onerror=failures.append):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        prefix = str(Path(folder, "x"))[:-1]
        special = _special_files(folder)
        for name in sorted(names):
            if _suffix(name).lower() in DOCUMENT_SUFFIXES:
                if name in special:
                    yield InputError(prefix + name, "not a regular file (a pipe, a device...)")
                else:
                    yield prefix + name
        while failures:
            failure = failures.pop()
            yield InputError(str(failure.filename or folder), _reason(failure))


def _special_files(folder: str) -> set[str]:
    """The names in ``folder`` of what is there but is no file to read (a FIFO, a device, a
    socket): reading one may wait forever or never end. A file named on the command line is
    read whatever it is (``<(command)`` is a pipe); a broken link is read, and reported as
    unreadable, as before."""
    found: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file() or entry.is_dir():  # from the listing: no system call
                    continue
                try:
                    entry.stat()
                except OSError:
                    continue  # a broken link
                found.add(entry.name)
    except OSError:
        pass  # the walk reports the folder
    return found


def _suffix(name: str) -> str:
    """The suffix of a file name, as ``Path(name).suffix`` gives it."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def spans(path: str | Path, chunk: int | None = None, *, jobs: int = 1) -> Iterator[Span]:
    """The file at ``path`` cut into spans of whole lines, about ``chunk`` bytes each (by
    default sized for ``jobs`` workers, at most ``CHUNK_BYTES``).

    Only the bytes around each cut are read here; a line longer than ``chunk`` is one span.
    """
    name = str(path)
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if chunk is None:
                shared = size // (jobs * _PIECES_PER_JOB)
                chunk = min(CHUNK_BYTES, max(_MIN_PIECE_BYTES, shared))
            start = 0
            while start < size:
                end = _line_end(stream, min(start + chunk, size))
                yield Span(name, start, end - start)
                start = end
    except OSError as exc:
        raise InputError.cannot_read(name, exc) from None


def _line_end(stream: io.BufferedReader, at: int) -> int:
    """The offset just past the first newline at or after ``at`` (or the end of the file)."""
    stream.seek(at)
    while block := stream.read(_SCAN_BYTES):
        found = block.find(_NEWLINE)
        if found >= 0:
            return at + found + 1
        at += len(block)
    return at


def check_piece(piece: Span | bytes) -> Checked:
    """The verdicts on one piece of a JSON Lines input (run in a worker process)."""
    if isinstance(piece, bytes):
        return check_lines(piece)
    with open(piece.path, "rb") as stream:
        stream.seek(piece.offset)
        return check_lines(stream.read(piece.length))


def check_whole(raw: bytes, source: str) -> Checked:
    """The verdict on ``raw``, one whole document; ``InputError`` when it is not JSON."""
    problems = check_text(raw)
    if problems and problems[0].rule == NOT_JSON:
        raise InputError(source, f"not a JSON document ({problems[0].message})")
    return Checked(1, len(raw), (), (Failure(0, problems),) if problems else ())


def stdin_pieces(
    stream: io.BufferedIOBase, *, jsonl: bool, chunk: int | None = None
) -> tuple[int, Iterator[bytes]] | bytes:
    """Standard input as JSON Lines pieces (with the number of the first line), or as one
    document (its bytes).

    With ``jsonl`` it is JSON Lines; otherwise it is when its first non-blank line is a
    complete JSON value, and else one (pretty-printed) document. Pieces are about
    ``chunk`` bytes (``CHUNK_BYTES`` by default).
    """
    chunk = chunk or CHUNK_BYTES
    if jsonl:
        return 1, _pieces(stream, b"", chunk)
    first, skipped = stream.readline(), 0
    while first and first.isspace():
        first, skipped = stream.readline(), skipped + 1
    if not first:
        raise InputError(STDIN_NAME, "no input")
    if _complete_json(first):
        return skipped + 1, _pieces(stream, first, chunk)
    return first + stream.read()


def _complete_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _pieces(stream: io.BufferedIOBase, head: bytes, chunk: int) -> Iterator[bytes]:
    """Whole lines of ``stream``, about ``chunk`` bytes a piece, ``head`` first.

    A piece is cut early when nothing more is waiting, and followed by ``IDLE``, so that
    a slow producer's lines are reported as they come; from a fast one (a file, ``cat``)
    pieces grow to ``chunk``.
    """
    while True:
        parts = [head] if head else []
        total = len(head)
        head = b""
        idle = False
        while total < chunk:
            block = stream.read1(chunk - total)
            parts.append(block)
            total += len(block)
            if not block:
                break
            if not _more_waiting(stream):
                idle = True
                break
        if total and not parts[-1].endswith(_NEWLINE):
            parts.append(stream.readline())
        piece = b"".join(parts)
        if not piece:
            return
        yield piece
        if idle:
            yield IDLE


def _more_waiting(stream: io.BufferedIOBase) -> bool:
    """True unless ``stream`` is a pipe or terminal with nothing to read right now."""
    try:
        ready, _, _ = select.select([stream.fileno()], [], [], _WAIT_SECONDS)
    except (OSError, ValueError):  # no descriptor (BytesIO), or one select cannot watch
        return True
    return bool(ready)
