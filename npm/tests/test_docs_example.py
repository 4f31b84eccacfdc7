"""The TypeScript example of docs/consumers.md runs as written, from a folder outside the
repository: each block marked ``<!-- docs-example: NAME -->`` is taken from the page, the
folder ``/tmp`` replaced by a temporary one; the shell blocks run with bash from the
repository's root, and the program's output must be the documented output.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from npm_consumer import ROOT, node_and_npm, run

PAGE = ROOT / "docs" / "consumers.md"
BLOCK = re.compile(r"<!-- docs-example: (\S+) -->\n```[a-z]*\n(.*?)```", re.S)


def _blocks() -> dict[str, str]:
    return dict(BLOCK.findall(PAGE.read_text(encoding="utf-8")))


def test_the_page_has_the_example() -> None:
    assert set(_blocks()) == {"setup.sh", "tsconfig.json", "example.ts", "run.sh", "output"}


def test_the_example_runs_as_written(tmp_path: Path) -> None:
    node_and_npm()
    bash = shutil.which("bash")
    assert bash is not None
    assert ROOT not in tmp_path.resolve().parents, "the example must run outside the repository"
    blocks = {name: text.replace("/tmp", str(tmp_path)) for name, text in _blocks().items()}
    run([bash, "-euo", "pipefail", "-c", blocks["setup.sh"]], ROOT)
    project = tmp_path / "eg-consumer"
    for name in ("tsconfig.json", "example.ts"):
        (project / name).write_text(blocks[name], encoding="utf-8")
    result = run([bash, "-euo", "pipefail", "-c", blocks["run.sh"]], project)
    assert result.stdout == blocks["output"]
