"""ExecutionGroup: the contract for the family of child orders one execution directive spawns.

The JSON Schema in ``execution_group.schema`` is the source of truth; this package is its
Python side: the model, its lifecycle, its change records, and the id generators.
"""

from ._generated.model import ExecutionStrategyType, GroupStatus
from ._generated.rule_catalogue import RuleCode
from .audit import ChangeKind, ChangeRecord, Records, Subscriber, read_feed, replay, write_feed
from .ids import generate_execution_directive_id, generate_execution_group_id
from .model import ExecutionGroup
from .successor import check_successor

__all__ = [
    "ChangeKind",
    "ChangeRecord",
    "ExecutionGroup",
    "ExecutionStrategyType",
    "GroupStatus",
    "Records",
    "RuleCode",
    "Subscriber",
    "check_successor",
    "generate_execution_directive_id",
    "generate_execution_group_id",
    "read_feed",
    "replay",
    "write_feed",
]
