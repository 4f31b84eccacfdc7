"""``execution-group validate``: every input named on the command line, checked into a report."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from ._batch import (
    STDIN_NAME,
    InputError,
    check_whole,
    expand,
    is_jsonl,
    spans,
    stdin_pieces,
)
from ._check import Checked
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
    """Check every input ``targets`` name, in order, on ``jobs`` processes; the exit code."""
    with Workers(jobs) as workers:
        for target in targets:
            for item in expand(target):
                try:
                    _check(item, report, workers, stdin=stdin, jsonl=jsonl)
                except InputError as exc:
                    report.unreadable(exc)
                except BrokenPipeError:
                    raise  # the reader of the output went away: not an input's fault
                except OSError as exc:
                    report.unreadable(InputError.cannot_read(str(item), exc))
    return report.finish()


def _check(
    item: Path | str | InputError,
    report: Report,
    workers: Workers,
    *,
    stdin: io.BufferedIOBase,
    jsonl: bool,
) -> None:
    if isinstance(item, InputError):
        raise item
    if isinstance(item, str):
        report.start(STDIN_NAME, None, stdin=True)
        found = stdin_pieces(stdin, jsonl=jsonl)
        if isinstance(found, bytes):
            report.checked(STDIN_NAME, None, check_whole(found, STDIN_NAME))
        else:
            first_line, pieces = found
            _lines(STDIN_NAME, first_line, workers.check(pieces), report)
        return
    source = str(item)
    report.start(source, item.stat().st_size)
    if is_jsonl(item):
        _lines(source, 1, workers.check(spans(item, jobs=workers.jobs)), report)
    else:
        report.checked(source, None, check_whole(item.read_bytes(), source))


def _lines(source: str, first_line: int, results: Iterator[Checked], report: Report) -> None:
    for checked in results:
        report.checked(source, first_line, checked)
        first_line += checked.lines
