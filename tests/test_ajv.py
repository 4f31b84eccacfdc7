"""Ajv 8, the most used JavaScript validator, agrees with every conformance case
(docs/contract.md §1).

``js/validate-corpus.mjs`` compiles the schema with ``new Ajv2020()`` (default options:
strict mode) and ajv-formats, and gives its verdict on every case; each must equal the
case's ``schema_valid``. Without node or ``js/node_modules`` the tests skip, and under
``CI=true`` they fail (see ``node_runner``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from node_runner import CONFORMANCE, ROOT, VALIDATE_CORPUS, run_node

from execution_group.contract import examples


def _report(*args: str) -> tuple[int, dict[str, Any]]:
    result = run_node(str(VALIDATE_CORPUS), "--json", *args)
    assert result.returncode in (0, 1), f"validate-corpus.mjs crashed:\n{result.stderr}"
    report: dict[str, Any] = json.loads(result.stdout)
    return result.returncode, report


def _disagreements(report: dict[str, Any]) -> list[str]:
    return [
        f"{case['case']}: expected schema_valid={case['expected']}, Ajv got {case['got']}"
        + (f"  [{'; '.join(case['errors'])}]" if case["errors"] else "")
        for case in report["cases"]
        if case["expected"] != case["got"]
    ]


def test_ajv_agrees_with_every_conformance_case() -> None:
    code, report = _report()
    on_disk = sorted(
        str(path.relative_to(ROOT)) for path in CONFORMANCE.rglob("*.json") if path.is_file()
    )
    seen = sorted(case["case"] for case in report["cases"])
    assert on_disk, "no conformance cases found"
    assert seen == on_disk, "Ajv did not see exactly the corpus files"
    problems = _disagreements(report)
    assert not problems, f"Ajv disagrees with {len(problems)} case(s):\n" + "\n".join(problems)
    assert code == 0


def test_ajv_strict_mode_logs_no_warning() -> None:
    """Strict mode compiles the schema silently (no strictTypes warning either)."""
    _, report = _report()
    assert report["warnings"] == [], "\n".join(report["warnings"])


def _case(document: Any, *, schema_valid: bool, text: str | None = None) -> dict[str, Any]:
    case: dict[str, Any] = {
        "description": "test of the test",
        "rule": "none",
        "schema_valid": schema_valid,
        "contract_valid": schema_valid,
    }
    if text is None:
        case["document"] = document
    else:
        case["document_text"] = text
    return case


def test_the_runner_reports_a_disagreement(tmp_path: Path) -> None:
    """A wrong expectation is reported with the case's name, so the check above can fail."""
    valid = examples()[0]
    lower_z = dict(valid, updated_at=valid["updated_at"].replace("Z", "z"))
    nan_text = json.dumps(valid)[:-1] + ', "metadata": {"x": NaN}}'
    cases = {
        "a/wrong.json": _case(valid, schema_valid=False),  # wrong on purpose
        "a/lower_z.json": _case(lower_z, schema_valid=False),
        "b/nan.json": _case(None, schema_valid=False, text=nan_text),
        "b/valid.json": _case(valid, schema_valid=True),
    }
    for name, case in cases.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(json.dumps(case), encoding="utf-8")
    code, report = _report(str(tmp_path))
    assert code == 1
    assert len(report["cases"]) == 4
    problems = _disagreements(report)
    assert len(problems) == 1
    assert "a/wrong.json: expected schema_valid=False, Ajv got True" in problems[0]
