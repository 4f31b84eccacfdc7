"""Developer and CI sessions. ``nox`` runs the default set: the whole test suite.

The package is built once, as a wheel in ``.nox/_dist/<digest of its sources>/``, and every
session installs that wheel: no session builds it again, and a changed source gives a new
digest, so no session tests a stale build. ``nox -s check`` checks this repository's
generated code and examples; a downstream pipeline runs the command line instead
(``execution-group validate``, or the pre-commit hook).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import tomllib
from pathlib import Path

import nox

nox.options.sessions = [
    "package",
    "editable",
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
# Everything the wheel is built from: a change to any of these gives a new wheel.
PACKAGE_SOURCES = ["pyproject.toml", "MANIFEST.in", "README.md", "LICENSE"]
PACKAGE_FOLDERS = ["overrides", "generated", "schema"]
DIST = Path(".nox", "_dist")
# The generated base model types timestamps as pydantic's AwareDatetime, which takes no
# pattern, so the generator warns that it leaves out the schema's Timestamp pattern. The
# hand-written layer applies that pattern (overrides/timestamps.py reads it from the
# schema; tests/test_lexical.py shows the model and the schema agree), so this warning,
# and only this one, is silenced.
CODEGEN_ENV = {
    "PYTHONWARNINGS": "ignore:Pydantic does not take pattern on AwareDatetime; "
    "Timestamp is generated without this constraint.:UserWarning"
}


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


def _source_digest() -> str:
    """A digest of the files the wheel is built from, naming its folder in ``DIST``."""
    digest = hashlib.sha256()
    paths = [Path(name) for name in PACKAGE_SOURCES if os.path.exists(name)]
    for folder in PACKAGE_FOLDERS:
        paths += [path for path in Path(folder).rglob("*") if "__pycache__" not in path.parts]
    for path in sorted(path for path in paths if path.is_file()):
        digest.update(f"{path.as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _wheel(session: nox.Session) -> Path:
    """The package's wheel for the current sources: built on first use, then reused."""
    folder = DIST / _source_digest()
    if not any(folder.glob("*.whl")):
        building = Path(session.create_tmp()) / "wheel"
        shutil.rmtree(building, ignore_errors=True)
        session.run(
            "python", "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(building), "."
        )
        (built,) = building.glob("*.whl")
        folder.mkdir(parents=True, exist_ok=True)
        built.rename(folder / built.name)
    (wheel,) = folder.glob("*.whl")
    return wheel.resolve()


def _install(session: nox.Session, *extras: str) -> None:
    """The built wheel (what a user installs, not the source folder) with ``extras``.

    A reused virtualenv may hold an older build of the same version, which pip would keep;
    the marker file names the wheel installed, so a new one is forced in."""
    wheel = _wheel(session)
    session.install("--quiet", f"{wheel}[{','.join(extras)}]" if extras else str(wheel))
    marker = Path(session.virtualenv.location) / "execution-group-wheel.txt"
    if marker.is_file() and marker.read_text(encoding="utf-8") != str(wheel):
        session.install("--quiet", "--force-reinstall", "--no-deps", str(wheel))
    marker.write_text(str(wheel), encoding="utf-8")


@nox.session(python=PYTHON)
def package(session: nox.Session) -> None:
    """Build the wheel every session installs, and the sdist; fail when the sdist misses a
    file of the repository (its tests must run unpacked)."""
    wheel = _wheel(session)
    for older in DIST.iterdir():  # builds of earlier sources
        if older.resolve() != wheel.parent:
            shutil.rmtree(older)
    session.install("--quiet", "build==1.3.0")
    sdist_dir = wheel.parent / "sdist"
    shutil.rmtree(sdist_dir, ignore_errors=True)
    # setuptools adds the files listed by an earlier build's egg-info to the sdist, which
    # would hide a file MANIFEST.in forgot.
    for stale in Path().glob("*.egg-info"):
        shutil.rmtree(stale)
    session.run("python", "-m", "build", "--sdist", "--outdir", str(sdist_dir), ".", silent=True)
    (sdist,) = sdist_dir.glob("*.tar.gz")
    session.run("python", "-m", "tools.sdist_contents", str(sdist))


@nox.session(python=PYTHON)
def editable(session: nox.Session) -> None:
    """A contributor's first command, ``pip install -e ".[test]"`` in the default editable
    mode: every test module imports, and the package's data and command line work."""
    session.install("--quiet", "-e", ".[test]")
    session.run("pytest", "--collect-only", "-qq", silent=True)
    session.run("pytest", "-q", "tests/test_package.py")
    session.run("execution-group", "validate", "examples/")


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate ``generated/`` from ``schema/`` with the pinned generator."""
    _install(session, "codegen")
    session.run("datamodel-codegen", silent=False, env=CODEGEN_ENV)


@nox.session(python=PYTHON)
def drift(session: nox.Session) -> None:
    """Fail, with a unified diff, when ``generated/`` is not what ``schema/`` generates
    (the model from the schema, the compiled rules from the rules file)."""
    _install(session, "codegen")
    # --check compares in memory, with the formatter reading this repo's pyproject.toml.
    session.run("datamodel-codegen", "--check", env=CODEGEN_ENV)
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
    """The test suite (pytest, hypothesis, the conformance corpus on every engine, the
    pre-commit hook in a temporary repository)."""
    _install(session, "test", "hooks")
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
    outside = tempfile.gettempdir()  # this process's: the session's TMPDIR is inside .nox/
    _install(session, "test")
    session.run("npm", "ci", "--prefix", "npm", "--no-audit", "--no-fund", external=True)
    session.run("npm", "test", "--prefix", "npm", external=True)
    session.run("pytest", "npm/tests", *session.posargs, env={"TMPDIR": outside})


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff (lint and format) on the hand-written code, pylint 10/10 on the package."""
    _install(session, "lint")
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
    _install(session, "typecheck", "test")
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
    _install(session, "codegen")
    session.run("datamodel-codegen", "--check", env=CODEGEN_ENV)
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
