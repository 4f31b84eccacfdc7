"""Metadata written as JSON: every ``Decimal`` as a plain-notation string, the rest as it is.

That is the one change a JSON round trip makes to metadata. Metadata that holds no
``Decimal`` (all metadata read from JSON) is handed back unchanged, without a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from ._readonly import ReadOnlyDict, ReadOnlyList, held_items, held_values
from .quantities import plain

__all__ = ["to_json"]

_PLAIN = frozenset({str, int, float, bool, type(None)})


def _only_plain_json(value: dict[str, Any]) -> bool:
    """True when ``value`` holds only str, int, float, bool, None, plain dicts and lists.

    Such metadata (all of it, when read from JSON) is written by pydantic-core as it is.
    """
    stack: list[Iterable[Any]] = [value.values()]
    while stack:
        for item in stack.pop():
            kind: type[Any] = type(item)  # pyright: ignore[reportUnknownVariableType]
            if kind in _PLAIN:
                continue
            if kind is dict or kind is ReadOnlyDict:
                stack.append(item.values())  # pyright: ignore[reportUnknownMemberType,reportUnknownArgumentType]
            elif kind is list or kind is ReadOnlyList:
                stack.append(item)
            else:
                return False
    return True


def to_json(value: dict[str, Any]) -> dict[str, Any]:
    """A copy with every ``Decimal`` in plain notation; ``value`` itself if it holds none."""
    if _PLAIN.issuperset(map(type, value.values())) or _only_plain_json(value):
        return value  # the first test, all in C, settles flat metadata

    def convert(node: Any) -> Any:
        if isinstance(node, Decimal):
            return plain(node)
        if isinstance(node, dict):
            return {key: convert(item) for key, item in held_items(cast(Any, node))}
        if isinstance(node, list):
            return [convert(item) for item in held_values(cast(Any, node))]
        return node

    return {key: convert(item) for key, item in value.items()}
