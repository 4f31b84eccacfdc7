"""Checking documents against the full contract, fast when they are valid.

A valid document costs one call of the model's checks without the model (``quick_check``)
and a count: no group, no result object is built for it. A document those checks refuse
is judged by ``ExecutionGroup.model_validate_json``, which decides; only a document that
breaks a rule gets its ``Problem`` objects, built from the ``ValidationError`` it raised.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from .._verdict import quick_check
from ..model import ExecutionGroup

__all__ = [
    "NOT_JSON",
    "Checked",
    "Failure",
    "JsonScalar",
    "Problem",
    "check_document",
    "check_lines",
    "check_text",
    "json_path",
    "json_text",
]

NOT_JSON = "json_invalid"
_NO_VALUE = frozenset({NOT_JSON, "missing"})
_SHOWN_INPUT = 60
_LINE_ONE = re.compile(r"at line 1 column ([0-9]+)$")
_LINE_END = b"\r\n"

JsonScalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: where (JSON path), which rule (pydantic error type), and why.

    ``value`` is the offending value when it is a plain JSON value (a string, number,
    boolean or null) and ``has_value`` says so; a missing field, a whole object or array,
    and text that is not JSON have none.
    """

    path: str
    rule: str
    message: str
    loc: tuple[str | int, ...]
    value: JsonScalar = None
    has_value: bool = False

    @property
    def got(self) -> str | None:
        """The offending value as short JSON text, for people (``None`` when there is none)."""
        if not self.has_value or self.value is None:
            return None
        text = json_text(self.value)
        return text if len(text) <= _SHOWN_INPUT else text[: _SHOWN_INPUT - 3] + "..."


@dataclass(frozen=True, slots=True)
class Failure:
    """An invalid document: its index among the lines checked together, and its problems."""

    index: int
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Checked:
    """The verdicts on consecutive lines of one input, listed only where they are not OK.

    ``lines`` lines of ``size`` bytes were read; the ones at ``blank`` (indexes from 0)
    hold no document; every other line is a valid document unless it is in ``failures``.
    """

    lines: int
    size: int
    blank: tuple[int, ...]
    failures: tuple[Failure, ...]

    @property
    def documents(self) -> int:
        """How many lines held a document."""
        return self.lines - len(self.blank)


def json_text(value: object) -> str:
    """``value`` as JSON text, non-ASCII characters as they are, unless a lone surrogate
    (which no output encoding can carry) forces escapes."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value)
    return text


def json_path(loc: Iterable[str | int]) -> str:
    """``("order_ids", 3)`` as ``$.order_ids[3]``; odd keys as ``$.metadata["a b"]``."""
    parts = ["$"]
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part.isidentifier():
            parts.append(f".{part}")
        else:
            parts.append(f"[{json.dumps(part)}]")
    return "".join(parts)


def _wire_value(rule: str, value: Any) -> tuple[JsonScalar, bool]:
    """The offending value as it was on the wire: a quantity the model had already read
    as a ``Decimal`` was a JSON string."""
    if rule in _NO_VALUE:
        return None, False
    if isinstance(value, Decimal):
        return str(value), True
    if isinstance(value, float) and not math.isfinite(value):
        return None, False  # JSON has no text for it (the rule says what was wrong)
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value, True
    return None, False


def problems_of(error: ValidationError, *, in_line: bool) -> tuple[Problem, ...]:
    """The problems a ``ValidationError`` reports, in its order.

    ``in_line``: the text was one line of a stream, where the parser's "line 1" would
    mislead, so a JSON syntax error gives its column only.
    """
    problems: list[Problem] = []
    for detail in error.errors(include_url=False):
        rule, message = detail["type"], detail["msg"]
        if in_line and rule == NOT_JSON:
            message = _LINE_ONE.sub(r"at column \1", message)
        value, has_value = _wire_value(rule, detail["input"])
        loc = tuple(detail["loc"])
        problems.append(Problem(json_path(loc), rule, message, loc, value, has_value))
    return tuple(problems)


def check_document(raw: bytes, *, in_line: bool = False) -> tuple[Problem, ...]:
    """Every rule the JSON text ``raw`` breaks (none when it is a valid ExecutionGroup);
    ``in_line``: ``raw`` is one line of a stream (see ``problems_of``)."""
    try:
        # The base class is generated; pyright on the source tree cannot see it.
        ExecutionGroup.model_validate_json(raw)  # pyright: ignore[reportUnknownMemberType]
    except ValidationError as exc:
        return problems_of(exc, in_line=in_line)
    return ()


def check_text(raw: bytes) -> tuple[Problem, ...]:
    """``check_document`` on one whole document, fast when it is valid: one call of the
    model's checks without the model (``quick_check``), as for a valid line."""
    try:
        quick_check(ExecutionGroup)(raw)
    except ValidationError:
        return check_document(raw)
    return ()


def check_lines(text: bytes) -> Checked:
    """The verdicts on ``text``, whole lines of a JSON Lines stream (blank lines skipped).

    The loop is the hot path of ``execution-group validate``: a valid line costs one
    call of the model's checks without the model (``quick_check``) and nothing else, not
    even the test for a blank line. A line it refuses is judged by ``model_validate_json``.
    Lines are taken one at a time, not split all at once: a line checked and dropped
    leaves its memory warm for the next (splitting 4 MiB up front cost about 6% more).
    """
    validate = quick_check(ExecutionGroup)
    blank: list[int] = []
    failures: list[Failure] = []
    index = -1
    for index, line in enumerate(io.BytesIO(text)):
        try:
            validate(line)
        except ValidationError:
            # A blank line fails to parse too: it is told apart here, off the valid path.
            if line.isspace():
                blank.append(index)
            elif problems := check_document(line, in_line=True):
                failures.append(Failure(index, _line_problems(line, problems)))
    return Checked(index + 1, len(text), tuple(blank), tuple(failures))


def _line_problems(line: bytes, problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """The problems of one line; a syntax error is placed by its column within the line
    (the parser, given the line end too, may name a "line 2" the file does not have)."""
    stripped = line.rstrip(_LINE_END)
    if problems[0].rule == NOT_JSON and stripped != line:
        return check_document(stripped, in_line=True)
    return problems
