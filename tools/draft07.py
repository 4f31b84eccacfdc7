"""Write ``schema/execution_group.draft-07.schema.json``: the contract for validators that
stop at JSON Schema draft-07 (Go's gojsonschema, C++ valijson, Ruby json_schemer 0.2, Perl
JSON::Validator, Java's everit), generated from the 2020-12 file, never hand-edited.

The 2020-12 file stays the source of truth. Every keyword is either known to mean the same
in draft-07 (kept), translated (``$defs`` -> ``definitions`` with every ``$ref`` rewritten;
a ``$ref`` beside assertions is wrapped in ``allOf``, since draft-07 ignores a ``$ref``'s
siblings; ``dependentRequired``/``dependentSchemas`` -> ``dependencies``; ``prefixItems``
-> array ``items`` plus ``additionalItems``), or refused: an unknown keyword, or one
draft-07 cannot express, stops the tool with its path.

    python -m tools.draft07           # write the file
    python -m tools.draft07 --check   # exit 1 with a unified diff when it is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tools import _drift

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "schema" / "execution_group.schema.json"
OUTPUT = ROOT / "schema" / "execution_group.draft-07.schema.json"

SOURCE_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Exactly this spelling: json_schemer 0.2 refuses others, JSON::Validator falls back to a
# generic class without the '#' or with https.
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
COMMENT = (
    "Generated from execution_group.schema.json (JSON Schema 2020-12, the source of truth) "
    "by tools/draft07.py; do not edit."
)

# Keywords whose value is data or an annotation: copied as they are, never walked.
DATA = frozenset(
    {"title", "description", "default", "examples", "$comment", "enum", "const", "readOnly",
     "writeOnly", "type", "pattern", "format", "required", "minLength", "maxLength",
     "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems",
     "maxItems", "uniqueItems", "minProperties", "maxProperties", "contentMediaType",
     "contentEncoding"}
)  # fmt: skip
# Keywords whose value is one subschema, a list of them, or a map of names to them.
ONE_SCHEMA = frozenset(
    {"not", "if", "then", "else", "additionalProperties", "propertyNames", "contains", "items"}
)
SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf"})
SCHEMA_MAP = frozenset({"properties", "patternProperties"})
# Keywords that change no verdict: a $ref with only these beside it needs no allOf.
ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$comment"})


class Untranslatable(ValueError):
    """A keyword the draft-07 rendering cannot carry with the same meaning."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path or '/'}: {reason}")


def _ref(value: Any, path: str) -> str:
    """A local JSON Pointer reference, with ``$defs`` segments renamed."""
    if not isinstance(value, str) or not value.startswith("#"):
        raise Untranslatable(path, f"only local references are translated, not {value!r}")
    segments = value[1:].split("/")
    return "#" + "/".join("definitions" if part == "$defs" else part for part in segments)


def _dependencies(node: dict[str, Any], path: str) -> dict[str, Any]:
    """``dependentRequired`` and ``dependentSchemas`` merged into draft-07 ``dependencies``."""
    merged: dict[str, Any] = dict(node.get("dependentRequired", {}))
    for name, subschema in node.get("dependentSchemas", {}).items():
        if name in merged:
            raise Untranslatable(path, f"{name!r} is in dependentRequired and dependentSchemas")
        merged[name] = _schema(subschema, f"{path}/dependentSchemas/{name}")
    return merged


def _keywords(node: dict[str, Any], path: str) -> Iterator[tuple[str, Any]]:
    """The draft-07 keywords for one 2020-12 schema object, in the source's order."""
    for key, value in node.items():
        where = f"{path}/{key}"
        if key in DATA:
            yield key, value
        elif key == "items" and "prefixItems" in node:
            yield "additionalItems", _schema(value, where)
        elif key in ONE_SCHEMA:
            yield key, _schema(value, where)
        elif key in SCHEMA_LIST:
            yield key, [_schema(item, f"{where}/{i}") for i, item in enumerate(value)]
        elif key in SCHEMA_MAP or key == "$defs":
            renamed = "definitions" if key == "$defs" else key
            yield renamed, {name: _schema(sub, f"{where}/{name}") for name, sub in value.items()}
        elif key == "$ref":
            yield key, _ref(value, where)
        elif key == "prefixItems":
            yield "items", [_schema(item, f"{where}/{i}") for i, item in enumerate(value)]
        elif key in {"dependentRequired", "dependentSchemas"}:
            if key == "dependentRequired" or "dependentRequired" not in node:
                yield "dependencies", _dependencies(node, path)
        else:
            raise Untranslatable(where, f"keyword {key!r} has no draft-07 rendering here")


def _schema(node: Any, path: str) -> Any:
    """One subschema rendered in draft-07."""
    if isinstance(node, bool):
        return node
    if not isinstance(node, dict):
        raise Untranslatable(path, f"a schema must be an object or a boolean, not {node!r}")
    rendered = dict(_keywords(node, path))
    if "$ref" in rendered and set(rendered) - ANNOTATIONS - {"$ref"}:
        # draft-07 ignores everything beside a $ref: move the reference into allOf.
        reference = {"$ref": rendered.pop("$ref")}
        rendered["allOf"] = [reference, *rendered.get("allOf", [])]
    return rendered


def render(source: dict[str, Any]) -> dict[str, Any]:
    """The draft-07 rendering of a 2020-12 schema: dialect, id and comment first, then the
    translated schema; raises ``Untranslatable``."""
    if source.get("$schema") != SOURCE_DIALECT:
        raise Untranslatable("/$schema", f"expected {SOURCE_DIALECT!r}")
    identifier = source.get("$id")
    if not isinstance(identifier, str) or not identifier.endswith(SOURCE.name):
        raise Untranslatable("/$id", f"expected an $id ending in {SOURCE.name!r}")
    body = {k: v for k, v in source.items() if k not in {"$schema", "$id"}}
    return {
        "$schema": DRAFT_07,
        "$id": identifier.removesuffix(SOURCE.name) + OUTPUT.name,
        "$comment": COMMENT,
        **_schema(body, ""),
    }


def text() -> str:
    """The file's text, as written: two-space indent, ASCII, final newline."""
    source: dict[str, Any] = json.loads(SOURCE.read_text(encoding="utf-8"))
    return json.dumps(render(source), indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the file, or with ``--check`` compare it."""
    parser = argparse.ArgumentParser(prog="python -m tools.draft07", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when the file differs")
    options = parser.parse_args(argv)
    try:
        expected = text()
    except Untranslatable as error:
        print(f"cannot render draft-07: {error}", file=sys.stderr)
        return 2
    if options.check:
        return _drift.check(OUTPUT, expected, SOURCE.name, "python -m tools.draft07")
    OUTPUT.write_text(expected, encoding="utf-8", newline="\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
