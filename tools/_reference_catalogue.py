"""The rule catalogue's part of the reference: rule tables, the rules written as data,
the I-JSON and metadata bounds, and the successor rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tools._reference_schema import code

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


def of_kind(rules: list[Rule], *kinds: str) -> list[Rule]:
    """The rules of the given kinds, in catalogue order (each section shows its own)."""
    return [rule for rule in rules if rule.kind in kinds]


def rule_table(rules: list[Rule], *, kind: bool = False) -> list[str]:
    """A Markdown table of ``rules``; ``kind`` adds the column the full catalogue needs."""
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


def _bounds(limits: dict[str, int], rules: list[Rule]) -> list[str]:
    """I-JSON and the metadata bounds: what every reader refuses, in time linear in size."""
    return [
        "The I-JSON profile (RFC 7493) binds every document as well, and every reader of the",
        "full contract (`model_validate_json`, `from_document`, `execution-group validate`)",
        "reports it by these codes: numbers within the range of an IEEE double, strings and",
        "member names without a lone surrogate (escaped or raw), and `metadata` nested at most",
        f"{limits['metadata_depth']} levels. Of duplicate member names the last wins.",
        "",
        *rule_table(of_kind(rules, "ijson")),
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


def data_rules(data: dict[str, Any], rules: list[Rule]) -> list[str]:
    """The comparison and successor rules, written as data in the rules file."""
    comparisons = [
        rule for rule in of_kind(rules, "document") if "schema_path" not in data["rules"][rule.name]
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
        *rule_table(comparisons),
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
        *rule_table(of_kind(rules, "successor")),
        *_checks(data["successor"]),
    ]


def problem_texts(rules: list[Rule]) -> list[str]:
    """The texts that fill a message's ``{problem}``, as the rules file's ``problems``."""
    lines: list[str] = []
    for rule in rules:
        if rule.problems:
            lines += [f"The `{{problem}}` of `{rule.name}` is one of:", ""]
            lines += [f"- {text} (`{name}`)" for name, text in rule.problems]
            lines.append("")
    return lines


def internal_codes(rules: list[Rule]) -> list[str]:
    """What the codes of kind ``internal`` are: no contract rule, never from Python."""
    codes = ", ".join(code(rule.name) for rule in of_kind(rules, "internal"))
    if not codes:
        return []
    return [
        f"No contract rule: {codes} says the JavaScript package failed to check an input (a",
        "bug to report). No input, valid or not, should produce it; Python never reports it",
        "(it is not in `RuleCode`: Python raises the exception instead).",
        "",
    ]
