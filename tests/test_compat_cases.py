"""The regression corpus tests/compat_cases/*.json: each old/new pair gets its expected
verdict in every mode, and each witness really is a broken document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import Draft202012Validator, validator_for

from tools.schema_compat import compare

CASES_DIR = Path(__file__).parent / "compat_cases"
CLASSES = {
    "property_model",
    "combinators",
    "refs",
    "values",
    "types_numbers",
    "strings",
    "arrays",
    "dependencies_names",
    "negation_conditions",
}
MODES = {"BACKWARD": "backward", "FORWARD": "forward", "FULL": "full"}


def _load() -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(CASES_DIR.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        found.extend((f"{data['class']}: {case['name']}", case) for case in data["cases"])
    return found


CASES = _load()


def valid(schema: Any, document: Any) -> bool:
    """jsonschema's verdict, format checked (the witness search judges the same way)."""
    cls = validator_for(schema, default=Draft202012Validator)
    return bool(cls(schema, format_checker=cls.FORMAT_CHECKER).is_valid(document))


def test_the_corpus_covers_every_class() -> None:
    classes = {json.loads(p.read_text("utf-8"))["class"] for p in CASES_DIR.glob("*.json")}
    assert classes == CLASSES
    assert len(CASES) >= 80
    names = [name for name, _ in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
def test_verdict_in_every_mode(name: str, case: dict[str, Any]) -> None:
    changes = compare(case["old"], case["new"])
    for mode, expected in case["expect"].items():
        breaking = [c for c in changes if c.breaking(MODES[mode])]  # type: ignore[arg-type]
        got = "breaking" if breaking else "compatible"
        assert got == expected, (name, mode, changes)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
def test_witnesses_are_real(name: str, case: dict[str, Any]) -> None:
    """A breaking verdict comes with a document that shows it, unless the case says why the
    checker is stricter than the truth; a compatible one has none."""
    old, new, expect = case["old"], case["new"], case["expect"]
    unproven = case.get("unproven", {})
    for mode, key, before, after in (
        ("BACKWARD", "backward_witness", old, new),
        ("FORWARD", "forward_witness", new, old),
    ):
        if key in case:
            assert expect[mode] == "breaking", name
            assert valid(before, case[key]), (name, key, "not valid where it starts")
            assert not valid(after, case[key]), (name, key, "still valid: not a witness")
        elif expect[mode] == "breaking":
            assert mode in unproven, f"{name}: {mode} breaking without a witness or a reason"
    assert expect["FULL"] == (
        "compatible" if expect["BACKWARD"] == expect["FORWARD"] == "compatible" else "breaking"
    )
