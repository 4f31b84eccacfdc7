"""What ``validate`` reads (``execution_group.cli._inputs``): files, directories, JSON Lines,
stdin, and the inputs it cannot check. In process, through click's ``CliRunner``."""

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

from execution_group import ExecutionGroup
from execution_group.cli import _inputs
from execution_group.cli._inputs import InputError, Span, spans, stdin_pieces


def test_valid_document_exits_0(tmp_path: Path) -> None:
    path = write_json(tmp_path / "group.json", valid_document())
    done = invoke("validate", str(path))
    assert done.exit_code == 0, done.output
    assert f"OK       {path}" in done.stdout
    assert "Checked 1 document in 1 file: 1 valid, 0 invalid." in done.stdout
    assert done.stderr == ""


def test_invalid_document_exits_1(tmp_path: Path) -> None:
    path = write_json(tmp_path / "group.json", invalid_document())
    done = invoke("validate", str(path))
    assert done.exit_code == 1, done.output
    assert f"INVALID  {path}" in done.stdout
    assert "0 valid, 1 invalid" in done.stdout


def test_directory_is_searched_recursively(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", valid_document(0))
    write_json(tmp_path / "deep" / "er" / "b.json", invalid_document())
    write_jsonl(tmp_path / "deep" / "c.ndjson", [json.dumps(valid_document(1))])
    write_jsonl(tmp_path / "d.jsonl", [json.dumps(valid_document(2))])
    (tmp_path / "notes.txt").write_text("not a document")
    write_json(tmp_path / ".git" / "hidden.json", {"not": "checked"})
    done = invoke("validate", "--format", "json", str(tmp_path))
    assert done.exit_code == 1, done.output
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
        "stdin": False,
        "unreadable": 0,
        "exit_code": 1,
    }


@pytest.mark.parametrize(
    "name", ["a.json", "a.JSONL", "a.b.ndjson", ".json", "..json", "a.json.", "a", ".", "..", "a.."]
)
def test_a_folder_entry_s_suffix_is_the_one_path_gives(name: str) -> None:
    assert _inputs._suffix(name) == Path(name).suffix  # pylint: disable=protected-access


@pytest.mark.parametrize(
    ("target", "folder"),
    [
        (".", "groups"),
        ("./groups", "groups"),
        ("groups//", "groups"),
        ("groups/..", "groups/../groups"),
    ],
)
def test_files_below_a_folder_are_named_as_pathlib_writes_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, target: str, folder: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_json(tmp_path / "groups" / "a.json", valid_document())
    write_jsonl(tmp_path / "groups" / "b.jsonl", [])
    (tmp_path / "groups" / "deep").mkdir()
    write_json(tmp_path / "groups" / "deep" / "c.json", valid_document())
    assert list(_inputs.expand(target)) == [
        f"{folder}/a.json",
        f"{folder}/b.jsonl",
        f"{folder}/deep/c.json",
    ]


def test_jsonl_bad_line_in_the_middle_is_reported_with_its_number(tmp_path: Path) -> None:
    good = json.dumps(valid_document())
    path = write_jsonl(
        tmp_path / "stream.jsonl",
        [good, good, json.dumps(invalid_document()), "", "{not json", "  \t", good],
    )
    done = invoke("validate", str(path))
    assert done.exit_code == 1, done.output
    lines = done.stdout.splitlines()
    assert f"OK       {path}:1" in lines
    assert f"INVALID  {path}:3" in lines
    assert f"INVALID  {path}:5" in lines
    assert f"OK       {path}:7" in lines
    assert not any(line.endswith((":4", ":6")) for line in lines)  # blank lines are skipped
    assert "  $: Invalid JSON: key must be a string at column 2  [json_invalid]" in lines
    assert "Checked 5 documents in 1 file: 3 valid, 2 invalid." in done.stdout


def test_jsonl_last_line_without_newline_and_crlf_line_ends(tmp_path: Path) -> None:
    good = json.dumps(valid_document())
    path = tmp_path / "s.jsonl"
    path.write_bytes(f"{good}\r\n\r\n{good}".encode())
    done = invoke("validate", str(path))
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[:2] == [f"OK       {path}:1", f"OK       {path}:3"]


@pytest.mark.parametrize("flag", [[], ["--jsonl"]])
def test_stdin_jsonl(flag: list[str]) -> None:
    stdin = (json.dumps(valid_document()) + "\n" + json.dumps(invalid_document()) + "\n").encode()
    done = invoke("validate", *flag, "-", stdin=stdin)
    assert done.exit_code == 1, done.output
    assert "OK       <stdin>:1" in done.stdout
    assert "INVALID  <stdin>:2" in done.stdout


def test_stdin_leading_blank_lines_keep_the_line_numbers() -> None:
    stdin = ("\n  \n" + json.dumps(valid_document()) + "\n").encode()
    done = invoke("validate", "-", stdin=stdin)
    assert done.exit_code == 0, done.output
    assert "OK       <stdin>:3" in done.stdout


def test_stdin_pretty_printed_document() -> None:
    done = invoke("validate", "-", stdin=json.dumps(valid_document(), indent=2).encode())
    assert done.exit_code == 0, done.output
    assert "OK       <stdin>\n" in done.stdout


def test_stdin_not_json_exits_2() -> None:
    done = invoke("validate", "-", stdin=b"{\n  this is not JSON\n")
    assert done.exit_code == 2
    assert done.stderr.startswith("execution-group: error: <stdin>: not a JSON document")


def test_stdin_empty_exits_2() -> None:
    done = invoke("validate", "-", stdin=b"\n\n")
    assert done.exit_code == 2
    assert done.stderr == "execution-group: error: <stdin>: no input\n"


def test_broken_json_file_exits_2_and_other_paths_are_still_checked(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"group_id": ')
    good = write_json(tmp_path / "good.json", valid_document())
    done = invoke("validate", str(broken), str(good))
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"execution-group: error: {broken}: not a JSON document")
    assert f"OK       {good}" in done.stdout


def test_missing_path_exits_2_even_with_invalid_documents(tmp_path: Path) -> None:
    bad = write_json(tmp_path / "bad.json", invalid_document())
    missing = tmp_path / "nowhere.json"
    done = invoke("validate", "--format", "json", str(bad), str(missing))
    assert done.exit_code == 2
    assert done.stderr == f"execution-group: error: {missing}: no such file or directory\n"
    kinds = [record["kind"] for record in records(done.stdout)]
    assert kinds == ["document", "unreadable", "summary"]


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "x.json"
    folder.mkdir()  # a directory named like a file: searched, holds nothing
    done = invoke("validate", str(folder))
    assert done.exit_code == 0
    assert "Checked 0 documents in 0 files" in done.stdout
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert invoke("validate", str(binary)).exit_code == 2


# --------------------------------------------------------------------------- the pieces


def _lines_of(path: Path, pieces: list[Span]) -> bytes:
    with path.open("rb") as stream:
        text = b""
        for piece in pieces:
            stream.seek(piece.offset)
            part = stream.read(piece.length)
            assert part.endswith(b"\n") or piece is pieces[-1]
            text += part
    return text


@pytest.mark.parametrize("chunk", [1, 7, 64, 10_000])
def test_spans_cut_whole_lines_and_cover_the_file(tmp_path: Path, chunk: int) -> None:
    lines = [f'{{"n": {index}, "pad": "{"x" * (index * 7 % 50)}"}}' for index in range(40)]
    lines[5] = ""
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")  # no newline after the last line
    pieces = list(spans(path, chunk))
    assert _lines_of(path, pieces) == path.read_bytes()
    assert [piece.offset for piece in pieces] == sorted({piece.offset for piece in pieces})


def test_spans_of_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    assert list(spans(path)) == []


@pytest.mark.parametrize("chunk", [1, 50, 1 << 20])
def test_stdin_pieces_are_whole_lines_in_order(chunk: int) -> None:
    text = b"".join(b'{"n": %d}\n' % index for index in range(100)) + b'{"last": 1}'
    found = stdin_pieces(io.BytesIO(text), jsonl=True, chunk=chunk)
    assert not isinstance(found, bytes)
    first_line, pieces = found
    pieces_list = list(pieces)
    assert first_line == 1
    assert b"".join(pieces_list) == text
    assert all(piece.endswith(b"\n") for piece in pieces_list[:-1])


def test_input_error_survives_pickling() -> None:
    """Raised in a worker process, it reaches the main one whole."""
    import pickle

    error = pickle.loads(pickle.dumps(InputError("a.jsonl", "cannot read: gone")))
    assert (error.source, error.reason, str(error)) == ("a.jsonl", "cannot read: gone", str(error))
    assert str(error) == "a.jsonl: cannot read: gone"


def test_chunk_size_is_read_when_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [json.dumps(valid_document())] * 3)
    monkeypatch.setattr(_inputs, "CHUNK_BYTES", 10)
    assert len(list(spans(path))) == 3


def test_a_slow_pipe_is_cut_at_what_has_come_then_marked_idle() -> None:
    """A producer writing now and then: each line is checked as it comes, not when 1 MiB
    has gathered."""
    import os

    read_end, write_end = os.pipe()
    with open(read_end, "rb") as stream, open(write_end, "wb", buffering=0) as producer:
        producer.write(b'{"n": 1}\n')
        found = stdin_pieces(stream, jsonl=True)
        assert not isinstance(found, bytes)
        pieces = found[1]
        assert next(pieces) == b'{"n": 1}\n'
        assert next(pieces) == _inputs.IDLE  # returned at once: nothing more was waiting
        producer.write(b'{"n": 2}\n{"n": 3}\n')
        assert next(pieces) == b'{"n": 2}\n{"n": 3}\n'
        assert next(pieces) == _inputs.IDLE
        producer.close()
        assert list(pieces) == []


def test_spans_are_sized_to_keep_every_worker_busy(tmp_path: Path) -> None:
    line = json.dumps(valid_document())
    path = write_jsonl(tmp_path / "s.jsonl", [line] * 4_000)  # about 1.9 MB
    assert len(list(spans(path, jobs=1))) == 8
    assert len(list(spans(path, jobs=2))) == 16
    small = write_jsonl(tmp_path / "small.jsonl", [line] * 10)
    assert len(list(spans(small, jobs=4))) == 1


def test_a_valid_whole_document_builds_no_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``.json`` file or a document on stdin costs the model's checks, not the model."""
    built: list[object] = []
    real = ExecutionGroup.model_validate_json

    def counting(data: object) -> object:
        built.append(data)
        return real(data)  # type: ignore[arg-type]

    monkeypatch.setattr(ExecutionGroup, "model_validate_json", counting)
    valid = json.dumps(valid_document()).encode()
    assert _inputs.check_whole(valid, "a.json").failures == ()
    assert built == []
    (failure,) = _inputs.check_whole(json.dumps(invalid_document()).encode(), "b.json").failures
    assert failure.problems and len(built) == 1
