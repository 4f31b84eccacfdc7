"""One way to raise a contract violation: a ``pydantic.ValidationError`` naming field and rule.

Raised inside a pydantic validator, such an error keeps its location, so the same
helper serves construction, assignment and the lifecycle methods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, LiteralString, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

__all__ = [
    "TITLE",
    "checked",
    "contract_error",
    "details",
    "details_of",
    "raise_if_any",
    "violation",
]

TITLE = "ExecutionGroup"

_T = TypeVar("_T")


def _literal(text: str) -> LiteralString:
    # Messages are built from the contract's fixed texts; pydantic types them LiteralString.
    return text  # pyright: ignore[reportReturnType]


def violation(
    loc: tuple[str | int, ...],
    rule: str,
    message: str,
    value: Any,
    context: dict[str, Any] | None = None,
) -> InitErrorDetails:
    """One broken rule: where (``loc``), which (``rule``, the error type) and why (``message``)."""
    return InitErrorDetails(
        type=PydanticCustomError(_literal(rule), _literal(message), context),
        loc=loc,
        input=value,
    )


def contract_error(errors: Sequence[InitErrorDetails]) -> ValidationError:
    """The ``ValidationError`` that reports ``errors``."""
    return ValidationError.from_exception_data(TITLE, list(errors))


def details(exc: ValidationError, loc: tuple[str | int, ...] = ()) -> list[InitErrorDetails]:
    """The errors of ``exc`` as violations, their locations prefixed with ``loc``."""
    return [detail for err in exc.errors(include_url=False) for detail in details_of(err, loc)]


def details_of(err: ErrorDetails, loc: tuple[str | int, ...] = ()) -> list[InitErrorDetails]:
    """One error of a ``ValidationError`` as a violation, its location prefixed with ``loc``."""
    return [violation((*loc, *err["loc"]), err["type"], err["msg"], err["input"])]


def raise_if_any(errors: Sequence[InitErrorDetails]) -> None:
    """Raise ``contract_error(errors)`` unless ``errors`` is empty."""
    if errors:
        raise contract_error(errors)


def checked(loc: tuple[str | int, ...], parse: Callable[[Any], _T], value: Any) -> _T:
    """``parse(value)``, with its rejection turned into a ``ValidationError`` at ``loc``.

    For values that enter outside model validation: lifecycle arguments, assignments.
    """
    try:
        return parse(value)
    except PydanticCustomError as exc:
        raise contract_error(
            [violation(loc, exc.type, exc.message_template, value, exc.context)]
        ) from None
    except ValidationError as exc:
        raise contract_error(details(exc, loc)) from None
