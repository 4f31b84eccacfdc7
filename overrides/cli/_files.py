"""Whole-document files (``.json``), checked in batches by the worker processes.

A run of such files (a folder of fixtures, the paths a pre-commit hook passes) is cut into
batches of paths; a worker reads and checks every file of a batch itself, so a file's
contents never pass between processes, and sends back a ``FilesChecked``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TypeAlias

from ._check import Checked
from ._inputs import InputError, check_whole

__all__ = ["FILES_PER_BATCH", "FilesChecked", "Verdict", "batches", "check_file", "check_files"]

FILES_PER_BATCH = 512
"""The files one worker checks at a time. A batch is handed over through the process
pool's helper threads, which wait for the main thread (busy walking folders and printing)
up to the interpreter's switch interval, 5 ms, while the worker idles: 512 small files
keep a worker busy longer than that (about 7 ms), so hand-overs cost little (checking a
folder of 20,000 files on 2 cores took 2-8% longer in batches of 256, about a fifth
longer in batches of 128). A run of files that fits in one batch is checked in the main
process unless the workers are running already: starting them costs more."""


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # no newline translation on Windows
_READ_BYTES = 1 << 16

Verdict: TypeAlias = Checked | InputError
"""What checking one file gave: the verdicts on its document, or why it was not checked."""


@dataclass(frozen=True, slots=True)
class FilesChecked:
    """The verdicts on a batch of files, in the form cheapest to send back: the size of
    each, and a verdict only where the file is not a valid document (as ``Checked``
    lists only the lines that are not OK).

    A size is ``None`` when the file could not even be looked at (it vanished, or is a
    broken link): such a path is not counted among the files checked.
    """

    sources: tuple[str, ...]
    sizes: tuple[int | None, ...]
    others: dict[int, Verdict]

    def __iter__(self) -> Iterator[tuple[str, int | None, Verdict]]:
        """Each file's source, size and verdict, in order."""
        others = self.others
        for index, (source, size) in enumerate(zip(self.sources, self.sizes, strict=True)):
            found = others.get(index)
            yield source, size, Checked(1, size or 0, (), ()) if found is None else found


def batches(paths: Iterable[str]) -> Iterator[tuple[str, ...]]:
    """``paths`` in order, ``FILES_PER_BATCH`` at a time."""
    remaining = iter(paths)
    while batch := tuple(islice(remaining, FILES_PER_BATCH)):
        yield batch


def check_files(batch: tuple[str, ...]) -> FilesChecked:
    """The verdicts on the files of ``batch`` (run in a worker process)."""
    sizes: list[int | None] = []
    others: dict[int, Verdict] = {}
    for index, source in enumerate(batch):
        size, verdict = check_file(source)
        sizes.append(size)
        if isinstance(verdict, InputError) or verdict.failures:
            others[index] = verdict
    return FilesChecked(batch, tuple(sizes), others)


def check_file(source: str) -> tuple[int | None, Verdict]:
    """The size of the file at ``source`` (``None`` if it cannot be looked at) and the
    verdict on it, one whole document."""
    try:
        size = os.stat(source).st_size
    except OSError as exc:
        return None, InputError.cannot_read(source, exc)
    try:
        return size, check_whole(_read(source, size), source)
    except OSError as exc:
        return size, InputError.cannot_read(source, exc)
    except InputError as exc:
        return size, exc


def _read(source: str, size: int) -> bytes:
    """The whole file (``size`` bytes, unless it changed since), by plain reads: a file
    object costs more than the reads themselves on a small file (about 2.5 µs a file)."""
    descriptor = os.open(source, _READ_FLAGS)
    try:
        chunks = [os.read(descriptor, size + 1)]  # one byte more: has it grown?
        while chunks[-1]:
            chunks.append(os.read(descriptor, _READ_BYTES))
        return b"".join(chunks)
    finally:
        os.close(descriptor)
