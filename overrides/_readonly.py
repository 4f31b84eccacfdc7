"""Read-only dicts and lists: what ``group.metadata`` hands out, all the way down.

A group checks its metadata when it is assigned as a whole; a write into a nested dict
or list would skip every check (NaN, a set, a removed ``visible_ratio``). So the group's
metadata is a deep read-only view: each mutating method raises a ``ValidationError``
(``metadata_read_only``) that says how to change it, by assigning a new mapping.

They are ``dict`` and ``list`` subclasses, so reading, ``==`` with plain containers,
``json.dumps`` and ``isinstance`` work as before. A copy (``copy.copy``, ``copy.deepcopy``,
``dict(view)``, ``view.copy()``) and a pickle give plain, mutable containers, ready to be
edited and assigned back. Calling ``dict.__setitem__`` on a view by hand is the one way
round it, as ``object.__setattr__`` is for any object. ``__init__`` (which would refill a
view in place) and ``__class__`` assignment (which would swap in an open class) are refused
as well.
"""

# The refused methods keep the signatures of dict's and list's, arguments unused on purpose.
# pylint: disable=unused-argument

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NoReturn, SupportsIndex, cast

from .errors import contract_error, violation

__all__ = [
    "ReadOnlyDict",
    "ReadOnlyList",
    "freeze",
    "held_items",
    "held_values",
    "put",
    "thaw",
]


def _refuse(operation: str) -> NoReturn:
    raise contract_error(
        [violation("metadata_read_only", ("metadata",), operation, {"operation": operation})]
    )


def _refuse_attribute(name: str) -> NoReturn:
    _refuse(f"setting {name}")


class ReadOnlyDict(dict[str, Any]):
    """A ``dict`` that refuses every change (nested values are read-only too).

    Built empty and filled by ``put`` or ``dict.update``: ``__init__`` takes no arguments.
    """

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # pylint: disable=super-init-not-called
        if args or kwargs:
            _refuse("__init__")

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        _refuse_attribute(name)

    def __delattr__(self, name: str) -> NoReturn:
        _refuse_attribute(name)

    def __setitem__(self, key: Any, value: Any) -> NoReturn:
        _refuse("item assignment")

    def __delitem__(self, key: Any) -> NoReturn:
        _refuse("del")

    def __ior__(self, other: Any) -> NoReturn:  # type: ignore[misc]
        _refuse("|=")

    def clear(self) -> NoReturn:
        _refuse("clear")

    def pop(self, key: Any, *default: Any) -> NoReturn:
        _refuse("pop")

    def popitem(self) -> NoReturn:
        _refuse("popitem")

    def setdefault(self, key: Any, default: Any = None) -> NoReturn:
        _refuse("setdefault")

    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return thaw(self)  # type: ignore[no-any-return]

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return (dict, (thaw(self),))


class ReadOnlyList(list[Any]):
    """A ``list`` that refuses every change (nested values are read-only too).

    Built empty and filled by ``put`` or ``list.extend``: ``__init__`` takes no arguments
    (``list.__init__`` would empty a view, so even that is refused once it holds anything).
    """

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # pylint: disable=super-init-not-called
        if args or kwargs or self:
            _refuse("__init__")

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        _refuse_attribute(name)

    def __delattr__(self, name: str) -> NoReturn:
        _refuse_attribute(name)

    def __setitem__(self, index: Any, value: Any) -> NoReturn:
        _refuse("item assignment")

    def __delitem__(self, index: Any) -> NoReturn:
        _refuse("del")

    def __iadd__(self, other: Any) -> NoReturn:  # type: ignore[misc]
        _refuse("+=")

    def __imul__(self, count: SupportsIndex) -> NoReturn:
        _refuse("*=")

    def append(self, value: Any) -> NoReturn:
        _refuse("append")

    def extend(self, values: Any) -> NoReturn:
        _refuse("extend")

    def insert(self, index: SupportsIndex, value: Any) -> NoReturn:
        _refuse("insert")

    def pop(self, index: SupportsIndex = -1) -> NoReturn:
        _refuse("pop")

    def remove(self, value: Any) -> NoReturn:
        _refuse("remove")

    def clear(self) -> NoReturn:
        _refuse("clear")

    def sort(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("sort")

    def reverse(self) -> NoReturn:
        _refuse("reverse")

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return thaw(self)  # type: ignore[no-any-return]

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return (list, (thaw(self),))


def held_items(node: dict[Any, Any]) -> Iterable[tuple[Any, Any]]:
    """What a dict really holds, whatever a subclass's ``items`` says."""
    return dict.items(node)  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]


def held_values(node: list[Any]) -> Iterator[Any]:
    """What a list really holds, whatever a subclass's ``__iter__`` says."""
    return list.__iter__(node)  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]


def put(into: dict[str, Any] | list[Any], slot: str | int, value: Any) -> None:
    """Store into a container being built (a read-only one included: it is not out yet)."""
    if isinstance(into, dict):
        dict.__setitem__(into, cast(str, slot), value)  # pyright: ignore[reportUnknownMemberType]
    elif slot == len(into):
        list.append(into, value)  # pyright: ignore[reportUnknownMemberType]
    else:
        list.__setitem__(into, cast(int, slot), value)  # pyright: ignore[reportUnknownMemberType]


def freeze(value: Any) -> Any:
    """A read-only view of a checked JSON value (dicts and lists become read-only, deep).

    Recursive: checked metadata nests at most ``_limits.MAX_DEPTH`` levels.
    """
    if isinstance(value, dict):
        view = ReadOnlyDict()
        dict.update(view, {key: freeze(item) for key, item in held_items(cast(Any, value))})  # pyright: ignore[reportUnknownMemberType]
        return view
    if isinstance(value, list):
        items = ReadOnlyList()
        list.extend(items, [freeze(item) for item in held_values(cast(Any, value))])  # pyright: ignore[reportUnknownMemberType]
        return items
    return value


def thaw(value: Any) -> Any:
    """Plain, mutable ``dict``/``list`` copies of a (read-only) JSON value, deep."""
    if isinstance(value, dict):
        return {key: thaw(item) for key, item in held_items(cast(Any, value))}
    if isinstance(value, list):
        return [thaw(item) for item in held_values(cast(Any, value))]
    return value  # str, int, float, Decimal, bool, None: immutable
