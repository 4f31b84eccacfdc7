# GENERATED FILE: DO NOT EDIT BY HAND.
# Source: schema/execution_group.schema.json
# Generator: datamodel-code-generator, pinned in pyproject.toml ([project.optional-dependencies] codegen),
#   configured in pyproject.toml ([tool.datamodel-codegen]).
# Regenerate: nox -s generate      Check for drift: nox -s drift

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType


class ExecutionStrategyType(str, Enum):
    SINGLE = "SINGLE"
    TWAP = "TWAP"
    VWAP = "VWAP"
    ICEBERG = "ICEBERG"
    DCA = "DCA"
    LAYERED = "LAYERED"
    POV = "POV"


class GroupStatus(str, Enum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"
    PARTIAL = "PARTIAL"


GroupId = TypeAliasType(
    "GroupId",
    Annotated[
        str,
        Field(
            description="EXG_YYYYMMDD_HHMMSS_xxxxx: UTC creation second and five characters of [0-9a-z].",
            pattern="^EXG_[0-9]{8}_[0-9]{6}_[0-9a-z]{5}$",
            title="GroupId",
        ),
    ],
)


DirectiveId = TypeAliasType(
    "DirectiveId",
    Annotated[
        str,
        Field(
            description="EXE_YYYYMMDD_HHMMSS_xxxxxxxx: the ExecutionDirective id, eight lower-case hex characters.",
            pattern="^EXE_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$",
            title="DirectiveId",
        ),
    ],
)


OrderId = TypeAliasType(
    "OrderId",
    Annotated[
        str,
        Field(
            description="A connector order id: 1 to 128 printable ASCII characters, no spaces.",
            pattern="^[!-~]{1,128}$",
            title="OrderId",
        ),
    ],
)


Timestamp = TypeAliasType(
    "Timestamp",
    Annotated[
        AwareDatetime,
        Field(
            description="RFC 3339 instant in UTC: YYYY-MM-DDTHH:MM:SS[.f{1,9}] then Z or +00:00; a real calendar date and time (no hour 24, no leap second).",
            title="Timestamp",
        ),
    ],
)


Quantity = TypeAliasType(
    "Quantity",
    Annotated[
        str,
        Field(
            description="A decimal quantity as a string in plain notation: at most 12 integer digits and 8 decimal places, no sign, no exponent, no leading zeros.",
            pattern="^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,8})?$",
            title="Quantity",
        ),
    ],
)


class ExecutionGroup(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    group_id: Annotated[GroupId, Field(description="Unique execution group id.")]
    parent_directive_id: Annotated[
        DirectiveId, Field(description="The ExecutionDirective that spawned this group.")
    ]
    execution_strategy: Annotated[
        ExecutionStrategyType, Field(description="Strategy type; fixed at creation.")
    ]
    order_ids: Annotated[
        list[OrderId],
        Field(
            description="Connector order ids of the group's child orders, in the order they were added; no duplicates."
        ),
    ]
    status: Annotated[GroupStatus, Field(description="Lifecycle status.")]
    created_at: Annotated[
        Timestamp, Field(description="When the group was created (UTC); fixed at creation.")
    ]
    updated_at: Annotated[
        Timestamp,
        Field(description="Last status change or added order (UTC); never before created_at."),
    ]
    target_quantity: Annotated[
        Quantity | None,
        Field(
            description="Quantity the group aims to fill; positive; fixed at creation. Required for TWAP, DCA and LAYERED."
        ),
    ] = None
    filled_quantity: Annotated[
        Quantity | None,
        Field(description="Quantity filled so far across all orders; never above target_quantity."),
    ] = None
    cancelled_at: Annotated[
        Timestamp | None,
        Field(description="When the group was cancelled (UTC); required when status is CANCELLED."),
    ] = None
    completed_at: Annotated[
        Timestamp | None,
        Field(description="When the group completed (UTC); required when status is COMPLETED."),
    ] = None
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description="Strategy-specific configuration, free-form JSON. ICEBERG groups carry visible_ratio, a number in (0, 1]."
        ),
    ] = None
