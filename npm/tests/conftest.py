"""Fixtures of the npm package's tests: one tarball packed per run, one consumer project."""

from __future__ import annotations

from pathlib import Path

import pytest
from npm_consumer import install, pack


@pytest.fixture(scope="session")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``npm pack`` output of ``npm/``, in a temporary folder outside the repository."""
    return pack(tmp_path_factory.mktemp("tarball"))


@pytest.fixture(scope="session")
def consumer(tarball: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project outside the repository with the packed package installed."""
    return install(tarball, tmp_path_factory.mktemp("consumer"))
