"""Checking pieces of the inputs on every core, results in input order.

Worker processes (one per job) check pieces (lines of a JSON Lines input, batches of
whole files); the main process hands them out, a few at a time so that memory stays
bounded whatever the input's size, and takes the results back in the order the pieces
came. With one job everything is checked in the main process; an input of one piece is
too, unless an earlier input of the run has started the workers: none is started for it.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from ._check import Checked
from ._inputs import IDLE, Span, check_piece

if TYPE_CHECKING:  # imported when a pool starts: a run on one core does without
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["Workers", "available_cores"]

_IN_FLIGHT_PER_JOB = 3

Piece = TypeVar("Piece")
Result = TypeVar("Result")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    if sys.version_info >= (3, 13):
        return os.process_cpu_count() or 1  # pylint: disable=no-member  # new in 3.13
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _ignore_interrupts() -> None:
    """Ctrl-C stops the main process, which stops the workers; they print nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Workers:
    """``jobs`` worker processes, started on first need and kept for the whole run."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kind is None:
            executor.shutdown(wait=True, cancel_futures=True)
            return
        # Interrupted or failed: a worker may be stuck on its input (a FIFO named *.json,
        # say) with Ctrl-C ignored; waiting for it would never end, so the workers go.
        workers = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()

    def check(self, pieces: Iterable[Span | bytes]) -> Iterator[Checked]:
        """The verdicts on the pieces of a JSON Lines input, in their order (``IDLE``
        between them gives none)."""
        return self.run(check_piece, pieces)

    def run(self, task: Callable[[Piece], Result], pieces: Iterable[Piece]) -> Iterator[Result]:
        """``task`` on each of ``pieces``, results in their order (``IDLE`` between them
        gives none). ``task`` is a module-level function: a worker finds it by its name."""
        if self.jobs == 1:
            return (task(piece) for piece in pieces if piece != IDLE)
        return self._in_parallel(task, pieces)

    def _in_parallel(
        self, task: Callable[[Piece], Result], pieces: Iterable[Piece]
    ) -> Iterator[Result]:
        """The first piece is held back until a second one comes: an input of one piece
        (a small file) is checked here, without starting a worker."""
        window = self.jobs * _IN_FLIGHT_PER_JOB
        pending: deque[Future[Result]] = deque()
        held: Piece | None = None
        try:
            for piece in pieces:
                if piece == IDLE:  # the input is slow: report what is checked
                    if held is not None:
                        yield task(held)
                        held = None
                    while pending:
                        yield pending.popleft().result()
                elif held is None and self._executor is None:
                    held = piece
                else:
                    executor = self._start()
                    if held is not None:
                        pending.append(executor.submit(task, held))
                        held = None
                    pending.append(executor.submit(task, piece))
                    if len(pending) >= window:
                        yield pending.popleft().result()
            if held is not None:
                yield task(held)
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # pylint: disable=import-outside-toplevel
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork where there is one: the workers start with the model already imported;
            # frozen, the objects it built are never walked by a worker's garbage
            # collector, so their memory pages stay shared instead of copied.
            gc.freeze()
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._executor = ProcessPoolExecutor(
                self.jobs, mp_context=context, initializer=_ignore_interrupts
            )
        return self._executor
