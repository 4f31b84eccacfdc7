"""The pre-commit hook: a downstream repository's documents are checked on every commit.

pre-commit (pinned in the ``hooks`` extra) runs the README's example configuration in a
temporary git repository, with this source tree, committed to a second temporary
repository, as the hook's source. Without pre-commit the test is skipped with the reason,
except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from execution_group.contract import examples

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# Not part of the hook's source: caches, environments, build output.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", ".nox", "node_modules", "__pycache__", "*.egg-info", "build", "dist",
    ".hypothesis", ".*_cache",
)  # fmt: skip
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def _require_pre_commit() -> None:
    missing = importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None
    if not missing:
        return
    reason = 'pre-commit or git is missing (pip install ".[test,hooks]")'
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, so this may not be skipped: {reason}", pytrace=False)
    pytest.skip(f"pre-commit hook not tested: {reason}")


def _run(cwd: Path, env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = _run(cwd, env, "git", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _readme_config(repo: Path, rev: str) -> str:
    """The README's example ``.pre-commit-config.yaml``, pointed at ``repo`` and ``rev``."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- pre-commit example.*?-->\n```yaml\n(.*?)```", text, re.DOTALL)
    assert match, "README.md lost its pre-commit example"
    config = re.sub(r"(repo: )\S+", rf"\g<1>{repo.as_posix()}", match.group(1))
    return re.sub(r"(rev: )\S+", rf"\g<1>{rev}", config)


def _pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return _run(cwd, env, sys.executable, "-m", "pre_commit", *args)


def test_the_hook_refuses_a_commit_of_an_invalid_document(tmp_path: Path) -> None:
    _require_pre_commit()
    env = os.environ | GIT_IDENTITY | {"PRE_COMMIT_HOME": str(tmp_path / "cache")}
    env.pop("GIT_DIR", None)
    source = tmp_path / "execution-group"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    _git(source, env, "init", "-q")
    _git(source, env, "add", "-A")
    _git(source, env, "commit", "-q", "-m", "hook source")
    rev = _git(source, env, "rev-parse", "HEAD")

    downstream = tmp_path / "downstream"
    fixtures = downstream / "fixtures" / "execution_groups"
    fixtures.mkdir(parents=True)
    _git(downstream, env, "init", "-q")
    (downstream / ".pre-commit-config.yaml").write_text(
        _readme_config(source, rev), encoding="utf-8"
    )
    group = examples()[0]
    (fixtures / "twap.json").write_text(json.dumps(group), encoding="utf-8")
    # Not an ExecutionGroup and outside ``files``: the hook must leave it alone.
    (downstream / "package.json").write_text('{"name": "downstream"}', encoding="utf-8")
    installed = _pre_commit(downstream, env, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    _git(downstream, env, "add", "-A")
    first = _run(downstream, env, "git", "commit", "-m", "valid fixtures")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "validate ExecutionGroup documents" in first.stdout + first.stderr

    # Schema-valid, but fills more than the target: only the full contract refuses it.
    overfilled = group | {"filled_quantity": "1000000"}
    feed = fixtures / "feed.jsonl"
    feed.write_text(json.dumps(group) + "\n" + json.dumps(overfilled) + "\n", encoding="utf-8")
    _git(downstream, env, "add", "-A")
    second = _run(downstream, env, "git", "commit", "-m", "an overfilled group")
    output = second.stdout + second.stderr
    assert second.returncode != 0, output
    assert "fill_exceeds_target" in output
    assert "feed.jsonl" in output
    assert _git(downstream, env, "log", "--format=%s") == "valid fixtures"
