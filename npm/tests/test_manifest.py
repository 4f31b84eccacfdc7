"""The npm package's manifest: versioned with the schema, every tool pinned exactly.

No node needed: these read package.json, its lockfile, pyproject.toml and the schema.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from npm_consumer import PACKAGE, ROOT

from execution_group.contract import schema

EXACT = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")
PROJECTS = [PACKAGE, Path(__file__).with_name("consumer")]


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_package_is_versioned_with_the_schema() -> None:
    from_id = re.search(r"/schema/([0-9.]+)/", schema()["$id"])
    assert from_id is not None
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    manifest = _json(PACKAGE / "package.json")
    assert manifest["name"] == "execution-group"
    assert manifest["version"] == from_id.group(1) == pyproject["project"]["version"]
    assert _json(PACKAGE / "package-lock.json")["version"] == manifest["version"]


def test_the_package_has_no_runtime_dependency() -> None:
    manifest = _json(PACKAGE / "package.json")
    assert not manifest.get("dependencies")
    assert not manifest.get("peerDependencies")


@pytest.mark.parametrize("project", PROJECTS, ids=lambda path: path.name)
def test_every_tool_is_pinned_exactly_and_locked(project: Path) -> None:
    wanted: dict[str, str] = _json(project / "package.json")["devDependencies"]
    assert all(EXACT.match(version) for version in wanted.values()), wanted
    lock = _json(project / "package-lock.json")
    assert lock["packages"][""]["devDependencies"] == wanted
    for name, version in wanted.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert all("integrity" in entry for key, entry in lock["packages"].items() if key)


def test_the_exports_name_what_the_build_writes() -> None:
    manifest = _json(PACKAGE / "package.json")
    build = (PACKAGE / "build.mjs").read_text(encoding="utf-8")
    root = manifest["exports"]["."]
    assert root == {"types": "./dist/index.d.ts", "default": "./dist/index.js"}
    for target in manifest["exports"].values():
        if isinstance(target, str) and target.startswith("./schema/"):
            assert (ROOT / target).is_file(), target  # copied from the repository's schema/
            assert Path(target).name in build
