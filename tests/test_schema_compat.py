"""tools.schema_compat: real edits of copies of the schema, classified and version-checked."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tools.schema_compat import (
    Change,
    Mode,
    Version,
    apply_reviews,
    compare,
    configured_mode,
    main,
    parse_mode,
    required_bump,
    run,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schema" / "execution_group.schema.json").read_text("utf-8"))
Edit = Callable[[dict[str, Any]], None]


def edited(edit: Edit) -> dict[str, Any]:
    new: dict[str, Any] = copy.deepcopy(SCHEMA)
    edit(new)
    return new


def kinds(changes: list[Change]) -> set[str]:
    return {change.kind for change in changes}


def _remove_property(s: dict[str, Any]) -> None:
    del s["properties"]["metadata"]


def _rename_property(s: dict[str, Any]) -> None:
    s["properties"]["filled_qty"] = s["properties"].pop("filled_quantity")


def _remove_enum_value(s: dict[str, Any]) -> None:
    s["$defs"]["GroupStatus"]["enum"].remove("PARTIAL")


def _new_required(s: dict[str, Any]) -> None:
    s["required"].append("filled_quantity")


def _narrow_pattern(s: dict[str, Any]) -> None:
    s["$defs"]["Quantity"]["pattern"] = "^(0|[1-9][0-9]{0,9})(\\.[0-9]{1,8})?$"


def _widen_pattern(s: dict[str, Any]) -> None:
    # Wider in fact, but patterns are not compared: any change counts as breaking.
    s["$defs"]["Quantity"]["pattern"] = "^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,8})?$"


def _max_items(s: dict[str, Any]) -> None:
    s["properties"]["order_ids"]["maxItems"] = 1000


def _change_type(s: dict[str, Any]) -> None:
    s["properties"]["metadata"]["type"] = "object"


def _tighten_additional(s: dict[str, Any]) -> None:
    s["properties"]["metadata"]["additionalProperties"] = False


def _new_rule(s: dict[str, Any]) -> None:
    s["allOf"].append(
        {
            "description": "POV groups require target_quantity",
            "if": {"properties": {"execution_strategy": {"const": "POV"}}},
            "then": {"required": ["target_quantity"]},
        }
    )


def _narrow_visible_ratio(s: dict[str, Any]) -> None:
    ratio = s["allOf"][6]["then"]["properties"]["metadata"]["properties"]["visible_ratio"]
    ratio["maximum"] = 0.5


def _zero_target_allowed(s: dict[str, Any]) -> None:
    # target_quantity's "not" rejects zero; narrower inside the "not", so it accepts more,
    # but patterns are not compared: inside a "not" too, any change counts as breaking.
    s["properties"]["target_quantity"]["not"]["pattern"] = "^0(\\.0{1,7})?$"


def _guard_more_line_ends(s: dict[str, Any]) -> None:
    # Wider inside the "not", so it rejects more.
    s["$defs"]["GroupId"]["not"]["pattern"] = "[\t\n\r\u0085\u2028\u2029]"


def _new_not(s: dict[str, Any]) -> None:
    s["properties"]["filled_quantity"]["not"] = {"const": "0"}


BREAKING: dict[str, tuple[Edit, str]] = {
    "property removed": (_remove_property, "property 'metadata' removed"),
    "property renamed": (_rename_property, "property 'filled_quantity' removed"),
    "enum value removed": (_remove_enum_value, 'enum value "PARTIAL" removed'),
    "new required property": (_new_required, "property 'filled_quantity' is now required"),
    "pattern narrowed": (_narrow_pattern, "pattern changed"),
    "pattern widened (undecidable)": (_widen_pattern, "pattern changed"),
    "maxItems added": (_max_items, "new bound maxItems = 1000"),
    "type changed": (_change_type, "type 'null' no longer allowed"),
    "additionalProperties tightened": (_tighten_additional, "additionalProperties tightened"),
    "new if/then rule": (_new_rule, 'new allOf member "POV groups require target_quantity"'),
    "bound narrowed": (_narrow_visible_ratio, "maximum narrowed from 1 to 0.5"),
    "pattern inside 'not' narrowed (undecidable)": (_zero_target_allowed, "pattern changed"),
    "pattern inside 'not' widened": (_guard_more_line_ends, "pattern changed"),
    "new 'not' rule": (_new_not, "new 'not' rule"),
}


@pytest.mark.parametrize("name", BREAKING)
def test_breaking_changes(name: str) -> None:
    edit, words = BREAKING[name]
    changes = compare(SCHEMA, edited(edit))
    assert any(c.kind == "narrowing" and words in c.message for c in changes), changes
    assert required_bump(changes, "backward") == "major"
    assert any(c.describe("backward").startswith("BREAKING: ") for c in changes)


def _new_optional(s: dict[str, Any]) -> None:
    s["properties"]["venue"] = {"type": ["string", "null"]}


def _new_enum_value(s: dict[str, Any]) -> None:
    s["$defs"]["ExecutionStrategyType"]["enum"].append("SNIPER")


def _relax_bound(s: dict[str, Any]) -> None:
    ratio = s["allOf"][6]["then"]["properties"]["metadata"]["properties"]["visible_ratio"]
    ratio["maximum"] = 2


def _description(s: dict[str, Any]) -> None:
    s["properties"]["status"]["description"] = "Where the group is."


NON_BREAKING: dict[str, tuple[Edit, str, str]] = {
    "new optional property": (_new_optional, "new optional property 'venue'", "minor"),
    "enum value added": (_new_enum_value, 'enum value "SNIPER" added', "minor"),
    "bound relaxed": (_relax_bound, "maximum relaxed from 1 to 2", "minor"),
    "description changed": (_description, "description changed", "patch"),
}


@pytest.mark.parametrize("name", NON_BREAKING)
def test_non_breaking_changes(name: str) -> None:
    edit, words, bump = NON_BREAKING[name]
    changes = compare(SCHEMA, edited(edit))
    assert any(words in c.message for c in changes), changes
    assert not any(c.breaking("backward") for c in changes), changes
    assert required_bump(changes, "backward") == bump


def test_full_mode_counts_widening_as_breaking() -> None:
    """Old strict consumers reject a new enum value: breaking under FULL compatibility."""
    changes = compare(SCHEMA, edited(_new_enum_value))
    assert required_bump(changes, "full") == "major"
    assert required_bump(compare(SCHEMA, edited(_description)), "full") == "patch"


def test_identical_schemas_have_no_change() -> None:
    assert compare(SCHEMA, copy.deepcopy(SCHEMA)) == []


def test_version_steps() -> None:
    base = Version.parse("1.2.3")
    assert base.bump(Version.parse("2.0.0")) == "major"
    assert base.bump(Version.parse("1.3.0")) == "minor"
    assert base.bump(Version.parse("1.2.4")) == "patch"
    assert base.bump(Version.parse("1.2.3")) == "none"
    assert base.bump(Version.parse("1.2.2")) == "none"


# --- the whole check on a copy of the repository layout -----------------------------------


def _repo(tmp_path: Path, edit: Edit | None, version: str, package: str | None = None) -> Path:
    """schema/, schema/released/1.0.0(.reviewed).json and pyproject.toml in tmp_path."""
    (tmp_path / "released").mkdir()
    for name in ("1.0.0.json", "1.0.0.reviewed.json"):
        shutil.copy(ROOT / "schema" / "released" / name, tmp_path / "released" / name)
    new = edited(edit) if edit else copy.deepcopy(SCHEMA)
    new["$id"] = re.sub(r"/[0-9]+\.[0-9]+\.[0-9]+/", f"/{version}/", new["$id"])
    (tmp_path / "schema.json").write_text(json.dumps(new), "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\nversion = "{package or version}"\n', "utf-8"
    )
    return tmp_path


def _run(folder: Path, mode: Mode = "backward") -> tuple[int, str]:
    code, lines = run(
        folder / "schema.json",
        folder / "released",
        folder / "pyproject.toml",
        mode,
    )
    return code, "\n".join(lines)


@pytest.mark.parametrize(
    ("edit", "version", "ok"),
    [
        (None, "1.0.1", True),
        (None, "1.0.0", False),  # the reviewed guard change still needs a patch bump
        (_rename_property, "1.0.0", False),
        (_rename_property, "1.1.0", False),
        (_rename_property, "1.0.1", False),
        (_rename_property, "2.0.0", True),
        (_new_enum_value, "1.0.0", False),
        (_new_enum_value, "1.0.1", False),
        (_new_enum_value, "1.1.0", True),
        (_description, "1.0.0", False),
        (_description, "1.0.1", True),
        (None, "0.9.0", False),
    ],
)
def test_version_must_be_bumped(tmp_path: Path, edit: Edit | None, version: str, ok: bool) -> None:
    code, report = _run(_repo(tmp_path, edit, version))
    assert (code == 0) is ok, report


def test_breaking_change_report_names_it(tmp_path: Path) -> None:
    code, report = _run(_repo(tmp_path, _remove_enum_value, "1.1.0"))
    assert code == 1
    assert 'BREAKING: enum value "PARTIAL" removed (or renamed)' in report
    assert "need a major version bump from 1.0.0; 1.1.0 is a minor bump" in report


def test_full_mode_needs_major_for_new_enum_value(tmp_path: Path) -> None:
    assert _run(_repo(tmp_path, _new_enum_value, "1.1.0"), "full")[0] == 1


def test_pyproject_version_must_match_the_id(tmp_path: Path) -> None:
    code, report = _run(_repo(tmp_path, _rename_property, "2.0.0", package="1.0.0"))
    assert code == 1
    assert "pyproject.toml version 1.0.0 differs from the schema's $id 2.0.0" in report


def test_the_repository_passes(capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped schema, released copy and pyproject agree (what nox -s compat runs)."""
    assert main([]) == 0, capsys.readouterr().out


def test_a_reviewed_change_counts_as_an_annotation_only_between_its_exact_values() -> None:
    old = json.loads((ROOT / "schema" / "released" / "1.0.0.json").read_text("utf-8"))
    new = SCHEMA  # 1.0.1: the line-terminator guard
    path = "/$defs/GroupId/not/pattern"
    entry = {"path": path, "old": "\n", "new": "[\n\r\u0085\u2028\u2029]", "why": "test"}
    changes, stale = apply_reviews(compare(old, new), old, new, [entry])
    assert stale == []
    assert [c.path for c in changes if c.kind == "annotation" and "reviewed" in c.message] == [path]
    assert any("(reviewed: test)" in change.message for change in changes)

    other = {**entry, "new": "[\n\r]"}
    changes, stale = apply_reviews(compare(old, new), old, new, [other])
    assert required_bump(changes, "backward") == "major"
    assert stale == [f"reviewed change at {path} matches no change of the schema"]


def test_a_stale_review_fails_the_check(tmp_path: Path) -> None:
    folder = _repo(tmp_path, None, "1.0.1")
    reviewed = folder / "released" / "1.0.0.reviewed.json"
    entries = json.loads(reviewed.read_text("utf-8"))
    entries.append({**entries[0], "path": "/$defs/OrderId/pattern"})
    reviewed.write_text(json.dumps(entries), "utf-8")
    code, report = _run(folder)
    assert code == 1
    assert "reviewed change at /$defs/OrderId/pattern matches no change" in report


# --- modes -------------------------------------------------------------------------------


def test_forward_mode_breaks_on_widening_only() -> None:
    """FORWARD: producers upgrade first, so a new value old consumers reject breaks; a
    removed value does not (every new document is valid under the old schema)."""
    added = compare(SCHEMA, edited(_new_enum_value))
    removed = compare(SCHEMA, edited(_remove_enum_value))
    assert required_bump(added, "forward") == "major"
    assert required_bump(removed, "forward") == "minor"
    assert required_bump(added, "backward") == "minor"
    assert required_bump(removed, "backward") == "major"
    assert required_bump(added, "full_transitive") == required_bump(removed, "full") == "major"


def test_modes_are_read_as_the_registries_name_them() -> None:
    assert parse_mode("BACKWARD_TRANSITIVE") == "backward_transitive"
    assert parse_mode("full") == "full"
    with pytest.raises(ValueError, match="unknown compatibility mode 'SIDEWAYS'"):
        parse_mode("SIDEWAYS")


def test_the_project_mode_is_set_in_pyproject() -> None:
    assert configured_mode(ROOT / "pyproject.toml") == "backward_transitive"


def _release(folder: Path, version: str, edit: Edit | None) -> None:
    schema = edited(edit) if edit else copy.deepcopy(SCHEMA)
    schema["$id"] = re.sub(r"/[0-9]+\.[0-9]+\.[0-9]+/", f"/{version}/", schema["$id"])
    (folder / "released" / f"{version}.json").write_text(json.dumps(schema), "utf-8")


def test_transitive_mode_checks_every_release_of_the_major(tmp_path: Path) -> None:
    """1.1.0 dropped PARTIAL (released under a laxer mode); 1.1.1 only edits a description.
    Against 1.1.0 that is a patch; BACKWARD_TRANSITIVE also holds it against 1.0.0."""
    folder = _repo(tmp_path, _remove_enum_value, "1.1.1")
    schema = json.loads((folder / "schema.json").read_text("utf-8"))
    schema["properties"]["status"]["description"] = "Where the group is."
    (folder / "schema.json").write_text(json.dumps(schema), "utf-8")
    (folder / "released" / "1.0.0.reviewed.json").unlink()
    _release(folder, "1.1.0", _remove_enum_value)
    assert _run(folder, "backward")[0] == 0
    code, report = _run(folder, "backward_transitive")
    assert code == 1, report
    assert "breaking against 1.0.0 (backward_transitive)" in report
    assert 'BREAKING: enum value "PARTIAL" removed (or renamed)' in report


def test_transitive_mode_ignores_an_older_major(tmp_path: Path) -> None:
    folder = _repo(tmp_path, _remove_enum_value, "2.0.1")
    (folder / "released" / "1.0.0.reviewed.json").unlink()
    _release(folder, "2.0.0", _remove_enum_value)
    code, report = _run(folder, "backward_transitive")
    assert code == 0, report
    assert "against released 1.0.0" not in report


def _root_any_of(s: dict[str, Any]) -> None:
    s["anyOf"] = [{"required": ["target_quantity"]}, {"required": ["metadata"]}]


def test_a_new_root_any_of_is_breaking_and_a_shipped_example_shows_it() -> None:
    """Two optional alternatives, one required: old documents with neither now fail."""
    new = edited(_root_any_of)
    changes = compare(SCHEMA, new)
    assert required_bump(changes, "backward") == "major", changes
    examples = [
        json.loads(p.read_text("utf-8")) for p in sorted((ROOT / "examples").glob("*.json"))
    ]
    old_check = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    new_check = Draft202012Validator(new, format_checker=Draft202012Validator.FORMAT_CHECKER)
    stripped = {k: v for k, v in examples[0].items() if k not in ("target_quantity", "metadata")}
    stripped["execution_strategy"] = "VWAP"
    assert old_check.is_valid(stripped) and not new_check.is_valid(stripped)


def _nullable_status(s: dict[str, Any]) -> None:
    s["properties"]["status"] = {"anyOf": [{"$ref": "#/$defs/GroupStatus"}, {"type": "null"}]}


def test_the_nullable_edit_gets_a_verdict() -> None:
    """$ref -> anyOf [$ref, null] crashed the keyword diff (it printed its absent marker)."""
    widened = compare(SCHEMA, edited(_nullable_status))
    assert required_bump(widened, "backward") == "minor", widened
    assert required_bump(compare(edited(_nullable_status), SCHEMA), "backward") == "major"
