"""The successor corpus: ``tests/successor/<case>.json``, one pair of snapshots a file.

Each case holds ``before`` and ``after`` (two JSON documents), ``valid`` (whether ``after``
may follow ``before``), ``why`` (the reason, in a trader's words) and ``rules`` (the rule
codes ``check_successor`` names, sorted, one entry per error; empty when valid).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from execution_group import check_successor

SUCCESSOR_CORPUS = Path(__file__).parent / "successor"


@dataclass(frozen=True)
class SuccessorCase:
    name: str
    before: dict[str, Any]
    after: dict[str, Any]
    valid: bool
    why: str
    rules: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def successor_cases() -> list[SuccessorCase]:
    """Every case of the corpus, in name order."""
    cases = []
    for path in sorted(SUCCESSOR_CORPUS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        cases.append(
            SuccessorCase(
                path.stem,
                data["before"],
                data["after"],
                data["valid"],
                data["why"],
                tuple(data["rules"]),
            )
        )
    return cases


def successor_errors(before: object, after: object) -> list[tuple[tuple[str | int, ...], str]]:
    """``check_successor``'s errors as (location, rule), sorted; empty when it passes."""
    try:
        check_successor(before, after)
    except ValidationError as exc:
        return sorted((tuple(err["loc"]), err["type"]) for err in exc.errors())
    return []
