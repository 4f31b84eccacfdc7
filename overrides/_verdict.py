"""The contract's verdict on JSON text, without building a group.

``execution-group validate`` wants a yes or no per document, and the errors of a no. The
model's own core schema, with its last step cut off (making the ``ExecutionGroup`` object,
its set of given fields and its private state), checks every field and then the same
document rules (``_fields.check_rules``) on the fields' dict: a document it accepts,
the model accepts. What it refuses goes to ``model_validate_json``, which decides and
gives the exact errors (the I-JSON rules by their codes, the last duplicate member name
winning). Making the object is about 6% of the model's cost on the schema's examples
(0.25 µs of 4.1) and 8% on the JSON Lines documents of ``bench/cli.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, cast

from pydantic import BaseModel
from pydantic_core import CoreConfig, CoreSchema, SchemaValidator, core_schema

from ._fields import GroupFields, check_rules

__all__ = ["quick_check"]

_CHECK = GroupFields.__pydantic_decorators__.model_validators["_check_document"].func


def _fields_checked(fields_extra_set: tuple[dict[str, Any], Any, Any]) -> None:
    """The model's after-validation, given the output of its ``model-fields`` step."""
    check_rules(fields_extra_set[0])


def _cut(root: Any, model: type[BaseModel]) -> tuple[CoreSchema, CoreConfig | None] | None:
    """``root`` (a model's validation: its document check around its model step) with the
    model step replaced by its fields step, and that step's config; ``None`` for another
    shape (another validator around the model, another layout of pydantic's)."""
    if not isinstance(root, dict):
        return None
    check = cast(dict[str, Any], root)
    step = check.get("schema")
    if not (
        check.get("type") == "function-after"
        and check.get("function", {}).get("function") is _CHECK
        and isinstance(step, dict)
    ):
        return None
    model_step = cast(dict[str, Any], step)
    if model_step.get("type") != "model" or model_step.get("cls") is not model:
        return None
    fields = cast(CoreSchema, model_step["schema"])
    config = cast(CoreConfig | None, model_step.get("config"))
    return core_schema.no_info_after_validator_function(_fields_checked, fields), config


@cache
def quick_check(model: type[BaseModel]) -> Callable[[str | bytes | bytearray], object]:
    """A ``validate_json`` that returns nothing on a valid document and raises
    ``ValidationError`` where ``model.model_validate_json`` may refuse it.

    For a model whose core schema is laid out otherwise (a subclass with validators of
    its own, another pydantic), this is the model's own ``validate_json``: slower, never
    wrong.
    """
    source = cast(dict[str, Any], model.__pydantic_core_schema__)
    wrapped = source.get("type") == "definitions"  # recursive parts (metadata) come first
    cut = _cut(source["schema"] if wrapped else source, model)
    if cut is None:
        return model.__pydantic_validator__.validate_json
    schema, config = cut
    if wrapped:
        schema = cast(CoreSchema, {**source, "schema": schema})
    return SchemaValidator(schema, config).validate_json
