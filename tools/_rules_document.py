"""What the rules compiler knows of the schema, and the error it raises."""

from __future__ import annotations

from typing import Any


class RulesError(Exception):
    """The rules file asks for something this compiler cannot emit."""


class Document:
    """What the compiler knows of one document: each member's Python type in the state."""

    def __init__(self, schema: dict[str, Any], declared: dict[str, str]) -> None:
        self.required = set(schema["required"])
        self.kinds: dict[str, str] = {}
        self.objects = {
            name
            for name, spec in schema["properties"].items()
            if set(spec.get("type", [])) == {"object", "null"} or spec.get("type") == "object"
        }
        for name, spec in schema["properties"].items():
            ref = spec.get("$ref") or next(
                (branch["$ref"] for branch in spec.get("anyOf", []) if "$ref" in branch), ""
            )
            definition = ref.rsplit("/", 1)[-1]
            if definition in declared:
                self.kinds[name] = declared[definition]
            elif "enum" in schema["$defs"].get(definition, {}):
                self.kinds[name] = "enum:" + definition
            else:
                self.kinds[name] = "json"
