"""A TypeScript project outside the repository compiles against the packed package under
``moduleResolution`` NodeNext and Bundler, with ``@types/node``, and its output runs.

``consumer/`` holds the project: pinned tools (package.json and its lockfile), the source and
one tsconfig per resolution mode. The source uses every export and marks two misuses with
``@ts-expect-error``, so declarations that went missing (``any``) fail the compilation too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from npm_consumer import node_and_npm, run

FIXTURE = Path(__file__).with_name("consumer")


@pytest.fixture(scope="module")
def project(tarball: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, npm = node_and_npm()
    folder = tmp_path_factory.mktemp("typescript") / "consumer"
    shutil.copytree(FIXTURE, folder)
    run([npm, "ci", "--no-audit", "--no-fund"], folder)
    run([npm, "install", "--no-save", "--no-audit", "--no-fund", str(tarball)], folder)
    return folder


@pytest.mark.parametrize("mode", ["nodenext", "bundler"])
def test_compiles_and_runs(project: Path, mode: str) -> None:
    node, _ = node_and_npm()
    tsc = str(project / "node_modules" / "typescript" / "bin" / "tsc")
    run([node, tsc, "-p", f"tsconfig.{mode}.json"], project)
    output = json.loads(run([node, f"out-{mode}/consumer.js"], project).stdout)
    assert output == {
        "valid": [True, True, True, True, True],
        "rule": "fill_exceeds_target",
        "status": "COMPLETED",
        "id": "https://execution-group.dev/schema/1.0.1/execution_group.schema.json",
        "wrong": "object",
    }
