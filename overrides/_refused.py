"""``Refused``: a value metadata (or a decoded document) cannot hold, where it sits and why.

The walk (``_walk``) and the document's checks (``_document``) raise or collect it; the
validator that owns the value turns it into a ``ValidationError`` naming the rule.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from ._generated.rule_catalogue import MESSAGES, RuleCode
from .errors import rule_error

__all__ = ["Refused"]


class Refused(Exception):
    """A value metadata (or a decoded document) cannot hold: where, and which rule.

    ``metadata_json`` and ``metadata_size`` say where in their message (``{where}``), for
    the metadata validator reports every error at ``metadata`` itself.
    """

    path: tuple[str | int, ...]
    rule: RuleCode
    context: dict[str, Any]

    def __init__(self, path: tuple[str | int, ...], rule: RuleCode, **context: Any):
        super().__init__(rule)
        self.path = path
        self.rule = rule
        self.context = context

    def as_metadata_error(self) -> PydanticCustomError:
        """The error of the metadata validator (the place inside metadata is in the message)."""
        return rule_error(self.rule, **self.context_at(("metadata",)))

    def context_at(self, top: tuple[str | int, ...]) -> dict[str, Any]:
        """The error's context, ``where`` filled in for the rules whose message shows it."""
        if "{where}" not in MESSAGES[self.rule]:
            return self.context
        head, *rest = (*top, *self.path) or ("document",)
        where = str(head) + "".join(f"[{key!r}]" for key in rest)
        return {"where": where, **self.context}
