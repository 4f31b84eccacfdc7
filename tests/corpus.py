"""The conformance corpus and the engines that judge it.

Each case in ``tests/conformance/<area>/<case>.json`` holds one document (``document``,
or ``document_text`` when it is not valid JSON at all) and two expected verdicts:
``schema_valid`` (the JSON Schema alone) and ``contract_valid`` (the full contract, which
adds the rules of docs/contract.md §4).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group.contract import schema

CORPUS = Path(__file__).parent / "conformance"
DRAFT_07_FILE = "execution_group.draft-07.schema.json"


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    schema_valid: bool
    contract_valid: bool

    def __str__(self) -> str:
        return self.name


def _strict_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_strict(text: str) -> tuple[bool, Any]:
    """RFC 8259 parse: (True, value), or (False, None) for text that is not JSON."""
    try:
        return True, json.loads(text, parse_constant=_strict_constant)
    except ValueError:
        return False, None


@cache
def cases() -> tuple[Case, ...]:
    found = []
    for path in sorted(CORPUS.rglob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        text = (
            raw["document_text"]
            if "document_text" in raw
            else json.dumps(raw["document"], ensure_ascii=False)
        )
        found.append(
            Case(
                str(path.relative_to(CORPUS).with_suffix("")),
                text,
                raw["schema_valid"],
                raw["contract_valid"],
            )
        )
    return tuple(found)


@cache
def _jsonschema() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _jsonschema_rs() -> Any:
    return jsonschema_rs.validator_for(schema(), validate_formats=True)


@cache
def draft07_schema() -> dict[str, Any]:
    """The draft-07 rendering, as shipped in the installed package."""
    folder = resources.files("execution_group.schema")
    loaded: dict[str, Any] = json.loads(folder.joinpath(DRAFT_07_FILE).read_text("utf-8"))
    return loaded


@cache
def _draft07_validators() -> tuple[jsonschema.Draft7Validator, Any]:
    return (
        jsonschema.Draft7Validator(
            draft07_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
        ),
        jsonschema_rs.Draft7Validator(draft07_schema(), validate_formats=True),
    )


def draft07_verdicts(text: str) -> tuple[bool, bool]:
    """(jsonschema, jsonschema-rs) verdicts under the draft-07 rendering."""
    ok, document = parse_strict(text)
    if not ok:
        return False, False
    by_jsonschema, by_rs = _draft07_validators()
    return by_jsonschema.is_valid(document), bool(by_rs.is_valid(document))


def jsonschema_verdict(text: str) -> bool:
    ok, document = parse_strict(text)
    return ok and _jsonschema().is_valid(document)


def jsonschema_rs_verdict(text: str) -> bool:
    ok, document = parse_strict(text)
    return ok and bool(_jsonschema_rs().is_valid(document))


def model_verdict(text: str) -> bool:
    try:
        ExecutionGroup.model_validate_json(text)
    except ValidationError:
        return False
    return True
