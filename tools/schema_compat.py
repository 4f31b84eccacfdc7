"""Is the schema compatible with the last released one, and is its version bumped to match?

Run ``python -m tools.schema_compat`` (or ``nox -s compat``). It compares
``schema/execution_group.schema.json`` with the newest ``schema/released/X.Y.Z.json`` and
classifies every difference:

- **narrowing**: a document the released schema accepts may now be rejected (property or
  enum value removed or renamed, new required property, new or changed pattern, tighter
  bound, ``maxItems``, changed type, ``additionalProperties`` tightened, new ``if``/``then``
  or other ``allOf`` rule). It breaks *producers*: their documents, and those already stored,
  stop validating.
- **widening**: a document the released schema rejects may now be accepted (new optional
  property, added enum value, relaxed bound). It breaks *consumers still on the released
  schema* that validate strictly (this schema says ``additionalProperties: false`` and closed
  enums), so they reject the new documents.
- **annotation**: description, title, examples and the like; no verdict changes.

Modes, after Confluent Schema Registry (and ``buf breaking``):

- ``backward`` (default, as Confluent's default): consumers upgrade first, so only
  narrowing is breaking and needs a major bump; widening needs a minor bump.
- ``full``: both directions must hold; widening is breaking too (major bump).

Semver required: major for any breaking change, minor for any other change of the accepted
documents, patch for annotations only. The version is the one in the schema's ``$id``
(``.../schema/X.Y.Z/...``); ``version`` in pyproject.toml must equal it. Patterns cannot be
compared in general: any change of a pattern counts as narrowing, unless identical, and so
does any other change whose direction is not analysed, inside a ``not`` as well (where a
known narrowing would flip to a widening).

Reviewed changes: ``schema/released/X.Y.Z.reviewed.json`` lists changes since release
X.Y.Z that a person has shown to change no verdict of a JSON Schema (ECMA-262) validator,
each as ``{"path", "old", "new", "why"}`` (``path`` a JSON pointer). A change at that path
between exactly those values counts as an annotation, and the report prints the reason.
An entry that matches no change fails the check, so the file cannot go stale.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Change",
    "Version",
    "apply_reviews",
    "compare",
    "main",
    "required_bump",
    "schema_version",
]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "execution_group.schema.json"
RELEASED = ROOT / "schema" / "released"
PYPROJECT = ROOT / "pyproject.toml"

Kind = Literal["narrowing", "widening", "annotation"]
Mode = Literal["backward", "full"]
Bump = Literal["none", "patch", "minor", "major"]
BUMPS: tuple[Bump, ...] = ("none", "patch", "minor", "major")

ANNOTATIONS = frozenset(
    {"title", "description", "examples", "$comment", "default", "deprecated", "readOnly",
     "writeOnly", "$id", "$schema"}
)  # fmt: skip
LOWER_BOUNDS = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"})
UPPER_BOUNDS = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"})
SUBSCHEMA = frozenset({"items", "contains", "propertyNames", "then", "else", "additionalItems"})
SCHEMA_MAPS = frozenset({"properties", "$defs", "patternProperties", "dependentSchemas"})
_SEMVER = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)")


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


@dataclass(frozen=True)
class Change:
    kind: Kind
    path: str
    message: str

    def breaking(self, mode: Mode) -> bool:
        return self.kind == "narrowing" or (mode == "full" and self.kind == "widening")

    def describe(self, mode: Mode) -> str:
        who = {
            "narrowing": "breaks producers: documents valid before may be rejected",
            "widening": "breaks strict consumers on the old schema: new documents may be rejected",
            "annotation": "no document changes verdict",
        }[self.kind]
        label = "BREAKING" if self.breaking(mode) else "compatible"
        return f"{label}: {self.message} (at {self.path or '/'}; {who})"


def _flip(kind: Kind) -> Kind:
    """Under ``not``, accepting more means rejecting more."""
    if kind == "narrowing":
        return "widening"
    if kind == "widening":
        return "narrowing"
    return kind


def _show(value: Any) -> str:
    return json.dumps(value)  # escaped: U+2028 and the like must not print as blanks


def _types(node: dict[str, Any]) -> set[str] | None:
    declared = node.get("type")
    if declared is None:
        return None
    return {declared} if isinstance(declared, str) else set(declared)


def _blocks_unknown(node: dict[str, Any]) -> bool:
    return node.get("additionalProperties") is False


_ABSENT: Any = object()


@dataclass(frozen=True)
class _Diff:
    """One keyword that differs between two schema nodes."""

    key: str
    old_node: dict[str, Any]
    new_node: dict[str, Any]
    path: str
    flipped: bool

    @property
    def old(self) -> Any:
        return self.old_node.get(self.key, _ABSENT)

    @property
    def new(self) -> Any:
        return self.new_node.get(self.key, _ABSENT)

    @property
    def added(self) -> bool:
        return self.key not in self.old_node

    @property
    def removed(self) -> bool:
        return self.key not in self.new_node

    @property
    def what(self) -> str:
        return "added" if self.added else "removed" if self.removed else "changed"


class _Walker:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, kind: Kind, diff: _Diff, message: str, path: str | None = None) -> None:
        where = diff.path if path is None else path
        self.changes.append(Change(_flip(kind) if diff.flipped else kind, where, message))

    def either_way(self, diff: _Diff, message: str) -> None:
        """A change whose direction is not analysed: breaking, inside a ``not`` or not."""
        self.changes.append(Change("narrowing", diff.path, message))

    def schema(self, old: Any, new: Any, path: str, flipped: bool) -> None:
        if old == new:
            return
        if not (isinstance(old, dict) and isinstance(new, dict)):
            old_all, new_all = old is True or old == {}, new is True or new == {}
            kind: Kind = "widening" if new_all and not old_all else "narrowing"
            diff = _Diff("", {}, {}, path, flipped)
            self.add(kind, diff, f"schema changed from {_show(old)} to {_show(new)}")
            return
        for key in sorted(set(old) | set(new)):
            diff = _Diff(key, old, new, f"{path}/{key}", flipped)
            if diff.old != diff.new:
                self._handler(key)(diff)

    def _handler(self, key: str) -> Any:
        handlers = {
            "type": self.type,
            "enum": self.enum,
            "const": self.const,
            "required": self.required,
            "additionalProperties": self.additional_properties,
            "pattern": self.pattern,
            "uniqueItems": self.unique_items,
            "not": self.negation,
            "if": self.condition,
            "$ref": self.ref,
            "allOf": self.combinator,
            "anyOf": self.combinator,
            "oneOf": self.combinator,
        }
        if key in ANNOTATIONS:
            return self.annotation
        if key in SCHEMA_MAPS:
            return self.schema_map
        if key in LOWER_BOUNDS or key in UPPER_BOUNDS:
            return self.bound
        if key in SUBSCHEMA:
            return self.subschema
        return handlers.get(key, self.unknown)

    def annotation(self, diff: _Diff) -> None:
        self.add("annotation", diff, f"{diff.key} {diff.what}")

    def unknown(self, diff: _Diff) -> None:
        self.either_way(diff, f"keyword {diff.key!r} {diff.what} (not analysed: breaking)")

    def type(self, diff: _Diff) -> None:
        was, now = _types(diff.old_node), _types(diff.new_node)
        if was is None:
            self.add("narrowing", diff, f"type restricted to {sorted(now or [])}")
        elif now is None:
            self.add("widening", diff, f"type restriction {sorted(was)} removed")
        else:
            for name in sorted(was - now):
                self.add("narrowing", diff, f"type {name!r} no longer allowed")
            for name in sorted(now - was):
                self.add("widening", diff, f"type {name!r} now allowed")

    def enum(self, diff: _Diff) -> None:
        if diff.added:
            self.add("narrowing", diff, f"values restricted to {_show(diff.new)}")
            return
        if diff.removed:
            self.add("widening", diff, "enum restriction removed")
            return
        was = [_show(value) for value in diff.old]
        now = [_show(value) for value in diff.new]
        for value in was:
            if value not in now:
                self.add("narrowing", diff, f"enum value {value} removed (or renamed)")
        for value in now:
            if value not in was:
                self.add("widening", diff, f"enum value {value} added")

    def const(self, diff: _Diff) -> None:
        kind: Kind = "widening" if diff.removed else "narrowing"
        self.add(kind, diff, f"const {diff.what}: {_show(diff.old)} -> {_show(diff.new)}")

    def required(self, diff: _Diff) -> None:
        was: set[str] = set() if diff.added else set(diff.old)
        now: set[str] = set() if diff.removed else set(diff.new)
        for name in sorted(now - was):
            self.add("narrowing", diff, f"property {name!r} is now required")
        for name in sorted(was - now):
            self.add("widening", diff, f"property {name!r} is no longer required")

    def additional_properties(self, diff: _Diff) -> None:
        before = True if diff.added else diff.old
        after = True if diff.removed else diff.new
        if after is False:
            message = "additionalProperties tightened: unknown properties are now rejected"
            self.add("narrowing", diff, message)
        elif before is False:
            message = "additionalProperties relaxed: unknown properties are now accepted"
            self.add("widening", diff, message)
        else:
            self.schema(before, after, diff.path, diff.flipped)

    def bound(self, diff: _Diff) -> None:
        if diff.added:
            self.add("narrowing", diff, f"new bound {diff.key} = {_show(diff.new)}")
        elif diff.removed:
            self.add("widening", diff, f"bound {diff.key} = {_show(diff.old)} removed")
        else:
            tighter = diff.new > diff.old if diff.key in LOWER_BOUNDS else diff.new < diff.old
            verb = "narrowed" if tighter else "relaxed"
            message = f"{diff.key} {verb} from {diff.old} to {diff.new}"
            self.add("narrowing" if tighter else "widening", diff, message)

    def pattern(self, diff: _Diff) -> None:
        if diff.removed:
            self.add("widening", diff, f"pattern {_show(diff.old)} removed")
        elif diff.added:
            self.add("narrowing", diff, f"pattern changed from none to {_show(diff.new)}")
        else:
            self.either_way(diff, f"pattern changed from {_show(diff.old)} to {_show(diff.new)}")

    def unique_items(self, diff: _Diff) -> None:
        if diff.new is True:
            self.add("narrowing", diff, "uniqueItems now required")
        else:
            self.add("widening", diff, "uniqueItems no longer required")

    def negation(self, diff: _Diff) -> None:
        if diff.added:
            self.add("narrowing", diff, f"new 'not' rule {_show(diff.new)}")
        elif diff.removed:
            self.add("widening", diff, f"'not' rule {_show(diff.old)} removed")
        else:
            self.schema(diff.old, diff.new, diff.path, not diff.flipped)

    def condition(self, diff: _Diff) -> None:
        # A changed condition moves documents both ways: breaking in either mode.
        self.either_way(diff, "rule condition ('if') changed")

    def ref(self, diff: _Diff) -> None:
        self.either_way(diff, f"$ref changed from {_show(diff.old)} to {_show(diff.new)}")

    def subschema(self, diff: _Diff) -> None:
        if diff.key == "then" and diff.added:
            self.add("narrowing", diff, f"new if/then rule: then {_show(diff.new)}")
        else:
            before = True if diff.added else diff.old
            after = True if diff.removed else diff.new
            self.schema(before, after, diff.path, diff.flipped)

    def schema_map(self, diff: _Diff) -> None:
        old: dict[str, Any] = {} if diff.added else diff.old
        new: dict[str, Any] = {} if diff.removed else diff.new
        for name in sorted(set(old) | set(new)):
            where = f"{diff.path}/{name}"
            if name in old and name in new:
                self.schema(old[name], new[name], where, diff.flipped)
            elif diff.key == "$defs":
                gone = name not in new
                message = (
                    f"definition {name!r} removed (external $refs to it break)"
                    if gone
                    else f"definition {name!r} added"
                )
                self.add("narrowing" if gone else "annotation", diff, message, where)
            elif name not in new:
                if diff.key == "properties" and not _blocks_unknown(diff.new_node):
                    self.add("widening", diff, f"property {name!r} no longer constrained", where)
                else:
                    message = f"property {name!r} removed (or renamed): documents with it fail"
                    self.add("narrowing", diff, message, where)
            elif diff.key == "properties" and _blocks_unknown(diff.old_node):
                self.add("widening", diff, f"new optional property {name!r}", where)
            else:
                self.add("narrowing", diff, f"new constraint on property {name!r}", where)

    def combinator(self, diff: _Diff) -> None:
        old: list[Any] = [] if diff.added else diff.old
        new: list[Any] = [] if diff.removed else diff.new
        unmatched_old = [item for item in old if item not in new]
        unmatched_new = [item for item in new if item not in old]
        for item in list(unmatched_old):
            label = _label(item)
            partner = next((n for n in unmatched_new if label and _label(n) == label), None)
            if partner is None and len(unmatched_old) == len(unmatched_new) == 1:
                partner = unmatched_new[0]
            if partner is not None:
                unmatched_old.remove(item)
                unmatched_new.remove(partner)
                self.schema(item, partner, f"{diff.path}/{new.index(partner)}", diff.flipped)
        # allOf: a new member rejects more; anyOf: a new branch accepts more;
        # oneOf: either way, so both directions count as narrowing.
        for item in unmatched_new:
            kind: Kind = "widening" if diff.key == "anyOf" else "narrowing"
            where = f"{diff.path}/{new.index(item)}"
            self.add(kind, diff, f"new {diff.key} member {_label(item) or _show(item)}", where)
        for item in unmatched_old:
            kind = "narrowing" if diff.key in ("anyOf", "oneOf") else "widening"
            self.add(kind, diff, f"{diff.key} member removed: {_label(item) or _show(item)}")


def _label(item: Any) -> str | None:
    """An allOf/anyOf member's description, which names the rule."""
    if isinstance(item, dict) and isinstance(item.get("description"), str):
        return _show(item["description"])
    return None


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every difference between two schemas, classified."""
    walker = _Walker()
    walker.schema(old, new, "", False)
    return walker.changes


def required_bump(changes: Sequence[Change], mode: Mode) -> Bump:
    """The smallest semver step the changes need."""
    if any(change.breaking(mode) for change in changes):
        return "major"
    if any(change.kind != "annotation" for change in changes):
        return "minor"
    return "patch" if changes else "none"


_ID_VERSION = re.compile(r"/([0-9]+\.[0-9]+\.[0-9]+)/")


def schema_version(schema: dict[str, Any]) -> Version:
    """The version in the schema's ``$id`` (``.../schema/X.Y.Z/...``)."""
    match = _ID_VERSION.search(str(schema.get("$id", "")))
    if match is None:
        raise ValueError(f"$id has no /X.Y.Z/ version: {schema.get('$id')!r}")
    return Version.parse(match.group(1))


def _released(folder: Path) -> Iterator[tuple[Version, Path]]:
    for path in folder.glob("*.json"):
        if _SEMVER.fullmatch(path.stem):
            yield Version.parse(path.stem), path


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _load_list(path: Path) -> list[Any]:
    loaded: list[Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _at(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or ``_ABSENT``."""
    node = document
    for raw in pointer.split("/")[1:]:
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return _ABSENT
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
    return result, problems


def run(schema_path: Path, released: Path, pyproject: Path, mode: Mode) -> tuple[int, list[str]]:
    """Exit code and report lines."""
    lines: list[str] = []
    versions = sorted(_released(released))
    if not versions:
        return 1, [f"no released schema (X.Y.Z.json) in {released}"]
    base_version, base_path = versions[-1]
    base, current = _load(base_path), _load(schema_path)
    problems: list[str] = []
    if schema_version(base) != base_version:
        problems.append(f"{base_path.name}: its $id says {schema_version(base)}")
    version = schema_version(current)
    package = Version.parse(
        tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    )
    if package != version:
        problems.append(f"pyproject.toml version {package} differs from the schema's $id {version}")
    changes = compare(base, current)
    reviewed = base_path.with_name(f"{base_version}.reviewed.json")
    if reviewed.exists():
        changes, stale = apply_reviews(changes, base, current, _load_list(reviewed))
        problems.extend(f"{reviewed.name}: {problem}" for problem in stale)
    needed = required_bump(changes, mode)
    bumped = base_version.bump(version)
    lines.append(
        f"schema {version} against released {base_version} ({base_path.name}), mode {mode}: "
        f"{len(changes)} change(s), {sum(c.breaking(mode) for c in changes)} breaking"
    )
    lines.extend(f"  {change.describe(mode)}" for change in changes)
    if version < base_version:
        problems.append(f"version {version} is lower than the released {base_version}")
    elif needed != "none" and BUMPS.index(bumped) < BUMPS.index(needed):
        step = "no bump" if bumped == "none" else f"a {bumped} bump"
        problems.append(
            f"these changes need a {needed} version bump from {base_version}; "
            f"{version} is {step} (change the $id and pyproject.toml version)"
        )
    lines.extend(f"FAIL: {problem}" for problem in problems)
    if not problems:
        lines.append(f"OK: {version} is a valid successor of {base_version} ({needed} needed)")
    return (1 if problems else 0), lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.schema_compat",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--schema", type=Path, default=SCHEMA)
    parser.add_argument("--released", type=Path, default=RELEASED, help="folder of X.Y.Z.json")
    parser.add_argument("--pyproject", type=Path, default=PYPROJECT)
    parser.add_argument("--mode", choices=["backward", "full"], default="backward")
    args = parser.parse_args(argv)
    code, lines = run(args.schema, args.released, args.pyproject, args.mode)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
