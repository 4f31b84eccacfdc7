"""Changes between two schemas, classified, and the compatibility modes that judge them.

A **narrowing** is a reason a document valid under the old schema may fail the new one
(the proof of old ⊆ new failed there); a **widening** the reverse (new ⊆ old failed).
An **annotation** changes no verdict. Modes are the registries' names:

- BACKWARD: consumers upgrade first; every old document must stay valid (no narrowing).
- FORWARD: producers upgrade first; every new document must be valid under the old schema
  (no widening).
- FULL: both. Each ``_transitive`` variant holds against every released version of the
  same major, not only the newest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from tools.compat._arrays import check_contains, check_items, check_unique
from tools.compat._logic import (
    check_all_of,
    check_any_of,
    check_condition,
    check_not,
    check_one_of,
    check_ref,
    check_unanalysed,
    validation_keyword,
)
from tools.compat._objects import (
    check_dependencies,
    check_properties,
    check_property_names,
    check_required,
)
from tools.compat._prove import Check, Prover, TooComplex
from tools.compat._scalars import (
    check_counts,
    check_multiple_of,
    check_numeric_bounds,
    check_string,
    check_type,
    check_values,
)
from tools.compat._schema import Node, Problem, Side, cannot_say, escape, show

Kind = Literal["narrowing", "widening", "annotation"]
Mode = Literal[
    "backward", "backward_transitive", "forward", "forward_transitive", "full", "full_transitive"
]
MODES: tuple[Mode, ...] = get_args(Mode)
Bump = Literal["none", "patch", "minor", "major"]
BUMPS: tuple[Bump, ...] = ("none", "patch", "minor", "major")

CHECKS: tuple[Check, ...] = (
    check_type,
    check_values,
    check_numeric_bounds,
    check_counts,
    check_multiple_of,
    check_string,
    check_items,
    check_contains,
    check_unique,
    check_required,
    check_properties,
    check_property_names,
    check_dependencies,
    check_not,
    check_any_of,
    check_one_of,
    check_all_of,
    check_ref,
    check_condition,
    check_unanalysed,
)

SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
SCHEMA_ONE = frozenset(
    {
        "not",
        "if",
        "then",
        "else",
        "items",
        "additionalItems",
        "contains",
        "additionalProperties",
        "unevaluatedProperties",
        "propertyNames",
        "unevaluatedItems",
    }
)


def breaks(kind: Kind, mode: Mode) -> bool:
    """Whether a change of ``kind`` is breaking under ``mode``."""
    base = mode.removesuffix("_transitive")
    return (kind == "narrowing" and base in ("backward", "full")) or (
        kind == "widening" and base in ("forward", "full")
    )


@dataclass(frozen=True)
class Change:
    kind: Kind
    path: str
    message: str

    def breaking(self, mode: Mode) -> bool:
        return breaks(self.kind, mode)

    def describe(self, mode: Mode) -> str:
        who = {
            "narrowing": "a document valid under the old schema may be rejected",
            "widening": "a document valid under the new schema may be rejected by the old one",
            "annotation": "no document changes verdict",
        }[self.kind]
        label = "BREAKING" if self.breaking(mode) else "compatible"
        return f"{label}: {self.message} (at {self.path or '/'}; {who})"


def prove(narrower: Node, wider: Node) -> list[Problem]:
    """Why a document valid under ``narrower`` may fail ``wider`` ([] = proven never)."""
    prover = Prover(CHECKS)
    try:
        return _unique(prover.implies([narrower], wider))
    except (TooComplex, RecursionError):
        return [Problem(wider.path, "too complex to analyse (counted as breaking)")]
    except BaseException as error:  # fail closed: a verdict, never a crash
        if not cannot_say(error):
            raise
        return [Problem(wider.path, f"internal error {type(error).__name__} (counted as breaking)")]


READINGS = ("2020-12", "draft-07")
"""How validators read a schema without ``$schema``: a verdict must hold under both."""


def compare(old: Any, new: Any) -> list[Change]:
    """Every difference between two schemas, classified."""
    changes: list[Change] = []
    for reading in READINGS:
        before, after = Side(old, True, reading), Side(new, False, reading)
        changes += [
            Change("narrowing", p.path, p.message)
            for p in prove(Node(before, old, ""), Node(after, new, ""))
        ]
        changes += [
            Change("widening", p.path, p.message)
            for p in prove(Node(after, new, ""), Node(before, old, ""))
        ]
        if before.declared and after.declared:
            break
    changes = list(dict.fromkeys(changes))
    notes, edits = _edits(old, new, "")
    changes += notes
    if not changes and edits:
        changes += [
            Change("annotation", path, f"{what}; no document changes verdict")
            for path, what in edits
        ]
    return changes


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def removed_definitions(old: Any, new: Any) -> list[Change]:
    """Definitions gone from ``$defs``/``definitions``: no document changes verdict, but
    schemas that ``$ref`` them from outside break (the project's release policy)."""
    changes: list[Change] = []
    for key in ("$defs", "definitions"):
        was = old.get(key) if isinstance(old, dict) else None
        now = new.get(key) if isinstance(new, dict) else None
        if isinstance(was, dict):
            for name in was:
                if not isinstance(now, dict) or name not in now:
                    message = f"definition {name!r} removed (external $refs to it break)"
                    changes.append(Change("narrowing", f"/{key}/{escape(name)}", message))
    return changes


def _edits(old: Any, new: Any, path: str) -> tuple[list[Change], list[tuple[str, str]]]:
    """Annotation changes, and where validation keywords were edited, in schema order."""
    if show(old) == show(new):
        return [], []
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return [], [(path, f"schema {show(old)} rewritten as {show(new)}")]
    notes: list[Change] = []
    edits: list[tuple[str, str]] = []
    for key in sorted(set(old) | set(new), key=str):
        where = f"{path}/{escape(key)}"
        was, now = old.get(key), new.get(key)
        if show(was) == show(now) and (key in old) == (key in new):
            continue
        what = "added" if key not in old else "removed" if key not in new else "changed"
        if not validation_keyword(key):
            notes.append(Change("annotation", where, f"{key} {what}"))
        elif what != "changed":
            edits.append((where, f"{key} {what}"))
        else:
            for sub_notes, sub_edits in _children(key, was, now, where):
                notes += sub_notes
                edits += sub_edits
    return notes, edits


def _children(
    key: str, was: Any, now: Any, where: str
) -> Iterator[tuple[list[Change], list[tuple[str, str]]]]:
    if key in SCHEMA_MAPS and isinstance(was, dict) and isinstance(now, dict):
        for name in sorted(set(was) | set(now)):
            if name in was and name in now:
                yield _edits(was[name], now[name], f"{where}/{escape(name)}")
            elif show(was.get(name)) != show(now.get(name)):
                yield [], [(f"{where}/{escape(name)}", f"{key} entry {name!r} added or removed")]
    elif (
        key in SCHEMA_LISTS
        and isinstance(was, list)
        and isinstance(now, list)
        and len(was) == len(now)
    ):
        for index, (one, two) in enumerate(zip(was, now, strict=True)):
            yield _edits(one, two, f"{where}/{index}")
    elif key in SCHEMA_ONE:
        yield _edits(was, now, where)
    else:
        yield [], [(where, f"{key} changed")]


def required_bump(changes: Sequence[Change], mode: Mode) -> Bump:
    """The smallest semver step the changes need."""
    if any(change.breaking(mode) for change in changes):
        return "major"
    if any(change.kind != "annotation" for change in changes):
        return "minor"
    return "patch" if changes else "none"
