"""The installed command as a user runs it: ``python -m execution_group``, in a pipe.

One subprocess test; everything else about the command line runs in process."""

from __future__ import annotations

import subprocess
import sys


def test_example_piped_into_validate_as_subprocesses() -> None:
    """``execution-group example TWAP | execution-group validate -``."""
    command = [sys.executable, "-m", "execution_group"]
    example = subprocess.run(
        [*command, "example", "TWAP"], capture_output=True, check=True, timeout=60
    )
    done = subprocess.run(
        [*command, "validate", "-"],
        input=example.stdout,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done
    assert done.stdout.decode() == (
        "OK       <stdin>\n\nChecked 1 document from standard input: 1 valid, 0 invalid.\n"
    )
    assert done.stderr == b""
