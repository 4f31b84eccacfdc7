"""Developer and CI sessions. ``nox`` runs the default set: the whole test suite.

``nox -s check`` is what a CI pipeline that uses the contract runs: the drift check, then
the shipped examples through the command line and through a write-and-read-back.
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from pathlib import Path

import nox

nox.options.sessions = [
    "drift",
    "drift_docs",
    "drift_ts",
    "compat",
    "roundtrip",
    "tests",
    "npm_package",
    "lint",
    "typecheck",
    "engines",
]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"
HAND_WRITTEN = ["overrides", "tests", "tools", "bench", "npm/tests", "noxfile.py"]


def _installed_tree(session: nox.Session) -> Path:
    """A copy of the package laid out as installed (overrides/ -> execution_group/,
    generated/ -> execution_group/_generated/), for tools that read source folders."""
    tree = Path(session.create_tmp()) / "installed"
    shutil.rmtree(tree, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree("overrides", tree / "execution_group", ignore=ignore)
    shutil.copytree("generated", tree / "execution_group" / "_generated", ignore=ignore)
    return tree


def _extra(name: str) -> list[str]:
    """The requirements of one optional-dependency group of pyproject.toml (pinned there)."""
    with open("pyproject.toml", "rb") as file:
        extras: dict[str, list[str]] = tomllib.load(file)["project"]["optional-dependencies"]
    return extras[name]


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
    """Fail, with a unified diff, when ``generated/`` is not what ``schema/`` generates
    (the model from the schema, the compiled rules from the rules file)."""
    session.install("--quiet", ".[codegen]")
    # --check compares in memory, with the formatter reading this repo's pyproject.toml.
    session.run("datamodel-codegen", "--check")
    session.run("python", "-m", "tools.rules_codegen", "--check")


@nox.session(python=PYTHON)
def rules(session: nox.Session) -> None:
    """Regenerate ``generated/rule_catalogue.py`` and ``generated/rules.py`` from
    ``schema/execution_group.rules.json``."""
    session.run("python", "-m", "tools.rules_codegen")


def _npm_ci(session: nox.Session) -> None:
    """``npm ci --prefix js`` (the pinned Ajv, json-schema-to-typescript, typescript) if needed."""
    if not os.path.isdir(os.path.join("js", "node_modules")):
        session.run("npm", "ci", "--prefix", "js", "--no-audit", "--no-fund", external=True)


@nox.session(python=False)
def ts(session: nox.Session) -> None:
    """Regenerate ``generated/typescript/`` (and ``js/examples.ts``) from ``schema/``."""
    _npm_ci(session)
    session.run("node", "js/generate-types.mjs", external=True)


@nox.session(python=False)
def drift_ts(session: nox.Session) -> None:
    """Fail, with a diff, when the TypeScript types are stale; tsc checks the examples."""
    _npm_ci(session)
    session.run("node", "js/generate-types.mjs", "--check", external=True)
    tsc = os.path.join("js", "node_modules", "typescript", "bin", "tsc")
    session.run("node", tsc, "-p", "js/tsconfig.json", external=True)


@nox.session(python=PYTHON)
def compat(session: nox.Session) -> None:
    """The schema against the released ones in the project's mode (breaking changes need a
    major bump), then the witness search: documents that would prove the check wrong."""
    session.install("--quiet", *_extra("compat"))
    session.run("python", "-m", "tools.schema_compat", *session.posargs)
    session.run("python", "-m", "tools.compat.witness")


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
def npm_package(session: nox.Session) -> None:
    """The npm package ``execution-group`` (``npm/``): its node:test suite on the build, then
    packed, installed outside the repository and held to Python's verdicts and rule codes on
    every corpus; TypeScript consumers (NodeNext, Bundler) and the docs/consumers.md example.

    Without node and npm it is skipped with a warning, except under ``CI=true``: it fails.
    """
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        reason = f"{' and '.join(missing)} not on the PATH: the npm package is NOT checked"
        if os.environ.get("CI", "").lower() == "true":
            session.error(f"CI=true: {reason}")
        session.warn(reason)
        session.skip(reason)
    _install(session, "test")
    session.run("npm", "ci", "--prefix", "npm", "--no-audit", "--no-fund", external=True)
    session.run("npm", "test", "--prefix", "npm", external=True)
    session.run("pytest", "npm/tests", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff (lint and format) on the hand-written code, pylint 10/10 on the package."""
    session.install("--quiet", ".[lint]")
    paths = [path for path in HAND_WRITTEN if os.path.exists(path)]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)
    session.run(
        "pylint",
        "--fail-under=10",
        "--ignore=_generated",
        str(_installed_tree(session) / "execution_group"),
    )


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict and pyright (strict) on the package as installed, generated code included.

    The package is assembled from three folders (setuptools package-dir), so pyright checks
    a copy laid out as installed: overrides/ -> execution_group/, generated/ -> _generated/.
    """
    session.install(
        "--quiet", "-e", ".[typecheck,test]", "--config-settings", "editable_mode=strict"
    )
    session.run("mypy", "--strict", "-p", "execution_group")
    tree = _installed_tree(session)
    (tree / "pyrightconfig.json").write_text(
        json.dumps(
            {
                "pythonVersion": "3.11",
                "typeCheckingMode": "strict",
                "venvPath": str(Path(session.virtualenv.location).parent),
                "venv": Path(session.virtualenv.location).name,
            }
        ),
        encoding="utf-8",
    )
    session.run(
        "pyright", "--project", str(tree / "pyrightconfig.json"), str(tree / "execution_group")
    )


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    """Drift check, then the shipped examples: validated by the command line, and written
    back unchanged by the model."""
    session.install("--quiet", ".[codegen]")
    session.run("datamodel-codegen", "--check")
    session.run("python", "-m", "tools.rules_codegen", "--check")
    session.run("python", "-m", "tools.examples", "--check")
    session.run("execution-group", "validate", "examples/")
    session.run("python", "-m", "tools.check_examples")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Regenerate ``docs/reference.md`` (from ``schema/`` and the rule messages in
    ``overrides/``), ``examples/`` (from the schema's examples) and the draft-07 rendering
    of the schema."""
    session.run("python", "-m", "tools.reference")
    session.run("python", "-m", "tools.examples")
    session.run("python", "-m", "tools.draft07")
    session.run("python", "-m", "tools.engines", "--docs")


@nox.session(python=PYTHON)
def drift_docs(session: nox.Session) -> None:
    """Fail when ``docs/reference.md`` or the draft-07 schema (with a unified diff),
    ``examples/`` or the engines table in ``docs/consumers.md`` is not what the sources
    generate."""
    session.run("python", "-m", "tools.reference", "--check")
    session.run("python", "-m", "tools.examples", "--check")
    session.run("python", "-m", "tools.draft07", "--check")
    session.run("python", "-m", "tools.engines", "--docs", "--check")


@nox.session(python=False)
def engines(session: nox.Session) -> None:
    """The corpus through Go gojsonschema, C++ valijson, Ruby json_schemer and Perl
    JSON::Validator, on the draft-07 rendering (``tools/engines``). Under ``CI=true`` it
    installs their Debian packages with apt-get and fails when an engine cannot run;
    elsewhere it skips, loudly, each engine that is not installed."""
    on_ci = os.environ.get("CI") == "true"
    flags = ["--install", "--require"] if on_ci else []
    work = session.create_tmp()
    session.run("python3", "-m", "tools.engines", "--work", work, *flags, *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Timings: the contract against the bare model, jsonschema, fastjsonschema, jsonschema-rs
    and msgspec, and the command line against Ajv on a JSON Lines file; writes
    ``bench/results.md`` and ``bench/results.json``. Not a default session."""
    _install(session, "bench")
    _npm_ci(session)  # Ajv, the command line's baseline (bench/cli.py)
    session.run("python", "-m", "bench.run", *session.posargs)


@nox.session(python=False)
def clean(session: nox.Session) -> None:
    """Remove build and cache folders."""
    for folder in ("build", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"):
        shutil.rmtree(folder, ignore_errors=True)
    session.log("cleaned")
