"""The engine run's own logic, without the engines: cases, crash recovery, the documented
disagreements and the table. ``nox -s engines`` runs the real engines."""

from __future__ import annotations

import json
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tools.engines import _cases, _compare, _engines, _run, _table
from tools.engines.__main__ import main as engines_main

CASES = [_cases.Case("a/valid", b"{}", True), _cases.Case("a/invalid", b"[]", False)]


def _verdicts(*tokens: str) -> list[_run.Verdict]:
    return [_run.Verdict(token) for token in tokens]


def _known(engine: str, case: str, observed: str) -> _compare.Known:
    return _compare.Known(engine, case, observed, "because")


# --- the documents -------------------------------------------------------------------------


def test_document_text_is_passed_as_its_exact_bytes(tmp_path: Path) -> None:
    text = '{"a": 1} trailing \u2028'
    (tmp_path / "area").mkdir()
    case = {"document_text": text, "schema_valid": False, "contract_valid": False}
    (tmp_path / "area" / "x.json").write_text(json.dumps(case), encoding="utf-8")
    (found,), text_only = _cases.corpus_cases(tmp_path)
    assert not text_only
    assert found == _cases.Case("area/x", text.encode("utf-8"), False)
    (path,) = _cases.write([found], tmp_path / "out")
    assert path.read_bytes() == text.encode("utf-8")


def test_a_lone_surrogate_is_escaped_in_a_document_and_not_run_in_a_text(
    tmp_path: Path,
) -> None:
    (tmp_path / "u").mkdir()
    value = {"document": {"x": "a\ud800"}, "schema_valid": True}
    text = {"document_text": '{"x": "a\ud800"}', "schema_valid": True}
    (tmp_path / "u" / "value.json").write_text(json.dumps(value), encoding="utf-8")
    (tmp_path / "u" / "text.json").write_text(json.dumps(text), encoding="utf-8")
    cases, text_only = _cases.corpus_cases(tmp_path)
    assert cases == [_cases.Case("u/value", b'{"x": "a\\ud800"}', True)]
    assert text_only == ["u/text"]
    table = _table.render(cases, text_only, [])
    assert table.endswith(
        "Not run: `u/text` (a raw lone surrogate in the document text "
        "has no UTF-8 form, so no engine can be given its bytes).\n"
    )


def test_every_corpus_case_is_run() -> None:
    cases, text_only = _cases.all_cases()
    names = {case.name for case in cases} | set(text_only)
    on_disk = {
        path.relative_to(_cases.CORPUS).with_suffix("").as_posix()
        for path in _cases.CORPUS.rglob("*.json")
    }
    assert on_disk <= names
    assert names - on_disk == {case.name for case in _cases.probe_cases()}


# --- verdicts against expectations ---------------------------------------------------------


def test_agreement_needs_an_answer_of_the_right_sense() -> None:
    assert _compare.agrees("valid", True)
    assert _compare.agrees("invalid", False)
    assert _compare.agrees("not-json", False)
    assert not _compare.agrees("not-json", True)
    assert not any(_compare.agrees(token, False) for token in ("error", "crash", "timeout"))


def test_an_undocumented_disagreement_is_a_problem() -> None:
    outcome = _compare.compare("go", CASES, _verdicts("valid", "valid"), [])
    assert outcome.agreed == 1
    assert outcome.problems == ["a/invalid: expected invalid, got valid"]


def test_a_documented_disagreement_is_counted_not_a_problem() -> None:
    known = [_known("go", "a/invalid", "valid"), _known("cpp", "a/valid", "crash")]
    outcome = _compare.compare("go", CASES, _verdicts("valid", "valid"), known)
    assert (outcome.agreed, outcome.documented, outcome.problems) == (1, ["a/invalid"], [])


def test_a_documented_case_that_agrees_now_is_stale() -> None:
    known = [_known("go", "a/invalid", "valid")]
    outcome = _compare.compare("go", CASES, _verdicts("valid", "invalid"), known)
    assert outcome.problems == [
        "a/invalid: documented as valid, got invalid and agrees now: delete the entry"
    ]


def test_a_documented_case_with_another_wrong_verdict_is_a_problem() -> None:
    known = [_known("go", "a/invalid", "valid")]
    outcome = _compare.compare("go", CASES, [_run.Verdict("valid"), _run.Verdict("crash")], known)
    assert outcome.problems == ["a/invalid: documented as valid, got crash"]


def test_an_entry_documenting_the_expected_verdict_is_a_problem() -> None:
    known = [_known("go", "a/valid", "valid")]
    outcome = _compare.compare("go", CASES, _verdicts("valid", "invalid"), known)
    assert outcome.problems == ["a/valid: documented valid is the expected verdict"]


def test_an_entry_for_a_case_that_does_not_exist() -> None:
    known = [_known("go", "a/gone", "valid")]
    verdicts = _verdicts("valid", "invalid")
    assert _compare.compare("go", CASES, verdicts, known).problems == [
        "a/gone: documented, but there is no such case"
    ]
    assert not _compare.compare("go", CASES, verdicts, known, whole_corpus=False).problems


def test_a_second_run_must_give_the_same_verdicts() -> None:
    first, again = _verdicts("valid", "invalid"), _verdicts("valid", "valid")
    assert _compare.consistent(first, again, CASES, "under SEED=1") == [
        "a/invalid: invalid in the first run, valid under SEED=1"
    ]


def test_the_documented_disagreements_name_real_engines_cases_and_reasons() -> None:
    known = _compare.load_known()
    names = {case.name for case in _cases.all_cases()[0]}
    for entry in known:
        assert entry.engine in _engines.BY_NAME
        assert entry.case in names
        assert entry.why.strip()


def test_a_malformed_entry_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "known.json"
    entry = {"engine": "go", "case": "a/b", "observed": "wrong", "why": "x"}
    path.write_text(json.dumps({"disagreements": [entry]}), encoding="utf-8")
    with pytest.raises(ValueError, match="entry 0"):
        _compare.load_known(path)
    path.write_text(json.dumps({"disagreements": [entry | {"observed": "valid"}] * 2}), "utf-8")
    with pytest.raises(ValueError, match="listed twice"):
        _compare.load_known(path)


# --- running a runner ----------------------------------------------------------------------

FAKE_RUNNER = """
import os, signal, sys, time
time.sleep(float(os.environ.get("FAKE_DELAY", "0")))
print("ready", flush=True)
for path in open(sys.argv[2]).read().split():
    data = open(path, "rb").read()
    if data == b"segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    if data == b"hang":
        time.sleep(60)
    print({b"ok": "valid", b"no": "invalid", b"odd": "maybe"}.get(data, "error\\tboom"), flush=True)
"""


def _fake(tmp_path: Path, *documents: bytes) -> tuple[list[str], list[Path]]:
    script = tmp_path / "runner.py"
    script.write_text(textwrap.dedent(FAKE_RUNNER), encoding="utf-8")
    cases = [_cases.Case(f"c/{i}", data, True) for i, data in enumerate(documents)]
    return [sys.executable, str(script)], _cases.write(cases, tmp_path / "docs")


def test_a_crash_costs_only_the_document_being_judged(tmp_path: Path) -> None:
    command, files = _fake(tmp_path, b"ok", b"segv", b"no", b"segv", b"odd", b"?")
    verdicts = _run.judge(command, {}, tmp_path / "schema.json", files)
    assert [v.token for v in verdicts] == ["valid", "crash", "invalid", "crash", "error", "error"]
    assert verdicts[1].detail == "killed by SIGSEGV"
    assert "maybe" in verdicts[4].detail


def test_concurrent_runs_do_not_share_a_list(tmp_path: Path) -> None:
    """One engine crashing (and restarting on a shorter list) while another starts late."""
    command, files = _fake(tmp_path, b"ok", b"segv", b"no", b"ok")
    with ThreadPoolExecutor(max_workers=2) as pool:
        late = pool.submit(_run.judge, command, {"FAKE_DELAY": "1"}, tmp_path, files)
        early = pool.submit(_run.judge, command, {}, tmp_path, files)
    assert [v.token for v in early.result()] == ["valid", "crash", "invalid", "valid"]
    assert [v.token for v in late.result()] == ["valid", "crash", "invalid", "valid"]


def test_a_hang_is_a_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_run, "TIMEOUT_SECONDS", 2)
    command, files = _fake(tmp_path, b"hang", b"ok")
    verdicts = _run.judge(command, {}, tmp_path / "schema.json", files)
    assert [v.token for v in verdicts] == ["timeout", "valid"]


def test_a_runner_that_never_gets_ready_is_broken(tmp_path: Path) -> None:
    command, files = _fake(tmp_path, b"ok")
    with pytest.raises(_run.RunnerBroken, match="exit status 3"):
        _run.judge([sys.executable, "-c", "raise SystemExit(3)"], {}, tmp_path, files)
    assert _run.judge(command, {}, tmp_path, files) == [_run.Verdict("valid")]


# --- the table in the docs -----------------------------------------------------------------


def test_the_table_counts_each_engines_documented_cases() -> None:
    cases = [*CASES, _cases.Case("probe/p", b"", False)]
    table = _table.render(
        cases, [], [_known("go", "a/valid", "invalid"), _known("go", "probe/p", "valid")]
    )
    go_row = next(row for row in table.splitlines() if row.startswith("| Go "))
    assert go_row.split(" | ")[1:3] == ["1 / 2", "0 / 1"]
    assert "`a/valid` (invalid), `probe/p` (valid)" in go_row
    assert all("| 2 / 2 | 1 / 1 | none |" in row for row in table.splitlines()[3:])


def test_the_table_goes_between_the_markers_only() -> None:
    page = f"before\n{_table.BEGIN}\nold\n{_table.END}\nafter\n"
    assert _table.splice(page, "new\n") == f"before\n{_table.BEGIN}\nnew\n{_table.END}\nafter\n"
    with pytest.raises(ValueError, match="markers"):
        _table.splice("no markers", "new\n")


# --- a missing engine ----------------------------------------------------------------------


def _missing_engine() -> _engines.Engine:
    return _engines.Engine(
        name="fake",
        label="Fake",
        library="fake-dev",
        packages=("fake-dev",),
        present=lambda _unpacked: False,
        source=Path("fake.rb"),
    )


@pytest.mark.parametrize("how", [([], 0, "SKIPPED"), (["--require"], 1, "FAILED")])
def test_a_missing_engine_is_skipped_loudly_or_fails_when_required(
    how: tuple[list[str], int, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    flags, status, word = how
    monkeypatch.setattr(_engines, "BY_NAME", {"fake": _missing_engine()})
    assert engines_main(["--work", str(tmp_path), *flags]) == status
    out = capsys.readouterr().out
    assert f"engines: {word} fake: not installed (apt-get install fake-dev)" in out
    assert "0 of 1 engines ran" in out
