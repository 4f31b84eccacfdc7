"""A whole ``validate`` run (``execution_group.cli._validate``): inputs in, a report out."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import invalid_document, invoke, valid_document, write_json, write_jsonl
from pydantic import ValidationError

from execution_group.cli import _check, _files
from execution_group.cli._check import Problem
from execution_group.cli._report import Progress, Report
from execution_group.cli._validate import validate_all


class _ClosedPipe(io.StringIO):
    """Output whose reader went away after the first write (``| head -1``)."""

    def write(self, text: str) -> int:
        if self.tell():
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_closed_output_stops_the_run_and_is_not_an_unreadable_input(
    tmp_path: Path, jobs: int
) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [json.dumps(valid_document())] * 3)
    out, err = _ClosedPipe(), io.StringIO()
    out.write("x")
    report = Report(out, err, fmt="text", quiet=False, progress=Progress(err, enabled=False))
    with pytest.raises(BrokenPipeError):
        validate_all([str(path), str(path)], report, jobs=jobs, stdin=io.BytesIO(), jsonl=False)
    assert err.getvalue() == ""
    assert report.counts.unreadable == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_closed_output_stops_a_run_of_json_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, jobs: int
) -> None:
    monkeypatch.setattr(_files, "FILES_PER_BATCH", 2)
    for number in range(6):
        write_json(tmp_path / f"g{number}.json", valid_document())
    out, err = _ClosedPipe(), io.StringIO()
    out.write("x")
    report = Report(out, err, fmt="text", quiet=False, progress=Progress(err, enabled=False))
    with pytest.raises(BrokenPipeError):
        validate_all([str(tmp_path)], report, jobs=jobs, stdin=io.BytesIO(), jsonl=False)
    assert err.getvalue() == ""
    assert report.counts.unreadable == 0


# ------------------------------------------------------------- which process checks


@pytest.fixture(name="checking_processes")
def _checking_processes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[], set[int]]:
    """The ids of the processes that judge an invalid document, seen through a wrapper
    around ``problems_of`` that workers inherit (they are forked from this process)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("workers inherit the wrapper only when forked")
    log = tmp_path / "checked-by.log"
    judge = _check.problems_of

    def logged(error: ValidationError, *, in_line: bool) -> tuple[Problem, ...]:
        with log.open("a", encoding="utf-8") as stream:
            stream.write(f"{os.getpid()}\n")
        return judge(error, in_line=in_line)

    monkeypatch.setattr(_check, "problems_of", logged)

    def seen() -> set[int]:
        found = {int(line) for line in log.read_text(encoding="utf-8").split()}
        log.unlink()
        return found

    return seen


@pytest.mark.parametrize("named", ["as a folder", "one by one"])
def test_json_files_are_checked_in_worker_processes(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    checking_processes: Callable[[], set[int]],
    named: str,
) -> None:
    """A folder of fixtures, or the paths a pre-commit hook passes: batched alike."""
    monkeypatch.setattr(_files, "FILES_PER_BATCH", 4)
    folder = tmp_path / "groups"
    paths = [
        str(write_json(folder / f"g{number:02}.json", document))
        for number, document in enumerate([valid_document(), invalid_document()] * 6)
    ]
    targets = [str(folder)] if named == "as a folder" else paths
    assert invoke("validate", "--jobs", "2", *targets).exit_code == 1
    workers = checking_processes()
    assert workers and os.getpid() not in workers
    assert invoke("validate", "--jobs", "1", *targets).exit_code == 1
    assert checking_processes() == {os.getpid()}


def test_one_json_file_is_checked_without_a_worker(
    tmp_path: Path, checking_processes: Callable[[], set[int]]
) -> None:
    path = write_json(tmp_path / "group.json", invalid_document())
    assert invoke("validate", "--jobs", "2", str(path)).exit_code == 1
    assert checking_processes() == {os.getpid()}


def _mixed_folder(root: Path) -> Path:
    """Valid, invalid and not-JSON ``.json`` files, JSON Lines files, a broken link."""
    good, bad = json.dumps(valid_document()), json.dumps(invalid_document())
    for number in range(20):
        document = invalid_document() if number % 6 == 1 else valid_document(number % 5)
        write_json(root / ("deep" if number % 4 == 0 else "") / f"g{number:02}.json", document)
    (root / "broken.json").write_text('{"group_id": ', encoding="utf-8")
    (root / "deep" / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    write_jsonl(root / "lines.jsonl", [good, "", bad, "{not json"])
    write_jsonl(root / "deep" / "more.ndjson", [bad, good])
    (root / "gone.json").symlink_to(root / "nowhere")
    return root


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_mixed_folder_gives_the_same_output_on_one_job_and_on_two(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    checking_processes: Callable[[], set[int]],
    fmt: str,
) -> None:
    monkeypatch.setattr(_files, "FILES_PER_BATCH", 3)
    folder = _mixed_folder(tmp_path / "groups")
    paths = [str(folder), str(folder / "g03.json"), str(tmp_path / "missing.json")]
    one = invoke("validate", "--format", fmt, "--jobs", "1", *paths)
    assert checking_processes() == {os.getpid()}
    two = invoke("validate", "--format", fmt, "--jobs", "2", *paths)
    assert os.getpid() not in checking_processes()
    assert (one.exit_code, one.stdout, one.stderr) == (two.exit_code, two.stdout, two.stderr)
    assert one.exit_code == 2
    assert one.stderr.splitlines() == [
        f"execution-group: error: {folder / 'broken.json'}: not a JSON document "
        "(Invalid JSON: EOF while parsing a value at line 1 column 13)",
        f"execution-group: error: {folder / 'gone.json'}: cannot read: No such file or directory",
        f"execution-group: error: {folder / 'deep' / 'binary.json'}: not a JSON document "
        "(Invalid JSON: expected value at line 1 column 1)",
        f"execution-group: error: {tmp_path / 'missing.json'}: no such file or directory",
    ]
    if fmt == "text":  # 23 .json files (g03 twice; not the broken link), 2 JSON Lines
        assert one.stdout.endswith(
            "Checked 26 documents in 25 files: 19 valid, 7 invalid. "
            "4 inputs could not be checked (see above).\n"
        )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_fifo_in_a_folder_is_reported_not_read(tmp_path: Path, jobs: str) -> None:
    """Reading a FIFO nobody writes to would wait forever: a folder's FIFO is not read."""
    write_json(tmp_path / "a.json", valid_document())
    os.mkfifo(tmp_path / "b.json")
    done = threading.Event()
    threading.Thread(target=_release_readers, args=(tmp_path / "b.json", done), daemon=True).start()
    try:
        result = invoke("validate", "--jobs", jobs, str(tmp_path))
    finally:
        done.set()
    assert result.exit_code == 2  # an input not checked
    assert f"{tmp_path / 'b.json'}: not a regular file" in result.stderr
    assert f"OK       {tmp_path / 'a.json'}" in result.stdout


def _release_readers(fifo: Path, done: threading.Event) -> None:
    """Should anything open ``fifo`` to read it, give it an end of file: the test then fails
    instead of hanging."""
    while not done.wait(0.05):
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # no reader
            continue
