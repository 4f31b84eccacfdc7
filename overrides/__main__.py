"""``python -m execution_group``: the ``execution-group`` command."""

from .cli import main

main(prog_name="execution-group")
