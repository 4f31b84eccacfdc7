"""How deep JSON text nests, read without recursion.

``json.loads`` recurses once per level, on the caller's stack: on text nested past the
contract's bound it may fail with ``RecursionError`` (at 1,000 levels, or at 300 when its
caller is already 800 frames deep), which would turn ``ijson_depth`` into ``json_invalid``
depending on who calls. Reading the text token by token with an explicit stack gives the
same answer whatever the caller's stack, in time linear in the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

__all__ = ["Nesting", "nests_beyond", "read_nesting"]

_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
"""Brackets outside strings (and the strings, to skip them): a quick upper bound."""

_TOKEN = re.compile(
    r'[ \t\n\r]*(?:(?P<string>"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*")'
    r"|(?P<punct>[{}\[\]:,])"
    r"|(?P<scalar>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null))"
)
"""One token of RFC 8259 JSON text, after optional whitespace."""

_END = re.compile(r"[ \t\n\r]*\Z")


def nests_beyond(text: str, limit: int) -> bool:
    """Whether ``text`` may hold more than ``limit`` nested arrays and objects (fast, in C
    for the most part; ``read_nesting`` gives the exact answer)."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        elif bracket in "]}":
            depth -= 1
    return False


@dataclass(frozen=True)
class Nesting:
    """What reading JSON text found: whether it is JSON at all, and the place of the first
    value (in document order) that sits more than ``limit`` keys and indexes deep."""

    well_formed: bool
    too_deep: tuple[str | int, ...] | None


class _Frame:
    """An open array or object: the place of the member being read."""

    __slots__ = ("is_object", "slot")

    def __init__(self, is_object: bool) -> None:
        self.is_object = is_object
        self.slot: str | int = "" if is_object else 0


_MALFORMED = Nesting(well_formed=False, too_deep=None)


def read_nesting(text: str, limit: int) -> Nesting:
    """Check ``text`` against JSON's grammar with an explicit stack, noting the first
    value deeper than ``limit``. Expected next: a value, a member name, ``:`` or
    ``,``/a closing bracket; anything else means ``text`` is no JSON text."""
    stack: list[_Frame] = []
    path: tuple[str | int, ...] | None = None
    expect = "value"
    position = 0
    while True:
        match = _TOKEN.match(text, position)
        if match is None:
            done = expect == "end" and _END.match(text, position) is not None
            return Nesting(well_formed=True, too_deep=path) if done else _MALFORMED
        position = match.end()
        token = match.group(match.lastgroup or "punct")
        if expect in ("value", "first value"):
            if token == "]" and expect == "first value":
                stack.pop()
                expect = "end" if not stack else "next"
                continue
            if token in ("]", "}", ":", ","):
                return _MALFORMED
            if path is None and len(stack) > limit:
                path = tuple(frame.slot for frame in stack)
            if token in ("[", "{"):
                stack.append(_Frame(is_object=token == "{"))
                expect = "first name" if token == "{" else "first value"
                continue
            expect = "end" if not stack else "next"
        elif expect in ("name", "first name"):
            if token == "}" and expect == "first name":
                stack.pop()
                expect = "end" if not stack else "next"
            elif match.lastgroup == "string":
                stack[-1].slot = json.loads(token)
                expect = "colon"
            else:
                return _MALFORMED
        elif expect == "colon":
            if token != ":":
                return _MALFORMED
            expect = "value"
        elif expect == "next":
            expect = _after_member(stack, token)
            if not expect:
                return _MALFORMED
        else:  # "end": only whitespace may follow the document
            return _MALFORMED


def _after_member(stack: list[_Frame], token: str) -> str:
    """What is expected after a member of the innermost container; "" when ``token`` is
    not allowed there."""
    frame = stack[-1]
    if token == ",":
        if frame.is_object:
            return "name"
        frame.slot = int(frame.slot) + 1
        return "value"
    if token == ("}" if frame.is_object else "]"):
        stack.pop()
        return "end" if not stack else "next"
    return ""
