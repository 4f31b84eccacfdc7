"""Compile each ``document`` check of the rules file into the ``if`` blocks of a function."""

from __future__ import annotations

import json
from typing import Any

from tools._rules_document import Document, RulesError
from tools._rules_expressions import Expressions


class Compiler(Expressions):
    """Turns the ``document`` checks into the body of ``violations``."""

    def __init__(self, rules: dict[str, Any], lifecycle: dict[str, Any], schema: dict[str, Any]):
        super().__init__(Document(schema, rules["declared"]))
        self.lifecycle = lifecycle

    def _expansions(self, check: dict[str, Any]) -> list[dict[str, str]]:
        each = check.get("each")
        if each is None:
            return [{}]
        names = each["bind"]
        items = self.lifecycle[each["lifecycle"]] if "lifecycle" in each else each["list"]
        if isinstance(items, dict):
            return [dict(zip(names, pair, strict=True)) for pair in items.items()]
        return [{names[0]: item} for item in items]

    def check(self, check: dict[str, Any]) -> list[str]:
        """The ``if`` blocks of one check (one per expansion of ``each``)."""
        blocks: list[str] = []
        for binding in self._expansions(check):
            self.binding = binding
            blocks.append(self._one(check))
        self.binding = {}
        return blocks

    @staticmethod
    def _cheap(node: dict[str, Any]) -> bool:
        """A presence test or a count comparison: no enum, decimal or datetime involved."""
        return "set" in node or node.get("as") == "integer"

    def _known_set(self, when: dict[str, Any] | None) -> set[str]:
        if when is None:
            return set()
        if "set" in when:
            return {self._get(when["set"])[0]}
        if "all" in when:
            return set().union(*(self._known_set(child) for child in when["all"]))
        return set()

    def _one(self, check: dict[str, Any]) -> str:
        """One check as an ``if`` block; nested members read once, after its ``when``."""
        when = check.get("when")
        self.known = self._known_set(when)
        guard = self.condition(when) if when else ""
        self.locals = {}
        broken = self.condition(check["require"], negate=True)
        loc = tuple(self._resolve(step) for step in check["at"][1:])
        value = self._value(check.get("input", {"get": check["at"]}))
        context = self._context(check.get("context", {}))
        bound, self.locals, self.known = self.locals, None, set()
        body = f"violation({json.dumps(check['rule'])}, {loc!r}, {value}, {context})"
        if not bound:
            tests = [guard, broken] if guard else [broken]
            if guard and not self._known_set(when) and self._cheap(check["require"]):
                tests.reverse()  # the same verdict; the cheap test first rules most out
            test = " and ".join(tests)
            return f"    if {test}:\n        found.append({body})"
        indent = "        " if guard else "    "
        lines = [f"    if {guard}:"] if guard else []
        lines += [f"{indent}{name} = {expression}" for expression, name in bound.items()]
        lines += [f"{indent}if {broken}:", f"{indent}    found.append({body})"]
        return "\n".join(lines)

    def _value(self, node: Any) -> str:
        return self.operand(node)[0]

    def _context(self, context: dict[str, Any]) -> str:
        items = []
        for name, node in context.items():
            expression, kind, _ = self.operand(node)
            if kind == "decimal":
                self.helpers.add("plain")
                expression = f"plain({expression})"
            elif kind.startswith("enum:"):
                expression = f"{expression}.value"
            elif kind == "instant":
                raise RulesError("an instant in a message would differ between runtimes")
            items.append(f"{name!r}: {expression}")
        return "{" + ", ".join(items) + "}" if items else "None"
