"""The ``execution-group`` command: validate documents, print the schema, examples and ids.

Run ``execution-group --help`` (or ``python -m execution_group --help``).
"""

from __future__ import annotations

import io
import json
import os
import sys
from importlib import resources
from typing import cast

import click

from ..contract import LIFECYCLE_FILE, SCHEMA_FILE
from ..contract import schema as contract_schema
from ..ids import generate_execution_directive_id, generate_execution_group_id
from ._parallel import available_cores
from ._report import EXIT_INVALID, Format, Progress, Report
from ._samples import example as strategy_example
from ._validate import validate_all

__all__ = ["main"]

_STRATEGIES: list[str] = contract_schema()["$defs"]["ExecutionStrategyType"]["enum"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="execution-group", prog_name="execution-group")
def main() -> None:
    """Check and create ExecutionGroup documents: the JSON record of the child orders
    one execution directive spawns.

    \b
    Examples:
      execution-group validate groups/ fills-2025-10-28.jsonl
      cat group.json | execution-group validate -
      execution-group example TWAP | execution-group validate -
      execution-group example TWAP > twap.json
      execution-group new-id group
      execution-group schema > execution_group.schema.json

    Run "execution-group COMMAND --help" for the details of one command.
    """


@main.command(
    short_help="Check documents against the full contract.",
    epilog="Exit status: 0 all valid, 1 some invalid, 2 a path could not be checked.",
)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json prints one JSON object per line: one per document "
    '({"kind": "document", "source", "line", "valid", "errors": [{"path", "loc", "rule", '
    '"message", "value"}]}; "value", the offending value, is there when it is a string, '
    "number, boolean or null), one per unreadable input "
    '({"kind": "unreadable", "source", "error"}) and a last one with the totals '
    '({"kind": "summary", "documents", "valid", "invalid", "files", "stdin", "unreadable", '
    '"exit_code"}; standard input is not counted in "files").',
)
@click.option(
    "--jsonl",
    is_flag=True,
    help="Read standard input as JSON Lines (one document per line). Without it, stdin is "
    "JSON Lines when its first line is a complete JSON value, else one document.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only invalid documents and the summary.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=available_cores,
    show_default="every core this process may use",
    help="How many processes check the documents (the output order is the same).",
)
def validate(paths: tuple[str, ...], fmt: Format, jsonl: bool, quiet: bool, jobs: int) -> None:
    """Check ExecutionGroup documents against the full contract (schema and every rule).

    PATH is a file, a directory, or - for standard input. A .json file is one document;
    a .jsonl or .ndjson file holds one document per line (blank lines are skipped) and is
    read piece by piece, so it may be of any size. A directory is searched recursively
    for *.json, *.jsonl and *.ndjson files (hidden directories such as .git are skipped).
    Documents are checked on every core (see --jobs): a JSON Lines file in pieces, .json
    files a few hundred at a time (so a handful of files starts no other process).

    For each document the command prints OK, or INVALID followed by every broken rule:
    the JSON path of the field, the message, and the rule's name. A line of a JSON Lines
    file that is not JSON is an invalid document (rule json_invalid); a .json file that
    is not JSON at all, a missing path or an unreadable file is reported on stderr, the
    other paths are still checked, and the exit status is 2.

    \b
    Examples:
      execution-group validate group.json
      execution-group validate groups/ today.jsonl
      execution-group validate --quiet archive/2025-10.ndjson
      execution-group validate --jobs 4 archive/2025-10.ndjson
      cat group.json | execution-group validate -
      execution-group validate --format json groups/ | jq 'select(.valid == false)'
    """
    report = Report(
        sys.stdout,
        sys.stderr,
        fmt=fmt,
        quiet=quiet,
        progress=Progress(sys.stderr, enabled=sys.stderr.isatty()),
    )
    stdin = cast(io.BufferedIOBase, sys.stdin.buffer)
    try:
        code = validate_all(paths, report, jobs=jobs, stdin=stdin, jsonl=jsonl)
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_INVALID
    sys.exit(code)


@main.command(short_help="Print the JSON Schema of ExecutionGroup.")
@click.option(
    "--lifecycle",
    is_flag=True,
    help="Print the lifecycle file instead: allowed status transitions, immutable fields.",
)
def schema(lifecycle: bool) -> None:
    """Print the JSON Schema (Draft 2020-12) of ExecutionGroup, exactly as shipped.

    \b
    Examples:
      execution-group schema > execution_group.schema.json
      execution-group schema --lifecycle
    """
    name = LIFECYCLE_FILE if lifecycle else SCHEMA_FILE
    text = resources.files("execution_group.schema").joinpath(name).read_text(encoding="utf-8")
    click.echo(text, nl=not text.endswith("\n"))


@main.command()
@click.argument(
    "strategy", type=click.Choice(_STRATEGIES, case_sensitive=False), metavar="STRATEGY"
)
def example(strategy: str) -> None:
    """Print a valid example document for STRATEGY.

    STRATEGY is one of SINGLE, TWAP, VWAP, ICEBERG, DCA, LAYERED, POV. The document is a
    starting point: change ids, times and quantities, then check it with validate.

    \b
    Examples:
      execution-group example TWAP
      execution-group example iceberg > iceberg.json
    """
    document = strategy_example(strategy.upper())
    click.echo(json.dumps(document, indent=2))


@main.command(name="new-id", short_help="Print a fresh group or directive id.")
@click.argument("kind", type=click.Choice(["group", "directive"]), metavar="group|directive")
@click.option(
    "-n",
    "--count",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="How many ids to print, one per line.",
)
def new_id(kind: str, count: int) -> None:
    """Print a fresh id for a group (EXG_YYYYMMDD_HHMMSS_xxxxx) or a directive
    (EXE_YYYYMMDD_HHMMSS_xxxxxxxx), stamped with the current UTC second.

    Ids printed by one run are all different.

    \b
    Examples:
      execution-group new-id group
      execution-group new-id directive --count 5
    """
    generate = generate_execution_group_id if kind == "group" else generate_execution_directive_id
    for _ in range(count):
        click.echo(generate())
