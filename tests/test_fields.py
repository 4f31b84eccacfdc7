"""``_fields``: how a document becomes a group (``model_validate_json`` and its options)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from execution_group import ExecutionGroup
from execution_group.contract import examples

TEXT = json.dumps(examples()[0])


class _Unequal:
    """A context whose ``==`` answers with an object that refuses ``bool`` (as an array does)."""

    def __eq__(self, other: object) -> Any:
        return self

    def __bool__(self) -> bool:
        raise ValueError("truth value is ambiguous")

    __hash__ = object.__hash__


class _Raising:
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("compared")

    __hash__ = object.__hash__


@pytest.mark.parametrize("context", [_Unequal(), _Raising(), {"a": 1}, 0, ""])
def test_any_context_is_passed_as_pydantic_passes_it(context: Any) -> None:
    group = ExecutionGroup.model_validate_json(TEXT, context=context)
    assert group == BaseModel.model_validate_json.__func__(ExecutionGroup, TEXT, context=context)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "options",
    [
        {"strict": True},
        {"strict": False},
        {"extra": "ignore"},
        {"by_alias": True},
        {"by_name": True},
    ],
)
def test_every_option_reaches_the_validator(options: dict[str, Any]) -> None:
    document = {**examples()[0], "unknown": 1}
    text = json.dumps(document)
    ours = _verdict(lambda: ExecutionGroup.model_validate_json(text, **options))
    pydantics = _verdict(
        lambda: BaseModel.model_validate_json.__func__(ExecutionGroup, text, **options)  # type: ignore[attr-defined]
    )
    assert ours == pydantics


def _verdict(read: Any) -> str:
    try:
        read()
    except Exception as exc:  # pylint: disable=broad-exception-caught
        return type(exc).__name__
    return "valid"
