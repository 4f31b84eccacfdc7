"""The commands besides ``validate``'s inputs and output: ``schema``, ``example``,
``new-id``, help and usage errors (``execution_group.cli._commands``), in process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_runner import invoke, records

from execution_group import ExecutionGroup, ExecutionStrategyType
from execution_group.contract import examples, lifecycle, pattern, schema

STRATEGIES = [strategy.value for strategy in ExecutionStrategyType]


def test_usage_errors_exit_2() -> None:
    assert invoke("validate").exit_code == 2
    assert invoke("validate", "--format", "xml", "-").exit_code == 2
    assert invoke("example", "MARKET").exit_code == 2
    assert invoke("new-id", "order").exit_code == 2


def test_schema_prints_the_shipped_schema() -> None:
    done = invoke("schema")
    assert done.exit_code == 0
    assert json.loads(done.stdout) == schema()
    assert json.loads(invoke("schema", "--lifecycle").stdout) == lifecycle()


def test_example_is_valid_for_every_strategy(tmp_path: Path) -> None:
    for strategy in STRATEGIES:
        done = invoke("example", strategy.lower())
        assert done.exit_code == 0, done.output
        document = json.loads(done.stdout)
        assert document["execution_strategy"] == strategy
        ExecutionGroup.model_validate_json(done.stdout)  # the full contract, in process
        (tmp_path / f"{strategy}.json").write_text(done.stdout)
    done = invoke("validate", "--format", "json", str(tmp_path))  # and through the command
    assert done.exit_code == 0, done.output
    assert records(done.stdout)[-1]["valid"] == len(STRATEGIES)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_example_piped_into_validate(strategy: str) -> None:
    """``execution-group example TWAP | execution-group validate -``, for every strategy."""
    printed = invoke("example", strategy)
    done = invoke("validate", "-", stdin=printed.stdout_bytes)
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        "OK       <stdin>\n\nChecked 1 document from standard input: 1 valid, 0 invalid.\n"
    )


@pytest.mark.parametrize(
    ("kind", "definition"), [("group", "GroupId"), ("directive", "DirectiveId")]
)
def test_new_id_matches_the_pattern(kind: str, definition: str) -> None:
    done = invoke("new-id", kind, "--count", "20")
    assert done.exit_code == 0, done.output
    ids = done.stdout.splitlines()
    assert len(ids) == len(set(ids)) == 20
    for value in ids:
        assert re.fullmatch(pattern(definition), value), value


def test_help_explains_with_examples() -> None:
    for args in (["--help"], ["validate", "--help"], ["example", "--help"], ["new-id", "-h"]):
        done = invoke(*args)
        assert done.exit_code == 0
        assert "Examples:" in done.stdout


def test_the_readme_main_job_validates_the_shipped_examples() -> None:
    """``python3 -m execution_group validate examples/``: the README's first command."""
    folder = Path(__file__).resolve().parent.parent / "examples"
    done = invoke("validate", str(folder))
    assert done.exit_code == 0, done.output
    assert done.stdout.count("OK ") == len(examples()) == len(list(folder.glob("*.json")))
