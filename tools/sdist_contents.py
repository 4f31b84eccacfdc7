"""Check that an sdist holds every file of the repository, so that its tests run unpacked.

``pip install "<sdist>[test]" && pytest`` in the unpacked sdist must pass; the conftest, the
conformance corpus, the tools and the JavaScript runner are what a partial sdist forgot.
The repository's file list comes from git; outside a git checkout (in an unpacked sdist)
there is nothing to compare against and the check says so.

    python -m tools.sdist_contents dist/execution_group-X.Y.Z.tar.gz
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Tracked files an sdist has no use for.
NOT_SHIPPED = frozenset({".gitignore"})


def tracked() -> set[str] | None:
    """The repository's files (git ls-files), or None outside a git checkout."""
    try:
        done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return {name for name in done.stdout.decode("utf-8").split("\0") if name}


def shipped(sdist: Path) -> set[str]:
    """The files in ``sdist``, relative to its top folder."""
    with tarfile.open(sdist) as archive:
        return {
            member.name.split("/", 1)[1]
            for member in archive.getmembers()
            if member.isfile() and "/" in member.name
        }


def main() -> int:
    """Exit 1 naming every repository file the sdist lacks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sdist", type=Path)
    sdist = parser.parse_args().sdist
    files = tracked()
    if files is None:
        print("sdist_contents: not a git checkout, nothing to compare the sdist with")
        return 0
    missing = sorted(files - NOT_SHIPPED - shipped(sdist))
    if missing:
        print(f"{sdist.name} lacks {len(missing)} file(s) of the repository (MANIFEST.in):")
        print("\n".join(f"  {name}" for name in missing))
        return 1
    print(f"{sdist.name} holds all {len(files - NOT_SHIPPED)} files of the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
