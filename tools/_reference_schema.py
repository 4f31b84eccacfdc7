"""The schema's part of the reference: fields, lexical forms and cross-field rules, in words."""

from __future__ import annotations

import json
from typing import Any


def code(value: Any) -> str:
    """``value`` as inline code: strings as written, anything else as its JSON."""
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
    shown = [code(value) for value in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _constraint(spec: dict[str, Any]) -> list[str]:
    """What one property subschema of a rule demands, in words."""
    words: list[str] = []
    if "const" in spec:
        words.append(f"is {code(spec['const'])}")
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
        clauses.append(f"{code(name)} " + ", ".join(words))
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


def fields(schema: dict[str, Any], immutable: set[str]) -> list[str]:
    """The field table and one subsection per field, in the schema's order."""
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


def forms(schema: dict[str, Any]) -> list[str]:
    """Each ``$defs`` entry: its pattern, format or values, as the schema states them."""
    lines = ["## Lexical forms and enumerations", ""]
    for name, spec in schema["$defs"].items():
        lines += [f"### {name}", "", spec["description"], ""]
        lines.append(f"- JSON type: {spec['type']}")
        if "enum" in spec:
            lines.append(f"- Values (exactly, upper case): {', '.join(map(code, spec['enum']))}")
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


def cross_field(schema: dict[str, Any]) -> list[str]:
    """The top-level ``allOf`` rules, each in words and as its JSON fragment."""
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
