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


class _Reader:  # pylint: disable=too-few-public-methods
    """The grammar as a few states: what may come next, and the open containers."""

    __slots__ = ("expect", "limit", "path", "stack")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.stack: list[_Frame] = []
        self.path: tuple[str | int, ...] | None = None
        self.expect = "value"

    def take(self, token: str, is_string: bool) -> bool:
        """Read one token; False when it may not come here (``text`` is no JSON)."""
        if self.expect in ("value", "first value"):
            return self._value(token)
        if self.expect in ("name", "first name"):
            return self._name(token, is_string)
        if self.expect == "colon":
            self.expect = "value"
            return token == ":"
        if self.expect == "next":
            return self._after_member(token)
        return False  # "end": only whitespace may follow the document

    def _value(self, token: str) -> bool:
        if token == "]" and self.expect == "first value":
            return self._close()
        if token in ("]", "}", ":", ","):
            return False
        if self.path is None and len(self.stack) > self.limit:
            self.path = tuple(frame.slot for frame in self.stack)
        if token in ("[", "{"):
            self.stack.append(_Frame(is_object=token == "{"))
            self.expect = "first name" if token == "{" else "first value"
        else:
            self.expect = "next" if self.stack else "end"
        return True

    def _name(self, token: str, is_string: bool) -> bool:
        if token == "}" and self.expect == "first name":
            return self._close()
        if not is_string:
            return False
        self.stack[-1].slot = json.loads(token)
        self.expect = "colon"
        return True

    def _after_member(self, token: str) -> bool:
        frame = self.stack[-1]
        if token == ",":
            if frame.is_object:
                self.expect = "name"
            else:
                frame.slot = int(frame.slot) + 1
                self.expect = "value"
            return True
        return token == ("}" if frame.is_object else "]") and self._close()

    def _close(self) -> bool:
        self.stack.pop()
        self.expect = "next" if self.stack else "end"
        return True


def read_nesting(text: str, limit: int) -> Nesting:
    """Check ``text`` against JSON's grammar with an explicit stack, noting the first
    value deeper than ``limit``."""
    reader = _Reader(limit)
    position = 0
    while True:
        match = _TOKEN.match(text, position)
        if match is None:
            done = reader.expect == "end" and _END.match(text, position) is not None
            return Nesting(well_formed=True, too_deep=reader.path) if done else _MALFORMED
        position = match.end()
        if not reader.take(match.group(match.lastgroup or "punct"), match.lastgroup == "string"):
            return _MALFORMED
