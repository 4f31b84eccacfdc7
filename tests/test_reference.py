"""docs/reference.md draws the lifecycle file's transition table as a Mermaid state diagram."""

from __future__ import annotations

import re
from pathlib import Path

from execution_group.contract import lifecycle

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "reference.md"


def test_the_state_diagram_has_exactly_the_lifecycle_moves() -> None:
    page = REFERENCE.read_text(encoding="utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)```", page, re.DOTALL)
    assert len(blocks) == 1
    lines = blocks[0].splitlines()
    assert lines[0] == "stateDiagram-v2"
    edges = {tuple(line.strip().split(" --> ")) for line in lines[1:]}
    facts = lifecycle()
    transitions: dict[str, list[str]] = facts["transitions"]
    expected = {("[*]", facts["initial_status"])}
    expected |= {(source, target) for source, targets in transitions.items() for target in targets}
    expected |= {(source, "[*]") for source, targets in transitions.items() if not targets}
    assert edges == expected
