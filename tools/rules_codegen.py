"""Compile ``schema/execution_group.rules.json`` into Python: ``generated/rule_catalogue.py``
(the ``RuleCode`` literal and every message) and ``generated/rules.py`` (the document rules
as one flat function, the decoding hot path).

Compiled rather than interpreted because every document read runs the rules: generated
code does what the hand-written ``violations`` did, with nothing to dispatch at run time.

    python -m tools.rules_codegen           # write both files
    python -m tools.rules_codegen --check   # exit 1 with a unified diff when one is stale
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schema"
CATALOGUE_OUT = ROOT / "generated" / "rule_catalogue.py"
RULES_OUT = ROOT / "generated" / "rules.py"

_HEADER = """\
# GENERATED FILE: DO NOT EDIT BY HAND.
# Source: schema/execution_group.rules.json{extra}
# Generator: tools/rules_codegen.py
# Regenerate: nox -s rules      Check for drift: nox -s drift
"""

_NEGATED = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt"}
_PYTHON_OP = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "=="}


class RulesError(Exception):
    """The rules file asks for something this compiler cannot emit."""


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return data


_NOT_PYTHON = frozenset({"internal"})
"""Kinds of code Python never reports (``internal``: a JavaScript verdict that says the
package failed), so ``RuleCode`` and ``MESSAGES`` leave them out."""


def catalogue_source(rules: dict[str, Any]) -> str:
    """``generated/rule_catalogue.py``: the codes Python reports as a ``Literal``, their
    messages, and the texts that fill a message's ``{problem}``."""
    codes = sorted(
        code for code, entry in rules["rules"].items() if entry["kind"] not in _NOT_PYTHON
    )
    lines = [
        _HEADER.format(extra=', member "rules"'),
        '"""Every rule code and its one message."""',
        "",
        "from typing import Final, Literal, LiteralString",
        "",
        "RuleCode = Literal[",
    ]
    lines += [f"    {json.dumps(code)}," for code in codes]
    lines += ["]", '"""A rule code: the ``type`` of every error the package reports."""', ""]
    lines.append("MESSAGES: Final[dict[RuleCode, LiteralString]] = {")
    messages = {
        code: json.dumps(rules["rules"][code]["message"], ensure_ascii=False) for code in codes
    }
    lines += [f"    {json.dumps(code)}: {messages[code]}," for code in codes]
    lines += [
        "}",
        '"""Each code\'s message; ``{name}`` is filled from the error\'s context."""',
        "",
        "PROBLEMS: Final[dict[RuleCode, dict[str, LiteralString]]] = {",
    ]
    for code in codes:
        problems = rules["rules"][code].get("problems", {})
        if problems:
            lines.append(f"    {json.dumps(code)}: {{")
            lines += [
                f"        {json.dumps(name)}: {json.dumps(text, ensure_ascii=False)},"
                for name, text in sorted(problems.items())
            ]
            lines.append("    },")
    lines += [
        "}",
        '"""Each code\'s ``{problem}`` texts, by name; the code that reports one fills it."""',
        "",
    ]
    return "\n".join(lines)


class _Document:
    """What the compiler knows of one document: each member's Python type in the state."""

    def __init__(self, schema: dict[str, Any], declared: dict[str, str]) -> None:
        self.required = set(schema["required"])
        self.kinds: dict[str, str] = {}
        self.objects = {
            name
            for name, spec in schema["properties"].items()
            if set(spec.get("type", [])) == {"object", "null"} or spec.get("type") == "object"
        }
        for name, spec in schema["properties"].items():
            ref = spec.get("$ref") or next(
                (branch["$ref"] for branch in spec.get("anyOf", []) if "$ref" in branch), ""
            )
            definition = ref.rsplit("/", 1)[-1]
            if definition in declared:
                self.kinds[name] = declared[definition]
            elif "enum" in schema["$defs"].get(definition, {}):
                self.kinds[name] = "enum:" + definition
            else:
                self.kinds[name] = "json"


class _Compiler:  # pylint: disable=too-many-instance-attributes
    """Turns the ``document`` checks into the body of ``violations``."""

    def __init__(self, rules: dict[str, Any], lifecycle: dict[str, Any], schema: dict[str, Any]):
        self.lifecycle = lifecycle
        self.document = _Document(schema, rules["declared"])
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
        emit = {
            "all": lambda children, negate: self._junction("all", children, negate),
            "any": lambda children, negate: self._junction("any", children, negate),
            "not": lambda child, negate: self.condition(child, not negate),
            "set": self._set,
            "number": self._number,
            "in": self._member_of,
        }.get(operator)
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
            held = self._ordered("eq", left, right, as_type)
            if unset:
                both = " and ".join(f"{side} is None" for side in (left, right))
                present = " and ".join(f"{side} is not None" for side in unset)
                held = f"(({both}) or ({present} and {held}))"
            return f"not {held}" if negate else held
        if negate:
            test = self._ordered(_NEGATED[operator], left, right, as_type)
            return "(" + " or ".join([*(f"{side} is None" for side in unset), test]) + ")"
        test = self._ordered(operator, left, right, as_type)
        return "(" + " and ".join([*(f"{side} is not None" for side in unset), test]) + ")"

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

    # ---------------------------------------------------------------- checks

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


_MEMBER = '''

def _member(value: Any, key: str) -> Any:
    """The member ``key`` of ``value``, or None when ``value`` is no object or lacks it."""
    return value.get(key) if isinstance(value, dict) else None
'''


def rules_source(rules: dict[str, Any], lifecycle: dict[str, Any], schema: dict[str, Any]) -> str:
    """``generated/rules.py``: ``violations(state, order_count)`` from the document checks."""
    compiler = _Compiler(rules, lifecycle, schema)
    blocks = [block for check in rules["document"] for block in compiler.check(check)]
    enums = sorted(
        {
            kind.split(":")[1]
            for kind in compiler.document.kinds.values()
            if kind.startswith("enum:")
        }
    )
    imports = [
        "from collections.abc import Mapping",
        "from decimal import Decimal",
        "from operator import itemgetter",
        "from typing import Any",
        "",
        "from pydantic_core import InitErrorDetails",
        "",
        "from ..errors import violation",
    ]
    if "plain" in compiler.helpers:
        imports.append("from ..quantities import plain")
    if "_nanoseconds" in compiler.helpers:
        imports.append("from ..timestamps import Instant as _Instant")
        imports.append("from ..timestamps import sub_microsecond as _nanoseconds")
    imports.append(f"from .model import {', '.join(enums)}")
    parts = [
        _HEADER.format(extra=', member "document"'),
        '"""The document rules, compiled: every rule one state of a group breaks."""',
        "",
        "\n".join(imports),
        "",
        '__all__ = ["order_count_violations", "violations"]',
        "",
        *(f"{name} = {value}" for value, name in compiler.constants.items()),
        "_STATE = itemgetter(",
        *(f"    {json.dumps(field)}," for field in compiler.fields),
        ")",
    ]
    if "_member" in compiler.helpers:
        parts.append(_MEMBER.rstrip("\n"))
    parts += [
        "",
        "",
        "def violations(state: Mapping[str, Any], order_count: int) -> list[InitErrorDetails]:",
        '    """Every rule ``state`` breaks; ``order_count`` stands for the number of orders."""',
        "    found: list[InitErrorDetails] = []",
        "    (",
        *(f"        {field}," for field in compiler.fields),
        "    ) = _STATE(state)",
        *blocks,
        "    return found",
        "",
        *_count_function(rules, lifecycle, schema),
    ]
    return "\n".join(parts)


def _counts_orders(node: Any) -> bool:
    """Whether a check reads the number of orders."""
    if isinstance(node, dict):
        return "count" in node or any(_counts_orders(value) for value in node.values())
    if isinstance(node, list):
        return any(_counts_orders(item) for item in node)
    return False


def _count_function(
    rules: dict[str, Any], lifecycle: dict[str, Any], schema: dict[str, Any]
) -> list[str]:
    """``order_count_violations``: the checks that read the number of orders, alone.

    Adding orders changes nothing else a check reads but the status (PENDING to ACTIVE,
    which no count check can then break): these are the rules an append can break.
    """
    compiler = _Compiler(rules, lifecycle, schema)
    checks = [check for check in rules["document"] if _counts_orders(check)]
    blocks = [block for check in checks for block in compiler.check(check)]
    return [
        "",
        "def order_count_violations(",
        "    state: Mapping[str, Any], order_count: int",
        ") -> list[InitErrorDetails]:",
        '    """The rules that read the number of orders (the ones adding orders can break)."""',
        "    found: list[InitErrorDetails] = []",
        *(f"    {field} = state[{json.dumps(field)}]" for field in compiler.fields),
        *blocks,
        "    return found",
        "",
    ]


def sources() -> dict[Path, str]:
    """Each generated file and the text the rules file gives it."""
    rules = _load("execution_group.rules.json")
    lifecycle = _load(rules["lifecycle"])
    schema = _load(rules["schema"])
    return {
        CATALOGUE_OUT: catalogue_source(rules),
        RULES_OUT: rules_source(rules, lifecycle, schema),
    }


def main(argv: list[str] | None = None) -> int:
    """Write the generated files, or with ``--check`` report drift."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a file is stale")
    args = parser.parse_args(argv)
    stale = 0
    for path, text in sources().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            continue
        if args.check:
            stale += 1
            name = str(path.relative_to(ROOT))
            sys.stdout.writelines(
                difflib.unified_diff(current.splitlines(True), text.splitlines(True), name, name)
            )
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"{stale} generated file(s) stale: run nox -s rules", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
