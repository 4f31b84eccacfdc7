"""Witness search: documents that break a compatibility claim, or none.

For each released schema, documents valid under it (generated from it by
hypothesis-jsonschema, derandomized, plus every document of the conformance corpus and of
``examples/``) are validated against the current schema by jsonschema with its format
checker. A document valid under the release and invalid now, where the checker found no
narrowing against that release, proves the checker wrong: the search fails and prints it.
The same runs the other way (documents of the current schema that the release rejects,
where no widening was found). Run ``python -m tools.compat.witness``.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema.validators import Draft202012Validator, validator_for

from tools.compat._changes import Kind
from tools.compat._release import load, released, reviewed_changes

ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMA = ROOT / "schema" / "execution_group.schema.json"
RELEASED = ROOT / "schema" / "released"
CORPORA = (ROOT / "tests" / "conformance", ROOT / "examples")
EXAMPLES = 100
"""Draws per schema: the search must stay well under a minute of CI."""


@dataclass(frozen=True)
class Finding:
    """A document valid under ``source`` and invalid under ``target``."""

    source: str
    target: str
    document: Any
    claimed: bool  # the checker said no such document exists

    def describe(self) -> str:
        text = json.dumps(self.document, sort_keys=True)
        label = "BROKEN CLAIM" if self.claimed else "expected (reported as breaking)"
        return f"{label}: valid under {self.source}, invalid under {self.target}: {text}"


def _checker(schema: Any) -> Any:
    cls = validator_for(schema, default=Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def stored_documents(folders: Sequence[Path] = CORPORA) -> list[Any]:
    """Every JSON document of the corpus (its ``document`` field) and of the examples."""
    found: list[Any] = []
    for folder in folders:
        for path in sorted(folder.rglob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if folder.name == "conformance":
                if isinstance(data, dict) and "document" in data:
                    found.append(data["document"])
            else:
                found.append(data)
    return found


RELAXED = ("allOf", "if", "then", "else", "not")
"""Root keywords left out when drawing: the cross-field rules make hypothesis-jsonschema
filter (ten times slower); the drawn documents are then kept only if the real schema
accepts them."""


def generated_documents(schema: Any, count: int) -> list[Any]:
    """Documents hypothesis-jsonschema draws, the same every run: ``count`` from ``schema``
    without its root-level rules (kept where ``schema`` accepts them), and a tenth as many
    from ``schema`` itself."""
    relaxed = (
        {k: v for k, v in schema.items() if k not in RELAXED}
        if isinstance(schema, dict)
        else schema
    )
    checker = _checker(schema)
    drawn = _draw(relaxed, count) + _draw(schema, count // 10)
    return [document for document in drawn if checker.is_valid(document)]


def _draw(schema: Any, count: int) -> list[Any]:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis_jsonschema import from_schema

    drawn: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(copy.deepcopy(schema)))  # it rewrites the schema it is given
    def draw(document: Any) -> None:
        drawn.append(document)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        draw()
    return drawn


def _breaks(documents: Sequence[Any], source: Any, target: Any) -> Iterator[Any]:
    accepts, rejects = _checker(source), _checker(target)
    for document in documents:
        if accepts.is_valid(document) and not rejects.is_valid(document):
            yield document


def search(schema_path: Path, folder: Path, count: int) -> tuple[list[Finding], list[str]]:
    """Findings against every release, and report lines."""
    current = load(schema_path)
    stored = stored_documents()
    lines: list[str] = []
    findings: list[Finding] = []
    mine = generated_documents(current, count)
    for version, path in released(folder):
        base = load(path)
        changes, _ = reviewed_changes(path, base, current)
        kinds: set[Kind] = {change.kind for change in changes}
        theirs = generated_documents(base, count)
        for kind, source, target, names, documents in (
            ("narrowing", base, current, (str(version), "current"), theirs + stored),
            ("widening", current, base, ("current", str(version)), mine + stored),
        ):
            claimed = kind not in kinds
            found = [
                Finding(*names, doc, claimed) for doc in _dedupe(_breaks(documents, source, target))
            ]
            findings.extend(found)
            drawn = len(documents) - len(stored)
            lines.append(
                f"{names[0]} -> {names[1]}: {len(documents)} documents "
                f"({drawn} generated, {len(stored)} stored), {len(found)} broken; the checker "
                f"{'found no ' + kind if claimed else 'reported ' + kind}"
            )
    return findings, lines


def _dedupe(documents: Iterator[Any]) -> list[Any]:
    return list({json.dumps(d, sort_keys=True): d for d in documents}.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.compat.witness",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--schema", type=Path, default=SCHEMA)
    parser.add_argument("--released", type=Path, default=RELEASED)
    parser.add_argument("--examples", type=int, default=EXAMPLES, help="generated per schema")
    args = parser.parse_args(argv)
    start, cpu = time.perf_counter(), time.process_time()
    findings, lines = search(args.schema, args.released, args.examples)
    lines.extend(f"  {finding.describe()}" for finding in findings[:20])
    broken = [finding for finding in findings if finding.claimed]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    verdict = "FAIL" if broken else "OK"
    lines.append(
        f"{verdict}: {len(broken)} document(s) break a compatibility claim "
        f"({seconds:.1f} s, {cpu:.1f} s of CPU)"
    )
    print("\n".join(lines))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
