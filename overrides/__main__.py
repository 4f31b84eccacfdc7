"""``python -m execution_group``: the ``execution-group`` command."""

from .cli import main

if __name__ == "__main__":  # not when a worker process started by "spawn" imports it
    main(prog_name="execution-group")
