"""Installing the engines' Debian packages with apt-get (CI runs as root on a fresh Debian)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence


class CannotInstall(RuntimeError):
    """apt-get is not usable here (not root, not Debian)."""


def apt_install(packages: Sequence[str]) -> None:
    """``apt-get update`` then ``apt-get install`` of ``packages``, no recommends."""
    if os.geteuid() != 0:
        raise CannotInstall(f"installing {' '.join(packages)} needs root (apt-get)")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    quiet = ["-q", "-o", "Dpkg::Use-Pty=0"]
    try:
        subprocess.run(
            ["apt-get", "update", *quiet], check=True, env=env, stdout=subprocess.DEVNULL
        )
        subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", *quiet, *packages],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        raise CannotInstall(f"apt-get failed: {error}") from error
