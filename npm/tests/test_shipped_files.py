"""The contract's data files, as a consumer reaches them: through the installed package's
``exports`` (``execution-group/schema.json``, ...), each the repository's file unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from npm_consumer import PACKAGE, ROOT, node_and_npm, run

from execution_group import ExecutionGroup
from execution_group.contract import examples

SHIPPED = {
    "execution-group/schema.json": "execution_group.schema.json",
    "execution-group/rules.json": "execution_group.rules.json",
    "execution-group/lifecycle.json": "execution_group.lifecycle.json",
    "execution-group/change.schema.json": "execution_group.change.schema.json",
}

_RESOLVE = """
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const names = JSON.parse(process.argv[1]);
const resolve = (name) => {
  try {
    return require.resolve(name);
  } catch {
    return null; // not exported
  }
};
process.stdout.write(JSON.stringify(names.map(resolve)));
"""


@pytest.fixture(scope="module")
def resolved(consumer: Path) -> dict[str, Path | None]:
    """Each export's file in the consumer's node_modules, as node resolves it (None: not
    exported)."""
    node, _ = node_and_npm()
    names = list(SHIPPED)
    output = run([node, "--input-type=module", "-e", _RESOLVE, json.dumps(names)], consumer)
    paths: list[str | None] = json.loads(output.stdout)
    return {
        name: None if path is None else Path(path) for name, path in zip(names, paths, strict=True)
    }


@pytest.mark.parametrize("export", SHIPPED)
def test_each_file_is_exported_unchanged(resolved: dict[str, Path | None], export: str) -> None:
    shipped = resolved[export]
    assert shipped is not None, f"{export} is not exported"
    assert shipped.read_bytes() == (ROOT / "schema" / SHIPPED[export]).read_bytes()


def test_the_change_schema_finds_the_schema_it_refers_to(
    resolved: dict[str, Path | None],
) -> None:
    """Its ``$ref``s name ``execution_group.schema.json`` in the same folder: shipped there."""
    change = resolved["execution-group/change.schema.json"]
    assert change is not None, "the change schema is not exported"
    assert "execution_group.schema.json#" in change.read_text(encoding="utf-8")
    assert (
        change.with_name("execution_group.schema.json") == resolved["execution-group/schema.json"]
    )


_VALIDATE_CHANGES = """
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
const [groupPath, changePath, records] = process.argv.slice(1);
const ajv = new Ajv2020();
addFormats(ajv);
ajv.addSchema(JSON.parse(readFileSync(groupPath, "utf8")));
const validateChange = ajv.compile(JSON.parse(readFileSync(changePath, "utf8")));
process.stdout.write(JSON.stringify(JSON.parse(records).map((record) => validateChange(record))));
"""


def test_the_shipped_change_schema_checks_records_as_docs_consumers_shows(
    resolved: dict[str, Path | None],
) -> None:
    """Ajv (strict, ajv-formats), the shipped group schema added, compiles the shipped change
    schema: a record Python wrote is valid, one naming no field of the group is not."""
    group, change = (
        resolved["execution-group/schema.json"],
        resolved["execution-group/change.schema.json"],
    )
    assert group is not None and change is not None
    made = ExecutionGroup.model_validate(examples()[0]).add_order("ORD-1")
    written = [json.loads(record.to_json()) for record in made]
    records = [*written, {**written[0], "field": "filled_qty"}]
    node, _ = node_and_npm()
    script = [node, "--input-type=module", "-e", _VALIDATE_CHANGES]
    output = run([*script, str(group), str(change), json.dumps(records)], PACKAGE)  # Ajv from npm/
    assert json.loads(output.stdout) == [True] * len(written) + [False]
