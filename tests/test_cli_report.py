"""What ``validate`` prints (``execution_group.cli._report``): text for people, JSON Lines
for machines, the summary and the exit code. In process, through click's ``CliRunner``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from cli_runner import (
    invalid_document,
    invoke,
    records,
    valid_document,
    write_json,
    write_jsonl,
)
from hypothesis import given
from hypothesis import strategies as st

from execution_group.cli._check import Checked, Failure, Problem, json_text
from execution_group.cli._report import Progress, Report, document_record


def test_invalid_document_reports_path_rule_message_and_value(tmp_path: Path) -> None:
    path = write_json(tmp_path / "group.json", invalid_document())
    done = invoke("validate", str(path))
    assert done.exit_code == 1, done.output
    assert (
        "  $.order_ids[3]: each order id must be 1 to 128 printable ASCII characters, "
        'without spaces  [order_id_form; got "bad id"]'
    ) in done.stdout


def test_every_error_of_a_document_is_reported(tmp_path: Path) -> None:
    document = valid_document()
    document["status"] = "CANCELLED"
    document["filled_quantity"] = "1000.0"  # above the target; cancelled_at missing
    path = write_json(tmp_path / "group.json", document)
    done = invoke("validate", "--format", "json", str(path))
    assert done.exit_code == 1
    errors = {(e["path"], e["rule"], e["message"]) for e in records(done.stdout)[0]["errors"]}
    assert errors == {
        (
            "$.cancelled_at",
            "status_requires_timestamp",
            "CANCELLED status requires cancelled_at timestamp",
        ),
        (
            "$.filled_quantity",
            "fill_exceeds_target",
            "filled_quantity 1000.0 cannot exceed target_quantity 100.0",
        ),
    }


def test_json_errors_carry_the_offending_value(tmp_path: Path) -> None:
    document = invalid_document()
    document["target_quantity"] = 100  # a number where a decimal string belongs
    document["filled_quantity"] = "1000.0"
    del document["group_id"]
    path = write_json(tmp_path / "group.json", document)
    done = invoke("validate", "--format", "json", str(path))
    errors = {e["path"]: e for e in records(done.stdout)[0]["errors"]}
    assert errors["$.order_ids[3]"]["value"] == "bad id"
    assert errors["$.target_quantity"]["value"] == 100
    assert "value" not in errors["$.group_id"]  # missing: there is no value to show


def test_json_value_of_a_quantity_is_its_wire_string(tmp_path: Path) -> None:
    document = valid_document()
    document["filled_quantity"] = "1000.0"
    path = write_json(tmp_path / "group.json", document)
    done = invoke("validate", "--format", "json", str(path))
    (error,) = records(done.stdout)[0]["errors"]
    assert (error["rule"], error["value"]) == ("fill_exceeds_target", "1000.0")


def test_json_value_null_is_shown(tmp_path: Path) -> None:
    document = valid_document()
    document["status"] = "CANCELLED"
    path = write_json(tmp_path / "group.json", document)
    done = invoke("validate", "--format", "json", str(path))
    (error,) = records(done.stdout)[0]["errors"]
    assert error["rule"] == "status_requires_timestamp"
    assert error["value"] is None


def test_jsonl_json_output(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [json.dumps(valid_document()), "[1, 2]"])
    done = invoke("validate", "--format", "json", str(path))
    first, second, summary = records(done.stdout)
    assert first == {
        "kind": "document",
        "source": str(path),
        "line": 1,
        "valid": True,
        "errors": [],
    }
    assert second["line"] == 2
    assert second["errors"] == [
        {"path": "$", "loc": [], "rule": "model_type", "message": "Input should be an object"}
    ]
    assert summary["exit_code"] == 1 == done.exit_code


def test_quiet_prints_only_invalid_documents(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "s.jsonl", [json.dumps(valid_document()), json.dumps(invalid_document())]
    )
    done = invoke("validate", "--quiet", str(path))
    assert "OK" not in done.stdout
    assert f"INVALID  {path}:2" in done.stdout
    assert "1 valid, 1 invalid" in done.stdout
    done = invoke("validate", "--quiet", "--format", "json", str(path))
    assert [record["line"] for record in records(done.stdout)[:-1]] == [2]


def test_stdin_is_not_counted_as_a_file(tmp_path: Path) -> None:
    stdin = json.dumps(valid_document()).encode() + b"\n"
    done = invoke("validate", "-", stdin=stdin)
    assert "Checked 1 document from standard input: 1 valid, 0 invalid." in done.stdout
    path = write_json(tmp_path / "group.json", valid_document())
    done = invoke("validate", "--format", "json", str(path), "-", stdin=stdin)
    summary = records(done.stdout)[-1]
    assert (summary["files"], summary["stdin"], summary["documents"]) == (1, True, 2)
    done = invoke("validate", str(path), "-", stdin=stdin)
    assert "Checked 2 documents in 1 file and standard input: 2 valid" in done.stdout


# --------------------------------------------------------------------------- in process


def _report(fmt: str, *, quiet: bool = False) -> tuple[Report, io.StringIO]:
    out = io.StringIO()
    err = io.StringIO()
    progress = Progress(err, enabled=False)
    return Report(out, err, fmt=fmt, quiet=quiet, progress=progress), out  # type: ignore[arg-type]


PROBLEM = Problem("$.status", "enum", "Input should be 'ACTIVE'", ("status",), "NEW", True)


def test_valid_json_record_is_what_json_dumps_writes() -> None:
    """The fast template for a valid document gives the same bytes as the full record."""
    source = 'dir/"quoted" ü.jsonl'
    report, out = _report("json")
    report.checked(source, 7, Checked(3, 30, (1,), (Failure(2, (PROBLEM,)),)))
    report.checked(source, None, Checked(1, 10, (), ()))
    lines = out.getvalue().splitlines()
    assert lines[0] == json.dumps(document_record(source, 7, ()), ensure_ascii=False)
    assert json.loads(lines[1]) == document_record(source, 9, (PROBLEM,))
    assert lines[2] == json.dumps(document_record(source, None, ()), ensure_ascii=False)
    assert len(lines) == 3


@pytest.mark.parametrize("quiet", [False, True])
def test_text_lines_in_order_blank_lines_skipped(quiet: bool) -> None:
    report, out = _report("text", quiet=quiet)
    failures = (Failure(1, (PROBLEM,)), Failure(4, (PROBLEM,)))
    report.checked("s.jsonl", 10, Checked(5, 50, (2,), failures))
    shown = [line for line in out.getvalue().splitlines() if not line.startswith("  ")]
    expected = ["OK       s.jsonl:10", "INVALID  s.jsonl:11", "OK       s.jsonl:13"]
    expected.append("INVALID  s.jsonl:14")
    assert shown == [line for line in expected if not (quiet and line.startswith("OK"))]
    counts = report.counts
    assert (counts.documents, counts.valid, counts.invalid) == (4, 2, 2)


def test_a_lone_surrogate_is_escaped_not_a_crash() -> None:
    assert json_text("a\ud800b") == '"a\\ud800b"'
    assert json_text("ü") == '"ü"'
    problem = Problem(
        "$.metadata", "ijson_unicode", "lone surrogate", ("metadata",), "\ud800", True
    )
    assert problem.got == '"\\ud800"'


@given(st.text(), st.integers(min_value=1, max_value=10**12))
def test_valid_json_template_matches_the_record_for_any_source(source: str, line: int) -> None:
    report, out = _report("json")
    report.checked(source, line, Checked(1, 1, (), ()))
    assert out.getvalue() == json_text(document_record(source, line, ())) + "\n"
    assert json.loads(out.getvalue()) == document_record(source, line, ())


@given(
    st.integers(min_value=0, max_value=40).flatmap(
        lambda lines: st.tuples(
            st.just(lines),
            st.lists(st.sampled_from(["ok", "blank", "bad"]), min_size=lines, max_size=lines),
        )
    ),
    st.integers(min_value=1, max_value=10**6),
    st.sampled_from(["text", "json"]),
)
def test_lines_are_printed_in_order_whatever_their_verdicts(
    drawn: tuple[int, list[str]], first_line: int, fmt: str
) -> None:
    lines, kinds = drawn
    blank = tuple(index for index, kind in enumerate(kinds) if kind == "blank")
    failures = tuple(
        Failure(index, (PROBLEM,)) for index, kind in enumerate(kinds) if kind == "bad"
    )
    report, out = _report(fmt)
    report.checked("s.jsonl", first_line, Checked(lines, lines, blank, failures))
    expected = [
        (first_line + index, kind == "ok") for index, kind in enumerate(kinds) if kind != "blank"
    ]
    if fmt == "json":
        found = [(r["line"], r["valid"]) for r in map(json.loads, out.getvalue().splitlines())]
    else:
        found = [
            (int(line.rsplit(":", 1)[1]), line.startswith("OK"))
            for line in out.getvalue().splitlines()
            if not line.startswith("  ")
        ]
    assert found == expected
