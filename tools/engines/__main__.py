"""Run the corpus through the engines of other languages, or write their agreement table.

    python -m tools.engines                  # every engine installed here; the rest skipped
    python -m tools.engines --install --require   # what CI runs (nox -s engines, CI=true)
    python -m tools.engines --engine go --corpus DIR   # one engine, another corpus
    python -m tools.engines --docs [--check] # the table in docs/consumers.md

Exit 1 on any verdict that is neither the case's ``schema_valid`` nor the documented one,
on a documented verdict that changed, on a verdict that changes with the Perl hash seed,
or (with ``--require``) on an engine that could not be run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools import _drift
from tools.engines import _cases, _compare, _engines, _install, _run, _table

SCHEMA = _cases.ROOT / "schema" / "execution_group.draft-07.schema.json"


def _say(message: str) -> None:
    print(f"engines: {message}", flush=True)


def _options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.engines", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--engine", action="append", choices=list(_engines.BY_NAME))
    parser.add_argument("--install", action="store_true", help="apt-get what is missing")
    parser.add_argument("--require", action="store_true", help="fail when an engine is missing")
    parser.add_argument("--corpus", type=Path, help="cases in the corpus format (no probes)")
    parser.add_argument("--work", type=Path, help="folder for the builds (kept between runs)")
    parser.add_argument("--docs", action="store_true", help="write the table in the docs")
    parser.add_argument("--check", action="store_true", help="with --docs: fail if it differs")
    return parser.parse_args(argv)


def _docs(check: bool) -> int:
    cases, text_only = _cases.all_cases()
    table = _table.render(cases, text_only, _compare.load_known())
    wanted = _table.splice(_table.PAGE.read_text(encoding="utf-8"), table)
    if check:
        sources = "the corpus and tests/engines/known_disagreements.json"
        return _drift.check(_table.PAGE, wanted, sources, "python -m tools.engines --docs")
    _table.PAGE.write_text(wanted, encoding="utf-8", newline="\n")
    _say(f"wrote the table in {_table.PAGE.relative_to(_cases.ROOT)}")
    return 0


def _available(
    engines: list[_engines.Engine], install: bool, unpacked: Path
) -> tuple[list[_engines.Engine], list[str], float]:
    """The engines that can run (installing the others' packages first if asked), the
    problems of the ones that cannot, and the seconds apt-get took."""
    missing = [engine for engine in engines if not engine.present(unpacked)]
    seconds = 0.0
    problems: list[str] = []
    if missing and install:
        packages = [package for engine in missing for package in engine.packages]
        headers = [package for engine in missing for package in engine.unpacked]
        _say(f"installing {' '.join(packages)}; unpacking {' '.join(headers) or 'nothing'}")
        start = time.perf_counter()
        try:
            _install.apt_install(packages, headers, unpacked)
        except _install.CannotInstall as error:
            problems.append(str(error))
        seconds = time.perf_counter() - start
        _say(f"apt-get took {seconds:.1f} s")
        missing = [engine for engine in missing if not engine.present(unpacked)]
    for engine in missing:
        needs = " ".join([*engine.packages, *engine.unpacked])
        problems.append(f"{engine.name}: not installed (apt-get install {needs})")
    return [engine for engine in engines if engine not in missing], problems, seconds


def _run_engine(
    engine: _engines.Engine, cases: list[_cases.Case], files: list[Path], work: Path, whole: bool
) -> tuple[_compare.Outcome, float, float]:
    """Build, judge, compare; returns the outcome and the build and run seconds."""
    start = time.perf_counter()
    command, built = engine.build(work / "build", work / "unpacked")
    build_seconds = time.perf_counter() - start if built else 0.0
    start = time.perf_counter()
    verdicts = _run.judge(command, engine.run_env, SCHEMA, files)
    outcome = _compare.compare(
        engine.name, cases, verdicts, _compare.load_known(), whole_corpus=whole
    )
    for env in engine.same_verdicts_under:
        again = _run.judge(command, env, SCHEMA, files)
        how = "under " + " ".join(f"{key}={value}" for key, value in env.items())
        outcome.problems.extend(_compare.consistent(verdicts, again, cases, how))
    return outcome, build_seconds, time.perf_counter() - start


def _report(
    engine: _engines.Engine, outcome: _compare.Outcome, times: tuple[float, float], work: Path
) -> None:
    build, run = times
    version = _engines.package_version(engine.library, work / "unpacked")
    _say(
        f"{engine.name}: {engine.label} ({engine.library} {version}): "
        f"{outcome.agreed} of {outcome.cases} agree, {len(outcome.documented)} documented "
        f"disagreements, {len(outcome.problems)} problems; build {build:.1f} s, run {run:.1f} s"
    )
    for problem in outcome.problems:
        print(f"  PROBLEM {engine.name}: {problem}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the engines (or write the docs table); 0 when every verdict is as expected."""
    options = _options(argv)
    if options.docs:
        return _docs(options.check)
    started = time.perf_counter()
    whole = options.corpus is None
    cases, text_only = _cases.all_cases() if whole else _cases.corpus_cases(options.corpus)
    if text_only:
        _say(f"not run, no UTF-8 form (a raw lone surrogate): {', '.join(text_only)}")
    chosen = [_engines.BY_NAME[name] for name in options.engine or _engines.BY_NAME]
    work = (options.work or Path(tempfile.mkdtemp(prefix="engines-"))).resolve()
    engines, problems, install_seconds = _available(chosen, options.install, work / "unpacked")
    for problem in problems:
        _say(("FAILED " if options.require else "SKIPPED ") + problem)
    files = _cases.write(cases, work / "documents")
    _say(f"{len(cases)} documents against {SCHEMA.relative_to(_cases.ROOT)}")
    failed = bool(problems) and options.require
    totals = [install_seconds, 0.0, 0.0]
    # Concurrently: the C++ build takes the longest, the other engines run meanwhile.
    with ThreadPoolExecutor(max_workers=max(len(engines), 1)) as pool:
        futures = [
            pool.submit(_run_engine, engine, cases, files, work, whole) for engine in engines
        ]
    for engine, future in zip(engines, futures, strict=True):
        try:
            outcome, build, run = future.result()
        except (_run.RunnerBroken, subprocess.CalledProcessError) as error:
            _say(f"FAILED {engine.name}: the runner did not build or start: {error}")
            failed = True
            continue
        _report(engine, outcome, (build, run), work)
        failed = failed or bool(outcome.problems)
        totals[1] += build
        totals[2] += run
    shutil.rmtree(work / "documents", ignore_errors=True)
    _say(
        f"apt-get {totals[0]:.1f} s, builds {totals[1]:.1f} s, runs {totals[2]:.1f} s "
        f"(builds and runs concurrent: {time.perf_counter() - started:.1f} s in all)"
    )
    _say(f"{'FAILED' if failed else 'OK'}: {len(engines)} of {len(chosen)} engines ran")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
