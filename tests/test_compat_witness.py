"""tools.compat.witness: the search finds real broken documents, and fails only where the
checker claimed none could exist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tools.compat import witness
from tools.compat._changes import Change

OLD = {
    "$id": "https://example.test/schema/1.0.0/s.json",
    "type": "object",
    "properties": {"code": {"type": "string", "maxLength": 4}},
    "required": ["code"],
    "additionalProperties": False,
}
NEW = {
    **OLD,
    "$id": "https://example.test/schema/1.1.0/s.json",
    "properties": {"code": {"type": "string", "maxLength": 2}},
}


def _layout(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> tuple[Path, Path]:
    (tmp_path / "released").mkdir()
    (tmp_path / "released" / "1.0.0.json").write_text(json.dumps(old), "utf-8")
    (tmp_path / "schema.json").write_text(json.dumps(new), "utf-8")
    return tmp_path / "schema.json", tmp_path / "released"


def test_generated_documents_are_valid_and_the_same_every_run() -> None:
    first = witness.generated_documents(OLD, 30)
    assert first == witness.generated_documents(OLD, 30)
    assert first
    assert all(witness._checker(OLD).is_valid(document) for document in first)


def test_a_reported_narrowing_has_witnesses_but_does_not_fail(tmp_path: Path) -> None:
    schema, released = _layout(tmp_path, OLD, NEW)
    findings, lines = witness.search(schema, released, 30)
    assert findings and not any(finding.claimed for finding in findings)
    for finding in findings:
        assert len(finding.document["code"]) > 2
    assert "the checker reported narrowing" in lines[0]


def test_a_wrong_compatibility_claim_fails_with_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A checker that says "no change" about a real narrowing is caught by a document."""

    def blind(path: Path, base: Any, current: Any) -> tuple[list[Change], list[str]]:
        return [], []

    monkeypatch.setattr(witness, "reviewed_changes", blind)
    schema, released = _layout(tmp_path, OLD, NEW)
    assert (
        witness.main(["--schema", str(schema), "--released", str(released), "--examples", "30"])
        == 1
    )
    out = capsys.readouterr().out
    assert 'BROKEN CLAIM: valid under 1.0.0, invalid under current: {"code": ' in out
    assert "FAIL: " in out


def test_stored_documents_include_the_corpus_and_the_examples() -> None:
    documents = witness.stored_documents()
    examples = [json.loads(p.read_text("utf-8")) for p in sorted(witness.CORPORA[1].glob("*.json"))]
    assert all(example in documents for example in examples)
    assert len(documents) > len(examples) + 100
