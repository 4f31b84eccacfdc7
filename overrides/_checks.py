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
from typing import Any, cast

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
    for start, targets in table.items():
        seen: set[str] = set()
        stack = list(targets)
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


_Json = dict[str, Any] | list[Any] | str | int | float | bool | None
"""A decoded JSON value; declared so that ``isinstance`` narrows to typed containers."""


def _object(value: _Json) -> dict[str, Any] | None:
    """``value`` when it is a JSON object."""
    return value if isinstance(value, dict) else None


def _array(value: _Json) -> list[Any] | None:
    """``value`` when it is a JSON array."""
    return value if isinstance(value, list) else None


def _json_equal(left: Any, right: Any) -> bool:
    """Equality of JSON values: a boolean is no number, arrays item by item."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    left_items, right_items = _array(left), _array(right)
    if left_items is not None and right_items is not None:
        return len(left_items) == len(right_items) and all(
            map(_json_equal, left_items, right_items)
        )
    left_members, right_members = _object(left), _object(right)
    if left_members is not None and right_members is not None:
        return left_members.keys() == right_members.keys() and all(
            _json_equal(value, right_members[key]) for key, value in left_members.items()
        )
    return (type(left) is type(right) and left == right) or (
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
        node = _object(item)
        if node is not None and "var" in node:
            return self.binding[node["var"]]
        return item

    def get(self, path: list[Any]) -> Any:
        """The value at ``path``; None when unset (absent, null, or through a non-object)."""
        value: Any = self.roots.get(path[0])
        for item in path[1:]:
            members = _object(value)
            if members is None:
                return None
            value = members.get(self.step(item))
        return value

    def operand(self, node: Any) -> Any:
        """The value of an operand."""
        operator = _object(self.step(node))
        if operator is None:
            return self.step(node)
        if "get" in operator:
            return self.get(operator["get"])
        items = _array(self.get(operator["count"]))
        return None if items is None else len(items)

    def holds(self, node: Mapping[str, Any]) -> bool:
        """Whether the condition ``node`` holds."""
        operator = next(key for key in node if key != "as")
        argument = node[operator]
        if operator in _COMPARE:
            return self._compare(operator, argument, node["as"])
        return bool(_CONDITIONS[operator](self, argument))

    def _compare(self, operator: str, pair: list[Any], as_type: str) -> bool:
        """``pair[0] operator pair[1]`` as ``as_type``: false when an operand is unset,
        except ``eq``, which holds when both are."""
        values = (self.operand(pair[0]), self.operand(pair[1]))
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

    def starts_with(self, pair: list[Any]) -> bool:
        """The array ``pair[0]`` begins with the items of ``pair[1]``, in order."""
        whole, start = _array(self.operand(pair[0])), _array(self.operand(pair[1]))
        return whole is not None and start is not None and _json_equal(whole[: len(start)], start)

    def member(self, argument: list[Any]) -> bool:
        """The operand equals one of the list."""
        value = self.operand(argument[0])
        return any(_json_equal(value, self.operand(item)) for item in argument[1])

    def _declared_type(self, pair: list[Any]) -> str:
        """The comparison type of the top-level member an operand of ``pair`` reads."""
        for node in pair:
            item = _object(self.step(node))
            if item is not None and "get" in item and len(item["get"]) == 2:
                return _declared().get(self.step(item["get"][1]), "json")
        return "json"


_CONDITIONS: dict[str, Callable[[_Evaluation, Any], bool]] = {
    "all": lambda scope, children: all(scope.holds(child) for child in children),
    "any": lambda scope, children: any(scope.holds(child) for child in children),
    "not": lambda scope, child: not scope.holds(child),
    "set": lambda scope, path: scope.get(path) is not None,
    "number": lambda scope, node: _is_number(scope.operand(node)),
    "in": _Evaluation.member,
    "starts_with": _Evaluation.starts_with,
    "reachable": lambda scope, pair: reachable(scope.operand(pair[0]), scope.operand(pair[1])),
}


def _bindings(check: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    each = check.get("each")
    if each is None:
        yield {}
        return
    names = each["bind"]
    items: Any = lifecycle()[each["lifecycle"]] if "lifecycle" in each else each["list"]
    members = _object(items)
    if members is not None:
        for key, value in members.items():
            yield dict(zip(names, (key, value), strict=True))
    else:
        for item in cast(list[Any], items):
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
