"""Checks of array keywords: items in both spellings, contains, uniqueItems.

Draft 2020-12 writes a tuple as ``prefixItems`` + ``items``; draft 7 as an ``items`` array
+ ``additionalItems``. Both are read as (schemas by position, schema for the rest).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.compat._scalars import malformed
from tools.compat._schema import Node, Problem, number, show, unevaluated

if TYPE_CHECKING:
    from tools.compat._prove import Prover


def tuple_form(node: Node) -> tuple[list[Node], Node | None] | None:
    """(schemas by position, schema for later items or ``None``), ``None`` if malformed."""
    items = node.get("items")
    if isinstance(items, list):
        prefix = [Node(node.side, s, f"{node.path}/items/{i}") for i, s in enumerate(items)]
        return prefix, node.at("additionalItems")
    if node.has("prefixItems") and not isinstance(node.get("prefixItems"), list):
        return None
    listed = node.get("prefixItems") or []
    prefix = [Node(node.side, s, f"{node.path}/prefixItems/{i}") for i, s in enumerate(listed)]
    return prefix, node.at("items")


def _forms(flat: list[Node]) -> list[tuple[list[Node], Node | None]]:
    forms: list[tuple[list[Node], Node | None]] = []
    for node in flat:
        form = tuple_form(node)
        if form is not None:
            forms.append((form[0], form[1] or unevaluated(node, "unevaluatedItems")))
    return forms


def at_position(flat: list[Node], index: int | None) -> list[Node]:
    """The schemas the conjuncts apply to item ``index`` (``None``: past every prefix)."""
    out: list[Node] = []
    for prefix, rest in _forms(flat):
        if index is not None and index < len(prefix):
            out.append(prefix[index])
        elif rest is not None:
            out.append(rest)
    return out


def max_items(flat: list[Node]) -> int | None:
    limits = [
        int(v) for v in (number(node.get("maxItems")) for node in flat) if v is not None and v >= 0
    ]
    return min(limits) if limits else None


def min_items(flat: list[Node]) -> int:
    limits = [int(v) for v in (number(node.get("minItems")) for node in flat) if v is not None]
    return max(limits, default=0)


def _every_item(prover: Prover, flat: list[Node], wanted: Node, start: int = 0) -> list[Problem]:
    """Every item from ``start`` on, under the conjuncts, passes ``wanted``."""
    limit = max_items(flat)
    end = max((len(prefix) for prefix, _ in _forms(flat)), default=0)
    problems: list[Problem] = []
    with prover.deeper():
        for index in range(start, max(start, end)):
            if limit is not None and index >= limit:
                return problems
            problems.extend(prover.implies(at_position(flat, index), wanted))
        if limit is None or max(start, end) < limit:
            problems.extend(prover.implies(at_position(flat, None), wanted))
    return problems


def check_items(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    if not any(
        target.has(k) for k in ("items", "prefixItems", "additionalItems", "unevaluatedItems")
    ):
        return []
    if "array" not in prover.types(flat):
        return []
    form = tuple_form(target)
    if form is None:
        return [malformed(target, "prefixItems")]
    prefix, rest = form
    rest = rest or target.at("unevaluatedItems")  # it covers at most the items past the prefix
    limit = max_items(flat)
    problems: list[Problem] = []
    with prover.deeper():
        for index, wanted in enumerate(prefix):
            if limit is not None and index >= limit:
                break
            problems.extend(prover.implies(at_position(flat, index), wanted))
    if rest is not None:
        problems.extend(_every_item(prover, flat, rest, start=len(prefix)))
    return problems


def check_contains(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    wanted = target.at("contains")
    if wanted is None or "array" not in prover.types(flat):
        return []
    least, most = (
        number(target.get("minContains") if target.has("minContains") else 1),
        target.get("maxContains"),
    )
    if least is None or (most is not None and number(most) is None):
        return [malformed(target, "minContains" if least is None else "maxContains")]
    problems: list[Problem] = []
    if least > 0 and not _at_least(prover, flat, wanted, int(least)):
        message = prover.say(
            target,
            f"now requires {least} item(s) matching {show(wanted.schema)}",
            f"no longer requires {least} item(s) matching {show(wanted.schema)}",
        )
        problems.append(Problem(wanted.path, message))
    if most is not None and not _at_most(prover, flat, wanted, int(number(most) or 0)):
        message = prover.say(
            target,
            f"now allows at most {most} item(s) matching {show(wanted.schema)}",
            f"no longer limits items matching {show(wanted.schema)} to {most}",
        )
        problems.append(Problem(f"{target.path}/maxContains", message))
    return problems


def _at_least(prover: Prover, flat: list[Node], wanted: Node, least: int) -> bool:
    for node in flat:
        have = node.at("contains")
        count = number(node.get("minContains") if node.has("minContains") else 1)
        if (
            have is not None
            and count is not None
            and count >= least
            and not prover.implies([have], wanted)
        ):
            return True
    present = min_items(flat)  # positions every document has
    if present >= least and not _every_item(prover, flat, wanted):
        return True
    with prover.deeper():
        matching = sum(
            not prover.implies(at_position(flat, index), wanted) for index in range(present)
        )
    return matching >= least


def _at_most(prover: Prover, flat: list[Node], wanted: Node, most: int) -> bool:
    limit = max_items(flat)
    if limit is not None and limit <= most:
        return True
    for node in flat:
        have = node.at("contains")
        count = number(node.get("maxContains"))
        if (
            have is not None
            and count is not None
            and count <= most
            and not prover.implies([wanted], have)
        ):
            return True
    return False


def check_unique(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    if target.get("uniqueItems") is not True or "array" not in prover.types(flat):
        return []
    limit = max_items(flat)
    if any(node.get("uniqueItems") is True for node in flat) or (limit is not None and limit <= 1):
        return []
    message = prover.say(target, "uniqueItems now required", "uniqueItems no longer required")
    return [Problem(f"{target.path}/uniqueItems", message)]
