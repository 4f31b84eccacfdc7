"""Checks of the applicators that combine schemas: not, anyOf, oneOf, allOf, $ref, if.

``oneOf`` is the one that is neither monotone nor antitone: a wider branch can make a
document match two branches and fail. A target ``oneOf`` is read as ``anyOf`` only when
its branches are shown pairwise disjoint; otherwise the document's branch must be shown
disjoint from every other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tools.compat._scalars import malformed
from tools.compat._schema import ANNOTATIONS, Node, Problem, show

if TYPE_CHECKING:
    from tools.compat._prove import Prover

ANALYSED = frozenset(
    {"type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
     "multipleOf", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems",
     "uniqueItems", "items", "prefixItems", "additionalItems", "unevaluatedItems", "contains",
     "minContains", "maxContains", "required", "properties", "patternProperties",
     "additionalProperties", "unevaluatedProperties", "propertyNames", "minProperties",
     "maxProperties", "dependentRequired", "dependentSchemas", "dependencies", "not", "anyOf",
     "oneOf", "allOf", "$ref", "if", "then", "else", "$defs", "definitions"}
)  # fmt: skip
"""Keywords the prover reads."""
UNANALYSED = frozenset({"$dynamicRef", "$recursiveRef", "$dynamicAnchor", "$recursiveAnchor"})
"""Keywords it does not read: where a target holds one, only identical documents on both
sides count as compatible (their meaning depends on the dynamic scope)."""


def _branches(target: Node, key: str) -> list[Node] | None:
    members = target.get(key)
    if not isinstance(members, list) or not members:
        return None
    return [Node(target.side, m, f"{target.path}/{key}/{i}") for i, m in enumerate(members)]


def _label(schema: Any) -> str | None:
    """An allOf member's description, which names the rule."""
    if isinstance(schema, dict) and isinstance(schema.get("description"), str):
        return show(schema["description"])
    return None


def check_not(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    negated = target.at("not")
    if negated is None or prover.disjoint(flat, [negated]):
        return []
    for node in flat:
        had = node.at("not")
        if had is not None and had.path == negated.path:
            return prover.implies([negated], had) or [Problem(negated.path, "'not' rule changed")]
    message = prover.say(
        target,
        f"new 'not' rule {show(negated.schema)}",
        f"'not' rule {show(negated.schema)} removed",
    )
    return [Problem(negated.path, message)]


def check_any_of(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    return _cover(prover, flat, target, "anyOf")


def check_one_of(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    return _cover(prover, flat, target, "oneOf")


def _cover(prover: Prover, flat: list[Node], target: Node, key: str) -> list[Problem]:
    """Some branch accepts every left document (and for ``oneOf`` no other branch does)."""
    if not target.has(key):
        return []
    branches = _branches(target, key)
    if branches is None:
        return [malformed(target, key)]
    exclusive = key == "oneOf" and not all(
        prover.disjoint([one], [two]) for i, one in enumerate(branches) for two in branches[i + 1 :]
    )
    attempts: list[list[Problem]] = []
    for index, branch in enumerate(branches):
        found = prover.implies(flat, branch)
        if not found and exclusive:
            others = [other for j, other in enumerate(branches) if j != index]
            if all(prover.disjoint(flat, [other]) for other in others):
                return []
            found = [
                Problem(
                    f"{target.path}/oneOf",
                    "oneOf branches may now overlap: a document matching two of them is rejected",
                )
            ]
        if not found:
            return []
        attempts.append(found)
    hint = prover.split_hint(flat, key, len(branches))
    best = attempts[hint] if hint is not None else min(attempts, key=len)
    if hint is not None or any(node.has(key) for node in flat) or len(branches) == 1:
        return best
    message = prover.say(
        target,
        f"new {key}: no branch accepts every document accepted before",
        f"{key} removed: documents it rejected are now accepted",
    )
    return [Problem(f"{target.path}/{key}", message), *best]


def check_all_of(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    if not target.has("allOf"):
        return []
    members = _branches(target, "allOf")
    if members is None:
        return [malformed(target, "allOf")]
    problems: list[Problem] = []
    for member in members:
        found = prover.implies(flat, member)
        if not found:
            continue
        label = _label(member.schema)
        known = any(_label(node.schema) == label for node in flat) if label else False
        if known:
            problems.extend(found)
            continue
        shown = label or show(member.schema)
        message = prover.say(target, f"new allOf member {shown}", f"allOf member removed: {shown}")
        problems.append(Problem(member.path, message))
        problems.extend(found)
    return problems


def check_ref(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    if not target.has("$ref"):
        return []
    ref = target.get("$ref")
    node = target.side.resolve(ref)
    if node is not None:
        return prover.guarded(flat, node)
    if target.side.external(ref) and any(
        n.get("$ref") == ref and n.side.external(ref) for n in flat
    ):
        return []  # the same external document on both sides
    return [Problem(f"{target.path}/$ref", f"$ref {show(ref)} cannot be resolved (not analysed)")]


def check_condition(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    """if/then/else: the same condition compares then with then and else with else."""
    condition = target.at("if")
    then, other = target.at("then"), target.at("else")
    if condition is None or (then is None and other is None):
        return []
    paired: list[Problem] = []
    for node in flat:
        had = node.at("if")
        if had is not None and prover.same(had, condition):
            negated = Node(condition.side, {"not": condition.schema}, f"{condition.path}#not")
            paired = _branch(prover, [*flat, *_present(node.at("then")), condition], then)
            paired += _branch(prover, [*flat, *_present(node.at("else")), negated], other)
            if not paired:
                return []
    if _holds(prover, flat, condition, then, other):
        return []
    if paired:
        return paired
    if any(node.has("if") for node in flat):
        return [Problem(condition.path, "rule condition ('if') changed")]
    message = prover.say(target, "new if/then rule", "if/then rule removed")
    return [Problem(condition.path, message)]


def _holds(
    prover: Prover, flat: list[Node], condition: Node, then: Node | None, other: Node | None
) -> bool:
    """Without a matching condition on the left: both branches hold, or the left side
    always (never) meets the condition and the branch that applies holds."""
    then_ok = not _branch(prover, flat, then)
    else_ok = not _branch(prover, flat, other)
    if then_ok and (else_ok or not prover.implies(flat, condition)):
        return True
    return else_ok and prover.disjoint(flat, [condition])


def _present(node: Node | None) -> list[Node]:
    return [] if node is None else [node]


def _branch(prover: Prover, flat: list[Node], wanted: Node | None) -> list[Problem]:
    return [] if wanted is None else prover.implies(flat, wanted)


def check_unanalysed(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    """A keyword the prover cannot read: compatible only between identical documents."""
    del prover
    problems: list[Problem] = []
    for key in sorted(UNANALYSED & set(target.schema)):
        if any(show(node.side.root) == show(target.side.root) for node in flat):
            continue
        value = show(target.get(key))
        problems.append(Problem(f"{target.path}/{key}", f"{key} {value} (not analysed: breaking)"))
    return problems


def validation_keyword(key: str) -> bool:
    """Whether a keyword takes part in validation (the rest are annotations)."""
    return key not in ANNOTATIONS and (key in ANALYSED or key in UNANALYSED)
