"""The schema round trip: ``nox -s roundtrip``.

(a) ``ExecutionGroup.model_json_schema()`` must be structurally equivalent to
``schema/execution_group.schema.json``. Both are normalised first, and the
normalisation is the whole of what "equivalent" forgives:

1. every ``$ref`` into ``$defs`` is inlined, and ``$defs`` dropped (pydantic names and
   nests definitions its own way);
2. annotations are dropped: ``title``, ``description``, ``examples``, ``default``,
   ``$comment`` (they do not change a verdict);
3. ``"type": [T, "null"]`` is written as ``"anyOf": [{"type": T}, {"type": "null"}]``
   (pydantic's spelling of the same set).

Anything else that differs (a pattern, a bound, a required field, a rule in ``allOf``)
is reported as a unified diff of the two normalised schemas, and the session fails.

(b) Every valid example and corpus document survives JSON -> model -> JSON unchanged,
compared as JSON values, with absent optional fields read as ``null`` and timestamps
compared in the model's canonical spelling (``Z``, microseconds): the two documented
canonicalisations of docs/contract.md §2.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Any

from execution_group import ExecutionGroup
from execution_group.contract import examples, schema

__all__ = ["document_failures", "main", "normalise", "schema_diff"]

ANNOTATIONS = frozenset({"title", "description", "examples", "default", "$comment"})
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "conformance"


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        result.update(_inline(defs[ref.removeprefix("#/$defs/")], defs))
    for key, value in node.items():
        if key in ("$ref", "$defs") and (key != "$ref" or isinstance(ref, str)):
            continue
        result[key] = _inline(value, defs)
    return result


def _strip(node: Any, *, in_properties: bool = False) -> Any:
    if isinstance(node, list):
        return [_strip(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if not in_properties and key in ANNOTATIONS:
            continue
        result[key] = _strip(value, in_properties=key in ("properties", "$defs"))
    types = result.get("type")
    if isinstance(types, list) and "null" in types and len(types) == 2:
        other = next(kind for kind in types if kind != "null")
        result.pop("type")
        result["anyOf"] = [{"type": other}, {"type": "null"}]
    return result


def normalise(document: dict[str, Any]) -> Any:
    """The schema with refs inlined, annotations dropped and nullable types in one spelling."""
    return _strip(_inline(document, document.get("$defs", {})))


def schema_diff() -> str:
    """A unified diff of the normalised source and model schemas; empty when equivalent."""
    source = json.dumps(normalise(schema()), indent=2, sort_keys=True).splitlines()
    model = json.dumps(
        normalise(ExecutionGroup.model_json_schema()), indent=2, sort_keys=True
    ).splitlines()
    return "\n".join(
        difflib.unified_diff(
            source, model, "schema/execution_group.schema.json", "model_json_schema()", lineterm=""
        )
    )


def _canonical(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` as the model would spell it: every field present, timestamps in ``Z``."""
    full = {name: document.get(name) for name in ExecutionGroup.model_fields}
    group = ExecutionGroup.model_validate_json(json.dumps(document))
    for name in ("created_at", "updated_at", "cancelled_at", "completed_at"):
        full[name] = json.loads(group.model_dump_json(include={name}))[name]
    return full


def valid_documents() -> list[tuple[str, dict[str, Any]]]:
    """The schema's examples and every corpus document the full contract accepts."""
    found = [(f"schema example {index}", doc) for index, doc in enumerate(examples(), 1)]
    for path in sorted(CORPUS.rglob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if case["contract_valid"] and "document" in case:
            found.append((str(path.relative_to(CORPUS)), case["document"]))
    return found


def document_failures() -> list[str]:
    """Every valid document whose JSON -> model -> JSON trip changes it, with the change."""
    failures = []
    for name, document in valid_documents():
        written = json.loads(
            ExecutionGroup.model_validate_json(json.dumps(document)).model_dump_json()
        )
        expected = _canonical(document)
        if written != expected:
            changed = sorted(key for key in expected if written.get(key) != expected[key])
            failures.append(f"{name}: changed {changed}: {written} != {expected}")
    return failures


def main() -> int:
    """Run both checks; print what differs; exit 1 on any difference."""
    status = 0
    diff = schema_diff()
    if diff:
        print("model_json_schema() differs from the source schema after normalisation:")
        print(diff)
        status = 1
    else:
        print("(a) model_json_schema() is equivalent to schema/execution_group.schema.json")
    failures = document_failures()
    for failure in failures:
        print(failure)
    total = len(valid_documents())
    print(f"(b) {total - len(failures)}/{total} valid documents survive JSON -> model -> JSON")
    return 1 if failures else status


if __name__ == "__main__":
    sys.exit(main())
