"""Write ``docs/reference.md``: the field-by-field reference, generated, never hand-edited.

Sources: ``schema/execution_group.schema.json`` (fields, lexical forms, cross-field rules),
``schema/execution_group.lifecycle.json`` (transitions, immutable fields) and
``schema/execution_group.rules.json`` (every rule code and message, and the rules JSON
Schema cannot state, as data). Nothing is imported or parsed from the package.

    python -m tools.reference           # write docs/reference.md
    python -m tools.reference --check   # exit 1 with a unified diff when it is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools import _drift

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "execution_group.schema.json"
LIFECYCLE = ROOT / "schema" / "execution_group.lifecycle.json"
RULES = ROOT / "schema" / "execution_group.rules.json"
OUTPUT = ROOT / "docs" / "reference.md"

KIND_TITLES = {
    "json": "JSON text",
    "shape": "members and JSON types",
    "form": "lexical forms",
    "python": "Python values",
    "ijson": "I-JSON (RFC 7493)",
    "document": "one document",
    "lifecycle": "a group that changes",
    "successor": "one snapshot after another",
    "internal": "no contract rule (JavaScript only)",
}


@dataclass(frozen=True)
class Rule:
    """One rule of the catalogue: its code (the pydantic error ``type``) and message."""

    name: str
    kind: str
    message: str
    about: str
    field: str = ""
    origin: str = ""
    problems: tuple[tuple[str, str], ...] = ()


def catalogue(rules: dict[str, Any]) -> list[Rule]:
    """The catalogue of the rules file, in its order."""
    return [
        Rule(
            name,
            entry["kind"],
            entry["message"],
            entry["about"],
            entry.get("field", ""),
            entry.get("origin", ""),
            tuple(entry.get("problems", {}).items()),
        )
        for name, entry in rules["rules"].items()
    ]


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


def _of_kind(rules: list[Rule], *kinds: str) -> list[Rule]:
    return [rule for rule in rules if rule.kind in kinds]


def _rule_table(rules: list[Rule], *, kind: bool = False) -> list[str]:
    head = "| rule | field | message |" + (" kind |" if kind else "")
    lines = [head, "|---|---|---|" + ("---|" if kind else "")]
    for rule in rules:
        field = f"`{rule.field}`" if rule.field else ""
        message = rule.message.replace("|", "\\|")
        row = f"| `{rule.name}` | {field} | {message} |"
        title = KIND_TITLES[rule.kind] + (" (pydantic)" if rule.origin else "")
        lines.append(row + (f" {title} |" if kind else ""))
    return [*lines, ""]


def _checks(checks: list[dict[str, Any]]) -> list[str]:
    """Each check of the rules file as its JSON (the form every runtime reads)."""
    lines: list[str] = []
    for check in checks:
        lines += [f"- `{check['rule']}`", "", "  ```json", f"  {json.dumps(check)}", "  ```", ""]
    return lines


def _lifecycle(facts: dict[str, Any], rules: list[Rule]) -> list[str]:
    """The transition table, stamps, reasons, immutable fields and the lifecycle's errors."""
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
        *_rule_table(_of_kind(rules, "lifecycle")),
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


def _bounds(limits: dict[str, int], rules: list[Rule]) -> list[str]:
    """I-JSON and the metadata bounds: what every reader refuses, in time linear in size."""
    return [
        "The I-JSON profile (RFC 7493) binds every document as well, and every reader of the",
        "full contract (`model_validate_json`, `from_document`, `execution-group validate`)",
        "reports it by these codes: numbers within the range of an IEEE double, strings and",
        "member names without a lone surrogate (escaped or raw), and `metadata` nested at most",
        f"{limits['metadata_depth']} levels. Of duplicate member names the last wins.",
        "",
        *_rule_table(_of_kind(rules, "ijson")),
        "A decoded value is bounded too, so that a hostile one is refused in time and memory",
        "linear in its JSON size (`metadata_size`): a `Decimal` in metadata is at most",
        f"{limits['metadata_decimal_text']:,} characters in plain notation, and metadata that",
        "reuses one object at several places (a list, a dict, or a string or `Decimal` of",
        f"{limits['metadata_text_unit']} characters or more; in JavaScript, where a string",
        "has no identity but its text, an equal string of that length) may write at most",
        f"{limits['metadata_expansion']:,} units of JSON: one per value, plus one per",
        f"{limits['metadata_text_unit']} characters of each string (member names included) and",
        "`Decimal`; about",
        f"{limits['metadata_expansion'] * (limits['metadata_text_unit'] + 8) // 1_000_000} MB at",
        "most. Inside a group,",
        "`metadata` is a deep read-only view (`metadata_read_only`): assign a new mapping to",
        "change it.",
        "",
    ]


def _data_rules(data: dict[str, Any], rules: list[Rule]) -> list[str]:
    """The comparison and successor rules, written as data in the rules file."""
    comparisons = [
        rule
        for rule in _of_kind(rules, "document")
        if "schema_path" not in data["rules"][rule.name]
    ]
    return [
        "## Rules JSON Schema cannot state",
        "",
        "They compare two values (quantities as decimals, timestamps as instants with every",
        "fraction digit), so they are written as data in `schema/execution_group.rules.json`,",
        "which Python (compiled into `generated/rules.py`) and JavaScript both read;",
        "`execution-group validate` checks them too. The format is described in the README",
        '("The rules file").',
        "",
        *_rule_table(comparisons),
        *_bounds(data["limits"], rules),
        "All document checks, as the rules file writes them:",
        "",
        *_checks(data["document"]),
        "## Successor rules",
        "",
        "`check_successor(before, after)` (JavaScript: `checkSuccessor`) says whether `after`",
        "may follow `before`: both valid, then these checks, from the rules file's `successor`",
        "member (states may be skipped: a status is allowed when reachable through the table).",
        "",
        *_rule_table(_of_kind(rules, "successor")),
        *_checks(data["successor"]),
    ]


def _problems(rules: list[Rule]) -> list[str]:
    """The texts that fill a message's ``{problem}``, as the rules file's ``problems``."""
    lines: list[str] = []
    for rule in rules:
        if rule.problems:
            lines += [f"The `{{problem}}` of `{rule.name}` is one of:", ""]
            lines += [f"- {text} (`{name}`)" for name, text in rule.problems]
            lines.append("")
    return lines


def _internal(rules: list[Rule]) -> list[str]:
    """What the codes of kind ``internal`` are: no contract rule, never from Python."""
    codes = ", ".join(_code(rule.name) for rule in _of_kind(rules, "internal"))
    if not codes:
        return []
    return [
        f"No contract rule: {codes} says the JavaScript package failed to check an input (a",
        "bug to report). No input, valid or not, should produce it; Python never reports it",
        "(it is not in `RuleCode`: Python raises the exception instead).",
        "",
    ]


def render() -> str:
    """The whole page."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    facts = json.loads(LIFECYCLE.read_text(encoding="utf-8"))
    data = json.loads(RULES.read_text(encoding="utf-8"))
    rules = catalogue(data)
    lines = [
        f"# {schema['title']} reference",
        "",
        "<!-- Generated by `python -m tools.reference` from schema/execution_group.schema.json,",
        "     schema/execution_group.lifecycle.json and schema/execution_group.rules.json.",
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
        *_data_rules(data, rules),
        *_lifecycle(facts, rules),
        "## Every rule name and message",
        "",
        "The catalogue of `schema/execution_group.rules.json`: every code the package reports,",
        "with its one message (text in braces is filled in when the error is raised). Codes",
        "marked pydantic are pydantic's own, with the message it writes.",
        "",
        *_rule_table(rules, kind=True),
        *_problems(rules),
        *_internal(rules),
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
    return _drift.check(OUTPUT, page, "schema/", "python -m tools.reference")


if __name__ == "__main__":
    sys.exit(main())
