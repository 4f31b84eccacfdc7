"""Emit ``generated/rules.py``: the document checks as two flat functions."""

from __future__ import annotations

import json
from typing import Any

from tools._rules_checks import Compiler
from tools._rules_header import HEADER

_MEMBER = '''

def _member(value: Any, key: str) -> Any:
    """The member ``key`` of ``value``, or None when ``value`` is no object or lacks it."""
    return value.get(key) if isinstance(value, dict) else None
'''


def rules_source(rules: dict[str, Any], lifecycle: dict[str, Any], schema: dict[str, Any]) -> str:
    """``generated/rules.py``: ``violations(state, order_count)`` from the document checks."""
    compiler = Compiler(rules, lifecycle, schema)
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
        HEADER.format(extra=', member "document"'),
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
    compiler = Compiler(rules, lifecycle, schema)
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
