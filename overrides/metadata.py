"""Strategy metadata: any JSON object, only what JSON carries unchanged, read-only in a group.

Pydantic would quietly write NaN as ``null``, a set as a list and a tuple as a list, so a
group would not read back as it was written. Such values are refused where they enter.
``Decimal`` is allowed (the design's examples use it) and written as a plain-notation
string; that is the one change a JSON round trip makes to metadata.

From JSON text the check runs in pydantic-core: its parser refuses lone surrogates and
nesting past its limit, and yields only dicts with string keys, lists, strings, numbers,
booleans and null; a recursive union of strict JSON types with a finite float and an
integer within double range refuses the rest. From Python, ``Walk`` copies the value
(the group never shares a container with its caller), reads each container's real
storage (a ``dict`` subclass cannot lie through ``items``), keeps plain types only, and
refuses everything JSON cannot carry, plus the bounds below.

Inside a group, metadata is a deep read-only view (``_readonly``): it is changed by
assigning a new mapping, which goes through every check, never by writing into it.
"""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, cast

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, PlainValidator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema
from typing_extensions import TypeAliasType

from ._generated.rule_catalogue import MESSAGES, RuleCode
from ._readonly import ReadOnlyDict, ReadOnlyList, freeze, held_items, held_values, put
from .contract import rules
from .errors import problem, rule_error
from .quantities import plain, plain_length

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = [
    "MAX_DECIMAL_TEXT",
    "MAX_DEPTH",
    "MAX_DOUBLE_INT",
    "MAX_EXPANSION",
    "TEXT_UNIT",
    "Metadata",
    "MetadataField",
    "Reason",
    "Refused",
    "Walk",
    "check_json_object",
    "check_reason",
    "well_formed",
]

MAX_DEPTH: int = rules()["limits"]["metadata_depth"]
"""Most keys and indexes on the way from ``metadata`` down to any value in it.

It is what pydantic's JSON parser admits there (its limit of 200 counts the document
too), so a group built in Python can always be written and read back. Deeper is refused
from JSON and from Python alike (``ijson_depth``).
"""

MAX_EXPANSION: int = rules()["limits"]["metadata_expansion"]
"""Most units of JSON that metadata reusing an object may write: one per value, plus one
per ``TEXT_UNIT`` characters of each string (member names included) and ``Decimal``.

Only Python input can reuse an object (a decoded JSON document is a tree, bounded by its
own size); JSON writes each use in full, so ``a = [a, a]`` 25 times is 2**25 values, and
one 1 MB string listed 100,000 times is 100 GB. A reused list or dict, or a reused string
or ``Decimal`` of ``TEXT_UNIT`` characters or more, makes the bound apply: such metadata
writes at most about ``MAX_EXPANSION * (TEXT_UNIT + 8)`` characters of JSON. Each use is
counted as the walk reaches it, and the walk stops at the bound.
"""

TEXT_UNIT: int = rules()["limits"]["metadata_text_unit"]
"""Characters of text that count as one more unit of ``MAX_EXPANSION``; shorter strings
reused (every decoder shares member names) cost at most a value's unit each."""

MAX_DECIMAL_TEXT: int = rules()["limits"]["metadata_decimal_text"]
"""Most characters of a ``Decimal`` in metadata, written in plain notation.

``Decimal("1e100000000")`` is 20 bytes in Python and 100 MB of JSON; the length is
computed from its digits and exponent, before anything is written.
"""

MAX_DOUBLE_INT = int(sys.float_info.max)
"""The largest integer magnitude within the range of an IEEE double (I-JSON)."""

_PLAIN = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({dict, list, ReadOnlyDict, ReadOnlyList})


class Refused(Exception):
    """A value metadata (or a decoded document) cannot hold: where, and which rule.

    ``metadata_json`` and ``metadata_size`` say where in their message (``{where}``), for
    the metadata validator reports every error at ``metadata`` itself.
    """

    path: tuple[str | int, ...]
    rule: RuleCode
    context: dict[str, Any]

    def __init__(self, path: tuple[str | int, ...], rule: RuleCode, **context: Any):
        super().__init__(rule)
        self.path = path
        self.rule = rule
        self.context = context

    def as_metadata_error(self) -> PydanticCustomError:
        """The error of the metadata validator (the place inside metadata is in the message)."""
        return rule_error(self.rule, **self.context_at(("metadata",)))

    def context_at(self, top: tuple[str | int, ...]) -> dict[str, Any]:
        """The error's context, ``where`` filled in for the rules whose message shows it."""
        if "{where}" not in MESSAGES[self.rule]:
            return self.context
        head, *rest = (*top, *self.path) or ("document",)
        where = str(head) + "".join(f"[{key!r}]" for key in rest)
        return {"where": where, **self.context}


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


def _text(step: _Step | None, value: str) -> str:
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
        return _text(step, value)
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
                name = _text(step, key)
                budget.spend_text(step, key, len(name))
                slot: str | int = name
            else:
                slot = key
            put(made, slot, None)
            yield ((step, slot), item, made, slot, depth + 1)


class _JsonValueMarker:
    """One JSON value from JSON text: a left-to-right union of strict JSON types, in Rust."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.union_schema(
            [
                core_schema.str_schema(strict=True),
                core_schema.int_schema(strict=True, ge=-MAX_DOUBLE_INT, le=MAX_DOUBLE_INT),
                core_schema.float_schema(strict=True, allow_inf_nan=False),
                core_schema.bool_schema(strict=True),
                core_schema.none_schema(),
                handler.generate_schema(dict[str, _JsonValue]),
                handler.generate_schema(list[_JsonValue]),
            ],
            mode="left_to_right",
            custom_error_type="metadata_json",
            custom_error_message=MESSAGES["metadata_json"],
            custom_error_context={
                "where": "metadata",
                "problem": problem("metadata_json", "not_a_json_number"),
            },
        )


_JsonValue = TypeAliasType("_JsonValue", Annotated[Any, _JsonValueMarker])
"""Recursive through the alias, so that pydantic keeps the definition for the references."""

_PYTHON = Walk(depth=MAX_DEPTH, decimals=True, arrays=(list,), read_only=True)


def check_json_object(value: Any) -> dict[str, Any]:
    """A read-only copy of ``value`` when it is a dict JSON can carry; raise otherwise."""
    if not isinstance(value, dict):
        raise rule_error("metadata_type", kind=type(value).__name__)
    try:
        checked: dict[str, Any] = _PYTHON.copy(value)
    except Refused as refused:
        raise refused.as_metadata_error() from None
    return checked


def _only_plain_json(value: dict[str, Any]) -> bool:
    """True when ``value`` holds only str, int, float, bool, None, plain dicts and lists.

    Such metadata (all of it, when read from JSON) is written by pydantic-core as it is.
    """
    stack: list[Iterable[Any]] = [value.values()]
    while stack:
        for item in stack.pop():
            kind: type[Any] = type(item)  # pyright: ignore[reportUnknownVariableType]
            if kind in _PLAIN:
                continue
            if kind is dict or kind is ReadOnlyDict:
                stack.append(item.values())  # pyright: ignore[reportUnknownMemberType,reportUnknownArgumentType]
            elif kind is list or kind is ReadOnlyList:
                stack.append(item)
            else:
                return False
    return True


def _to_json(value: dict[str, Any]) -> dict[str, Any]:
    """A copy with every ``Decimal`` in plain notation; ``value`` itself if it holds none."""
    if _PLAIN.issuperset(map(type, value.values())) or _only_plain_json(value):
        return value  # the first test, all in C, settles flat metadata

    def convert(node: Any) -> Any:
        if isinstance(node, Decimal):
            return plain(node)
        if isinstance(node, dict):
            return {key: convert(item) for key, item in held_items(cast(Any, node))}
        if isinstance(node, list):
            return [convert(item) for item in held_values(cast(Any, node))]
        return node

    return {key: convert(item) for key, item in value.items()}


class _MetadataMarker:
    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # From JSON text: checked in Rust (errors sit at the offending top-level key).
        return core_schema.json_or_python_schema(
            json_schema=handler.generate_schema(dict[str, _JsonValue]),
            python_schema=core_schema.no_info_plain_validator_function(check_json_object),
            serialization=core_schema.plain_serializer_function_ser_schema(
                _to_json, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, _core: CoreSchema, _handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "object"}


Metadata = Annotated[dict[str, Any], _MetadataMarker]
"""Free-form JSON object; values must survive a JSON round trip."""


def check_reason(value: Any) -> str:
    """A reason kept in metadata: non-empty text, plain ``str``, well-formed Unicode."""
    if not isinstance(value, str) or not value:
        raise rule_error("reason_type")
    try:
        return _text(None, value)
    except Refused as refused:
        raise refused.as_metadata_error() from None


Reason = Annotated[str, PlainValidator(check_reason)]
"""A ``reason`` given with a move (kept in ``metadata`` under ``cancel_reason``, ...)."""


_BINDING = threading.Lock()
_MISSING: Any = object()


class MetadataField:
    """``group.metadata``: the stored value as a deep read-only view, made on first read.

    Validation from JSON text leaves plain dicts (making views there would slow every
    decode); the first read swaps in the view, once. Set on the model class after
    pydantic has built it, this data descriptor comes before the instance ``__dict__``.
    Writing (the model's checked commit does it with ``object.__setattr__``) stores the
    checked value as it is.
    """

    def __get__(self, group: ExecutionGroup | None, owner: type | None = None) -> Any:
        if group is None:
            raise AttributeError(f"type object {owner!r} has no attribute 'metadata'")
        fields = vars(group)
        while True:
            value = fields.get("metadata", _MISSING)
            if value is None or isinstance(value, ReadOnlyDict):
                return value
            if value is _MISSING:  # model_construct() without metadata
                raise AttributeError(f"{type(group).__name__!r} object has no attribute 'metadata'")
            view = freeze(value)
            with _BINDING:  # two readers of a new group get the same view
                if fields.get("metadata") is value:
                    fields["metadata"] = view
                    return view

    def __set__(self, group: ExecutionGroup, value: Any) -> None:
        vars(group)["metadata"] = value
