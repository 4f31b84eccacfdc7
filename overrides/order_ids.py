"""The order list of a group: append-only, unique, and O(1) per added order.

``group.order_ids.append(x)`` is the design's own idiom, so the list itself must not be a
side door: every way of adding goes through the owning group's lifecycle (which checks
the id, refuses duplicates, activates a PENDING group and moves ``updated_at``), and every
way of removing or reordering is refused. A set beside the list keeps the duplicate check
O(1), so a group of 100,000 orders takes an order as fast as a group of ten.

The guarded list is made on first access (``OrderIdsField``), not by validation: a group
read from JSON on a hot path is mostly read and dropped, and making the list, its set
and its link back to the group (a reference cycle the garbage collector must then
break) cost more than every other check of the document together.
"""

# The refused list methods keep list's signatures, arguments unused on purpose.
# pylint: disable=unused-argument

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NoReturn, SupportsIndex

from pydantic_core import InitErrorDetails

from .errors import contract_error, violation

if TYPE_CHECKING:
    from .model import ExecutionGroup

__all__ = ["OrderIds", "OrderIdsField", "not_unique"]

_BINDING = threading.Lock()
_MISSING: Any = object()


def _append_only(operation: str) -> NoReturn:
    raise contract_error(
        [
            violation(
                "order_ids_append_only",
                ("order_ids",),
                operation,
                {"operation": operation},
            )
        ]
    )


class OrderIds(list[str]):
    """A ``list[str]`` whose additions are checked by its group and whose removals are refused.

    ``seen`` holds the same ids as a set, for O(1) membership (the group's planner reads it).
    """

    __slots__ = ("_owner", "seen")

    def __init__(self, ids: Iterable[str], owner: ExecutionGroup) -> None:
        """``ids`` as ``owner``'s guarded list (validation has checked them; ``model_construct``,
        which checks nothing, is the one way a repeated id gets here)."""
        super().__init__(ids)
        self.seen = set(self)
        self._owner = owner

    def has(self, order_id: str) -> bool:
        """O(1) membership (``in`` is O(n) on a list)."""
        return order_id in self.seen

    def added_by(self, new: list[str]) -> list[str]:
        """The ids a whole-list assignment of ``new`` adds; refused if it removes or reorders."""
        count = len(self)
        if len(new) < count or new[:count] != self:
            _append_only("an assignment of a list that does not start with the current orders")
        return new[count:]

    def __contains__(self, order_id: object) -> bool:
        return order_id in self.seen

    def append(self, order_id: str) -> None:
        self._owner.add_order(order_id)

    def extend(self, ids: Iterable[str]) -> None:
        self._owner.add_orders(list(ids))

    def __iadd__(self, ids: Iterable[str]) -> OrderIds:  # type: ignore[override,misc]
        self._owner.add_orders(list(ids))
        return self

    def insert(self, index: SupportsIndex, order_id: str) -> NoReturn:
        _append_only("insert")

    def remove(self, order_id: str) -> NoReturn:
        _append_only("remove")

    def pop(self, index: SupportsIndex = -1) -> NoReturn:
        _append_only("pop")

    def clear(self) -> NoReturn:
        _append_only("clear")

    def sort(self, *args: Any, **kwargs: Any) -> NoReturn:
        _append_only("sort")

    def reverse(self) -> NoReturn:
        _append_only("reverse")

    def __setitem__(self, index: Any, value: Any) -> NoReturn:
        _append_only("item assignment")

    def __delitem__(self, index: Any) -> NoReturn:
        _append_only("del")

    def __imul__(self, count: SupportsIndex) -> NoReturn:
        _append_only("*=")

    def __copy__(self) -> list[str]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[str]:
        return list(self)

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[type[list[str]], tuple[list[str]]]:
        return (list, (list(self),))


class OrderIdsField:
    """``group.order_ids``: the plain list validation left, as a guarded ``OrderIds``.

    The first access swaps the guarded list into the group's ``__dict__`` (O(n), once;
    the lifecycle methods reach the list through here too); later accesses return it.
    Set on the model class after pydantic has built it, this data descriptor comes
    before the instance ``__dict__`` that pydantic fills and serializes.
    """

    def __get__(self, group: ExecutionGroup | None, owner: type | None = None) -> Any:
        if group is None:
            # As for any pydantic field: a subclass must not take this object as a default.
            raise AttributeError(f"type object {owner!r} has no attribute 'order_ids'")
        fields = vars(group)
        while True:
            ids = fields.get("order_ids", _MISSING)
            if ids is _MISSING:  # model_construct() without order_ids
                raise AttributeError(
                    f"{type(group).__name__!r} object has no attribute 'order_ids'"
                )
            if isinstance(ids, OrderIds):
                return ids
            # O(n): outside the lock, which every group shares.
            made = OrderIds(ids, group)
            with _BINDING:  # two threads touching a new group must get the same list
                if fields.get("order_ids") is ids:
                    fields["order_ids"] = made
                    return made

    def __set__(self, group: ExecutionGroup, value: Any) -> None:
        # Reached only by ``object.__setattr__``; the checked assignment is the one way in.
        type(group).__setattr__(group, "order_ids", value)


def not_unique(loc: tuple[str | int, ...], value: Any) -> InitErrorDetails:
    """The violation of "no id twice", at ``loc``."""
    return violation("order_ids_unique", loc, value)
