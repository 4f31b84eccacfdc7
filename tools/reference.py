"""Write ``docs/reference.md``: the field-by-field reference, generated, never hand-edited.

Sources: ``schema/execution_group.schema.json`` (fields, lexical forms, cross-field rules
and their messages), ``schema/execution_group.lifecycle.json`` (transitions, immutable
fields) and the rule names and messages in ``overrides/*.py`` (read with ``ast``, so the
page quotes the code's own messages; nothing is imported).

    python -m tools.reference           # write docs/reference.md
    python -m tools.reference --check   # exit 1 with a unified diff when it is stale
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "execution_group.schema.json"
LIFECYCLE = ROOT / "schema" / "execution_group.lifecycle.json"
PACKAGE = ROOT / "overrides"
OUTPUT = ROOT / "docs" / "reference.md"

# docs/contract.md §4: the rules JSON Schema cannot state (they compare two values). The
# generator fails if one of these names is no longer raised in the package.
PYTHON_ONLY_RULES = ("fill_exceeds_target", "updated_before_created", "stamped_before_created")
LIFECYCLE_RULES = (
    "status_transition",
    "immutable_field",
    "updated_at_backwards",
    "order_ids_append_only",
)


@dataclass(frozen=True, order=True)
class Rule:
    """One error the package raises: its name (the pydantic error ``type``) and message."""

    module: str
    name: str
    message: str
    field: str = ""


# --------------------------------------------------------------------------- rules from code


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments."""
    found: dict[str, str] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found[node.targets[0].id] = node.value.value
    return found


def _text(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    """A literal string, a module constant, or ``"a" + name`` (the name shown as ``{name}``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id, f"{{{node.id}}}")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, constants), _text(node.right, constants)
        return None if left is None or right is None else left + right
    return None


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _called(node: ast.Call) -> str:
    function = node.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def _rules_in(path: Path, forms: dict[str, str], fields: dict[str, str]) -> list[Rule]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = _constants(tree)
    module = f"execution_group.{path.stem}"
    rules: list[Rule] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called, args = _called(node), node.args
        name: str | None = None
        message: str | None = None
        field = ""
        if called == "violation" and len(args) >= 3:
            name, message = _text(args[1], constants), _text(args[2], constants)
            if isinstance(args[0], ast.Tuple) and args[0].elts:
                field = _text(args[0].elts[0], constants) or ""
        elif called == "PydanticCustomError" and len(args) >= 2:
            name, message = _text(args[0], constants), _text(args[1], constants)
        elif len(args) >= 3 and _literal(args[0]) in forms:
            # A lexical form: (definition, rule, message), e.g. ("GroupId", "group_id_form", ...).
            name, message = _literal(args[1]), _literal(args[2])
            field = forms[_literal(args[0]) or ""]
        elif called == "custom_error_schema":
            name = _text(_keyword(node, "custom_error_type"), constants)
            message = _text(_keyword(node, "custom_error_message"), constants)
        if field.startswith("{"):
            field = ""  # the location is a variable
        if name and message and not name.startswith("{"):
            first_word = message.split(" ", 1)[0]
            rules.append(Rule(module, name, message, field or fields.get(first_word, "")))
    return rules


def package_rules(schema: dict[str, Any]) -> list[Rule]:
    """Every rule with a literal name and message in the package, deduplicated."""
    forms = {}
    for field, spec in schema["properties"].items():
        ref = spec.get("$ref") or spec.get("items", {}).get("$ref")
        if ref:
            forms[ref.rsplit("/", 1)[-1]] = field
    found: set[Rule] = set()
    for path in sorted(PACKAGE.glob("*.py")):
        found.update(_rules_in(path, forms, {name: name for name in schema["properties"]}))
    return sorted(found)


# --------------------------------------------------------------------------- schema wording


def _code(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return f"`{text}`"


def _type_of(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in spec:
        return " or ".join(_type_of(option) for option in spec["anyOf"])
    kind = spec.get("type")
    if kind == "array":
        return f"array of {_type_of(spec['items'])}"
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    return str(kind)


def _one_of(values: list[Any]) -> str:
    shown = [_code(value) for value in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _constraint(spec: dict[str, Any]) -> list[str]:
    """What one property subschema of a rule demands, in words."""
    words: list[str] = []
    if "const" in spec:
        words.append(f"is {_code(spec['const'])}")
    if "enum" in spec:
        words.append(f"is {_one_of(spec['enum'])}")
    kind = spec.get("type")
    if kind == "string":
        words.append("is set (a string, not null)")
    elif kind == "number":
        words.append("is a number")
    elif kind == "object":
        words.append("is an object")
    if "exclusiveMinimum" in spec:
        words.append(f"> {spec['exclusiveMinimum']}")
    if "maximum" in spec:
        words.append(f"<= {spec['maximum']}")
    if "maxItems" in spec:
        words.append(f"has at most {spec['maxItems']} item(s)")
    if "minItems" in spec:
        words.append(f"has at least {spec['minItems']} item(s)")
    inner = _clauses(spec) if ("properties" in spec or "required" in spec) else []
    if inner:
        words.append("whose " + " and whose ".join(inner))
    return words


def _clauses(spec: dict[str, Any]) -> list[str]:
    required = spec.get("required", [])
    properties: dict[str, Any] = spec.get("properties", {})
    names = list(dict.fromkeys([*required, *properties]))
    clauses = []
    for name in names:
        words = _constraint(properties.get(name, {}))
        if name in required and not words:
            words = ["is present"]
        clauses.append(f"{_code(name)} " + ", ".join(words))
    return clauses


def _rule_sentence(rule: dict[str, Any]) -> str:
    if "if" in rule:
        return (
            "If "
            + " and ".join(_clauses(rule["if"]))
            + ", then "
            + " and ".join(_clauses(rule["then"]))
            + "."
        )
    if "not" in rule:
        return "Not: " + " and ".join(_clauses(rule["not"])) + "."
    return "See the schema fragment."


# --------------------------------------------------------------------------- the page


def _fields(schema: dict[str, Any], immutable: set[str]) -> list[str]:
    required = set(schema["required"])
    lines = [
        "## Fields",
        "",
        "| field | type | required | immutable | description |",
        "|---|---|---|---|---|",
    ]
    for name, spec in schema["properties"].items():
        lines.append(
            f"| `{name}` | {_type_of(spec)} | {'yes' if name in required else 'no'} "
            f"| {'yes' if name in immutable else 'no'} | {spec['description']} |"
        )
    lines += [
        "",
        "Properties not listed here are rejected (`additionalProperties: false`): a typo",
        "such as `filled_qty` is an error (rule `extra_forbidden`), never dropped silently.",
        'An optional field may be left out or set to `null`; both mean "not set".',
        "",
    ]
    for name, spec in schema["properties"].items():
        lines += [f"### `{name}`", "", spec["description"], ""]
        lines.append(f"- Type: {_type_of(spec)}")
        lines.append(f"- Required: {'yes' if name in required else 'no'}")
        if name in immutable:
            lines.append("- Immutable after creation")
        if spec.get("uniqueItems"):
            lines.append("- Items are unique")
        if "not" in spec:
            lines.append(f"- Must not match: `{json.dumps(spec['not'])}`")
        lines.append("")
    return lines


def _forms(schema: dict[str, Any]) -> list[str]:
    lines = ["## Lexical forms and enumerations", ""]
    for name, spec in schema["$defs"].items():
        lines += [f"### {name}", "", spec["description"], ""]
        lines.append(f"- JSON type: {spec['type']}")
        if "enum" in spec:
            lines.append(f"- Values (exactly, upper case): {', '.join(map(_code, spec['enum']))}")
        if "pattern" in spec:
            lines += ["- Pattern (ECMA-262, Rust `regex` and Python `re` agree on it):", ""]
            lines += ["  ```", f"  {spec['pattern']}", "  ```", ""]
        if "format" in spec:
            lines.append(f"- Format: `{spec['format']}` (the pattern pins the exact form)")
        if "not" in spec:
            lines.append(
                f"- Must not match: `{json.dumps(spec['not'])}` (no line terminator anywhere: "
                "Python's and Java's `$` match before a final one)"
            )
        lines.append("")
    return lines


def _cross_field(schema: dict[str, Any]) -> list[str]:
    lines = [
        "## Cross-field rules (in the schema and in Python)",
        "",
        "Each rule is an entry of the schema's top-level `allOf`; its `description` is the",
        "message.",
        "",
    ]
    for number, rule in enumerate(schema["allOf"], start=1):
        fragment = {key: value for key, value in rule.items() if key != "description"}
        lines += [
            f"{number}. **{rule['description']}**",
            "",
            f"   {_rule_sentence(rule)}",
            "",
            "   ```json",
            f"   {json.dumps(fragment)}",
            "   ```",
            "",
        ]
    return lines


def _by_name(rules: list[Rule], names: tuple[str, ...]) -> list[Rule]:
    chosen = [rule for rule in rules if rule.name in names]
    missing = set(names) - {rule.name for rule in chosen}
    if missing:
        raise SystemExit(f"tools.reference: rules no longer in the package: {sorted(missing)}")
    return sorted(chosen, key=lambda rule: (names.index(rule.name), rule.message))


def _rule_table(rules: list[Rule], *, module: bool = False) -> list[str]:
    head = "| rule | field | message |" + (" module |" if module else "")
    lines = [head, "|---|---|---|" + ("---|" if module else "")]
    for rule in rules:
        field = f"`{rule.field}`" if rule.field else ""
        message = rule.message.replace("|", "\\|")
        row = f"| `{rule.name}` | {field} | {message} |"
        lines.append(row + (f" `{rule.module}` |" if module else ""))
    return [*lines, ""]


def _lifecycle(facts: dict[str, Any], rules: list[Rule]) -> list[str]:
    statuses = list(facts["transitions"])
    lines = [
        "## Lifecycle",
        "",
        f"A group starts as `{facts['initial_status']}`. Allowed moves (row: from, column: to;",
        "`=` is moving to the current status, which changes nothing and is no error):",
        "",
        "| from \\ to | " + " | ".join(statuses) + " |",
        "|---|" + "---|" * len(statuses),
    ]
    for source, targets in facts["transitions"].items():
        cells = ["=" if t == source else ("yes" if t in targets else "") for t in statuses]
        lines.append(f"| **{source}** | " + " | ".join(cells) + " |")
    terminal = [status for status, targets in facts["transitions"].items() if not targets]
    lines += [
        "",
        *_diagram(facts),
        f"Terminal (no way out): {', '.join(map(_code, terminal))}.",
        "",
        "A move into a status stamps its timestamp field: "
        + ", ".join(f"{_code(s)} sets {_code(f)}" for s, f in facts["status_timestamps"].items())
        + ".",
        "",
        "A reason given with a move is kept in `metadata` under: "
        + ", ".join(f"{_code(s)} {_code(k)}" for s, k in facts["reason_keys"].items())
        + ".",
        "",
        "Immutable after creation: " + ", ".join(map(_code, facts["immutable_fields"])) + ".",
        "",
        "Errors of the lifecycle (raised by the Python model when a group changes):",
        "",
        *_rule_table(_by_name(rules, LIFECYCLE_RULES)),
    ]
    return lines


def _diagram(facts: dict[str, Any]) -> list[str]:
    """The transition table as a Mermaid state diagram (GitHub and most viewers draw it)."""
    lines = [
        "The same moves drawn (moving to the current status is not drawn):",
        "",
        "```mermaid",
        "stateDiagram-v2",
        f"    [*] --> {facts['initial_status']}",
    ]
    for source, targets in facts["transitions"].items():
        lines += [f"    {source} --> {target}" for target in targets]
        if not targets:
            lines.append(f"    {source} --> [*]")
    return [*lines, "```", ""]


def render() -> str:
    """The whole page."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    facts = json.loads(LIFECYCLE.read_text(encoding="utf-8"))
    rules = package_rules(schema)
    lines = [
        f"# {schema['title']} reference",
        "",
        "<!-- Generated by `python -m tools.reference` from schema/execution_group.schema.json,",
        "     schema/execution_group.lifecycle.json and the rule messages in overrides/.",
        "     Do not edit: `nox -s docs` rewrites it, `nox -s drift_docs` fails when stale. -->",
        "",
        schema["description"],
        "",
        f"Schema: `{schema['$id']}` (JSON Schema `{schema['$schema']}`).",
        "Check documents with `execution-group validate PATH...`; each error it prints names",
        "the field's JSON path, the rule (the names below) and the message.",
        "",
        *_fields(schema, set(facts["immutable_fields"])),
        *_forms(schema),
        *_cross_field(schema),
        "## Rules only Python checks",
        "",
        "JSON Schema cannot compare two values, so these live in `execution_group.rules`",
        "alone; `execution-group validate` checks them too.",
        "",
        *_rule_table(_by_name(rules, PYTHON_ONLY_RULES)),
        *_lifecycle(facts, rules),
        "## Every rule name and message",
        "",
        "The rules the package itself defines (the others, such as `missing`,",
        "`extra_forbidden`, `enum` or `json_invalid`, are pydantic's own). Text in braces is",
        "filled in when the error is raised.",
        "",
        *_rule_table(rules, module=True),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the page, or with ``--check`` compare it and print a diff."""
    parser = argparse.ArgumentParser(prog="python -m tools.reference", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when docs/reference.md differs")
    options = parser.parse_args(argv)
    page = render()
    if not options.check:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(page, encoding="utf-8", newline="\n")
        print(f"wrote {OUTPUT.relative_to(ROOT)}")
        return 0
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    if current == page:
        print(f"{OUTPUT.relative_to(ROOT)} is up to date")
        return 0
    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        page.splitlines(keepends=True),
        fromfile=f"{OUTPUT.relative_to(ROOT)} (on disk)",
        tofile=f"{OUTPUT.relative_to(ROOT)} (generated)",
    )
    sys.stdout.writelines(diff)
    print(f"\n{OUTPUT.relative_to(ROOT)} is stale: run `python -m tools.reference` (nox -s docs)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
