"""``_nesting``: JSON's grammar and nesting, read without recursion."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from execution_group._nesting import nests_beyond, read_nesting

VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)
PIECES = st.sampled_from(
    ["[", "]", "{", "}", ":", ",", '"a"', "1", "-0.5e3", "null", " ", '"\\', "01", "NaN", "tru"]
)


def _is_json(text: str) -> bool:
    def refuse(name: str) -> Any:
        raise ValueError(name)

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError:
        return False
    return True


@given(VALUES, st.sampled_from([None, 0, 2]))
def test_every_json_text_is_read_as_such(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert read_nesting(text, 1000).well_formed


@given(st.lists(PIECES, max_size=12).map("".join))
def test_the_grammar_is_json_loads_grammar(text: str) -> None:
    assert read_nesting(text, 1000).well_formed is _is_json(text)


def test_the_first_value_past_the_limit_is_named() -> None:
    text = '{"a": [1, {"b": [[2]]}], "c": [[[3]]]}'
    assert read_nesting(text, 3).too_deep == ("a", 1, "b", 0)
    assert read_nesting(text, 4).too_deep == ("a", 1, "b", 0, 0)
    assert read_nesting(text, 5).too_deep is None
    assert nests_beyond(text, 4) and not nests_beyond(text, 5)
    assert read_nesting("[" * 100_000 + "]" * 100_000, 10).too_deep == (0,) * 11
