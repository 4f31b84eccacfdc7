"""``execution-group validate``: every input named on the command line, checked into a report."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from itertools import chain, groupby
from typing import cast

from ._check import Checked
from ._files import batches, check_files
from ._inputs import (
    STDIN_NAME,
    InputError,
    Stdin,
    check_whole,
    expand,
    is_jsonl,
    spans,
    stdin_pieces,
)
from ._parallel import Workers
from ._report import Report

__all__ = ["validate_all"]


def validate_all(
    targets: Iterable[str],
    report: Report,
    *,
    jobs: int,
    stdin: io.BufferedIOBase,
    jsonl: bool,
) -> int:
    """Check every input ``targets`` name, in order, on ``jobs`` processes; the exit code.

    Consecutive whole-document files, wherever they come from (one folder, or many paths
    on the command line), are checked together, in batches shared among the workers.
    """
    items = chain.from_iterable(expand(target) for target in targets)
    with Workers(jobs) as workers:
        for whole, run in groupby(items, key=_is_whole_file):
            if whole:
                _whole_files(cast(Iterator[str], run), report, workers)
                continue
            for item in run:
                try:
                    _check(item, report, workers, stdin=stdin, jsonl=jsonl)
                except InputError as exc:
                    report.unreadable(exc)
                except BrokenPipeError:
                    raise  # the reader of the output went away: not an input's fault
                except OSError as exc:
                    report.unreadable(InputError.cannot_read(str(item), exc))
    return report.finish()


def _is_whole_file(item: str | Stdin | InputError) -> bool:
    """A file holding one document (not JSON Lines, not stdin, not an error)."""
    return isinstance(item, str) and not is_jsonl(item)


def _whole_files(paths: Iterable[str], report: Report, workers: Workers) -> None:
    """Check a run of whole-document files; each is counted once it could be looked at."""
    for checked in workers.run(check_files, batches(paths)):
        for source, size, verdict in checked:
            if size is not None:
                report.start(source, size)
            if isinstance(verdict, InputError):
                report.unreadable(verdict)
            else:
                report.checked(source, None, verdict)


def _check(
    item: str | Stdin | InputError,
    report: Report,
    workers: Workers,
    *,
    stdin: io.BufferedIOBase,
    jsonl: bool,
) -> None:
    """Check standard input or a JSON Lines file; raise the error an ``InputError`` item is."""
    if isinstance(item, InputError):
        raise item
    if isinstance(item, Stdin):
        report.start(STDIN_NAME, None, stdin=True)
        found = stdin_pieces(stdin, jsonl=jsonl)
        if isinstance(found, bytes):
            report.checked(STDIN_NAME, None, check_whole(found, STDIN_NAME))
        else:
            first_line, pieces = found
            _lines(STDIN_NAME, first_line, workers.check(pieces), report)
        return
    report.start(item, os.stat(item).st_size)
    _lines(item, 1, workers.check(spans(item, jobs=workers.jobs)), report)


def _lines(source: str, first_line: int, results: Iterator[Checked], report: Report) -> None:
    for checked in results:
        report.checked(source, first_line, checked)
        first_line += checked.lines
