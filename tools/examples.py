"""Write ``examples/``: the schema's own examples, one JSON document a file, never hand-edited.

The schema's ``examples`` are the source (one fact, one place); the files exist so that
the README's first command, any validator in any language, and a person with ``jq`` can
use them without reading the schema.

    python -m tools.examples           # write examples/*.json
    python -m tools.examples --check   # exit 1, naming each stale, missing or extra file
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "execution_group.schema.json"
OUTPUT = ROOT / "examples"


def render() -> dict[str, str]:
    """File name -> text, for every example of the schema."""
    schema: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    files: dict[str, str] = {}
    for number, example in enumerate(schema["examples"], 1):
        strategy = example["execution_strategy"].lower()
        status = example["status"].lower()
        files[f"{number:02d}-{strategy}-{status}.json"] = json.dumps(example, indent=2) + "\n"
    return files


def main(argv: list[str] | None = None) -> int:
    """Write the files, or with ``--check`` compare them."""
    parser = argparse.ArgumentParser(prog="python -m tools.examples", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when examples/ differs")
    options = parser.parse_args(argv)
    files = render()
    on_disk = {path.name for path in OUTPUT.glob("*.json")}
    if not options.check:
        OUTPUT.mkdir(exist_ok=True)
        for name in on_disk - set(files):
            (OUTPUT / name).unlink()
        for name, text in files.items():
            (OUTPUT / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {len(files)} files to {OUTPUT.relative_to(ROOT)}/")
        return 0
    problems = [f"extra: {name}" for name in sorted(on_disk - set(files))]
    for name, text in files.items():
        path = OUTPUT / name
        if not path.exists():
            problems.append(f"missing: {name}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"stale: {name}")
    if problems:
        print("\n".join(f"examples/ {problem}" for problem in problems))
        print("run `python -m tools.examples` (nox -s docs) to rewrite them from the schema")
        return 1
    print(f"examples/ is up to date ({len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
