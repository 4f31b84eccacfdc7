"""Compile the operands and conditions of a document rule into Python expressions."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tools._rules_document import Document, RulesError

_NEGATED = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt"}
_PYTHON_OP = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "=="}


class Expressions:
    """Turns operands and conditions into Python, noting the fields, constants and helpers
    the generated function needs."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.fields: list[str] = []
        self.constants: dict[str, str] = {}
        self.locals: dict[str, str] | None = None
        self.known: set[str] = set()
        self.helpers: set[str] = set()
        self.binding: dict[str, str] = {}

    # ---------------------------------------------------------------- operands

    def _segments(self, path: list[Any]) -> list[str]:
        if path[0] != "self":
            raise RulesError(f"a document rule reads only 'self', not {path[0]!r}")
        return [self._resolve(step) for step in path[1:]]

    def _resolve(self, item: Any) -> Any:
        if isinstance(item, dict) and "var" in item:
            return self.binding[item["var"]]
        return item

    def _field(self, name: str) -> str:
        if name not in self.document.kinds:
            raise RulesError(f"no member {name!r} in the schema")
        if name not in self.fields:
            self.fields.append(name)
        return name

    def _get(self, path: list[Any]) -> tuple[str, str, bool]:
        """(expression, kind, may be unset) of the value at ``path``."""
        steps = self._segments(path)
        expression = self._field(steps[0])
        kind = self.document.kinds[steps[0]]
        optional = steps[0] not in self.document.required
        for depth, step in enumerate(steps[1:], start=2):
            if expression in self.document.objects:
                # An object-or-null member of the document: a dict or None in the state.
                expression = f"(None if {expression} is None else {expression}.get({step!r}))"
            else:
                self.helpers.add("_member")
                expression = f"_member({expression}, {step!r})"
            kind, optional = "json", True
            if self.locals is not None:
                local = "_".join(steps[:depth])
                if not local.isidentifier():
                    raise RulesError(f"member names {steps} make no Python name")
                self.locals.setdefault(expression, local)
                expression = local
        return expression, kind, optional and expression not in self.known

    def operand(self, node: Any, kind: str = "json") -> tuple[str, str, bool]:
        """(expression, kind, may be unset) of an operand; literals take ``kind``."""
        node = self._resolve(node)
        if isinstance(node, dict):
            if "get" in node:
                return self._get(node["get"])
            if "count" in node:
                if self._segments(node["count"]) != ["order_ids"]:
                    raise RulesError("the state is counted through order_count only")
                return "order_count", "integer", False
            raise RulesError(f"unknown operand {node}")
        if kind == "decimal":
            name = "_DECIMAL_" + str(node).replace(".", "_")
            return self._constant(f"Decimal({json.dumps(node)})", name), kind, False
        return repr(node), kind, False

    # ---------------------------------------------------------------- conditions

    def condition(self, node: dict[str, Any], negate: bool = False) -> str:
        """A Python expression true when ``node`` holds (or, with ``negate``, fails)."""
        (operator,) = (key for key in node if key != "as")
        argument = node[operator]
        if operator in _PYTHON_OP:
            return self._compare(operator, argument, node["as"], negate)
        table: dict[str, Callable[[Any, bool], str]] = {
            "all": lambda children, negate: self._junction("all", children, negate),
            "any": lambda children, negate: self._junction("any", children, negate),
            "not": lambda child, negate: self.condition(child, not negate),
            "set": self._set,
            "number": self._number,
            "in": self._member_of,
        }
        emit = table.get(operator)
        if emit is None:
            raise RulesError(f"{operator!r} is not available in document rules")
        return emit(argument, negate)

    def _junction(self, operator: str, children: list[dict[str, Any]], negate: bool) -> str:
        parts = []
        for child in children:
            parts.append(self.condition(child, negate))
            if operator == "all" and ("number" in child or "set" in child):
                # Later siblings run only once this one has shown the operand set.
                shown = child.get("number", {"get": child.get("set")})
                self.known.add(self.operand(shown)[0])
        joiner = " and " if (operator == "all") != negate else " or "
        return "(" + joiner.join(parts) + ")" if parts else str(operator == "all")

    def _set(self, path: list[Any], negate: bool) -> str:
        expression, _, _ = self._get(path)
        return f"{expression} {'is' if negate else 'is not'} None"

    def _number(self, node: Any, negate: bool) -> str:
        value, _, _ = self.operand(node)
        # bool is an int in Python, and no number in JSON
        if negate:
            return f"(isinstance({value}, bool) or not isinstance({value}, (int, float)))"
        return f"(isinstance({value}, (int, float)) and not isinstance({value}, bool))"

    def _member_of(self, argument: list[Any], negate: bool) -> str:
        expression, kind, _ = self.operand(argument[0])
        values = [self._resolve(item) for item in argument[1]]
        if kind.startswith("enum:"):
            enum = kind.split(":", 1)[1]
            members = [f"{enum}.{value}" for value in values]
        else:
            members = [repr(value) for value in values]
        # A chain of == rather than a frozenset: hashing an Enum member runs Python code.
        names = [
            self._constant(member, "_" + str(value).upper())
            for member, value in zip(members, values, strict=True)
        ]
        if negate:
            return "(" + " and ".join(f"{expression} != {name}" for name in names) + ")"
        return "(" + " or ".join(f"{expression} == {name}" for name in names) + ")"

    def _constant(self, value: str, prefix: str) -> str:
        """A module-level name bound to ``value`` once (enum members and decimals are
        attribute lookups and constructions that the hot path should not repeat)."""
        if value not in self.constants:
            taken = set(self.constants.values())
            self.constants[value] = (
                prefix
                if prefix not in taken and prefix.isidentifier()
                else f"_CONSTANT_{len(self.constants)}"
            )
        return self.constants[value]

    def _compare(self, operator: str, pair: list[Any], as_type: str, negate: bool) -> str:
        """``pair[0] operator pair[1]`` compared as ``as_type``; unset operands make it
        false, except ``eq``, which holds when both are unset."""
        kind = as_type if as_type in ("decimal", "number", "integer") else "json"
        (left, left_kind, left_unset), (right, right_kind, right_unset) = (
            self.operand(pair[0], kind),
            self.operand(pair[1], kind),
        )
        if as_type == "declared":
            as_type = left_kind if left_kind in ("decimal", "instant") else "json"
        if as_type == "instant" and {left_kind, right_kind} != {"instant"}:
            raise RulesError("'instant' compares two timestamps")
        unset = [side for side, maybe in ((left, left_unset), (right, right_unset)) if maybe]
        if operator == "eq":
            return self._equal((left, right), unset, as_type, negate)
        if negate:
            test = self._ordered(_NEGATED[operator], left, right, as_type)
            return "(" + " or ".join([*(f"{side} is None" for side in unset), test]) + ")"
        test = self._ordered(operator, left, right, as_type)
        return "(" + " and ".join([*(f"{side} is not None" for side in unset), test]) + ")"

    def _equal(self, pair: tuple[str, str], unset: list[str], as_type: str, negate: bool) -> str:
        """``eq``: holds when both sides are equal, or both unset."""
        left, right = pair
        held = self._ordered("eq", left, right, as_type)
        if unset:
            both = " and ".join(f"{side} is None" for side in (left, right))
            present = " and ".join(f"{side} is not None" for side in unset)
            held = f"(({both}) or ({present} and {held}))"
        return f"not {held}" if negate else held

    def _ordered(self, operator: str, left: str, right: str, as_type: str) -> str:
        python = _PYTHON_OP[operator]
        if as_type != "instant":
            return f"{left} {python} {right}"
        self.helpers.add("_nanoseconds")
        if operator == "eq":
            return f"({left} == {right} and _nanoseconds({left}) == _nanoseconds({right}))"
        # One datetime comparison decides unless the two share a microsecond; then only
        # an Instant (text with digits past the microsecond) has nanoseconds to compare.
        strict, loose = python[0], python[0] + "="
        finer = f"({left}.__class__ is _Instant or {right}.__class__ is _Instant)"
        nanoseconds = f"_nanoseconds({left}) {python} _nanoseconds({right})"
        tie = (
            f"({finer} and {nanoseconds})" if python == strict else f"not {finer} or {nanoseconds}"
        )
        return f"({left} {loose} {right} and ({left} {strict} {right} or {tie}))"
