"""The npm package, packed and installed outside the repository, agrees with Python.

Every case goes through both runtimes: the document corpus (``tests/conformance``, I-JSON
cases included) as text (``validateJson`` / ``model_validate_json``) and as decoded values
(``validate`` / ``from_document``), members replaced by every JSON type, and the successor
corpus (``tests/successor``: ``checkSuccessor`` / ``check_successor``). The verdicts must be
equal and so must the errors: the same rules at the same places with the same messages.
The one text that may differ is the parser's own account of why a text is not JSON (the
``{error}`` of ``json_invalid``: jiter and V8 word it differently).

Run by ``nox -s npm_package``.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from corpus import CORPUS, cases, parse_strict
from npm_consumer import run_cases
from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group.contract import examples, rules

Error = tuple[str, str, str]

SUCCESSOR_CORPUS = CORPUS.parent / "successor"


def _pointer(loc: tuple[str | int, ...] | list[str | int]) -> str:
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in loc)


def _message(rule: str, message: str) -> str:
    return "Invalid JSON: ..." if rule == "json_invalid" else message


def _python(check: Callable[[], object]) -> list[Error]:
    try:
        check()
    except ValidationError as exc:
        return sorted(
            (_pointer(err["loc"]), err["type"], _message(err["type"], err["msg"]))
            for err in exc.errors(include_url=False)
        )
    return []


def _node(answer: dict[str, Any]) -> list[Error]:
    errors = answer["errors"]
    assert answer["valid"] is (not errors), answer
    return sorted(
        (err["path"], err["rule"], _message(err["rule"], err["message"])) for err in errors
    )


def _disagreements(names: list[str], expected: list[list[Error]], got: list[list[Error]]) -> str:
    lines = [
        f"{name}:\n    Python: {want}\n    npm:    {have}"
        for name, want, have in zip(names, expected, got, strict=True)
        if want != have
    ]
    return f"{len(lines)} of {len(names)} disagree:\n" + "\n".join(lines)


def _compare(consumer: Path, named: list[tuple[str, dict[str, Any], Callable[[], object]]]) -> None:
    names = [name for name, _, _ in named]
    answers = run_cases(consumer, [case for _, case, _ in named])
    expected = [_python(check) for _, _, check in named]
    got = [_node(answer) for answer in answers]
    assert expected == got, _disagreements(names, expected, got)


def _text_check(text: str) -> Callable[[], object]:
    return lambda: ExecutionGroup.model_validate_json(text)


def _value_check(text: str) -> Callable[[], object]:
    value = json.loads(text)
    reader = getattr(ExecutionGroup, "from_document", None)
    if reader is None:  # defined as model_validate_json(json.dumps(value)): the same errors
        return lambda: ExecutionGroup.model_validate_json(json.dumps(value))
    return lambda: reader(value)


def test_document_corpus_as_text(consumer: Path) -> None:
    named = [(c.name, {"check": "text", "text": c.text}, _text_check(c.text)) for c in cases()]
    assert len(named) > 150
    _compare(consumer, named)


def test_document_corpus_as_values(consumer: Path) -> None:
    """Every case that is JSON text, decoded first (NaN and truncated texts are not)."""
    decodable = [c for c in cases() if parse_strict(c.text)[0]]
    named = [(c.name, {"check": "value", "text": c.text}, _value_check(c.text)) for c in decodable]
    _compare(consumer, named)


JSON_VALUES: list[Any] = [
    None,
    True,
    0,
    30,
    -1,
    87.5,
    1e-7,
    1e300,
    "",
    "x",
    "30.0",
    "2025-10-28T14:30:22Z",
    "EXG_20251028_143022_a8f3c",
    [],
    ["binance_1"],
    {},
    {"visible_ratio": 0.5},
]


def _replaced() -> list[tuple[str, str]]:
    """Each example with each member replaced by each JSON type, or removed."""
    found = []
    for index, example in enumerate(examples()):
        for member in example:
            removed = {key: value for key, value in example.items() if key != member}
            found.append((f"example{index + 1} without {member}", json.dumps(removed)))
            for value in JSON_VALUES:
                document = copy.deepcopy(example)
                document[member] = value
                found.append((f"example{index + 1} {member}={value!r}", json.dumps(document)))
    return found


PAIR_VALUES: list[Any] = [None, 30, "x"]


def _pairs_replaced() -> list[tuple[str, str]]:
    """Each example with two members replaced at once: every error is reported, in any mix."""
    found = []
    for index, example in enumerate(examples()):
        for first, second in itertools.combinations(example, 2):
            for one, two in itertools.product(PAIR_VALUES, repeat=2):
                document = dict(example, **{first: one, second: two})
                name = f"example{index + 1} {first}={one!r} {second}={two!r}"
                found.append((name, json.dumps(document)))
    return found


def test_two_members_of_every_type(consumer: Path) -> None:
    pairs = _pairs_replaced()
    named = [(n, {"check": "text", "text": t}, _text_check(t)) for n, t in pairs]
    named += [(n, {"check": "value", "text": t}, _value_check(t)) for n, t in pairs]
    _compare(consumer, named)


def test_every_member_of_every_type_as_text(consumer: Path) -> None:
    named = [(n, {"check": "text", "text": t}, _text_check(t)) for n, t in _replaced()]
    _compare(consumer, named)


def test_every_member_of_every_type_as_value(consumer: Path) -> None:
    named = [(n, {"check": "value", "text": t}, _value_check(t)) for n, t in _replaced()]
    _compare(consumer, named)


def _reusing(text: str, item: str, times: int, keyed: bool) -> Callable[[], object]:
    """``from_document`` on ``text`` decoded, its metadata member ``reused`` holding
    ``times`` uses of the one ``item`` object (as run_cases.mjs builds it in JavaScript)."""
    value = json.loads(text)
    uses = [{item: 1} for _ in range(times)] if keyed else [item] * times
    value["metadata"] = {**(value.get("metadata") or {}), "reused": uses}
    return lambda: ExecutionGroup.from_document(value)


def _reuse_cases() -> list[tuple[str, str, int, bool]]:
    """(text, item, times, keyed) around the bound, so the place refused must agree exactly:
    strings at the unit boundaries (64, 127, 128 characters; 64 code points of 128 UTF-16
    units), shorter ones (never reused in the bound's sense) and long member names."""
    most = rules()["limits"]["metadata_expansion"]
    unit = rules()["limits"]["metadata_text_unit"]
    texts = [json.dumps(example) for example in examples()[:2]]
    found: list[tuple[str, str, int, bool]] = []
    for text in texts:
        for item, uses in (
            ("x" * unit, most // 2),
            ("y" * (2 * unit - 1), most // 2),
            ("z" * (2 * unit), most // 3),
            ("\U0001f600" * unit, most // 2),
        ):
            found += [(text, item, uses + delta, False) for delta in (-60, -20, 0, 20)]
        found.append((text, "w" * (unit - 1), most * 2, False))
        found += [(text, "k" * unit, most // 4 + delta, True) for delta in (-40, -10, 5)]
    return found


def test_reused_strings_as_values(consumer: Path) -> None:
    """One string used many times (JavaScript cannot tell that from equal strings): refused
    at the same place, with the same message, once its JSON passes the bound."""
    named = [
        (
            f"{len(item)} characters x {times}{' as member names' if keyed else ''}",
            {"check": "reused", "text": text, "item": item, "times": times, "keyed": keyed},
            _reusing(text, item, times, keyed),
        )
        for text, item, times, keyed in _reuse_cases()
    ]
    _compare(consumer, named)
    verdicts = [_python(check) for *_, check in named]
    assert [] in verdicts  # some below the bound, some past it
    assert {rule for errors in verdicts for _, rule, _ in errors} == {"metadata_size"}


def _successor_cases() -> list[tuple[str, str, str]]:
    """(name, before text, after text) of each successor case."""
    found = []
    for path in sorted(SUCCESSOR_CORPUS.rglob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        before = case.get("before_text", json.dumps(case.get("before"), ensure_ascii=False))
        after = case.get("after_text", json.dumps(case.get("after"), ensure_ascii=False))
        found.append((str(path.relative_to(SUCCESSOR_CORPUS)), before, after))
    return found


@pytest.mark.parametrize("form", ["text", "value"])
def test_successor_corpus(consumer: Path, form: str) -> None:
    from execution_group import check_successor  # pylint: disable=import-outside-toplevel

    pairs = _successor_cases()
    assert pairs, f"no successor cases in {SUCCESSOR_CORPUS}"
    if form == "value":
        pairs = [p for p in pairs if parse_strict(p[1])[0] and parse_strict(p[2])[0]]

    def check(before: str, after: str) -> Callable[[], object]:
        if form == "text":
            return lambda: check_successor(before, after)
        return lambda: check_successor(json.loads(before), json.loads(after))

    named = [
        (name, {"check": "successor", "as": form, "before": b, "after": a}, check(b, a))
        for name, b, a in pairs
    ]
    _compare(consumer, named)


def test_a_disagreement_is_reported(consumer: Path) -> None:
    """The comparison can fail: a case judged by the wrong Python check is named."""
    text = json.dumps(dict(examples()[0], group_id="EXG_bad"))
    named = [("wrong on purpose", {"check": "text", "text": text}, lambda: None)]
    with pytest.raises(AssertionError, match="wrong on purpose"):
        _compare(consumer, named)
