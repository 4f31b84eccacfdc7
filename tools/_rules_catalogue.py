"""Emit ``generated/rule_catalogue.py`` from the rules file's ``rules`` member."""

from __future__ import annotations

import json
from typing import Any

from tools._rules_header import HEADER

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
        HEADER.format(extra=', member "rules"'),
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
