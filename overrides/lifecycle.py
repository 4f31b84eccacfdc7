"""The lifecycle of a group, as written in ``schema/execution_group.lifecycle.json``.

Who may move where, which fields never change after creation, and which timestamp a
status carries: read once from that file, so the table exists in one place only.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._generated.model import GroupStatus
from .contract import lifecycle
from .errors import contract_error, violation

__all__ = [
    "IMMUTABLE_FIELDS",
    "INITIAL_STATUS",
    "REASON_KEYS",
    "STATUS_TIMESTAMPS",
    "TRANSITIONS",
    "check_transition",
    "is_terminal",
]

_FACTS = lifecycle()

TRANSITIONS: Mapping[GroupStatus, frozenset[GroupStatus]] = {
    GroupStatus(source): frozenset(GroupStatus(target) for target in targets)
    for source, targets in _FACTS["transitions"].items()
}
"""Allowed moves; a status with no targets is terminal."""

IMMUTABLE_FIELDS: frozenset[str] = frozenset(_FACTS["immutable_fields"])
"""Fields fixed at creation."""

STATUS_TIMESTAMPS: Mapping[GroupStatus, str] = {
    GroupStatus(status): field for status, field in _FACTS["status_timestamps"].items()
}
"""The timestamp field a move into this status stamps (and that the status requires)."""

REASON_KEYS: Mapping[GroupStatus, str] = {
    GroupStatus(status): key for status, key in _FACTS["reason_keys"].items()
}
"""Where in ``metadata`` a move into this status records its reason."""

INITIAL_STATUS = GroupStatus(_FACTS["initial_status"])


def is_terminal(status: GroupStatus) -> bool:
    """True when no move leaves ``status``."""
    return not TRANSITIONS[status]


def check_transition(group_id: str, source: GroupStatus, target: GroupStatus) -> None:
    """Raise a ``ValidationError`` unless ``source -> target`` is allowed (or a no-op)."""
    if source == target or target in TRANSITIONS[source]:
        return
    allowed = sorted(status.value for status in TRANSITIONS[source])
    raise contract_error(
        [
            violation(
                "status_transition",
                ("status",),
                target.value,
                {
                    "group_id": group_id,
                    "source": source.value,
                    "target": target.value,
                    "allowed": ", ".join(allowed) if allowed else "none (terminal)",
                },
            )
        ]
    )
