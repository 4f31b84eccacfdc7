"""Checks of keywords about one value: type, enum/const, bounds, multipleOf, pattern, format.

Each check takes the left conjuncts and a target node and returns the problems with the
target's keywords; a keyword of a kind the left side never holds (``maxLength`` when every
document is a number) is vacuous.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from tools.compat._schema import JSON_TYPES, Node, Problem, is_false, number, show, type_set

if TYPE_CHECKING:
    from tools.compat._prove import Prover

NUMBERS = frozenset({"integer", "fraction"})
LOWER = ("minimum", "exclusiveMinimum")
UPPER = ("maximum", "exclusiveMaximum")
COUNTS = {
    "minLength": ("string", True),
    "maxLength": ("string", False),
    "minItems": ("array", True),
    "maxItems": ("array", False),
    "minProperties": ("object", True),
    "maxProperties": ("object", False),
}


def malformed(target: Node, key: str) -> Problem:
    return Problem(
        f"{target.path}/{key}", f"{key} = {show(target.get(key))} is malformed (not analysed)"
    )


def _names(kinds: frozenset[str]) -> list[str]:
    """Kinds as JSON Schema type names (integer and fraction together are ``number``)."""
    if kinds >= NUMBERS:
        kinds = (kinds - NUMBERS) | {"number"}
    order = [*JSON_TYPES, "number"]
    return sorted(kinds, key=order.index)


def check_type(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    if not target.has("type"):
        return []
    allowed = type_set(target.get("type"))
    if allowed is None:
        return [malformed(target, "type")]
    have = prover.types(flat)
    extra = have - allowed
    if not extra:
        return []
    where = f"{target.path}/type"
    if have == frozenset(JSON_TYPES):
        return [
            Problem(
                where,
                prover.say(
                    target,
                    f"type restricted to {_names(allowed)}",
                    f"type restriction {_names(allowed)} removed",
                ),
            )
        ]
    if extra == {"fraction"}:
        return [
            Problem(
                where,
                prover.say(
                    target,
                    "type narrowed from number to integer",
                    "type widened from integer to number",
                ),
            )
        ]
    return [
        Problem(
            where,
            prover.say(target, f"type {name!r} no longer allowed", f"type {name!r} now allowed"),
        )
        for name in _names(extra)
    ]


def check_values(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    """``enum``/``const`` on the target when the left side is not a finite set of values."""
    for key in ("enum", "const"):
        if target.has(key):
            if key == "enum" and not isinstance(target.get(key), list):
                return [malformed(target, key)]
            shown = show(target.get(key))
            message = prover.say(
                target, f"values restricted to {shown}", f"{key} restriction {shown} removed"
            )
            return [Problem(f"{target.path}/{key}", message)]
    return []


def _bound(flat: list[Node], keys: tuple[str, str], lower: bool) -> tuple[Decimal, bool] | None:
    """The tightest (value, exclusive) numeric bound on one end over all conjuncts."""
    best: tuple[Decimal, bool] | None = None
    for node in flat:
        for key in keys:
            raw = node.get(key)
            if node.side.draft4 and isinstance(raw, bool):
                continue
            value = number(raw)
            if value is None:
                continue
            exclusive = key.startswith("exclusive") or (
                node.side.draft4
                and node.get("exclusive" + keys[0][:1].upper() + keys[0][1:]) is True
            )
            best = _tighter(best, (value, exclusive), lower)
    return best


def _tighter(
    one: tuple[Decimal, bool] | None, two: tuple[Decimal, bool], lower: bool
) -> tuple[Decimal, bool]:
    if one is None or (two[0] > one[0] if lower else two[0] < one[0]):
        return two
    if two[0] == one[0] and two[1]:
        return two
    return one


def check_numeric_bounds(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    if not prover.types(flat) & NUMBERS:
        return []
    problems: list[Problem] = []
    for keys, lower in ((LOWER, True), (UPPER, False)):
        have = _bound(flat, keys, lower)
        for key in keys:
            raw = target.get(key)
            if not target.has(key) or (target.side.draft4 and isinstance(raw, bool)):
                continue
            value = number(raw)
            if value is None:
                problems.append(malformed(target, key))
                continue
            exclusive = key.startswith("exclusive") or (
                target.side.draft4 and target.get("exclusive" + key[:1].upper() + key[1:]) is True
            )
            if have is not None and _within(have, (value, exclusive), lower):
                continue
            problems.append(_boundProblem(prover, target, key, value, have))
    return problems


def _within(have: tuple[Decimal, bool], need: tuple[Decimal, bool], lower: bool) -> bool:
    if have[0] != need[0]:
        return have[0] > need[0] if lower else have[0] < need[0]
    return have[1] or not need[1]


def _boundProblem(
    prover: Prover, target: Node, key: str, value: Decimal | int, have: tuple[Decimal, bool] | None
) -> Problem:
    where = f"{target.path}/{key}"
    if have is None:
        return Problem(
            where,
            prover.say(target, f"new bound {key} = {value}", f"bound {key} = {value} removed"),
        )
    old, new = prover.old_new(target, have[0], value)
    verb = prover.say(target, "narrowed", "relaxed")
    return Problem(where, f"{key} {verb} from {old} to {new}")


def check_counts(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    """minLength/maxLength, minItems/maxItems, minProperties/maxProperties."""
    kinds = prover.types(flat)
    problems: list[Problem] = []
    for key, (kind, lower) in COUNTS.items():
        if not target.has(key) or kind not in kinds:
            continue
        need = number(target.get(key))
        if need is None or need < 0 or need != int(need):
            problems.append(malformed(target, key))
            continue
        if lower and need == 0:
            continue
        values = [v for v in (number(node.get(key)) for node in flat) if v is not None]
        if key == "maxProperties":
            values += [Decimal(n) for n in map(_capacity, flat) if n is not None]
        have = (max(values) if lower else min(values)) if values else None
        if have is not None and (have >= need if lower else have <= need):
            continue
        problems.append(
            _boundProblem(prover, target, key, int(need), None if have is None else (have, False))
        )
    return problems


def _capacity(node: Node) -> int | None:
    """How many properties a closed object model can hold (``None`` if it is open)."""
    named = node.get("properties")
    if not is_false(node.get("additionalProperties")) or node.get("patternProperties"):
        return None
    if not isinstance(named, dict):
        return 0 if not node.has("properties") else None
    return sum(not is_false(schema) for schema in named.values())


def check_multiple_of(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    """A new multiple divides the old one: widening (exact decimal arithmetic)."""
    if not target.has("multipleOf"):
        return []
    kinds = prover.types(flat)
    if not kinds & NUMBERS:
        return []
    step = number(target.get("multipleOf"))
    if step is None or step <= 0:
        return [malformed(target, "multipleOf")]
    divisors = [Fraction(v) for v in (number(n.get("multipleOf")) for n in flat) if v and v > 0]
    if not kinds & {"fraction"}:
        divisors.append(Fraction(1))  # every integer is a multiple of 1
    if any(_divides(Fraction(step), have) for have in divisors):
        return []
    where = f"{target.path}/multipleOf"
    given = [v for v in (number(n.get("multipleOf")) for n in flat) if v]
    if not given:
        return [
            Problem(
                where, prover.say(target, f"new multipleOf {step}", f"multipleOf {step} removed")
            )
        ]
    old, new = prover.old_new(target, given[0], step)
    return [Problem(where, f"multipleOf changed from {old} to {new}: not a divisor")]


def _divides(step: Fraction, multiple: Fraction) -> bool:
    """``step`` divides ``multiple`` exactly in decimals, and also in the binary floating
    point where validators divide doubles (0.3 / 0.1 there is 2.9999999999999996: a
    document of 0.3 passes ``multipleOf: 0.3`` and fails ``multipleOf: 0.1``)."""
    if (multiple / step).denominator != 1:
        return False
    try:
        quotient = float(multiple) / float(step)
    except (OverflowError, ZeroDivisionError):
        return False
    return quotient.is_integer()


def check_string(prover: Prover, flat: list[Node], target: Node) -> list[Problem]:
    """``pattern`` and ``format`` (an assertion here: the stricter reading)."""
    if "string" not in prover.types(flat):
        return []
    problems: list[Problem] = []
    for key in ("pattern", "format"):
        if not target.has(key):
            continue
        wanted = target.get(key)
        if not isinstance(wanted, str):
            problems.append(malformed(target, key))
            continue
        have = [node.get(key) for node in flat if isinstance(node.get(key), str)]
        if wanted in have:
            continue
        where = f"{target.path}/{key}"
        if have:
            old, new = prover.old_new(target, have[0], wanted)
            problems.append(Problem(where, f"{key} changed from {show(old)} to {show(new)}"))
        else:
            message = prover.say(
                target,
                f"{key} changed from none to {show(wanted)}",
                f"{key} {show(wanted)} removed",
            )
            problems.append(Problem(where, message))
    return problems
