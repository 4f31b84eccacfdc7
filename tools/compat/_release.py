"""Released versions: semver from the ``$id``, the reviewed-changes ledger, and the check
of the working schema against the released ones under a mode."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.compat._changes import (
    BUMPS,
    Bump,
    Change,
    Mode,
    compare,
    removed_definitions,
    required_bump,
)

_SEMVER = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)")
_ID_VERSION = re.compile(r"/([0-9]+\.[0-9]+\.[0-9]+)/")
_MISSING: Any = object()


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _SEMVER.fullmatch(text)
        if match is None:
            raise ValueError(f"not a semantic version: {text!r}")
        major, minor, patch = (int(part) for part in match.groups())
        return cls(major, minor, patch)

    def bump(self, other: Version) -> Bump:
        """The kind of step from ``self`` to ``other`` (``none`` if not upwards)."""
        if other.major > self.major:
            return "major"
        if other.major == self.major and other.minor > self.minor:
            return "minor"
        if (other.major, other.minor) == (self.major, self.minor) and other.patch > self.patch:
            return "patch"
        return "none"

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def schema_version(schema: dict[str, Any]) -> Version:
    """The version in the schema's ``$id`` (``.../schema/X.Y.Z/...``)."""
    match = _ID_VERSION.search(str(schema.get("$id", "")))
    if match is None:
        raise ValueError(f"$id has no /X.Y.Z/ version: {schema.get('$id')!r}")
    return Version.parse(match.group(1))


def released(folder: Path) -> list[tuple[Version, Path]]:
    """The released schemas ``X.Y.Z.json`` in ``folder``, oldest first."""
    return sorted(
        (Version.parse(path.stem), path)
        for path in folder.glob("*.json")
        if _SEMVER.fullmatch(path.stem)
    )


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _at(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or a marker that equals no JSON value."""
    node = document
    for raw in pointer.split("/")[1:]:
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return _MISSING
    return node


def apply_reviews(
    changes: list[Change], base: dict[str, Any], current: dict[str, Any], reviews: list[Any]
) -> tuple[list[Change], list[str]]:
    """``changes`` with the reviewed ones as annotations, and the entries that match none."""
    result = list(changes)
    problems: list[str] = []
    for entry in reviews:
        path = entry["path"]
        exact = _at(base, path) == entry["old"] and _at(current, path) == entry["new"]
        hits = [i for i, change in enumerate(result) if change.path == path] if exact else []
        if not hits:
            problems.append(f"reviewed change at {path} matches no change of the schema")
        for i in hits:
            note = f"{result[i].message} (reviewed: {entry['why']})"
            result[i] = Change("annotation", path, note)
    return list(dict.fromkeys(result)), problems


def reviewed_changes(base_path: Path, base: Any, current: Any) -> tuple[list[Change], list[str]]:
    """``compare(base, current)`` with ``X.Y.Z.reviewed.json`` beside the release applied."""
    changes = compare(base, current) + removed_definitions(base, current)
    ledger = base_path.with_name(f"{base_path.stem}.reviewed.json")
    if not ledger.exists():
        return changes, []
    changes, stale = apply_reviews(changes, base, current, load(ledger))
    return changes, [f"{ledger.name}: {problem}" for problem in stale]


def configured_mode(pyproject: Path) -> Mode | None:
    """The project's mode: ``[tool.execution-group.compat] mode`` in pyproject.toml."""
    table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    mode = table.get("execution-group", {}).get("compat", {}).get("mode")
    return None if mode is None else _mode(str(mode))


def _mode(text: str) -> Mode:
    from tools.compat._changes import MODES

    for mode in MODES:
        if mode == text.lower():
            return mode
    raise ValueError(f"unknown compatibility mode {text!r}; one of {', '.join(MODES)}")


def run(schema_path: Path, folder: Path, pyproject: Path, mode: Mode) -> tuple[int, list[str]]:
    """Exit code and report lines."""
    versions = released(folder)
    if not versions:
        return 1, [f"no released schema (X.Y.Z.json) in {folder}"]
    current = load(schema_path)
    version = schema_version(current)
    base_version = versions[-1][0]
    lines: list[str] = []
    problems: list[str] = []
    package = Version.parse(
        tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    )
    if package != version:
        problems.append(f"pyproject.toml version {package} differs from the schema's $id {version}")
    needed: Bump = "none"
    for old_version, old_path in versions:
        newest = old_version == base_version
        if not newest and not (mode.endswith("_transitive") and old_version.major == version.major):
            continue
        base = load(old_path)
        if schema_version(base) != old_version:
            problems.append(f"{old_path.name}: its $id says {schema_version(base)}")
        changes, stale = reviewed_changes(old_path, base, current)
        problems.extend(stale)
        step = required_bump(changes, mode)
        lines.append(
            f"schema {version} against released {old_version} ({old_path.name}), mode {mode}: "
            f"{len(changes)} change(s), {sum(c.breaking(mode) for c in changes)} breaking"
        )
        lines.extend(f"  {change.describe(mode)}" for change in changes)
        if newest:
            needed = step
        elif step == "major" and version.major == old_version.major:
            problems.append(
                f"breaking against {old_version} ({mode}): a major version bump is needed"
            )
    bumped = base_version.bump(version)
    if version < base_version:
        problems.append(f"version {version} is lower than the released {base_version}")
    elif needed != "none" and BUMPS.index(bumped) < BUMPS.index(needed):
        step_text = "no bump" if bumped == "none" else f"a {bumped} bump"
        problems.append(
            f"these changes need a {needed} version bump from {base_version}; "
            f"{version} is {step_text} (change the $id and pyproject.toml version)"
        )
    lines.extend(f"FAIL: {problem}" for problem in problems)
    if not problems:
        lines.append(f"OK: {version} is a valid successor of {base_version} ({needed} needed)")
    return (1 if problems else 0), lines


def parse_mode(text: str) -> Mode:
    """A mode named as the registries name it (``BACKWARD_TRANSITIVE``) or in lower case."""
    return _mode(text)


def iter_released(folder: Path) -> Iterator[tuple[Version, Any]]:
    for version, path in released(folder):
        yield version, load(path)
