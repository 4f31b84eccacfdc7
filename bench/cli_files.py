"""The command line on a folder of many small ``.json`` files: every core against one.

``python -m bench.cli_files`` (also run by ``python -m bench.run``) writes ``FILES`` files
of one document each (the documents of ``bench/cli.py``, one in ``INVALID_EVERY`` breaking
the schema) into folders of ``PER_FOLDER``, as a repository of fixtures holds them, then
times ``execution-group validate FOLDER`` with every core (the default ``--jobs``) and with
``--jobs 1``, as subprocesses from start to exit, stdout to ``/dev/null``.

The two run interleaved, ``REPEAT`` times; min and median of the wall time and of the CPU
time (the command's and its workers') are kept, and the ratio is taken from the same run.
Both commands first run once untimed and must count the same documents and invalid ones.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from . import cli

FILES = 20_000
PER_FOLDER = 1_000
REPEAT = 7
EVERY_CORE = "execution-group validate FOLDER (every core)"
ONE_CORE = "execution-group validate FOLDER --jobs 1"
RATIOS: cli.Ratios = {
    "files_jobs_1_over_every_core": (ONE_CORE, EVERY_CORE, "", None),
    "files_every_core_over_jobs_1 (CPU, all processes)": (EVERY_CORE, ONE_CORE, "cpu_", None),
}


def write_folder(root: Path, files: int = FILES) -> dict[str, int]:
    """Write the timed files below ``root``; how many documents, invalid ones and bytes."""
    invalid = size = 0
    for number, variant in zip(range(files), cli.variants(), strict=False):
        written = variant
        if number % cli.INVALID_EVERY == cli.INVALID_EVERY - 1:
            written = cli.broken(variant, number)
            invalid += 1
        folder = root / f"{number // PER_FOLDER:03d}"
        folder.mkdir(exist_ok=True)
        text = json.dumps(written, indent=2)
        (folder / f"group_{number:06d}.json").write_text(text, encoding="utf-8")
        size += len(text)
    return {"documents": files, "invalid": invalid, "bytes": size}


def measure(files: int = FILES, repeat: int = REPEAT) -> dict[str, Any]:
    """One run: the folder, each command's times, and the ratios."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        written = write_folder(Path(folder), files)
        command = [sys.executable, "-m", "execution_group", "validate"]
        timed = {EVERY_CORE: [*command, folder], ONE_CORE: [*command, "--jobs", "1", folder]}
        expected = (written["documents"], written["invalid"])
        for name, args in timed.items():
            if (found := cli.counts(name, args)) != expected:
                raise SystemExit(f"bench.cli_files: {name} counted {found}, not {expected}")
        rows = cli.interleaved(timed, repeat)
    return {
        "files": written,
        "cores": cli.cores(),
        "repeat": repeat,
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "rows": rows,
        "ratios": cli.ratios(rows, RATIOS),
    }


def markdown(result: dict[str, Any]) -> list[str]:
    """The run as markdown lines: the folder, the table, the ratios."""
    files = result["files"]
    lines = [
        f"A folder of {files['documents']:,} `.json` files of one document each "
        f"({files['bytes'] / 2**20:,.1f} MiB, {files['invalid']:,} invalid, {PER_FOLDER:,} a "
        f"subfolder), {cli.how(result, 'bench.cli_files')}:",
        "",
    ]
    lines += cli.rows_table(result["rows"], files["documents"])
    return [*lines, "", *cli.ratios_table(result["ratios"])]


def main(argv: list[str]) -> int:
    files = int(argv[0]) if argv else FILES
    sys.stdout.write("\n".join(markdown(measure(files))) + "\n")
    return 0


if __name__ == "__main__":
    os.chdir(cli.ROOT)
    sys.exit(main(sys.argv[1:]))
