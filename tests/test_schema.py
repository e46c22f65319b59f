"""The JSON Schemas: generated from brief/fields.py, committed, named by every YAML
file of the repository's briefs, and checked by an independent validator
(check-jsonschema, run as a subprocess, offline: the schemas are local files).

How check-jsonschema reads YAML (observed with 0.38.0, ruamel.yaml, YAML 1.2): an
unquoted `2025` is the integer 2025, `true` a boolean, `yes` stays text, and
`2025-08-08` stays text (it loads timestamps as strings). build.py reads all of them
as text. The schemas therefore accept a year written as an integer and numbers and
booleans in text fields; `test_schema_and_build_agree` pins that behaviour down.
"""
from __future__ import annotations

import json
import textwrap
import subprocess
import sys
from pathlib import Path

import pytest

from brief import fields as F
from brief.pipeline import generate
from brief.problems import Problems
from brief.schema import (DOCUMENTS, MODELINE_PREFIX, SCHEMA_DIR, all_schemas, brief_yaml_files,
                          modeline, schema_name_for)
from conftest import MINI, REPO, make_brief, run_build

CHECK_JSONSCHEMA = str(Path(sys.executable).parent / "check-jsonschema")


def check_jsonschema(schema: str, files: list[Path]) -> dict:
    """Validate files against schemas/<schema>.schema.json; the JSON report."""
    proc = subprocess.run([CHECK_JSONSCHEMA, "-o", "json", "--schemafile",
                           str(SCHEMA_DIR / f"{schema}.schema.json"), *map(str, files)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report.get("parse_errors", []) == [], report["parse_errors"]  # (only when there are)
    assert (proc.returncode == 0) == (report["status"] == "ok")
    return report


def failed_files(report: dict) -> set[str]:
    return {Path(e["filename"]).name for e in report["errors"]}


def tracked_yaml() -> list[Path]:
    out = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "*.yml", "*.yaml"],
                         capture_output=True, text=True, check=True).stdout
    return [REPO / p for p in out.split("\0") if p]


def brief_root(path: Path) -> Path | None:
    """The brief a YAML file belongs to: the nearest folder above it with a brief.yml."""
    for d in path.parents:
        if (d / "brief.yml").is_file():
            return d
        if d == REPO:
            return None
    return None


def brief_inputs() -> list[tuple[Path, str]]:
    """Every tracked YAML file that is an input of a brief, with its schema's name."""
    out = []
    for p in tracked_yaml():
        root = brief_root(p)
        name = schema_name_for(p.relative_to(root).as_posix()) if root else None
        if name:
            out.append((p, name))
    return out


# -- the schemas are what the code generates ---------------------------------------

def test_committed_schemas_are_generated_from_fields():
    generated = all_schemas()
    committed = {p.name: p.read_text("utf-8") for p in SCHEMA_DIR.glob("*.schema.json")}
    assert committed == generated, "run `python build.py schema --write` and commit schemas/"


def test_schema_command_checks_and_writes(tmp_path):
    ok = run_build("schema")
    assert ok.returncode == 0, ok.stderr
    out = tmp_path / "schemas"
    stale = run_build("schema", "--out", str(out))
    assert stale.returncode == 1 and "out of date" in stale.stderr
    wrote = run_build("schema", "--write", "--out", str(out))
    assert wrote.returncode == 0, wrote.stderr
    assert {p.name for p in out.iterdir()} == set(all_schemas())
    assert run_build("schema", "--out", str(out)).returncode == 0


def test_schemas_are_valid_draft_07():
    proc = subprocess.run([CHECK_JSONSCHEMA, "--check-metaschema",
                           *map(str, sorted(SCHEMA_DIR.glob("*.schema.json")))],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_field_is_in_its_schema():
    for name, (_, _, record, is_list) in DOCUMENTS.items():
        schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
        assert schema["type" if is_list else "$ref"] == (
            "array" if is_list else f"#/definitions/{record.name}")
        for rec_name, rec in schema["definitions"].items():
            fields = F.RECORDS[rec_name].fields
            assert list(rec["properties"]) == [f.name for f in fields]
            assert rec["required"] == [f.name for f in fields if f.required]
            assert rec["additionalProperties"] is False
            assert all(rec["properties"][f.name]["description"] == f.description for f in fields)


# -- every YAML file of the repository ---------------------------------------------

def test_the_repository_has_brief_yaml_files_to_check():
    names = {name for _, name in brief_inputs()}
    assert {"brief", "events", "faq"} <= names
    mini = {p for p, _ in brief_inputs() if MINI in p.parents}
    assert {p for p, _ in brief_yaml_files(MINI)} <= mini


def test_every_brief_yaml_file_names_its_schema_on_its_first_line():
    for path, name in brief_inputs():
        first = path.read_text("utf-8").split("\n", 1)[0]
        assert first == modeline(path, name), f"{path}: first line should be {modeline(path, name)}"
        target = (path.parent / first[len(MODELINE_PREFIX):]).resolve()
        assert target == SCHEMA_DIR / f"{name}.schema.json" and target.is_file()


def test_every_brief_yaml_file_validates_with_check_jsonschema():
    by_schema: dict[str, list[Path]] = {}
    for path, name in brief_inputs():
        by_schema.setdefault(name, []).append(path)
    for name, files in by_schema.items():
        report = check_jsonschema(name, files)
        assert report["status"] == "ok", report["errors"]


def test_every_source_front_matter_validates_with_check_jsonschema(tmp_path):
    articles = sorted(p for root in {brief_root(p) for p, _ in brief_inputs()}
                      for p in (root / "sources" / "articles").glob("*.md"))
    assert articles
    files = []
    for i, md in enumerate(articles):
        lines = md.read_text("utf-8").split("\n")
        end = lines.index("---", 1)
        out = tmp_path / f"{i}-{md.stem}.yml"
        out.write_text("\n".join(lines[1:end]) + "\n", "utf-8")
        files.append(out)
    report = check_jsonschema("source", files)
    assert report["status"] == "ok", report["errors"]


# -- a wrong file fails ------------------------------------------------------------

VALID_EVENT = """\
- id: agreement-signed
  date: "2024-03"
  title: Harbour agreement signed
  summary: The mayors sign the harbour agreement.
  citations:
    - source: alpha-gazette
      quote: signed the harbour agreement
"""


def test_a_deliberately_wrong_events_file_fails(tmp_path):
    bad = tmp_path / "events.yml"
    bad.write_text(modeline(bad, "events") + "\n" + """\
- id: Agreement_Signed
  date: March 2024
  tittle: Harbour agreement signed
  summary: "TODO: what happened"
  citations:
    - source: alpha-gazette
      page: 3
""", "utf-8")
    proc = subprocess.run([CHECK_JSONSCHEMA, "--schemafile",
                           str(SCHEMA_DIR / "events.schema.json"), str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    out = proc.stdout
    assert "'title' is a required property" in out
    assert "'tittle' was unexpected" in out
    assert "'page' was unexpected" in out
    for where in ("$[0].id", "$[0].date", "$[0].summary"):
        assert f"::{where}:" in out, out


# -- the schema and build.py agree on what is valid --------------------------------

# (name, event entry replacing VALID_EVENT's, accepted by both?)
CASES = [
    ("quoted-year", VALID_EVENT.replace('"2024-03"', '"2024"'), True),
    ("unquoted-year", VALID_EVENT.replace('"2024-03"', "2024"), True),  # an int to ruamel
    ("unquoted-day", VALID_EVENT.replace('"2024-03"', "2024-03-15"), True),  # a timestamp
    ("number-title", VALID_EVENT.replace("Harbour agreement signed", "1984"), True),
    ("yes-title", VALID_EVENT.replace("Harbour agreement signed", "yes"), True),
    ("bool-title", VALID_EVENT.replace("Harbour agreement signed", "true"), True),
    ("optional-fields", VALID_EVENT + "  tags: [harbour, 2024]\n  place: Northport\n"
                                      "  date_note: As reported.\n", True),
    ("unknown-field", VALID_EVENT.replace("  title:", "  tittle:"), False),
    ("missing-summary", VALID_EVENT.replace(
        "  summary: The mayors sign the harbour agreement.\n", ""), False),
    ("bad-id", VALID_EVENT.replace("agreement-signed", "Agreement_Signed"), False),
    ("id-too-long", VALID_EVENT.replace("agreement-signed", "a" * 65), False),
    ("month-without-zero", VALID_EVENT.replace('"2024-03"', "2024-3"), False),
    ("date-in-words", VALID_EVENT.replace('"2024-03"', "March 2024"), False),
    ("placeholder", VALID_EVENT.replace("Harbour agreement signed", '"TODO: a title"'), False),
    ("empty-title", VALID_EVENT.replace(" Harbour agreement signed", ""), False),
    ("no-citations", VALID_EVENT.split("  citations:")[0] + "  citations: []\n", False),
    ("tags-not-a-list", VALID_EVENT + "  tags: harbour\n", False),
    ("citation-extra-field", VALID_EVENT + "      page: 3\n", False),
    ("not-a-list", textwrap.dedent(VALID_EVENT.replace("- id:", "  id:")), False),
]


@pytest.fixture(scope="module")
def schema_verdicts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cases")
    files = []
    for name, text, _ in CASES:
        p = folder / f"{name}.yml"
        p.write_text(text, "utf-8")
        files.append(p)
    report = check_jsonschema("events", files)
    failed = failed_files(report)
    return {name: f"{name}.yml" not in failed for name, _, _ in CASES}


@pytest.mark.parametrize("name,text,valid", CASES, ids=[c[0] for c in CASES])
def test_schema_and_build_agree(tmp_path, schema_verdicts, name, text, valid):
    root = make_brief(tmp_path, {"sources/events/events.yml": text})
    problems = Problems()
    pages = generate(root, problems)
    assert (pages is not None) == valid, [p.format() for p in problems.errors]
    assert schema_verdicts[name] == valid


def test_calendar_dates_are_checked_by_the_build_only(tmp_path):
    """What JSON Schema cannot say: February has no 30th. The schema checks the form."""
    text = VALID_EVENT.replace('"2024-03"', "2024-02-30")
    p = tmp_path / "events.yml"
    p.write_text(text, "utf-8")
    assert check_jsonschema("events", [p])["status"] == "ok"
    root = make_brief(tmp_path, {"sources/events/events.yml": text})
    problems = Problems()
    assert generate(root, problems) is None
    assert any("February 2024 has 29 days" in e.message for e in problems.errors)


def test_modelines_command_adds_the_schema_line_once_and_the_brief_still_builds(tmp_path):
    root = make_brief(tmp_path)
    files = brief_yaml_files(root)
    for path, _ in files:  # start from files without the line
        lines = path.read_text("utf-8").split("\n")
        if lines[0].startswith(MODELINE_PREFIX):
            path.write_text("\n".join(lines[1:]), "utf-8")
    before = {p: p.read_text("utf-8") for p, _ in files}
    proc = run_build("schema", "--modelines", str(root))
    assert proc.returncode == 0, proc.stderr
    assert f"{len(files)} of {len(files)} YAML files changed" in proc.stdout
    for path, name in files:  # pointing at the copies in the brief: they move with it
        assert path.read_text("utf-8") == modeline(path, name, root / "schemas") + "\n" \
            + before[path]
    assert sorted(p.name for p in (root / "schemas").iterdir()) == sorted(all_schemas())
    again = run_build("schema", "--modelines", str(root))
    assert f"0 of {len(files)} YAML files changed" in again.stdout
    assert run_build(str(root), "--check").returncode == 0
