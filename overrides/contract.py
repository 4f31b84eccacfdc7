"""The schema, lifecycle and rules files, read once from the installed package.

Every pattern, the transition table, the immutable fields and the rules are written in
``schema/`` and nowhere else; the Python layer reads them from here.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, cast

__all__ = [
    "LIFECYCLE_FILE",
    "RULES_FILE",
    "SCHEMA_FILE",
    "examples",
    "lifecycle",
    "pattern",
    "rules",
    "schema",
]

SCHEMA_FILE = "execution_group.schema.json"
LIFECYCLE_FILE = "execution_group.lifecycle.json"
RULES_FILE = "execution_group.rules.json"


def _read(name: str) -> dict[str, Any]:
    text = resources.files("execution_group.schema").joinpath(name).read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12), as shipped in the package."""
    return _read(SCHEMA_FILE)


@cache
def lifecycle() -> dict[str, Any]:
    """The lifecycle facts JSON Schema cannot validate: transitions, immutable fields."""
    return _read(LIFECYCLE_FILE)


@cache
def rules() -> dict[str, Any]:
    """The rule catalogue and the rules JSON Schema cannot state, as data."""
    return _read(RULES_FILE)


def pattern(definition: str) -> str:
    """The regex of one lexical form in ``$defs`` (GroupId, Quantity, Timestamp, ...)."""
    return cast(str, schema()["$defs"][definition]["pattern"])


def examples() -> list[dict[str, Any]]:
    """The schema's example documents (the design's five examples)."""
    return cast(list[dict[str, Any]], schema()["examples"])
