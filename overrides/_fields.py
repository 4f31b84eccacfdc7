"""The fields of ``ExecutionGroup`` and how a document becomes one: strict types and rules.

``GroupFields`` is the generated base model with the contract's strict types swapped in
(UTC timestamps, Decimal quantities, JSON-safe metadata, the order list), the rules JSON
Schema cannot state checked after validation (``rules.violations`` and unique order ids),
and the two readers of JSON (``model_validate_json``, ``from_document``). The model
(``model``) adds derived values and every public way of changing a group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Self, cast

from pydantic import ConfigDict, Field, ValidationError, model_validator
from pydantic.config import ExtraValues

from ._document import from_document, json_verdict
from ._generated import model as generated
from ._storage import Stored
from .contract import examples, schema
from .errors import contract_error
from .ids import DirectiveId, GroupId, OrderId
from .metadata import Metadata
from .order_ids import not_unique
from .quantities import Quantity
from .rules import violations
from .timestamps import UtcTimestamp

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = ["GroupFields", "check_rules"]

_PROPERTIES: dict[str, Any] = schema()["properties"]


def _about(name: str, *keywords: str) -> Any:
    """``Field`` for a property, with its schema description and any ``keywords`` pydantic
    cannot derive from the Python type (``uniqueItems``, a ``not``), read from the schema."""
    source = _PROPERTIES[name]
    extra = {keyword: source[keyword] for keyword in keywords}
    return Field(description=source["description"], json_schema_extra=extra or None)


def _schema_extra(document: dict[str, Any]) -> None:
    """The model's JSON Schema carries the source's identity and cross-field rules."""
    source = schema()
    document["$schema"] = source["$schema"]
    document["$id"] = source["$id"]
    document["allOf"] = source["allOf"]
    document["examples"] = examples()


def check_rules(fields: Mapping[str, Any]) -> None:
    """Raise every rule JSON Schema cannot state that a document's validated ``fields`` break:
    the cross-field rules (``rules.violations``) and unique order ids."""
    ids: list[str] = fields["order_ids"]
    count = len(ids)
    errors = violations(fields, count)
    if count > 1 and len(set(ids)) != count:
        errors.append(not_unique(("order_ids",), ids))
    if errors:
        raise contract_error(errors)


class GroupFields(Stored, generated.ExecutionGroup):
    """An ExecutionGroup document, validated against the full contract on the way in."""

    model_config = ConfigDict(
        extra="forbid",
        title="ExecutionGroup",
        json_schema_extra=_schema_extra,
    )

    group_id: Annotated[GroupId, _about("group_id")]
    parent_directive_id: Annotated[DirectiveId, _about("parent_directive_id")]
    order_ids: Annotated[list[OrderId], _about("order_ids", "uniqueItems")]
    created_at: Annotated[UtcTimestamp, _about("created_at")]
    updated_at: Annotated[UtcTimestamp, _about("updated_at")]
    target_quantity: Annotated[  # pyright: ignore[reportIncompatibleVariableOverride]
        Quantity | None,
        _about("target_quantity", "not"),
    ] = None  # type: ignore[assignment]
    filled_quantity: Annotated[  # pyright: ignore[reportIncompatibleVariableOverride]
        Quantity | None,
        _about("filled_quantity"),
    ] = None  # type: ignore[assignment]
    cancelled_at: Annotated[UtcTimestamp | None, _about("cancelled_at")] = None
    completed_at: Annotated[UtcTimestamp | None, _about("completed_at")] = None
    metadata: Annotated[Metadata | None, _about("metadata")] = None

    @model_validator(mode="after")
    def _check_document(self) -> Self:
        check_rules(self.__dict__)
        return self  # ``order_ids`` stays a plain list until first touched (OrderIdsField)

    @classmethod
    def model_validate_json(  # noqa: PLR0913  # pylint: disable=too-many-arguments
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: ExtraValues | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """``BaseModel.model_validate_json``; I-JSON breaches by their rule codes, last duplicate
        wins. Calls the validator itself, as ``BaseModel`` does: one Python frame on a hot path."""
        if by_alias is False and by_name is not True:  # pydantic's own usage error
            return super().model_validate_json(json_data, by_alias=by_alias, by_name=by_name)
        try:
            if (  # every option unset: a call without keywords costs less
                strict is None
                and extra is None
                and context is None
                and by_alias is None
                and by_name is None
            ):
                return cls.__pydantic_validator__.validate_json(json_data)  # type: ignore[no-any-return]
            return cls.__pydantic_validator__.validate_json(  # type: ignore[no-any-return]
                json_data,
                strict=strict,
                extra=extra,
                context=context,
                by_alias=by_alias,
                by_name=by_name,
            )
        except ValidationError as exc:
            options = {
                "strict": strict,
                "extra": extra,
                "context": context,
                "by_alias": by_alias,
                "by_name": by_name,
            }
            return cast(
                Self, json_verdict(cast("type[ExecutionGroup]", cls), json_data, exc, options)
            )

    @classmethod
    def from_document(cls, value: object) -> Self:
        """The JSON verdict for an already-decoded JSON value (``json.loads`` output, say).

        The same as ``model_validate_json(json.dumps(value))`` on every JSON value, without
        writing the text: quantities and timestamps must be strings, only JSON types count
        (a subclass is read as its base, a tuple is an array; anything else, and a member
        name that is no string, is refused where it sits), the I-JSON rules hold.
        ``model_validate`` is the Python-object reader and takes ``100`` or a ``Decimal``
        for a quantity; a service that receives decoded JSON wants this one. The group
        shares no container with ``value``.
        """
        return cast(Self, from_document(cast("type[ExecutionGroup]", cls), value))
