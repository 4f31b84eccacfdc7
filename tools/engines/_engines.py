"""The four engines: where their Debian packages put them, how each runner is built and run.

Every runner takes ``SCHEMA LIST`` and prints ``ready``, then one verdict line per listed
file (see ``tests/engines/go/main.go`` for the protocol).

valijson is header-only, but Debian's ``libvalijson-dev`` depends on every JSON library it
has an adapter for (Qt 5, Poco, jsoncpp, RapidJSON, picojson, yaml-cpp: 69 packages, 22 MB).
Where it is not installed, its headers are unpacked from the package (``apt-get download``,
``dpkg-deb -x``) into the work folder instead: the same files, without the 69 packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tools.engines._cases import ROOT

SOURCES = ROOT / "tests" / "engines"
GOPATH = Path("/usr/share/gocode")


def _has_module(*argv: str) -> Callable[[Path], bool]:
    """A check that ``argv`` (an interpreter loading a library) runs cleanly."""

    def check(_unpacked: Path) -> bool:
        if shutil.which(argv[0]) is None:
            return False
        done = subprocess.run(argv, capture_output=True, check=False)
        return done.returncode == 0

    return check


def _has_files(command: str, *paths: str) -> Callable[[Path], bool]:
    """A check that ``command`` runs and each path exists, under / or under ``unpacked``."""

    def check(unpacked: Path) -> bool:
        return shutil.which(command) is not None and all(
            Path("/", path).exists() or (unpacked / path).exists() for path in paths
        )

    return check


@dataclass(frozen=True)
class Engine:
    """One engine: its Debian packages, the check that they are there, its runner."""

    name: str
    label: str
    library: str  # the Debian package whose version the report names
    packages: tuple[str, ...]
    present: Callable[[Path], bool]  # given the folder of unpacked packages
    source: Path
    build_argv: tuple[str, ...] = ()
    run_prefix: tuple[str, ...] = ()
    build_env: dict[str, str] = field(default_factory=dict[str, str])
    run_env: dict[str, str] = field(default_factory=dict[str, str])
    # Extra environments whose verdicts must equal the first run's, case by case.
    same_verdicts_under: tuple[dict[str, str], ...] = ()
    # Packages only read from (headers): unpacked rather than installed, see above.
    unpacked: tuple[str, ...] = ()

    def build(self, folder: Path, unpacked: Path) -> tuple[list[str], bool]:
        """The runner's command line, building it into ``folder`` first if it is compiled;
        the flag says whether a build ran (a runner newer than its source is reused)."""
        if not self.build_argv:
            return [*self.run_prefix, str(self.source)], False
        binary = folder / f"{self.name}-runner"
        if binary.exists() and binary.stat().st_mtime >= self.source.stat().st_mtime:
            return [str(binary)], False
        folder.mkdir(parents=True, exist_ok=True)
        argv = [
            part.format(out=binary, src=self.source, unpacked=unpacked) for part in self.build_argv
        ]
        env = {key: value.format(cache=folder / "cache") for key, value in self.build_env.items()}
        subprocess.run(argv, check=True, env=os.environ | env)
        return [str(binary)], True


ENGINES = (
    Engine(
        name="go",
        library="golang-github-xeipuuv-gojsonschema-dev",
        label="Go gojsonschema",
        packages=("golang-go", "golang-github-xeipuuv-gojsonschema-dev"),
        present=_has_files("go", f"{GOPATH}/src/github.com/xeipuuv/gojsonschema"),
        source=SOURCES / "go" / "main.go",
        # GOPATH mode against Debian's source packages: nothing is fetched.
        build_argv=("go", "build", "-o", "{out}", "{src}"),
        build_env={
            "GO111MODULE": "off",
            "GOPATH": str(GOPATH),
            "GOPROXY": "off",
            "GOCACHE": "{cache}",
        },
    ),
    Engine(
        name="cpp",
        library="libvalijson-dev",
        label="C++ valijson + nlohmann-json",
        packages=("g++", "nlohmann-json3-dev"),
        unpacked=("libvalijson-dev",),
        present=_has_files(
            "g++", "usr/include/valijson/validator.hpp", "usr/include/nlohmann/json.hpp"
        ),
        source=SOURCES / "cpp" / "runner.cpp",
        build_argv=("g++", "-std=c++17", "-O1", "-I{unpacked}/usr/include", "-o", "{out}", "{src}"),
    ),
    Engine(
        name="ruby",
        library="ruby-json-schemer",
        label="Ruby json_schemer",
        packages=("ruby", "ruby-json-schemer"),
        present=_has_module("ruby", "-e", "require 'set'; require 'json_schemer'"),
        source=SOURCES / "ruby" / "runner.rb",
        run_prefix=("ruby",),
    ),
    Engine(
        name="perl",
        library="libjson-validator-perl",
        label="Perl JSON::Validator",
        packages=("perl", "libjson-validator-perl"),
        present=_has_module("perl", "-MJSON::Validator::Schema::Draft7", "-e1"),
        source=SOURCES / "perl" / "runner.pl",
        run_prefix=("perl",),
        run_env={"PERL_HASH_SEED": "0"},
        same_verdicts_under=({"PERL_HASH_SEED": "1"}, {"PERL_HASH_SEED": "2"}),
    ),
)
BY_NAME = {engine.name: engine for engine in ENGINES}


def package_version(package: str, unpacked: Path) -> str:
    """The Debian version of ``package``, installed or unpacked, or ``?``."""
    unpacked_version = unpacked / f"{package}.version"
    if unpacked_version.exists():
        return unpacked_version.read_text(encoding="utf-8").strip()
    if shutil.which("dpkg-query") is None:
        return "?"
    done = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "?"
