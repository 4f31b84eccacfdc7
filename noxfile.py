"""Developer and CI sessions. ``nox`` runs the default set: the whole test suite.

``nox -s check`` is the package's main job: drift check, then the shipped examples
validated against the full contract.
"""

from __future__ import annotations

import os
import shutil

import nox

nox.options.sessions = ["drift", "roundtrip", "tests", "lint", "typecheck"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"
HAND_WRITTEN = ["overrides", "tests", "tools", "noxfile.py"]


def _install(session: nox.Session, *extras: str) -> None:
    """The package (non-editable, so tests see what a wheel user sees) with ``extras``."""
    target = f".[{','.join(extras)}]" if extras else "."
    session.install("--quiet", target)


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate ``generated/`` from ``schema/`` with the pinned generator."""
    session.install("--quiet", ".[codegen]")
    session.run("datamodel-codegen", silent=False)


@nox.session(python=PYTHON)
def drift(session: nox.Session) -> None:
    """Fail, with a unified diff, when ``generated/`` is not what ``schema/`` generates."""
    session.install("--quiet", ".[codegen]")
    # --check compares in memory, with the formatter reading this repo's pyproject.toml.
    session.run("datamodel-codegen", "--check")


@nox.session(python=PYTHON)
def roundtrip(session: nox.Session) -> None:
    """The model's JSON Schema matches the source; every valid document survives a round trip."""
    _install(session, "test")
    session.run("python", "-m", "tools.roundtrip", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite (pytest, hypothesis, the conformance corpus on every engine)."""
    _install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff (lint and format) on the hand-written code, pylint 10/10 on the package."""
    session.install("--quiet", ".[lint]")
    paths = [path for path in HAND_WRITTEN if os.path.exists(path)]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)
    session.run("pylint", "--fail-under=10", "overrides")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict and pyright (strict) on the installed package, generated code included."""
    session.install("--quiet", "-e", ".[typecheck,test]", "--config-settings", "editable_mode=strict")
    session.run("mypy", "--strict", "-p", "execution_group")
    session.run("pyright", "overrides", "generated")


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    """The main job: drift check, then the shipped examples against the full contract."""
    session.install("--quiet", ".[codegen]")
    session.run("datamodel-codegen", "--check")
    session.run("python", "-m", "tools.check_examples")


@nox.session(python=False)
def clean(session: nox.Session) -> None:
    """Remove build and cache folders."""
    for folder in ("build", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"):
        shutil.rmtree(folder, ignore_errors=True)
    session.log("cleaned")
