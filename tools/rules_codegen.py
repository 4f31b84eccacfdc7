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

from tools._rules_catalogue import catalogue_source
from tools._rules_document import RulesError
from tools._rules_source import rules_source

__all__ = ["RulesError", "catalogue_source", "main", "rules_source", "sources"]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schema"
CATALOGUE_OUT = ROOT / "generated" / "rule_catalogue.py"
RULES_OUT = ROOT / "generated" / "rules.py"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return data


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
