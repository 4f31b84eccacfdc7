"""The lifecycle section of the reference: the transition table, its diagram, stamps,
reasons, immutable fields and the lifecycle's errors."""

from __future__ import annotations

from typing import Any

from tools._reference_catalogue import Rule, of_kind, rule_table
from tools._reference_schema import code


def lifecycle(facts: dict[str, Any], rules: list[Rule]) -> list[str]:
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
        f"Terminal (no way out): {', '.join(map(code, terminal))}.",
        "",
        "A move into a status stamps its timestamp field: "
        + ", ".join(f"{code(s)} sets {code(f)}" for s, f in facts["status_timestamps"].items())
        + ".",
        "",
        "A reason given with a move is kept in `metadata` under: "
        + ", ".join(f"{code(s)} {code(k)}" for s, k in facts["reason_keys"].items())
        + ".",
        "",
        "Immutable after creation: " + ", ".join(map(code, facts["immutable_fields"])) + ".",
        "",
        "Errors of the lifecycle (raised by the Python model when a group changes):",
        "",
        *rule_table(of_kind(rules, "lifecycle")),
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
