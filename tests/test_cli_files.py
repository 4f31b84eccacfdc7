"""Whole-document files checked in batches (``execution_group.cli._files``): the batches,
the verdicts sent back, and the same verdicts from a worker as from this process."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from cli_runner import invalid_document, valid_document, write_json

from execution_group.cli import _files
from execution_group.cli._check import Checked
from execution_group.cli._files import FilesChecked, batches, check_file, check_files
from execution_group.cli._inputs import InputError
from execution_group.cli._parallel import Workers


def _plain(checked: FilesChecked) -> list[tuple[str, int | None, object]]:
    """The verdicts as comparable values (an exception equals only itself)."""
    return [
        (source, size, str(verdict) if isinstance(verdict, InputError) else verdict)
        for source, size, verdict in checked
    ]


def _files_of_every_kind(folder: Path) -> list[Path]:
    """A valid, an invalid, a not-JSON document, a missing path, and a folder."""
    broken = folder / "broken.json"
    broken.write_text('{"group_id": ', encoding="utf-8")
    directory = folder / "folder.json"
    directory.mkdir()
    return [
        write_json(folder / "good.json", valid_document()),
        write_json(folder / "bad.json", invalid_document()),
        broken,
        folder / "missing.json",
        directory,
    ]


@pytest.mark.parametrize("count", [0, 1, 4, 5, 9])
def test_batches_keep_the_order(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    monkeypatch.setattr(_files, "FILES_PER_BATCH", 4)
    paths = [f"f{number}.json" for number in range(count)]
    found = list(batches(paths))
    assert [name for batch in found for name in batch] == paths
    assert all(len(batch) == 4 for batch in found[:-1])
    assert len(found) == -(-count // 4)


def test_a_verdict_is_sent_only_for_a_file_that_is_not_valid(tmp_path: Path) -> None:
    paths = _files_of_every_kind(tmp_path)
    checked = check_files(tuple(map(str, paths)))
    good, bad, broken, missing, directory = paths
    bad_verdict = check_file(str(bad))[1]
    assert isinstance(bad_verdict, Checked)
    assert [problem.rule for problem in bad_verdict.failures[0].problems] == ["order_id_form"]
    assert checked.sizes[:3] == tuple(path.stat().st_size for path in paths[:3])
    assert checked.sizes[3] is None  # not even looked at: not counted as a file
    assert sorted(checked.others) == [1, 2, 3, 4]
    assert _plain(checked) == [
        (str(good), good.stat().st_size, Checked(1, good.stat().st_size, (), ())),
        (str(bad), bad.stat().st_size, bad_verdict),
        (
            str(broken),
            broken.stat().st_size,
            f"{broken}: not a JSON document (Invalid JSON: EOF while parsing a value at "
            "line 1 column 13)",
        ),
        (str(missing), None, f"{missing}: cannot read: No such file or directory"),
        (str(directory), directory.stat().st_size, f"{directory}: cannot read: Is a directory"),
    ]


def test_verdicts_survive_pickling(tmp_path: Path) -> None:
    """They come back from a worker process whole."""
    checked = check_files(tuple(map(str, _files_of_every_kind(tmp_path))))
    assert _plain(pickle.loads(pickle.dumps(checked))) == _plain(checked)


def test_a_worker_gives_the_verdicts_this_process_gives(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_files, "FILES_PER_BATCH", 2)
    paths = _files_of_every_kind(tmp_path) * 3
    found: dict[int, list[list[tuple[str, int | None, object]]]] = {}
    for jobs in (1, 2):
        with Workers(jobs) as workers:
            checked = workers.run(check_files, batches(map(str, paths)))
            found[jobs] = [_plain(verdicts) for verdicts in checked]
            assert (workers.jobs == 1) == (workers._executor is None)  # pylint: disable=protected-access
    assert found[1] == found[2]
    assert len(found[2]) == 8


def test_one_document_a_file_however_it_is_laid_out(tmp_path: Path) -> None:
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps(valid_document(), indent=4) + "\n\n", encoding="utf-8")
    size, verdict = check_file(str(path))
    assert verdict == Checked(1, size or 0, (), ())


@pytest.mark.parametrize("size", [0, 5, 70_000, 1 << 20])
def test_a_file_is_read_whole_whatever_size_it_was_said_to_have(tmp_path: Path, size: int) -> None:
    """A file that grew after it was looked at, or one that tells no size (``/proc``)."""
    path = tmp_path / "grown.json"
    path.write_bytes(bytes(range(256)) * 1_000)
    assert _files._read(str(path), size) == path.read_bytes()  # pylint: disable=protected-access
