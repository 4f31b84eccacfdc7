"""``Walk``: one checked copy of a Python value, with only what JSON carries unchanged.

Metadata given in Python (and a document another library decoded) is copied, so the group
never shares a container with its caller. The copy reads each container's real storage (a
``dict`` subclass cannot lie through ``items``), keeps plain types only, and refuses what
JSON cannot carry: NaN, Infinity, an integer beyond a double, a lone surrogate, a type
that is not JSON's, nesting past its depth, a ``Decimal`` too long to write, and an object
reused so often that its JSON would outgrow the input (``_limits``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, cast

from ._generated.rule_catalogue import RuleCode
from ._limits import MAX_DECIMAL_TEXT, MAX_DEPTH, MAX_DOUBLE_INT, MAX_EXPANSION, TEXT_UNIT
from ._readonly import ReadOnlyDict, ReadOnlyList, held_items, held_values, put
from ._refused import Refused
from .errors import problem
from .quantities import plain_length

__all__ = ["Walk", "checked_text", "well_formed"]


_Step = tuple[Any, str | int]
"""Where a value sits: (the step of its container, its key or index); ``None`` is the top."""


def _path(step: _Step | None) -> tuple[str | int, ...]:
    path: list[str | int] = []
    while step is not None:
        step, key = step
        path.append(key)
    return tuple(reversed(path))


def _step_of(path: tuple[str | int, ...]) -> _Step | None:
    step: _Step | None = None
    for key in path:
        step = (step, key)
    return step


def _refused(step: _Step | None, rule: RuleCode, **context: Any) -> Refused:
    return Refused(_path(step), rule, **context)


def well_formed(text: str) -> bool:
    """Whether ``text`` is well-formed Unicode (no lone surrogate), read as a plain ``str``."""
    if str.isascii(text):
        return True
    try:
        str.encode(text, "utf-8")
    except UnicodeEncodeError:
        return False
    return True


def checked_text(step: _Step | None, value: str) -> str:
    """``value`` as a plain ``str`` (a subclass cannot change later reads), well-formed."""
    text = str.__str__(value)
    if not well_formed(text):
        raise _refused(step, "ijson_unicode")
    return text


def _number(step: _Step | None, value: Any, decimals: bool) -> Any:
    """An int, float or (when ``decimals``) Decimal, as its plain type, within I-JSON bounds."""
    if isinstance(value, int):
        number = int.__int__(value)
        if -MAX_DOUBLE_INT <= number <= MAX_DOUBLE_INT:
            return number
        raise _refused(step, "ijson_number_range")
    if isinstance(value, float):
        real = float.__float__(value)
        if math.isfinite(real):
            return real
        if math.isnan(real):
            raise _refused(
                step, "metadata_json", problem=problem("metadata_json", "non_finite", value="NaN")
            )
        raise _refused(step, "ijson_number_range")
    if decimals and isinstance(value, Decimal):
        exact = Decimal(value)
        if not exact.is_finite():
            raise _refused(
                step, "metadata_json", problem=problem("metadata_json", "non_finite", value=exact)
            )
        if plain_length(exact) > MAX_DECIMAL_TEXT:
            raise _refused(
                step,
                "metadata_size",
                problem=problem("metadata_size", "decimal_text", limit=MAX_DECIMAL_TEXT),
            )
        return exact
    raise _refused(
        step,
        "metadata_json",
        problem=problem("metadata_json", "cannot_be_written", what=f"a {type(value).__name__}"),
    )


def _scalar(step: _Step | None, value: Any, decimals: bool) -> Any:
    """A JSON scalar as its plain type; raise ``Refused`` for anything JSON cannot carry."""
    if value is None or value is True or value is False:
        return value
    if isinstance(value, str):
        return checked_text(step, value)
    return _number(step, value, decimals)


class _Expansion:
    """The JSON units a walk has reached (see ``MAX_EXPANSION``), and whether anything was
    reached twice: then the bound applies, and is checked at every step."""

    __slots__ = ("seen", "shared", "units")

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.shared = False
        self.units = 0

    def spend_container(self, step: _Step | None, node: Any) -> None:
        """Count a list or dict, by identity."""
        if id(node) in self.seen:
            self.shared = True
        self.seen.add(id(node))
        self._check(step, 1)

    def spend_scalar(self, step: _Step | None, node: Any, scalar: Any) -> None:
        """Count a scalar: a string or ``Decimal`` by its text (and identity, when long)."""
        if isinstance(scalar, str):
            self.spend_text(step, node, len(scalar))
        elif isinstance(scalar, Decimal):
            self.spend_text(step, node, plain_length(scalar))
        else:
            self._check(step, 1)

    def spend_text(self, step: _Step | None, node: Any, length: int) -> None:
        """Count a string or ``Decimal`` (a value or a member name) of ``length`` characters."""
        if length >= TEXT_UNIT:
            if id(node) in self.seen:
                self.shared = True
            self.seen.add(id(node))
        self._check(step, 1 + length // TEXT_UNIT)

    def _check(self, step: _Step | None, units: int) -> None:
        self.units += units
        if self.shared and self.units > MAX_EXPANSION:
            raise _refused(
                step,
                "metadata_size",
                problem=problem("metadata_size", "reused", limit=MAX_EXPANSION, unit=TEXT_UNIT),
            )


class Walk:
    """One checked, normalized copy of a JSON value: plain types, read from the real storage.

    ``dict.items`` and ``list.__iter__`` read what a container holds, whatever a subclass
    overrides; the copy is made of what was read, and that copy is what gets checked and
    kept, so no later read of the caller's object can differ. Iterative, O(size): nesting
    past ``depth`` is refused (``ijson_depth``), and so is reuse of an object past
    ``MAX_EXPANSION`` units of JSON (``_Expansion``).
    """

    __slots__ = ("arrays", "decimals", "depth", "make_dict", "make_list")

    def __init__(
        self,
        *,
        depth: int,
        decimals: bool,
        arrays: tuple[type[Any], ...],
        read_only: bool,
    ) -> None:
        self.depth = depth
        self.decimals = decimals
        self.arrays = arrays
        self.make_dict: type[dict[str, Any]] = ReadOnlyDict if read_only else dict
        self.make_list: type[list[Any]] = ReadOnlyList if read_only else list

    def copy(self, value: Any, top: tuple[str | int, ...] = ()) -> Any:
        """The checked copy of ``value``; raises ``Refused`` naming the first bad place."""
        holder: list[Any] = []
        stack: list[tuple[_Step | None, Any, Any, str | int, int]] = [
            (_step_of(top), value, holder, 0, 0)
        ]
        budget = _Expansion()
        while stack:
            step, node, into, slot, depth = stack.pop()
            if depth > self.depth:
                raise _refused(step, "ijson_depth", limit=MAX_DEPTH)
            opened = self._open(node)
            if opened is None:
                scalar = _scalar(step, node, self.decimals)
                budget.spend_scalar(step, node, scalar)
                put(into, slot, scalar)
                continue
            budget.spend_container(step, node)
            stack.extend(self._fill(step, opened[1], opened[0], depth, budget))
            put(into, slot, opened[1])
        return holder[0]

    def _open(self, node: Any) -> tuple[Iterable[tuple[Any, Any]], Any] | None:
        """A container's real contents and the empty copy to fill; None for a scalar."""
        if isinstance(node, dict):
            return held_items(cast(Any, node)), self.make_dict()
        if isinstance(node, list):
            return enumerate(held_values(cast(Any, node))), self.make_list()
        if isinstance(node, self.arrays):
            return enumerate(cast(Iterable[Any], node)), self.make_list()
        return None

    def _fill(
        self,
        step: _Step | None,
        made: Any,
        kids: Iterable[tuple[Any, Any]],
        depth: int,
        budget: _Expansion,
    ) -> Iterator[tuple[_Step | None, Any, Any, str | int, int]]:
        """Make a slot in ``made`` for each member, and yield it to be walked (the slots
        keep the order)."""
        is_dict = isinstance(made, dict)
        for key, item in kids:
            if is_dict:
                if not isinstance(key, str):
                    raise _refused(
                        step,
                        "metadata_json",
                        problem=problem("metadata_json", "key_not_text", key=repr(key)),
                    )
                name = checked_text(step, key)
                budget.spend_text(step, key, len(name))
                slot: str | int = name
            else:
                slot = key
            put(made, slot, None)
            yield ((step, slot), item, made, slot, depth + 1)
