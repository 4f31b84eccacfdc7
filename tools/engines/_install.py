"""Installing the engines' Debian packages with apt-get (CI runs as root on a fresh Debian)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

QUIET = ["-q", "-o", "Dpkg::Use-Pty=0"]


class CannotInstall(RuntimeError):
    """apt-get is not usable here (not root, not Debian) or failed."""


def _run(argv: list[str], cwd: Path | None = None) -> str:
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    try:
        done = subprocess.run(argv, check=True, env=env, capture_output=True, text=True, cwd=cwd)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or ""
        raise CannotInstall(f"{' '.join(argv[:2])} failed: {error} {detail[-2000:]}") from error
    return str(done.stdout)


def _unpack(packages: Sequence[str], root: Path) -> None:
    """Each package's files under ``root`` (``apt-get download``, ``dpkg-deb -x``), and its
    version in ``root/<package>.version``."""
    debs = root / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    _run(["apt-get", "download", *QUIET, "-o", "APT::Sandbox::User=root", *packages], cwd=debs)
    for deb in sorted(debs.glob("*.deb")):
        _run(["dpkg-deb", "-x", str(deb), str(root)])
        name = _run(["dpkg-deb", "-f", str(deb), "Package"]).strip()
        version = _run(["dpkg-deb", "-f", str(deb), "Version"]).strip()
        (root / f"{name}.version").write_text(version + "\n", encoding="utf-8")


def apt_install(packages: Sequence[str], unpacked: Sequence[str], root: Path) -> None:
    """``apt-get update``, ``apt-get install`` of ``packages`` (no recommends), and
    ``unpacked`` unpacked under ``root``."""
    if os.geteuid() != 0:
        raise CannotInstall(f"installing {' '.join([*packages, *unpacked])} needs root (apt-get)")
    _run(["apt-get", "update", *QUIET])
    if packages:
        _run(["apt-get", "install", "-y", "--no-install-recommends", *QUIET, *packages])
    if unpacked:
        _unpack(unpacked, root)
