"""Helpers for the command-line tests: documents, files, and the command run in process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from execution_group.cli import main
from execution_group.contract import examples


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    """``execution-group ARGS`` in this process (click's ``CliRunner``); stderr kept apart."""
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def valid_document(index: int = 0) -> dict[str, Any]:
    """A copy of the schema's example ``index``."""
    return json.loads(json.dumps(examples()[index]))


def invalid_document() -> dict[str, Any]:
    """Example 0 with one order id that breaks ``order_id_form``."""
    document = valid_document()
    document["order_ids"] = ["binance_1", "binance_2", "binance_3", "bad id"]
    return document


def write_json(path: Path, document: object) -> Path:
    """``document`` pretty-printed at ``path`` (folders made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def write_jsonl(path: Path, lines: list[str]) -> Path:
    """``lines`` at ``path``, one per line."""
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def records(stdout: str) -> list[dict[str, Any]]:
    """The JSON Lines records ``--format json`` printed."""
    return [json.loads(line) for line in stdout.splitlines()]
