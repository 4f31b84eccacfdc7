"""The I-JSON rules (RFC 7493) every JSON document of the contract also keeps.

JSON Schema cannot state them, so every schema engine accepts such documents; they are
schema-valid and contract-invalid, and every reader of the full contract refuses them
with these codes: ``ijson_number_range`` (a number beyond the range of an IEEE double,
such as ``1e400``), ``ijson_unicode`` (a lone surrogate in a string or member name,
escaped or raw) and ``ijson_depth`` (``metadata`` nested deeper than ``MAX_DEPTH``).
"""

from __future__ import annotations

__all__ = ["IJSON_DEPTH", "IJSON_NUMBER_RANGE", "IJSON_UNICODE"]

IJSON_NUMBER_RANGE = "numbers must lie within the range of an IEEE double (I-JSON, RFC 7493)"
IJSON_UNICODE = (
    "strings and member names must be well-formed Unicode, without a lone surrogate "
    "(I-JSON, RFC 7493)"
)
IJSON_DEPTH = "metadata may nest at most {limit} levels deep"
