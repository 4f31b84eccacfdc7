"""A whole ``validate`` run (``execution_group.cli._validate``): inputs in, a report out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from cli_runner import valid_document, write_jsonl

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
