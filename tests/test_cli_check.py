"""The check of one document or one run of lines (``execution_group.cli._check``)."""

from __future__ import annotations

import json

import pytest
from cli_runner import invalid_document, valid_document
from corpus import Case, cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import mutated_documents

from execution_group import ExecutionGroup
from execution_group.cli._check import check_document, check_lines, check_text, json_path

GOOD = json.dumps(valid_document()).encode()
BAD = json.dumps(invalid_document()).encode()


def test_check_document() -> None:
    assert check_document(GOOD) == ()
    (problem,) = check_document(BAD)
    assert (problem.path, problem.rule, problem.value) == (
        "$.order_ids[3]",
        "order_id_form",
        "bad id",
    )


def test_check_lines_lists_only_what_is_not_ok() -> None:
    text = b"\n".join([GOOD, b"", BAD, b" \t\r", b"{oops", GOOD]) + b"\n"
    checked = check_lines(text)
    assert (checked.lines, checked.size, checked.blank, checked.documents) == (
        6,
        len(text),
        (1, 3),
        4,
    )
    assert [failure.index for failure in checked.failures] == [2, 4]
    assert checked.failures[1].problems[0].rule == "json_invalid"
    assert "line 1" not in checked.failures[1].problems[0].message


def test_check_lines_last_line_without_newline() -> None:
    checked = check_lines(GOOD + b"\n" + BAD)
    assert checked.lines == 2
    assert [failure.index for failure in checked.failures] == [1]


LINES = st.lists(st.sampled_from([GOOD, BAD, b"", b"   ", b"[1]", b"{"]), max_size=30)


@given(LINES)
def test_check_lines_agrees_with_the_model_line_by_line(lines: list[bytes]) -> None:
    checked = check_lines(b"".join(line + b"\n" for line in lines))
    failed = {failure.index for failure in checked.failures}
    assert checked.lines == len(lines)
    for index, line in enumerate(lines):
        if not line.strip():
            assert index in checked.blank
            continue
        try:
            ExecutionGroup.model_validate_json(line)
        except ValueError:
            assert index in failed
        else:
            assert index not in failed


def test_json_path() -> None:
    assert json_path(()) == "$"
    assert json_path(("order_ids", 3)) == "$.order_ids[3]"
    assert json_path(("metadata", "a b")) == '$.metadata["a b"]'


def test_a_line_cut_short_is_placed_by_its_column() -> None:
    """The parser, given the line end, would report "line 2 column 0" of a one-line text."""
    checked = check_lines(b'{"group_id": \r\n' + GOOD + b"\n")
    (failure,) = checked.failures
    (problem,) = failure.problems
    assert problem.rule == "json_invalid"
    assert problem.message.endswith("EOF while parsing a value at column 13"), problem.message


@pytest.mark.parametrize("case", cases(), ids=str)
def test_check_text_gives_check_documents_verdict_on_the_corpus(case: Case) -> None:
    """Duplicate member names, lone surrogates, huge numbers: the exact problems, whichever
    check decides."""
    raw = case.text.encode("utf-8", "surrogatepass")
    assert check_text(raw) == check_document(raw)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_check_text_gives_check_documents_verdict(document: object) -> None:
    raw = json.dumps(document).encode()
    assert check_text(raw) == check_document(raw)
