"""One side of a comparison: a schema document, how its draft reads keywords, and its $refs.

The prover walks schema nodes of two documents at once; each node carries the document it
came from (``Side``) so that a ``$ref`` resolves in its own document and a message can say
which value is the old one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote, urljoin

JSON_TYPES = ("null", "boolean", "object", "array", "string", "integer", "fraction")
"""Instance kinds; JSON Schema's ``number`` is ``integer`` plus ``fraction``."""
ALL_TYPES = frozenset(JSON_TYPES)

ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "examples",
        "$comment",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$id",
        "$schema",
        "$anchor",
        "$vocabulary",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
        "discriminator",
        "x-comment",
    }
)
"""Keywords that change no validation verdict."""

_LEGACY = re.compile(r"draft-0[3-7]")
_DRAFT4 = re.compile(r"draft-0[34]")


def cannot_say(error: BaseException) -> bool:
    """Whether an exception from a validating engine just means "no verdict": anything but
    an interrupt. (jsonschema's referencing layer turns deep recursion into a Rust panic,
    which is a BaseException.)"""
    return not isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit)


def show(value: Any) -> str:
    """A value as JSON text for a message (escaped, so U+2028 does not print as a blank)."""
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError, RecursionError):
        return repr(value)


def number(value: Any) -> Decimal | None:
    """A JSON number as an exact decimal (``0.1`` is the decimal 0.1), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError, OverflowError):
        return None
    return result if result.is_finite() else None


def strings(value: Any) -> list[str] | None:
    """A list of strings (``required``, a dependency list), else ``None``."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def type_set(value: Any) -> frozenset[str] | None:
    """The instance kinds a ``type`` keyword admits, ``None`` when malformed."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list):
        return None
    kinds: set[str] = set()
    for name in names:
        if name == "number":
            kinds |= {"integer", "fraction"}
        elif name in JSON_TYPES and name != "fraction":
            kinds.add(name)
        else:
            return None
    return frozenset(kinds)


def pattern_matches(pattern: str, name: str) -> bool | None:
    """Whether ``pattern`` finds a match in ``name``; ``None`` when it does not compile."""
    try:
        return re.search(pattern, name) is not None
    except (re.error, TypeError, RecursionError, OverflowError):
        return None


@dataclass(frozen=True)
class Problem:
    """Why a proof failed: where in the target schema, in words that name old and new."""

    path: str
    message: str


@dataclass(frozen=True, eq=False)
class Side:
    """A whole schema document: the old one or the new one."""

    root: Any
    is_old: bool
    reading: str = ""
    """The dialect to read a document without ``$schema`` as (``draft-07`` or ``2020-12``);
    empty: both at once (see ``undeclared``)."""

    @property
    def legacy(self) -> bool:
        """Draft 7 or older: ``$ref`` hides its siblings, ``items`` may be an array."""
        return bool(_LEGACY.search(self._dialect))

    @property
    def undeclared(self) -> bool:
        """No ``$schema``: validators read it as 2020-12 or as draft 7, so the prover takes,
        for each keyword whose meaning differs, the wider reading on the left and the
        narrower one in the target."""
        return not self._dialect

    @property
    def declared(self) -> bool:
        return bool(self._declared)

    def ref_hides_siblings(self, target: bool) -> bool:
        """Draft 7 ignores the siblings of ``$ref`` (the wider reading)."""
        return self.legacy or (self.undeclared and not target)

    def reads_dependencies(self, target: bool) -> bool:
        """Draft 7 applies ``dependencies``; 2020-12 ignores it (the wider reading)."""
        return self.legacy or (self.undeclared and target)

    @property
    def draft4(self) -> bool:
        """Draft 4: ``exclusiveMinimum``/``exclusiveMaximum`` are booleans on the bound."""
        return bool(_DRAFT4.search(self._dialect))

    @property
    def _declared(self) -> str:
        declared = self.root.get("$schema") if isinstance(self.root, dict) else None
        return declared if isinstance(declared, str) else ""

    @property
    def _dialect(self) -> str:
        return self._declared or self.reading

    def resolve(self, ref: Any) -> Node | None:
        """The node a ``$ref`` into this document points at (``#``, ``#/json/pointer``,
        ``#anchor``, or any of these after the document's own ``$id``), else ``None``."""
        if not isinstance(ref, str):
            return None
        ref = self._local(ref)
        if ref is None:
            return None
        if ref in ("#", ""):
            return Node(self, self.root, "")
        if not ref.startswith("#/"):
            return self._anchor(ref[1:])
        node = self.root
        for raw in ref[2:].split("/"):
            key = _unescape(raw)
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                return None
        return Node(self, node, ref[1:])

    def _local(self, ref: str) -> str | None:
        """``ref`` as a fragment of this document, or ``None`` when it names another one."""
        if ref.startswith("#"):
            return ref
        own = self.root.get("$id") if isinstance(self.root, dict) else None
        if not isinstance(own, str) or not own:
            return None
        base, _, fragment = urljoin(own, ref).partition("#")
        return "#" + fragment if base == own.partition("#")[0] else None

    def _anchor(self, name: str) -> Node | None:
        """The subschema declaring ``$anchor`` ``name`` (or draft 7's ``$id: "#name"``)."""
        stack: list[tuple[Any, str]] = [(self.root, "")]
        while stack:
            node, path = stack.pop()
            if isinstance(node, dict):
                if node.get("$anchor") == name or node.get("$id") == f"#{name}":
                    return Node(self, node, path)
                stack.extend((value, f"{path}/{escape(str(key))}") for key, value in node.items())
            elif isinstance(node, list):
                stack.extend((value, f"{path}/{index}") for index, value in enumerate(node))
        return None

    def external(self, ref: Any) -> bool:
        """A ``$ref`` to another document (the same on both sides when the string is)."""
        return isinstance(ref, str) and self._local(ref) is None


def _unescape(raw: str) -> str:
    return unquote(raw).replace("~1", "/").replace("~0", "~")


def escape(key: str) -> str:
    """A key as one JSON-pointer segment."""
    return key.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, eq=False)
class Node:
    """A schema (dict or boolean, or anything malformed) at a JSON pointer of its side."""

    side: Side
    schema: Any
    path: str
    whole: bool = True
    """False for a copy with a keyword dropped: what its ``unevaluated*`` sees is unknown."""

    def child(self, key: str | int, schema: Any) -> Node:
        return Node(self.side, schema, f"{self.path}/{escape(str(key))}")

    def at(self, *keys: str | int) -> Node | None:
        """The subschema under ``keys`` (``None`` where absent)."""
        node: Node = self
        for key in keys:
            value = node.schema
            in_dict = isinstance(value, dict) and isinstance(key, str) and key in value
            in_list = isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value)
            if in_dict or in_list:
                node = node.child(key, value[key])
            else:
                return None
        return node

    def get(self, key: str) -> Any:
        return self.schema.get(key) if isinstance(self.schema, dict) else None

    def has(self, key: str) -> bool:
        return isinstance(self.schema, dict) and key in self.schema

    def without(self, key: str) -> Node:
        """This node with one keyword dropped (a wider schema), at the same path."""
        assert isinstance(self.schema, dict)
        kept = {k: v for k, v in self.schema.items() if k != key}
        return Node(self.side, kept, self.path, whole=False)


IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref", "$dynamicRef",
            "$recursiveRef", "dependentSchemas", "dependencies", "contains")  # fmt: skip
"""Keywords whose subschemas may evaluate a node's items or properties."""


def unevaluated(node: Node, key: str) -> Node | None:
    """``unevaluatedItems``/``unevaluatedProperties`` read as the schema for what the
    node's own keywords leave over: exact when nothing else evaluates there."""
    if not node.whole or any(node.has(k) for k in IN_PLACE):
        return None
    return node.at(key)


def is_true(schema: Any) -> bool:
    return schema is True or schema == {}


def is_false(schema: Any) -> bool:
    """``false`` or ``{"not": {}}`` / ``{"not": true}``: accepts nothing."""
    if schema is False:
        return True
    return isinstance(schema, dict) and "not" in schema and is_true(schema["not"])


def subschemas(schema: Any) -> Iterator[Any]:
    """Every dict or list directly inside ``schema`` (for walks that look for ``$ref``)."""
    if isinstance(schema, dict):
        yield from schema.values()
    elif isinstance(schema, list):
        yield from schema
