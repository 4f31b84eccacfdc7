"""Checks of object keywords: required, the property model, propertyNames, dependencies.

A property's schema is what a validator applies to it: its ``properties`` entry, every
``patternProperties`` entry whose pattern matches its name, else ``additionalProperties``.
A property removed from an open model is therefore judged against the schema that now
covers it, and a property added is judged against the one that covered it before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tools.compat._scalars import malformed
from tools.compat._schema import (
    Node,
    Problem,
    is_false,
    pattern_matches,
    show,
    strings,
    unevaluated,
)

if TYPE_CHECKING:
    from tools.compat._prove import Prover

MODEL = ("properties", "patternProperties", "additionalProperties", "unevaluatedProperties")


def _map(node: Node, key: str) -> dict[str, Any]:
    value = node.get(key)
    return value if isinstance(value, dict) else {}


def required(flat: list[Node]) -> set[str]:
    return {name for node in flat for name in strings(node.get("required")) or []}


def property_nodes(flat: list[Node], name: str) -> list[Node]:
    """The schemas the conjuncts apply to property ``name`` (an empty list: unconstrained)."""
    out: list[Node] = []
    for node in flat:
        hit = unsure = False
        if name in _map(node, "properties"):
            out.append(
                Node(
                    node.side, node.get("properties")[name], f"{node.path}/properties/{_esc(name)}"
                )
            )
            hit = True
        for pattern, schema in _map(node, "patternProperties").items():
            matched = pattern_matches(pattern, name)
            unsure |= matched is None
            if matched:
                out.append(
                    Node(node.side, schema, f"{node.path}/patternProperties/{_esc(pattern)}")
                )
                hit = True
        extra = node.at("additionalProperties") or unevaluated(node, "unevaluatedProperties")
        if not hit and not unsure and extra is not None:
            out.append(extra)
    return out


def _esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def check_required(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    if not target.has("required"):
        return []
    names = strings(target.get("required"))
    if names is None:
        return [malformed(target, "required")]
    if "object" not in prover.types(flat):
        return []
    have = required(flat)
    return [
        Problem(
            f"{target.path}/required",
            prover.say(
                target,
                f"property {name!r} is now required",
                f"property {name!r} is no longer required",
            ),
        )
        for name in names
        if name not in have
    ]


def check_properties(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    if not any(target.has(key) for key in MODEL) or "object" not in prover.types(flat):
        return []
    for key in ("properties", "patternProperties"):
        if target.has(key) and not isinstance(target.get(key), dict):
            return [malformed(target, key)]
    rest = target.at("additionalProperties") or target.at("unevaluatedProperties")
    names = set(_map(target, "properties")) | {n for node in flat for n in _map(node, "properties")}
    problems: list[Problem] = []
    for name in sorted(names):
        problems.extend(_named(prover, flat, target, name, rest))
    problems.extend(_unnamed(prover, flat, target, rest))
    return problems


def _named(
    prover: Prover, flat: list[Node], target: Node, name: str, rest: Node | None
) -> list[Problem]:
    have = property_nodes(flat, name)
    if prover.empty(have):
        return []
    wanted = property_nodes([target], name) or ([rest] if rest is not None else [])
    patterns = _map(target, "patternProperties")
    if any(pattern_matches(pattern, name) is None for pattern in patterns):
        return [
            Problem(f"{target.path}/patternProperties", "a pattern does not compile (not analysed)")
        ]
    where = f"{target.path}/properties/{_esc(name)}"
    problems: list[Problem] = []
    with prover.deeper():
        for node in wanted:
            found = prover.implies(have, node)
            if not found:
                continue
            if rest is not None and node.path == rest.path:
                if is_false(rest.schema):
                    message = prover.say(
                        target,
                        f"property {name!r} removed (or renamed): documents with it fail",
                        f"new optional property {name!r}",
                    )
                    problems.append(Problem(where, message))
                    continue
                message = prover.say(
                    target,
                    f"property {name!r} removed; what now covers it rejects some of its values",
                    f"property {name!r} added; what covered it before rejects some of its values",
                )
                problems.append(Problem(where, message))
            problems.extend(found)
    return problems


def _unnamed(prover: Prover, flat: list[Node], target: Node, rest: Node | None) -> list[Problem]:
    """Properties no schema names: each target pattern, then ``additionalProperties``."""
    problems: list[Problem] = []
    patterns = _map(target, "patternProperties")
    models: list[Node | None] = [node for node in flat if any(node.has(k) for k in MODEL)]
    models = models or [None]  # no conjunct constrains unnamed properties
    with prover.deeper():
        for pattern in patterns:
            node = Node(
                target.side, patterns[pattern], f"{target.path}/patternProperties/{_esc(pattern)}"
            )
            attempts = [_covers(prover, model, node, {pattern}, own=pattern) for model in models]
            if not all(attempts):
                continue
            problems.extend(attempts[0])
        if rest is not None:
            attempts = [_covers(prover, model, rest, set(patterns), own=None) for model in models]
            if all(attempts):
                if is_false(rest.schema):
                    message = prover.say(
                        target,
                        "additionalProperties tightened: unknown properties are now rejected",
                        "additionalProperties relaxed: unknown properties are now accepted",
                    )
                    problems.append(Problem(rest.path, message))
                else:
                    problems.extend(attempts[0])
    return problems


def _covers(
    prover: Prover, model: Node | None, wanted: Node, excluded: set[str], own: str | None
) -> list[Problem]:
    """Whether every unnamed property one conjunct may hold passes ``wanted``.

    ``own``: the target pattern being checked; a conjunct with the very same pattern only
    needs its entry for it. ``excluded``: target patterns whose names ``wanted`` skips.
    """
    if model is None:
        return prover.implies([], wanted)
    patterns = _map(model, "patternProperties")
    if own is not None and own in patterns:
        return prover.implies(
            [Node(model.side, patterns[own], f"{model.path}/patternProperties/{_esc(own)}")], wanted
        )
    candidates = [
        Node(model.side, schema, f"{model.path}/patternProperties/{_esc(p)}")
        for p, schema in patterns.items()
        if p not in excluded
    ]
    rest = model.at("additionalProperties") or unevaluated(model, "unevaluatedProperties")
    candidates.append(rest or Node(model.side, True, model.path))
    problems: list[Problem] = []
    for candidate in candidates:
        problems.extend(prover.implies([candidate], wanted))
    return problems


def check_property_names(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    wanted = target.at("propertyNames")
    if wanted is None or "object" not in prover.types(flat):
        return []
    attempts: list[list[Problem]] = []
    for node in flat:
        have = node.at("propertyNames")
        if have is not None:
            attempts.append(
                prover.implies([have, Node(have.side, {"type": "string"}, have.path)], wanted)
            )
        closed = is_false(node.get("additionalProperties")) and not _map(node, "patternProperties")
        if closed:
            names = [
                n for n in _map(node, "properties") if not prover.empty(property_nodes(flat, n))
            ]
            if all(prover.valid(name, wanted) is True for name in names):
                return []
    if any(not attempt for attempt in attempts):
        return []
    message = prover.say(
        target,
        f"propertyNames restricted to {show(wanted.schema)}",
        f"propertyNames {show(wanted.schema)} removed",
    )
    return [Problem(wanted.path, message), *(attempts[0] if attempts else [])]


def _dependent_required(node: Node, target: bool) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    sources = [_map(node, "dependentRequired")]
    if node.side.reads_dependencies(target):
        sources.append(_map(node, "dependencies"))
    for source in sources:
        for name, needs in source.items():
            listed = strings(needs)
            if listed is not None:
                found.setdefault(name, []).extend(listed)
    return found


def _dependent_schemas(node: Node, target: bool) -> dict[str, Node]:
    found = {
        n: Node(node.side, s, f"{node.path}/dependentSchemas/{_esc(n)}")
        for n, s in _map(node, "dependentSchemas").items()
    }
    if node.side.reads_dependencies(target):
        for name, schema in _map(node, "dependencies").items():
            if isinstance(schema, dict | bool):
                found[name] = Node(node.side, schema, f"{node.path}/dependencies/{_esc(name)}")
    return found


def check_dependencies(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    """dependentRequired, dependentSchemas, and draft-07 ``dependencies`` of both forms."""
    if "object" not in prover.types(flat):
        return []
    for key in ("dependentRequired", "dependentSchemas") + (
        ("dependencies",) if target.side.reads_dependencies(target=True) else ()
    ):
        if target.has(key) and not isinstance(target.get(key), dict):
            return [malformed(target, key)]
    problems: list[Problem] = []
    have = required(flat)
    for name, needs in _dependent_required(target, target=True).items():
        if prover.empty(property_nodes(flat, name)):
            continue
        for need in needs:
            if need in have or any(
                need in _dependent_required(n, target=False).get(name, []) for n in flat
            ):
                continue
            message = prover.say(
                target,
                f"property {need!r} now required when {name!r} is present",
                f"property {need!r} no longer required when {name!r} is present",
            )
            problems.append(Problem(f"{target.path}/dependentRequired/{_esc(name)}", message))
    for name, wanted in _dependent_schemas(target, target=True).items():
        if prover.empty(property_nodes(flat, name)) or not prover.implies(flat, wanted):
            continue
        attempts = [
            prover.implies([*flat, dep], wanted)
            for n in flat
            for dep_name, dep in _dependent_schemas(n, target=False).items()
            if dep_name == name
        ]
        if any(not attempt for attempt in attempts):
            continue
        message = prover.say(
            target, f"new dependent schema for {name!r}", f"dependent schema for {name!r} removed"
        )
        problems.append(Problem(wanted.path, message))
        problems.extend(attempts[0] if attempts else [])
    return problems
