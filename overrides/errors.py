"""One way to raise a contract violation: a ``pydantic.ValidationError`` naming field and rule.

Every error is built from the rule catalogue (``schema/execution_group.rules.json``,
compiled into ``RuleCode`` and ``MESSAGES``): a call names the rule, never its message,
so each message is written once. Raised inside a pydantic validator, such an error keeps
its location, so the same helpers serve construction, assignment and the lifecycle methods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from ._generated.rule_catalogue import MESSAGES, PROBLEMS, RuleCode

__all__ = [
    "TITLE",
    "RuleCode",
    "checked",
    "contract_error",
    "details",
    "problem",
    "raise_if_any",
    "rule_error",
    "violation",
]

TITLE = "ExecutionGroup"

_T = TypeVar("_T")


def rule_error(rule: RuleCode, **context: Any) -> PydanticCustomError:
    """The error of ``rule``, for a validator to raise (pydantic adds the location)."""
    return PydanticCustomError(rule, MESSAGES[rule], context or None)


def problem(rule: RuleCode, name: str, **context: Any) -> str:
    """The catalogue's text ``name`` for the ``{problem}`` of ``rule``'s message, its own
    placeholders filled from ``context`` (JavaScript reads the same texts)."""
    return PROBLEMS[rule][name].format_map(context)


def violation(
    rule: RuleCode,
    loc: tuple[str | int, ...],
    value: Any,
    context: dict[str, Any] | None = None,
) -> InitErrorDetails:
    """One broken rule: which (``rule``), where (``loc``), on what (``value``); the message
    is the catalogue's, its placeholders filled from ``context``."""
    return InitErrorDetails(
        type=PydanticCustomError(rule, MESSAGES[rule], context), loc=loc, input=value
    )


def contract_error(errors: Sequence[InitErrorDetails]) -> ValidationError:
    """The ``ValidationError`` that reports ``errors``."""
    return ValidationError.from_exception_data(TITLE, list(errors))


_FIXED: dict[str, str] = {code: text for code, text in MESSAGES.items() if "{" not in text}
"""The catalogue's messages that have no placeholder, by code."""


def _message(code: str, message: str) -> str:
    """The catalogue's message for ``code`` when it is fixed text, else ``message``.

    pydantic words some of its own codes by the reader: ``list_type`` is "a valid list"
    from Python values, "a valid array" from JSON text. The catalogue has one message.
    """
    return _FIXED.get(code, message)


def details(exc: ValidationError, loc: tuple[str | int, ...] = ()) -> list[InitErrorDetails]:
    """The errors of ``exc``, their locations prefixed with ``loc``, each with the
    catalogue's message."""
    return [
        InitErrorDetails(
            type=PydanticCustomError(err["type"], _message(err["type"], err["msg"])),  # pyright: ignore[reportArgumentType]
            loc=(*loc, *err["loc"]),
            input=err["input"],
        )
        for err in exc.errors(include_url=False)
    ]


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
            [
                InitErrorDetails(
                    type=PydanticCustomError(exc.type, exc.message_template, exc.context),  # pyright: ignore[reportArgumentType]
                    loc=loc,
                    input=value,
                )
            ]
        ) from None
    except ValidationError as exc:
        raise contract_error(details(exc, loc)) from None
