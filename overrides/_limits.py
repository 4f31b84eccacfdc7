"""The bounds on metadata (and on a decoded document), read from the rules file's ``limits``.

They keep a JSON round trip lossless and bounded: every group built in Python can be written
and read back, and nothing that enters can make its JSON grow beyond linear in its size.
"""

from __future__ import annotations

import sys

from .contract import rules

__all__ = ["MAX_DECIMAL_TEXT", "MAX_DEPTH", "MAX_DOUBLE_INT", "MAX_EXPANSION", "TEXT_UNIT"]

MAX_DEPTH: int = rules()["limits"]["metadata_depth"]
"""Most keys and indexes on the way from ``metadata`` down to any value in it.

It is what pydantic's JSON parser admits there (its limit of 200 counts the document
too), so a group built in Python can always be written and read back. Deeper is refused
from JSON and from Python alike (``ijson_depth``).
"""

MAX_EXPANSION: int = rules()["limits"]["metadata_expansion"]
"""Most units of JSON that metadata reusing an object may write: one per value, plus one
per ``TEXT_UNIT`` characters of each string (member names included) and ``Decimal``.

Only Python input can reuse an object (a decoded JSON document is a tree, bounded by its
own size); JSON writes each use in full, so ``a = [a, a]`` 25 times is 2**25 values, and
one 1 MB string listed 100,000 times is 100 GB. A reused list or dict, or a reused string
or ``Decimal`` of ``TEXT_UNIT`` characters or more, makes the bound apply: such metadata
writes at most about ``MAX_EXPANSION * (TEXT_UNIT + 8)`` characters of JSON. Each use is
counted as the walk reaches it, and the walk stops at the bound.
"""

TEXT_UNIT: int = rules()["limits"]["metadata_text_unit"]
"""Characters of text that count as one more unit of ``MAX_EXPANSION``; shorter strings
reused (every decoder shares member names) cost at most a value's unit each."""

MAX_DECIMAL_TEXT: int = rules()["limits"]["metadata_decimal_text"]
"""Most characters of a ``Decimal`` in metadata, written in plain notation.

``Decimal("1e100000000")`` is 20 bytes in Python and 100 MB of JSON; the length is
computed from its digits and exponent, before anything is written.
"""

MAX_DOUBLE_INT = int(sys.float_info.max)
"""The largest integer magnitude within the range of an IEEE double (I-JSON)."""
