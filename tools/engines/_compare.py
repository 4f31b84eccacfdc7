"""Engine verdicts against the expected ones, and the documented engine bugs.

``tests/engines/known_disagreements.json`` lists each known bug as a case: the engine, the
case, the verdict it gives, and why. A listed case must keep giving exactly that verdict:
when an engine is fixed, its entry fails the run until it is deleted, so the list (and the
table in docs/consumers.md written from it) never claims a bug that is gone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.engines._cases import ROOT, Case
from tools.engines._run import Verdict

KNOWN_FILE = ROOT / "tests" / "engines" / "known_disagreements.json"
TOKENS = frozenset({"valid", "invalid", "not-json", "error", "crash", "timeout"})


@dataclass(frozen=True)
class Known:
    """One documented disagreement."""

    engine: str
    case: str
    observed: str
    why: str


def load_known(path: Path = KNOWN_FILE) -> list[Known]:
    """The documented disagreements; ``ValueError`` naming the entry when one is malformed."""
    entries = json.loads(path.read_text(encoding="utf-8"))["disagreements"]
    known: list[Known] = []
    for index, entry in enumerate(entries):
        if set(entry) != {"engine", "case", "observed", "why"} or entry["observed"] not in TOKENS:
            raise ValueError(f"{path.name} entry {index}: needs engine, case, observed, why")
        known.append(Known(**entry))
    pairs = [(item.engine, item.case) for item in known]
    if len(set(pairs)) != len(pairs):
        raise ValueError(f"{path.name}: an engine and case are listed twice")
    return known


def agrees(token: str, expected: bool) -> bool:
    """A verdict agrees when it is an answer (not an error or crash) with the right sense."""
    if token in {"valid", "invalid", "not-json"}:
        return (token == "valid") is expected
    return False


@dataclass
class Outcome:
    """One engine's run: what agreed, what is documented, and every problem found."""

    engine: str
    cases: int = 0
    agreed: int = 0
    documented: list[str] = field(default_factory=list[str])
    problems: list[str] = field(default_factory=list[str])


def _check_case(case: Case, verdict: Verdict, entry: Known | None, outcome: Outcome) -> None:
    expected = "valid" if case.schema_valid else "invalid"
    ok = agrees(verdict.token, case.schema_valid)
    outcome.agreed += ok
    if entry is None:
        if not ok:
            outcome.problems.append(f"{case.name}: expected {expected}, got {verdict}")
    elif entry.observed != verdict.token:
        fixed = " and agrees now: delete the entry" if ok else ""
        outcome.problems.append(
            f"{case.name}: documented as {entry.observed}, got {verdict}{fixed}"
        )
    elif ok:
        outcome.problems.append(f"{case.name}: documented {entry.observed} is the expected verdict")
    else:
        outcome.documented.append(case.name)


def compare(
    engine: str,
    cases: Sequence[Case],
    verdicts: Sequence[Verdict],
    known: Sequence[Known],
    *,
    whole_corpus: bool = True,
) -> Outcome:
    """Check every verdict. With ``whole_corpus`` (the repo's own corpus was run), an entry
    naming a case that was not run is a problem too."""
    entries = {item.case: item for item in known if item.engine == engine}
    outcome = Outcome(engine, cases=len(cases))
    for case, verdict in zip(cases, verdicts, strict=True):
        _check_case(case, verdict, entries.pop(case.name, None), outcome)
    if whole_corpus:
        outcome.problems.extend(
            f"{name}: documented, but there is no such case" for name in entries
        )
    return outcome


def consistent(
    first: Sequence[Verdict], again: Sequence[Verdict], cases: Sequence[Case], how: str
) -> list[str]:
    """Problems where a second run of the same engine (``how``) gave another verdict."""
    return [
        f"{case.name}: {one.token} in the first run, {two.token} {how}"
        for case, one, two in zip(cases, first, again, strict=True)
        if one.token != two.token
    ]
