"""tools.compat on random schema pairs: a verdict, never an exception; and where it says
compatible, no random document contradicts it."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import SchemaError
from jsonschema.validators import Draft202012Validator

from tools.compat._schema import cannot_say
from tools.schema_compat import Change, compare

NAMES = ["a", "b", "ab"]
STRINGS = ["", "a", "ab", "abc", "b", "2020-01-01", "x-y"]
NUMBERS = [-1, 0, 0.5, 1, 1.5, 2, 3, 10]
SCALARS = st.sampled_from([None, True, False, *STRINGS, *NUMBERS])

LEAVES: dict[str, st.SearchStrategy[Any]] = {
    "type": st.sampled_from(
        [
            "string",
            "number",
            "integer",
            "null",
            "object",
            "array",
            "boolean",
            ["string", "null"],
            ["integer", "string"],
        ]
    ),
    "enum": st.lists(SCALARS, min_size=1, max_size=3),
    "const": SCALARS,
    "minimum": st.sampled_from(NUMBERS),
    "maximum": st.sampled_from(NUMBERS),
    "exclusiveMinimum": st.sampled_from(NUMBERS),
    "exclusiveMaximum": st.sampled_from(NUMBERS),
    "multipleOf": st.sampled_from([1, 2, 0.5, 3, 0.1]),
    "minLength": st.integers(0, 3),
    "maxLength": st.integers(0, 3),
    "minItems": st.integers(0, 3),
    "maxItems": st.integers(0, 3),
    "minProperties": st.integers(0, 2),
    "maxProperties": st.integers(0, 2),
    "pattern": st.sampled_from(["^a", "b", "^[a-c]*$"]),
    "format": st.sampled_from(["date", "email"]),
    "required": st.lists(st.sampled_from(NAMES), max_size=2, unique=True),
    "uniqueItems": st.booleans(),
    "dependentRequired": st.dictionaries(
        st.sampled_from(NAMES),
        st.lists(st.sampled_from(NAMES), max_size=2, unique=True),
        max_size=1,
    ),
    "$ref": st.just("#/$defs/d"),
}
MALFORMED = st.sampled_from(
    [
        ("type", 5),
        ("required", "a"),
        ("enum", 3),
        ("properties", []),
        ("items", 7),
        ("minimum", "x"),
        ("anyOf", {}),
        ("oneOf", []),
        ("pattern", 1),
        ("multipleOf", 0),
        ("$ref", "#/nowhere"),
        ("$ref", 3),
        ("allOf", [1]),
        ("not", "x"),
        ("prefixItems", {}),
        ("additionalProperties", []),
        ("dependentRequired", []),
        ("contains", 2),
        ("maxContains", "x"),
    ]
)


def _node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    nested: dict[str, st.SearchStrategy[Any]] = {
        "properties": st.dictionaries(st.sampled_from(NAMES), children, max_size=2),
        "patternProperties": st.dictionaries(st.sampled_from(["^a", "b$"]), children, max_size=1),
        "additionalProperties": children,
        "unevaluatedProperties": children,
        "unevaluatedItems": children,
        "propertyNames": children,
        "items": children,
        "contains": children,
        "prefixItems": st.lists(children, max_size=2),
        "not": children,
        "anyOf": st.lists(children, min_size=1, max_size=3),
        "oneOf": st.lists(children, min_size=1, max_size=3),
        "allOf": st.lists(children, min_size=1, max_size=2),
        "if": children,
        "then": children,
        "else": children,
        "dependentSchemas": st.dictionaries(st.sampled_from(NAMES), children, max_size=1),
        "minContains": st.integers(0, 2),
        "maxContains": st.integers(0, 2),
    }
    keywords = {**LEAVES, **nested}
    return st.lists(st.sampled_from(sorted(keywords)), max_size=3, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({key: keywords[key] for key in keys})
    )


def _plain(leaf_keywords: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(leaf_keywords, _node, max_leaves=8)


LEAF = st.booleans() | st.lists(st.sampled_from(sorted(LEAVES)), max_size=2, unique=True).flatmap(
    lambda keys: st.fixed_dictionaries({key: LEAVES[key] for key in keys})
)
SCHEMAS = _plain(LEAF)


@st.composite
def documents_schema(draw: st.DrawFn, malformed: bool = False) -> Any:
    """A schema with a ``$defs/d`` for its ``$ref``s (sometimes one malformed keyword)."""
    schema = draw(SCHEMAS)
    if isinstance(schema, dict):
        schema = {**schema, "$defs": {"d": draw(SCHEMAS)}}
        if malformed:
            key, value = draw(MALFORMED)
            schema[key] = value
    return schema


@st.composite
def mutated(draw: st.DrawFn, schema: Any) -> Any:
    """``schema`` with one keyword somewhere replaced, added or dropped."""
    new = copy.deepcopy(schema)
    spots = [node for node in _dicts(new)]
    if not spots:
        return draw(documents_schema())
    spot = draw(st.sampled_from(spots))
    key = draw(st.sampled_from(sorted(LEAVES)))
    if key in spot and draw(st.booleans()):
        del spot[key]
    else:
        spot[key] = draw(LEAVES[key])
    return new


def _dicts(value: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(v for k, v in node.items() if k not in ("enum", "const", "required"))
        elif isinstance(node, list):
            stack.extend(node)
    return found


@st.composite
def pairs(draw: st.DrawFn, malformed: bool = False) -> tuple[Any, Any]:
    old = draw(documents_schema(malformed))
    new = draw(mutated(old) | documents_schema(malformed))
    return old, new


def _is_verdict(changes: Any) -> None:
    assert isinstance(changes, list)
    for change in changes:
        assert isinstance(change, Change)
        assert change.kind in ("narrowing", "widening", "annotation")
        assert "internal error" not in change.message, change
        json.dumps([change.path, change.message])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs(malformed=True))
def test_any_pair_gets_a_verdict(pair: tuple[Any, Any]) -> None:
    old, new = pair
    _is_verdict(compare(old, new))


DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from([*NAMES, "x-y"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def _verdict(schema: Any, document: Any) -> bool | None:
    try:
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return bool(validator.is_valid(document))
    except BaseException as error:  # the engine's own limits (a recursive $ref): no verdict
        if not cannot_say(error):
            raise
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs(), st.lists(DOCUMENTS, min_size=1, max_size=8))
def test_compatible_means_no_document_breaks(pair: tuple[Any, Any], documents: list[Any]) -> None:
    """Where the checker finds no narrowing, every document the old schema accepts passes
    the new one (and with no widening, the reverse)."""
    old, new = pair
    try:
        Draft202012Validator.check_schema(old)
        Draft202012Validator.check_schema(new)
    except SchemaError:
        assume(False)
    changes = compare(old, new)
    for kind, before, after in (("narrowing", old, new), ("widening", new, old)):
        if any(change.kind == kind for change in changes):
            continue
        for document in documents:
            if _verdict(before, document) is True:
                assert _verdict(after, document) is not False, (kind, document, changes)
