"""Checking on several processes (``execution_group.cli._parallel``): the same output,
in the same order, as on one."""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from cli_runner import invalid_document, invoke, valid_document, write_jsonl

from execution_group.cli import _inputs
from execution_group.cli._parallel import Workers, available_cores


def _mixed_lines(count: int) -> list[str]:
    good, bad = json.dumps(valid_document()), json.dumps(invalid_document())
    return [bad if index % 7 == 3 else "" if index % 11 == 5 else good for index in range(count)]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_jobs_give_the_same_output_in_input_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str
) -> None:
    lines = _mixed_lines(120)
    path = write_jsonl(tmp_path / "s.jsonl", lines)
    monkeypatch.setattr(_inputs, "CHUNK_BYTES", 2_000)
    assert len(list(_inputs.spans(path))) > 20
    one = invoke("validate", "--format", fmt, "--jobs", "1", str(path))
    three = invoke("validate", "--format", fmt, "--jobs", "3", str(path))
    assert one.exit_code == three.exit_code == 1
    assert one.stdout == three.stdout
    documents = sum(1 for line in lines if line)
    assert (
        f"Checked {documents} documents" in one.stdout or f'"documents": {documents}' in one.stdout
    )


def test_jobs_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = "".join(line + "\n" for line in _mixed_lines(60)).encode()
    monkeypatch.setattr(_inputs, "CHUNK_BYTES", 1_500)
    one = invoke("validate", "--jobs", "1", "-", stdin=stdin)
    two = invoke("validate", "--jobs", "2", "-", stdin=stdin)
    assert one.stdout == two.stdout
    assert "INVALID  <stdin>:4\n" in two.stdout


def test_workers_keep_the_order_of_pieces() -> None:
    good = json.dumps(valid_document()).encode() + b"\n"
    bad = json.dumps(invalid_document()).encode() + b"\n"
    pieces = [good * (index % 3 + 1) + bad * (index % 2) for index in range(12)]
    with Workers(2) as workers:
        checked = list(workers.check(iter(pieces)))
    assert [c.lines for c in checked] == [index % 3 + 1 + index % 2 for index in range(12)]
    assert [len(c.failures) for c in checked] == [index % 2 for index in range(12)]


def test_a_worker_error_reaches_the_caller(tmp_path: Path) -> None:
    missing = _inputs.Span(str(tmp_path / "gone.jsonl"), 0, 10)
    with Workers(2) as workers, pytest.raises(FileNotFoundError):
        list(workers.check([missing, missing, missing]))


def test_jobs_must_be_positive() -> None:
    assert invoke("validate", "--jobs", "0", "-", stdin=b"{}").exit_code == 2


def test_available_cores() -> None:
    assert available_cores() >= 1
    assert "every core" in invoke("validate", "--help").stdout


def test_one_piece_needs_no_worker() -> None:
    """A small input is checked in this process: no process pool is started."""
    workers = Workers(4)
    with workers:
        assert len(list(workers.check([io.BytesIO(b"{}\n").read()]))) == 1
        assert workers._executor is None  # pylint: disable=protected-access


def test_idle_input_delivers_what_is_checked_before_reading_on() -> None:
    good = json.dumps(valid_document()).encode() + b"\n"
    asked: list[str] = []

    def pieces() -> Iterator[bytes]:
        for number in range(5):
            asked.append(f"piece {number}")
            yield good * (number + 1)
            if number:  # pieces 0 and 1 come together: the workers start
                asked.append(f"idle {number}")
                yield _inputs.IDLE

    workers = Workers(2)
    with workers:
        for checked in workers.check(pieces()):
            asked.append(f"result {checked.lines}")
        assert workers._executor is not None  # pylint: disable=protected-access
    # every result comes before the input is read on: a slow producer is not held up
    assert asked == [
        "piece 0", "piece 1", "idle 1", "result 1", "result 2",
        "piece 2", "idle 2", "result 3",
        "piece 3", "idle 3", "result 4",
        "piece 4", "idle 4", "result 5",
    ]  # fmt: skip


def _block(_piece: bytes) -> None:
    time.sleep(3600)


def test_an_interrupted_run_stops_its_workers_even_when_one_is_stuck() -> None:
    """Ctrl-C (or any error) in the main process must not wait for a worker stuck on its
    input: the workers ignore Ctrl-C, so they are stopped."""
    workers = Workers(2)
    stuck = workers._start().submit(_block, b"")  # pylint: disable=protected-access
    processes = list(getattr(workers._executor, "_processes", {}).values())  # pylint: disable=protected-access

    def interrupted() -> None:
        with contextlib.suppress(KeyboardInterrupt), workers:
            raise KeyboardInterrupt

    exiting = threading.Thread(target=interrupted, daemon=True)
    exiting.start()
    exiting.join(timeout=60)
    try:
        assert not exiting.is_alive(), "the interrupted run waited for its stuck worker"
        # Its worker stopped, the stuck piece fails at once (it would wait an hour).
        assert isinstance(stuck.exception(timeout=60), BrokenProcessPool)
    finally:
        for process in processes:  # a failed run leaves none behind to hang pytest's exit
            process.kill()
