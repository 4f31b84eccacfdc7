"""The ``execution-group`` command line: validate documents, print the schema, examples
and fresh ids.

Run ``execution-group --help`` (or ``python -m execution_group --help``).
"""

from ._commands import main

__all__ = ["main"]
