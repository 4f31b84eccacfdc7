"""The ``execution-group`` command, driven as a subprocess (``python -m execution_group``)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from execution_group import ExecutionGroup, ExecutionStrategyType
from execution_group.contract import examples, lifecycle, pattern, schema

STRATEGIES = [strategy.value for strategy in ExecutionStrategyType]


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """``execution-group ARGS``; stdout and stderr as text."""
    done = subprocess.run(
        [sys.executable, "-m", "execution_group", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=60,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def valid_document(index: int = 0) -> dict[str, Any]:
    return json.loads(json.dumps(examples()[index]))


def invalid_document() -> dict[str, Any]:
    document = valid_document()
    document["order_ids"] = ["binance_1", "binance_2", "binance_3", "bad id"]
    return document


def write_json(path: Path, document: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def records(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


# --------------------------------------------------------------------------- validate


def test_valid_document_exits_0(tmp_path: Path) -> None:
    path = write_json(tmp_path / "group.json", valid_document())
    done = run("validate", str(path))
    assert done.returncode == 0, done
    assert f"OK       {path}" in done.stdout
    assert "Checked 1 document in 1 file: 1 valid, 0 invalid." in done.stdout
    assert done.stderr == ""


def test_invalid_document_reports_path_rule_and_message(tmp_path: Path) -> None:
    path = write_json(tmp_path / "group.json", invalid_document())
    done = run("validate", str(path))
    assert done.returncode == 1, done
    assert f"INVALID  {path}" in done.stdout
    assert (
        "  $.order_ids[3]: each order id must be 1 to 128 printable ASCII characters, "
        'without spaces  [order_id_form; got "bad id"]'
    ) in done.stdout
    assert "0 valid, 1 invalid" in done.stdout


def test_every_error_of_a_document_is_reported(tmp_path: Path) -> None:
    document = valid_document()
    document["status"] = "CANCELLED"
    document["filled_quantity"] = "1000.0"  # above the target; cancelled_at missing
    path = write_json(tmp_path / "group.json", document)
    done = run("validate", "--format", "json", str(path))
    assert done.returncode == 1
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


def test_directory_is_searched_recursively(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", valid_document(0))
    write_json(tmp_path / "deep" / "er" / "b.json", invalid_document())
    write_jsonl(tmp_path / "deep" / "c.ndjson", [json.dumps(valid_document(1))])
    write_jsonl(tmp_path / "d.jsonl", [json.dumps(valid_document(2))])
    (tmp_path / "notes.txt").write_text("not a document")
    write_json(tmp_path / ".git" / "hidden.json", {"not": "checked"})
    done = run("validate", "--format", "json", str(tmp_path))
    assert done.returncode == 1, done
    *documents, summary = records(done.stdout)
    seen = {Path(record["source"]).relative_to(tmp_path).as_posix(): record for record in documents}
    assert set(seen) == {"a.json", "d.jsonl", "deep/c.ndjson", "deep/er/b.json"}
    assert not seen["deep/er/b.json"]["valid"]
    assert summary == {
        "kind": "summary",
        "documents": 4,
        "valid": 3,
        "invalid": 1,
        "files": 4,
        "unreadable": 0,
        "exit_code": 1,
    }


def test_jsonl_bad_line_in_the_middle_is_reported_with_its_number(tmp_path: Path) -> None:
    good = json.dumps(valid_document())
    path = write_jsonl(
        tmp_path / "stream.jsonl",
        [good, good, json.dumps(invalid_document()), "", "{not json", good],
    )
    done = run("validate", str(path))
    assert done.returncode == 1, done
    lines = done.stdout.splitlines()
    assert f"OK       {path}:1" in lines
    assert f"INVALID  {path}:3" in lines
    assert f"INVALID  {path}:5" in lines
    assert f"OK       {path}:6" in lines
    assert not any(line.endswith(":4") for line in lines)  # blank lines are skipped
    assert "[json_invalid]" in done.stdout
    assert "Checked 5 documents in 1 file: 3 valid, 2 invalid." in done.stdout


def test_jsonl_json_output(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [json.dumps(valid_document()), "[1, 2]"])
    done = run("validate", "--format", "json", str(path))
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
    assert summary["exit_code"] == 1 == done.returncode


def test_quiet_prints_only_invalid_documents(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "s.jsonl", [json.dumps(valid_document()), json.dumps(invalid_document())]
    )
    done = run("validate", "--quiet", str(path))
    assert "OK" not in done.stdout
    assert f"INVALID  {path}:2" in done.stdout
    assert "1 valid, 1 invalid" in done.stdout


@pytest.mark.parametrize("flag", [[], ["--jsonl"]])
def test_stdin_jsonl(flag: list[str]) -> None:
    stdin = (json.dumps(valid_document()) + "\n" + json.dumps(invalid_document()) + "\n").encode()
    done = run("validate", *flag, "-", stdin=stdin)
    assert done.returncode == 1, done
    assert "OK       <stdin>:1" in done.stdout
    assert "INVALID  <stdin>:2" in done.stdout


def test_stdin_pretty_printed_document() -> None:
    done = run("validate", "-", stdin=json.dumps(valid_document(), indent=2).encode())
    assert done.returncode == 0, done
    assert "OK       <stdin>\n" in done.stdout


def test_stdin_not_json_exits_2() -> None:
    done = run("validate", "-", stdin=b"{\n  this is not JSON\n")
    assert done.returncode == 2
    assert done.stderr.startswith("execution-group: error: <stdin>: not a JSON document")


def test_broken_json_file_exits_2_and_other_paths_are_still_checked(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"group_id": ')
    good = write_json(tmp_path / "good.json", valid_document())
    done = run("validate", str(broken), str(good))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"execution-group: error: {broken}: not a JSON document")
    assert f"OK       {good}" in done.stdout


def test_missing_path_exits_2_even_with_invalid_documents(tmp_path: Path) -> None:
    bad = write_json(tmp_path / "bad.json", invalid_document())
    missing = tmp_path / "nowhere.json"
    done = run("validate", "--format", "json", str(bad), str(missing))
    assert done.returncode == 2
    assert done.stderr == f"execution-group: error: {missing}: no such file or directory\n"
    kinds = [record["kind"] for record in records(done.stdout)]
    assert kinds == ["document", "unreadable", "summary"]


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "x.json"
    folder.mkdir()  # a directory named like a file: searched, holds nothing
    done = run("validate", str(folder))
    assert done.returncode == 0
    assert "Checked 0 documents in 0 files" in done.stdout
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert run("validate", str(binary)).returncode == 2


def test_usage_errors_exit_2() -> None:
    assert run("validate").returncode == 2
    assert run("validate", "--format", "xml", "-").returncode == 2
    assert run("example", "MARKET").returncode == 2
    assert run("new-id", "order").returncode == 2


# --------------------------------------------------------------------------- other commands


def test_schema_prints_the_shipped_schema() -> None:
    done = run("schema")
    assert done.returncode == 0
    assert json.loads(done.stdout) == schema()
    assert json.loads(run("schema", "--lifecycle").stdout) == lifecycle()


def test_example_is_valid_for_every_strategy(tmp_path: Path) -> None:
    for strategy in STRATEGIES:
        done = run("example", strategy.lower())
        assert done.returncode == 0, done
        document = json.loads(done.stdout)
        assert document["execution_strategy"] == strategy
        ExecutionGroup.model_validate_json(done.stdout)  # the full contract, in process
        (tmp_path / f"{strategy}.json").write_text(done.stdout)
    done = run("validate", "--format", "json", str(tmp_path))  # and through the command
    assert done.returncode == 0, done
    assert records(done.stdout)[-1]["valid"] == len(STRATEGIES)


@pytest.mark.parametrize(
    ("kind", "definition"), [("group", "GroupId"), ("directive", "DirectiveId")]
)
def test_new_id_matches_the_pattern(kind: str, definition: str) -> None:
    done = run("new-id", kind, "--count", "20")
    assert done.returncode == 0, done
    ids = done.stdout.splitlines()
    assert len(ids) == len(set(ids)) == 20
    for value in ids:
        assert re.fullmatch(pattern(definition), value), value


def test_help_explains_with_examples() -> None:
    for args in (["--help"], ["validate", "--help"], ["example", "--help"], ["new-id", "-h"]):
        done = run(*args)
        assert done.returncode == 0
        assert "Examples:" in done.stdout


def test_the_readme_main_job_validates_the_shipped_examples() -> None:
    """``python3 -m execution_group validate examples/``: the README's first command."""
    folder = Path(__file__).resolve().parent.parent / "examples"
    done = run("validate", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("OK ") == len(examples()) == len(list(folder.glob("*.json")))
