"""The agreement table in docs/consumers.md, written from the cases and the documented bugs.

It needs no engine: ``nox -s engines`` fails unless every verdict is either the expected one
or the documented one, so the counts follow from the corpus and
``tests/engines/known_disagreements.json``. ``nox -s drift_docs`` checks that the page has
the table these files give.
"""

from __future__ import annotations

from collections.abc import Sequence

from tools.engines._cases import ROOT, Case
from tools.engines._compare import Known
from tools.engines._engines import ENGINES

PAGE = ROOT / "docs" / "consumers.md"
BEGIN = "<!-- engines table: written by `python -m tools.engines --docs` (nox -s docs) -->"
END = "<!-- end of engines table -->"


def render(cases: Sequence[Case], text_only: Sequence[str], known: Sequence[Known]) -> str:
    """The markdown table, one row per engine, and a note on the cases not run."""
    corpus = [case.name for case in cases if not case.is_probe]
    probes = [case.name for case in cases if case.is_probe]
    rows = [
        "| engine | corpus cases agreed | probes agreed | documented disagreements (verdict) |",
        "|---|---:|---:|---|",
    ]
    for engine in ENGINES:
        mine = [item for item in known if item.engine == engine.name]
        wrong_corpus = sum(item.case in corpus for item in mine)
        wrong_probes = sum(item.case in probes for item in mine)
        listed = ", ".join(f"`{item.case}` ({item.observed})" for item in mine) or "none"
        rows.append(
            f"| {engine.label} | {len(corpus) - wrong_corpus} / {len(corpus)} "
            f"| {len(probes) - wrong_probes} / {len(probes)} | {listed} |"
        )
    if text_only:
        rows.append("")
        rows.append(
            f"Not run: {', '.join(f'`{name}`' for name in text_only)} (a raw lone surrogate "
            "in the document text has no UTF-8 form, so no engine can be given its bytes)."
        )
    return "\n".join(rows) + "\n"


def splice(page: str, table: str) -> str:
    """``page`` with the text between the markers replaced by ``table``."""
    head, begin, rest = page.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"{PAGE.name} lacks the markers {BEGIN!r} ... {END!r}")
    return f"{head}{BEGIN}\n{table}{END}{tail}"
