"""The prover: does every document one schema accepts pass another? Fail-closed.

``Prover.implies(conjuncts, target)`` returns the reasons it could not show that every
document valid under all of ``conjuncts`` is valid under ``target``; an empty list is a
proof. The left side may be over-approximated (a keyword dropped, a ``oneOf`` read as
``anyOf``) and the right side under-approximated, never the reverse: that is what makes
"compatible" trustworthy. BACKWARD asks ``implies([old], new)``, FORWARD the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from jsonschema.validators import Draft7Validator, Draft202012Validator, validator_for

from tools.compat._schema import (
    ALL_TYPES,
    Node,
    Problem,
    Side,
    cannot_say,
    is_false,
    is_true,
    show,
    type_set,
)

Check = Callable[["Prover", list[Node], Node], list[Problem]]

BUDGET = 20_000
"""Proof steps before the prover gives up on a pair (and calls it breaking)."""


class TooComplex(Exception):
    """The proof needs more steps than the budget: the pair counts as breaking."""


_KIND_SCHEMAS = {
    "null": {"type": "null"},
    "boolean": {"type": "boolean"},
    "object": {"type": "object"},
    "array": {"type": "array"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "fraction": {"type": "number", "not": {"type": "integer"}},
}
_SPLIT_MEMBER = re.compile(r"/(anyOf|oneOf)/([0-9]+)$")


class Prover:
    """Proofs between nodes of two sides, with a step budget and ``$ref`` cycle guards."""

    def __init__(self, checks: Sequence[Check], budget: int = BUDGET) -> None:
        self._checks = checks
        self._budget = budget
        self._steps = 0
        self._depth = 0
        self._active: dict[tuple[Any, ...], int] = {}
        self._same: dict[tuple[int, int], tuple[Any, Any, bool]] = {}
        self._validators: dict[int, list[Any]] = {}

    # --- wording -----------------------------------------------------------------------

    @staticmethod
    def say(target: Node, narrowing: str, widening: str) -> str:
        """``narrowing`` when ``target`` is the new schema (the old one is on the left),
        ``widening`` when it is the old one: either way the words read from old to new."""
        return widening if target.side.is_old else narrowing

    @staticmethod
    def old_new(target: Node, left_value: Any, target_value: Any) -> tuple[Any, Any]:
        """The (old, new) pair of two values, one from each side."""
        if target.side.is_old:
            return target_value, left_value
        return left_value, target_value

    # --- bookkeeping -------------------------------------------------------------------

    def tick(self) -> None:
        self._steps += 1
        if self._steps > self._budget:
            raise TooComplex

    @contextmanager
    def deeper(self) -> Iterator[None]:
        """Inside a property or item: a ``$ref`` cycle from here on consumes the document."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1

    # --- the left side -----------------------------------------------------------------

    def flatten(self, nodes: Sequence[Node]) -> list[Node] | None:
        """The conjuncts with ``allOf`` members and ``$ref`` targets pulled in; ``None``
        when one of them accepts nothing. Malformed schemas are dropped (read as ``true``)."""
        out: list[Node] = []
        seen: set[tuple[int, str]] = set()
        todo = list(nodes)
        while todo:
            node = todo.pop(0)
            schema = node.schema
            if is_false(schema):
                return None
            if not isinstance(schema, dict) or not schema:
                continue
            key = (id(node.side), node.path)  # a split copy stands in for its original
            if key in seen:
                continue
            seen.add(key)
            if node.side.ref_hides_siblings(target=False) and "$ref" in schema:
                target = node.side.resolve(schema["$ref"])
                todo.append(target or Node(node.side, {"$ref": schema["$ref"]}, node.path))
                if target is None:
                    out.append(Node(node.side, {"$ref": schema["$ref"]}, node.path))
                continue
            out.append(node)
            members = schema.get("allOf")
            if isinstance(members, list):
                todo.extend(
                    Node(node.side, m, f"{node.path}/allOf/{i}") for i, m in enumerate(members)
                )
            if "$ref" in schema:
                target = node.side.resolve(schema["$ref"])
                if target is not None:
                    todo.append(target)
        return out

    def empty(self, nodes: Sequence[Node]) -> bool:
        return self.flatten(nodes) is None

    @staticmethod
    def types(flat: Sequence[Node]) -> frozenset[str]:
        """The instance kinds the conjuncts may accept (their ``type`` keywords, intersected)."""
        result = ALL_TYPES
        for node in flat:
            declared = type_set(node.get("type")) if node.has("type") else None
            if declared is not None:
                result &= declared
            negated = node.get("not")
            if isinstance(negated, dict) and set(negated) == {"type"}:
                result -= type_set(negated["type"]) or frozenset()
        return result

    def values(self, flat: Sequence[Node]) -> list[Any] | None:
        """All documents the conjuncts accept, when an ``enum`` or ``const`` (or a type of
        finitely many values) makes them finite; ``None`` otherwise."""
        candidates: list[Any] | None = None
        for node in flat:
            if node.has("const"):
                candidates = [node.get("const")]
                break
            if isinstance(node.get("enum"), list):
                candidates = list(node.get("enum"))
                break
        if candidates is None:
            kinds = self.types(flat)
            if not kinds <= {"null", "boolean"}:
                return None
            candidates = ([None] if "null" in kinds else []) + (
                [False, True] if "boolean" in kinds else []
            )
        return [
            value for value in candidates if all(self.valid(value, n) is not False for n in flat)
        ]

    def valid(self, value: Any, node: Node) -> bool | None:
        """``value`` against ``node`` by jsonschema (format checked): ``True``/``False`` when
        every reading of the dialect agrees, ``None`` when they differ or it cannot say."""
        verdicts: set[bool] = set()
        for validator in self._validators_for(node.side):
            try:
                verdicts.add(bool(validator.evolve(schema=node.schema).is_valid(value)))
            except BaseException as error:
                if not cannot_say(error):
                    raise
                return None
        return verdicts.pop() if len(verdicts) == 1 else None

    def _validators_for(self, side: Side) -> list[Any]:
        """One validator per reading: draft 2020-12 and draft 7 when ``$schema`` is absent."""
        if id(side) not in self._validators:
            root = side.root if isinstance(side.root, dict | bool) else {}
            try:
                default = Draft7Validator if side.legacy else Draft202012Validator
                kinds = (
                    [Draft202012Validator, Draft7Validator]
                    if side.undeclared
                    else [validator_for(root, default=default)]
                )
                self._validators[id(side)] = [
                    cls(root, format_checker=cls.FORMAT_CHECKER) for cls in kinds
                ]
            except Exception:  # an unknown dialect: no value checks
                self._validators[id(side)] = []
        found: list[Any] = self._validators[id(side)]
        return found

    # --- structural sameness -------------------------------------------------------------

    def same(self, left: Node, right: Node) -> bool:
        """The same JSON, and every ``$ref`` in it leads to the same schema on both sides."""
        if left.side.legacy != right.side.legacy or left.side.draft4 != right.side.draft4:
            return False
        key = (id(left.schema), id(right.schema))
        memo = self._same.get(key)
        if memo is not None and memo[0] is left.schema and memo[1] is right.schema:
            return memo[2]
        self._same[key] = (left.schema, right.schema, True)  # a cycle assumes sameness
        if _dynamic(left.schema) and _canon(left.side.root) != _canon(right.side.root):
            self._same[key] = (left.schema, right.schema, False)
            return False
        result = _canon(left.schema) == _canon(right.schema) and all(
            self._same_target(left.side, right.side, ref) for ref in _refs(left.schema)
        )
        self._same[key] = (left.schema, right.schema, result)
        return result

    def _same_target(self, left: Side, right: Side, ref: str) -> bool:
        one, two = left.resolve(ref), right.resolve(ref)
        if one is None or two is None:
            return left.external(ref) and right.external(ref)
        return self.same(one, two)

    # --- proofs --------------------------------------------------------------------------

    def implies(self, conjuncts: Sequence[Node], target: Node) -> list[Problem]:
        """Why a document valid under every conjunct might fail ``target`` ([] = proof)."""
        self.tick()
        flat = self.flatten(conjuncts)
        if flat is None:
            return []
        found = self._direct(flat, target)
        if not found:
            return []
        cases = self._cases(flat, target)
        if cases is None:
            return found
        outcomes = [self.implies(case, target) for case in cases]
        if not any(outcomes):
            return []
        return [problem for outcome in outcomes for problem in outcome]

    def _cases(self, flat: list[Node], target: Node) -> list[list[Node]] | None:
        """The left side split into cases that together cover it: the branches of its first
        ``anyOf``/``oneOf`` (a ``oneOf`` read as ``anyOf``: wider, so sound), else, against
        a target that picks a branch, one case per type."""
        for node in flat:
            for key in ("anyOf", "oneOf"):
                members = node.get(key)
                if isinstance(members, list) and members:
                    base = [other for other in flat if other is not node] + [node.without(key)]
                    return [
                        [*base, Node(node.side, m, f"{node.path}/{key}/{i}")]
                        for i, m in enumerate(members)
                    ]
        kinds = self.types(flat)
        if len(kinds) < 2 or kinds == ALL_TYPES or not (target.has("anyOf") or target.has("oneOf")):
            return None
        cases = [
            [*flat, Node(target.side, _KIND_SCHEMAS[kind], f"{target.path}#{kind}")]
            for kind in sorted(kinds)
        ]
        return cases if all(self.types(case) != kinds for case in cases) else None

    def _direct(self, flat: list[Node], target: Node) -> list[Problem]:
        schema = target.schema
        if is_true(schema):
            return []
        if is_false(schema):
            message = self.say(target, "now rejects every document", "accepted no document before")
            return [Problem(target.path, message)]
        if not isinstance(schema, dict):
            return [Problem(target.path, f"{show(schema)} is not a schema (not analysed)")]
        if any(self.same(node, target) for node in flat):
            return []
        if target.side.legacy and "$ref" in schema:
            target = Node(target.side, {"$ref": schema["$ref"]}, target.path)  # siblings ignored
        values = self.values(flat)
        if values is not None:
            return self._value_problems(values, flat, target)
        problems: list[Problem] = []
        for check in self._checks:
            problems.extend(check(self, flat, target))
        return problems

    def _value_problems(self, values: list[Any], flat: list[Node], target: Node) -> list[Problem]:
        """Each value checked against ``target``; through a ``$ref`` checked where it leads,
        so that a message names the enum that lost the value."""
        referred = target.side.resolve(target.get("$ref")) if target.has("$ref") else None
        if referred is None or target.side.legacy:
            return self.value_problems(values, target)
        return self.value_problems(values, target.without("$ref")) + self.guarded(flat, referred)

    def value_problems(self, values: list[Any], target: Node) -> list[Problem]:
        problems: list[Problem] = []
        listed = target.get("enum") if target.has("enum") else None
        for value in values:
            verdict = self.valid(value, target)
            if verdict is True:
                continue
            if verdict is None:
                problems.append(Problem(target.path, f"cannot check {show(value)} (not analysed)"))
                continue
            if isinstance(listed, list) and not any(_canon(v) == _canon(value) for v in listed):
                where, what = f"{target.path}/enum", "enum value"
            else:
                where, what = target.path, "value"
            message = self.say(
                target, f"{what} {show(value)} removed (or renamed)", f"{what} {show(value)} added"
            )
            problems.append(Problem(where, message))
        return problems

    def guarded(self, flat: list[Node], target: Node) -> list[Problem]:
        """``implies`` through a ``$ref``: a cycle back to the same pair holds when it went
        through part of the document (documents are finite), and is not analysed otherwise."""
        key = (id(target.side), target.path, tuple((n.path, id(n.schema)) for n in flat))
        if key in self._active:
            if self._active[key] < self._depth:
                return []
            return [Problem(target.path, "a $ref cycle that reads no part of the document")]
        self._active[key] = self._depth
        try:
            return self.implies(flat, target)
        finally:
            del self._active[key]

    def disjoint(self, left: Sequence[Node], right: Sequence[Node]) -> bool:
        """No document is valid under both (shown, or ``False``)."""
        self.tick()
        one, two = self.flatten(left), self.flatten(right)
        if one is None or two is None:
            return True
        kinds = self.types(one) & self.types(two)
        if not kinds:
            return True
        for xs, ys in ((one, two), (two, one)):
            for node in xs:
                negated = node.at("not")
                if negated is not None and not self.implies(ys, negated):
                    return True
            values = self.values(xs)
            if values is not None and all(
                any(self.valid(value, y) is False for y in ys) for value in values
            ):
                return True
        if kinds <= {"object"}:
            from tools.compat._objects import property_nodes, required

            for name in sorted(required(one) | required(two)):
                if self.disjoint(property_nodes(one, name), property_nodes(two, name)):
                    return True
        return False

    def split_hint(self, flat: Sequence[Node], key: str, count: int) -> int | None:
        """The branch index of a left conjunct that came from splitting a same-sized
        ``key`` combinator (the branch to report against when no branch fits)."""
        for node in reversed(flat):
            match = _SPLIT_MEMBER.search(node.path)
            if match and match.group(1) == key and int(match.group(2)) < count:
                return int(match.group(2))
        return None


def _refs(schema: Any) -> Iterator[str]:
    """Every ``$ref`` string inside a schema."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _dynamic(schema: Any) -> bool:
    """Whether a schema holds a ``$dynamicRef``/``$recursiveRef`` (scope-dependent)."""
    text = _canon(schema)
    return '"$dynamicRef"' in text or '"$recursiveRef"' in text


def _canon(value: Any) -> str:
    """JSON text with sorted keys: equality that keeps ``1``, ``1.0`` and ``true`` apart."""
    return show(value)
