"""Running one runner over the documents, surviving its crashes.

A runner that dies (a signal, an abort, a hang past the time limit) loses only the
document it was judging: that one is recorded as ``crash`` or ``timeout`` and the runner is
started again on the documents after it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_SECONDS = 120
ANSWERS = frozenset({"valid", "invalid", "not-json", "error"})


class RunnerBroken(RuntimeError):
    """The runner did not get as far as ``ready`` (a bad schema, a missing library)."""


@dataclass(frozen=True)
class Verdict:
    """What the engine said about one document: its token, and any detail."""

    token: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.token} ({self.detail})" if self.detail else self.token


def _ended(returncode: int) -> str:
    if returncode < 0:
        return f"killed by {signal.Signals(-returncode).name}"
    return f"exit status {returncode}"


def _parse(line: str) -> Verdict:
    token, _, detail = line.partition("\t")
    if token not in ANSWERS:
        return Verdict("error", f"runner printed {line[:200]!r}")
    return Verdict(token, detail)


def _launch(
    command: list[str], env: dict[str, str], schema: Path, listing: Path
) -> tuple[list[str], str]:
    """The runner's output lines, and why it stopped early ('' when it did not)."""
    with subprocess.Popen(
        [*command, str(schema), str(listing)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ | env,
    ) as process:
        try:
            out, err = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            return out.decode("utf-8", "replace").splitlines(), "timeout"
    lines = out.decode("utf-8", "replace").splitlines()
    if not lines or lines[0] != "ready":
        raise RunnerBroken(f"{_ended(process.returncode)}: {err.decode('utf-8', 'replace')}")
    return lines, "" if process.returncode == 0 else _ended(process.returncode)


def judge(
    command: list[str], env: dict[str, str], schema: Path, files: list[Path]
) -> list[Verdict]:
    """The engine's verdict on each document file, in order."""
    verdicts: list[Verdict] = []
    # A list of its own: engines run concurrently over the same documents.
    handle, name = tempfile.mkstemp(suffix=".list", dir=files[0].parent)
    os.close(handle)
    listing = Path(name)
    while len(verdicts) < len(files):
        listing.write_text("".join(f"{path}\n" for path in files[len(verdicts) :]), "utf-8")
        lines, stopped = _launch(command, env, schema, listing)
        verdicts.extend(_parse(line) for line in lines[1:])
        if len(verdicts) < len(files):
            if not stopped:
                raise RunnerBroken(f"stopped after {len(verdicts)} of {len(files)} documents")
            token = "timeout" if stopped == "timeout" else "crash"
            verdicts.append(Verdict(token, stopped))
    listing.unlink()
    return verdicts[: len(files)]
