"""The checks of ``schema/execution_group.rules.json``, evaluated on JSON values.

The reference reading of the rules file's vocabulary (README, "The rules file"), as the
JavaScript package reads it too: operands are JSON values as decoded from text (dict,
list, str, int, float, bool, None), quantities and timestamps still strings. The successor
check runs here; the document rules run compiled (``generated/rules.py``) on decoding's
hot path, and the tests hold the two to the same verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic_core import InitErrorDetails

from .contract import lifecycle, rules, schema
from .errors import RuleCode, violation

__all__ = ["broken", "instant_key", "reachable"]

_Roots = Mapping[str, Any]
_Binding = Mapping[str, Any]


def instant_key(text: str) -> tuple[str, str]:
    """A timestamp of the schema's form as an orderable UTC instant, every digit kept.

    ``YYYY-MM-DDTHH:MM:SS`` is fixed-width with a four-digit year, so as text it orders as
    the instant does; the fraction, padded to nine digits, orders the rest. ``Z`` and
    ``+00:00`` are the same zone.
    """
    fraction = text[20:].rstrip("Z+:0") if text[19:20] == "." else ""
    return text[:19], fraction.ljust(9, "0")


@cache
def _closure() -> dict[str, frozenset[str]]:
    """Every status reachable from each status through one or more moves."""
    table: dict[str, list[str]] = lifecycle()["transitions"]
    reach: dict[str, frozenset[str]] = {}
    for start in table:
        seen: set[str] = set()
        stack = list(table[start])
        while stack:
            status = stack.pop()
            if status not in seen:
                seen.add(status)
                stack.extend(table.get(status, []))
        reach[start] = frozenset(seen)
    return reach


def reachable(source: Any, target: Any) -> bool:
    """``target`` equals ``source`` or follows it through the transition table."""
    if not isinstance(source, str) or not isinstance(target, str):
        return False
    return source == target or target in _closure().get(source, frozenset())


@cache
def _declared() -> dict[str, str]:
    """Each top-level member's comparison type under ``"as": "declared"``."""
    types: dict[str, str] = rules()["declared"]
    found: dict[str, str] = {}
    for name, spec in schema()["properties"].items():
        refs = [spec.get("$ref", "")] + [branch.get("$ref", "") for branch in spec.get("anyOf", [])]
        ref = next((ref for ref in refs if ref), "")
        found[name] = types.get(ref.rsplit("/", 1)[-1], "json")
    return found


def _json_equal(left: Any, right: Any) -> bool:
    """Equality of JSON values: a boolean is no number, arrays item by item."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_json_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_json_equal(left[k], right[k]) for k in left)
    return type(left) is type(right) and left == right or (
        _is_number(left) and _is_number(right) and left == right
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimal(value: Any) -> Decimal | None:
    return Decimal(value) if isinstance(value, str) else None


def _instant(value: Any) -> tuple[str, str] | None:
    return instant_key(value) if isinstance(value, str) else None


def _number(value: Any) -> Any:
    return value if _is_number(value) else None


def _integer(value: Any) -> Any:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> Any:
    return value if isinstance(value, str) else None


_ORDERS: dict[str, Callable[[Any], Any]] = {
    "decimal": _decimal,
    "instant": _instant,
    "number": _number,
    "integer": _integer,
    "text": _text,
}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": lambda a, b: bool(a < b),
    "le": lambda a, b: bool(a <= b),
    "gt": lambda a, b: bool(a > b),
    "ge": lambda a, b: bool(a >= b),
    "eq": lambda a, b: bool(a == b),
}


class _Evaluation:
    """One check's evaluation: the documents (``roots``) and the names ``each`` bound."""

    def __init__(self, roots: _Roots, binding: _Binding) -> None:
        self.roots = roots
        self.binding = binding

    def step(self, item: Any) -> Any:
        """A path step or operand with ``{"var": name}`` replaced by its binding."""
        if isinstance(item, dict) and "var" in item:
            return self.binding[item["var"]]
        return item

    def get(self, path: list[Any]) -> Any:
        """The value at ``path``; None when unset (absent, null, or through a non-object)."""
        value: Any = self.roots.get(path[0])
        for item in path[1:]:
            if not isinstance(value, dict):
                return None
            value = value.get(self.step(item))
        return value

    def operand(self, node: Any) -> Any:
        """The value of an operand."""
        node = self.step(node)
        if isinstance(node, dict):
            if "get" in node:
                return self.get(node["get"])
            found = self.get(node["count"])
            return len(found) if isinstance(found, list) else None
        return node

    def holds(self, node: Mapping[str, Any]) -> bool:
        """Whether the condition ``node`` holds."""
        operator = next(key for key in node if key != "as")
        argument = node[operator]
        if operator == "all":
            return all(self.holds(child) for child in argument)
        if operator == "any":
            return any(self.holds(child) for child in argument)
        if operator == "not":
            return not self.holds(argument)
        if operator == "set":
            return self.get(argument) is not None
        if operator == "number":
            return _is_number(self.operand(argument))
        if operator == "in":
            value = self.operand(argument[0])
            return any(_json_equal(value, self.operand(item)) for item in argument[1])
        left, right = (self.operand(item) for item in argument)
        if operator == "starts_with":
            return (
                isinstance(left, list)
                and isinstance(right, list)
                and _json_equal(left[: len(right)], right)
            )
        if operator == "reachable":
            return reachable(left, right)
        return self._compare(operator, argument, node["as"], (left, right))

    def _compare(self, operator: str, pair: list[Any], as_type: str, values: tuple[Any, Any]) -> bool:
        if as_type == "declared":
            as_type = self._declared_type(pair)
        if operator == "eq" and values[0] is None and values[1] is None:
            return True
        if as_type == "json":
            return operator == "eq" and values[0] is not None and _json_equal(*values)
        order = _ORDERS[as_type]
        left, right = order(values[0]), order(values[1])
        if left is None or right is None:
            return False
        return _COMPARE[operator](left, right)

    def _declared_type(self, pair: list[Any]) -> str:
        for item in pair:
            item = self.step(item)
            if isinstance(item, dict) and "get" in item and len(item["get"]) == 2:
                return _declared().get(self.step(item["get"][1]), "json")
        return "json"


def _bindings(check: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    each = check.get("each")
    if each is None:
        yield {}
        return
    names = each["bind"]
    items = lifecycle()[each["lifecycle"]] if "lifecycle" in each else each["list"]
    if isinstance(items, dict):
        for pair in items.items():
            yield dict(zip(names, pair, strict=True))
    else:
        for item in items:
            yield {names[0]: item}


def broken(section: str, roots: _Roots) -> list[InitErrorDetails]:
    """Every check of the rules file's ``section`` that ``roots`` break, as violations.

    ``roots`` maps each root name (``self``; ``before`` and ``after``) to a JSON value.
    """
    found: list[InitErrorDetails] = []
    for check in rules()[section]:
        for binding in _bindings(check):
            evaluation = _Evaluation(roots, binding)
            if "when" in check and not evaluation.holds(check["when"]):
                continue
            if evaluation.holds(check["require"]):
                continue
            found.append(_violation(check, evaluation))
    return found


def _violation(check: Mapping[str, Any], evaluation: _Evaluation) -> InitErrorDetails:
    path = [evaluation.step(item) for item in check["at"]]
    loc = tuple(path[1:] if path[0] == "self" else path)
    value = evaluation.operand(check.get("input", {"get": check["at"]}))
    context = {name: evaluation.operand(node) for name, node in check.get("context", {}).items()}
    rule: RuleCode = check["rule"]
    return violation(rule, loc, value, context or None)
