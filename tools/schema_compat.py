"""Is the schema compatible with the released ones, and is its version bumped to match?

Run ``python -m tools.schema_compat`` (``nox -s compat``). It compares
``schema/execution_group.schema.json`` with the newest ``schema/released/X.Y.Z.json`` (and,
in a ``_transitive`` mode, with every release of the same major) by proving, not guessing:

- **narrowing**: the prover could not show that every document valid under the released
  schema stays valid (a property removed, a value dropped, a tighter bound, a new rule...).
- **widening**: it could not show the reverse: new documents the released schema rejects.
- **annotation**: description, title and the like, or a rewrite shown to accept exactly
  the same documents.

Anything it cannot prove counts against compatibility (patterns are compared as text: a
changed pattern is both a narrowing and a widening). Modes, as schema registries name them:

- ``backward``: consumers upgrade first; every old document must stay valid.
- ``forward``: producers upgrade first; every new document must be valid under the old one.
- ``full``: both. ``*_transitive``: against every release of the same major.

The project's mode is ``[tool.execution-group.compat] mode`` in pyproject.toml.
Semver: major for a breaking change, minor for any other change of the accepted
documents, patch for annotations only. The version is the one in the schema's ``$id``
(``.../schema/X.Y.Z/...``); ``version`` in pyproject.toml must equal it.

Reviewed changes: ``schema/released/X.Y.Z.reviewed.json`` lists changes since release
X.Y.Z that a person has shown to change no verdict of a JSON Schema (ECMA-262) validator,
each as ``{"path", "old", "new", "why"}`` (``path`` a JSON pointer). A change at that path
between exactly those values counts as an annotation, and the report prints the reason.
An entry that matches no change fails the check, so the file cannot go stale.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.compat._changes import MODES, Change, Mode, compare, required_bump
from tools.compat._release import (
    Version,
    apply_reviews,
    configured_mode,
    parse_mode,
    run,
    schema_version,
)

__all__ = [
    "MODES",
    "Change",
    "Mode",
    "Version",
    "apply_reviews",
    "compare",
    "configured_mode",
    "main",
    "parse_mode",
    "required_bump",
    "run",
    "schema_version",
]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "execution_group.schema.json"
RELEASED = ROOT / "schema" / "released"
PYPROJECT = ROOT / "pyproject.toml"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.schema_compat",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--schema", type=Path, default=SCHEMA)
    parser.add_argument("--released", type=Path, default=RELEASED, help="folder of X.Y.Z.json")
    parser.add_argument("--pyproject", type=Path, default=PYPROJECT)
    parser.add_argument(
        "--mode", type=parse_mode, default=None,
        help=f"one of {', '.join(m.upper() for m in MODES)} (default: the project's setting)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    mode: Mode = args.mode or configured_mode(args.pyproject) or "backward"
    code, lines = run(args.schema, args.released, args.pyproject, mode)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
