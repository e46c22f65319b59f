"""JSON Schemas for editors and independent validators, generated from `fields.py`.

`python build.py schema --write` writes them to schemas/*.schema.json (committed);
`python build.py schema` exits 1 when the committed ones differ from what the field
definitions generate. Each YAML file of a brief names its schema on its first line,

    # yaml-language-server: $schema=../../schemas/events.schema.json

so editors with the YAML language server complete field names and flag mistakes as one
types; `python build.py schema --modelines [BRIEF]` adds that line where it is missing.

How values are typed. build.py reads every YAML value as the text that was typed, but
the YAML language server and check-jsonschema load YAML 1.2 the usual way: `2025`
becomes the integer 2025, `true` a boolean, `2025-08-08` stays text (check-jsonschema
loads timestamps as strings; YAML 1.2 has none). So a value that build.py accepts may
reach the schema as a number: text fields accept strings, numbers and booleans; ids
also accept non-negative integers and dates a year written as an integer. An empty
value is null there and an error here, so null is never accepted. The schemas check
what JSON Schema can say (required and unknown fields, id, date, URL and language
patterns, enums, placeholders); build.py checks the rest (real calendar dates, unique
ids, citations against the sources).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import fields as F
from .paths import package_dir
from .validate import EXPECTED

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = package_dir("schemas")  # in the installed package, or this repository's
MODELINE_PREFIX = "# yaml-language-server: $schema="

# schema name -> (title, description, root record, whether the file is a list of records)
DOCUMENTS: dict[str, tuple[str, str, F.Record, bool]] = {
    "brief": ("brief.yml", "The brief's settings.", F.SETTINGS, False),
    "events": ("sources/events/*.yml", "A list of timeline events.", F.EVENT, True),
    "faq": ("sources/faq/*.yml", "A list of frequently asked questions.", F.FAQ, True),
    "entities": ("sources/entities.yml", "A list of people and organisations.", F.ENTITY, True),
    "source": ("sources/articles/ID.md front matter",
               "The YAML front matter of a source article (between the '---' lines).",
               F.SOURCE, False),
}

# Lists that data.py requires to be non-empty: (record, field).
NON_EMPTY = {("event", "citations"), ("faq", "citations")}

_TEXT_TYPES = ["string", "number", "boolean"]
# Text: not empty, and not a placeholder (one pattern, so editors can say which rule).
_TEXT_PATTERN = rf"^(?!\s*{F.PLACEHOLDER})\s*\S"
_TEXT_MESSAGE = (f"write the text: it must not be empty or still a {F.PLACEHOLDER} "
                 "placeholder")


def _pattern(pattern: str, kind: str) -> dict:
    """A pattern with the message editors show when it does not match
    (`patternErrorMessage`, understood by the YAML language server, ignored by
    validators), saying what is expected as the build's own hints do."""
    unknown = f" (or '{F.UNKNOWN}')" if kind in ("date|unknown", "edtf|unknown", "url") else ""
    return {"pattern": ecma(pattern), "patternErrorMessage": f"expected {EXPECTED[kind]}{unknown}"}


def ecma(pattern: str) -> str:
    """A Python regex as an ECMA-262 one (JSON Schema's dialect, with the unicode flag,
    where escaping a character that needs none is an error): drop those escapes."""
    return pattern.replace('\\"', '"').replace("\\'", "'")


def _kind_schema(kind: str) -> dict:
    """The JSON Schema of one value of a field kind (see the kinds in fields.py)."""
    if kind.startswith("list:"):
        return {"type": "array", "items": _kind_schema(kind[5:])}
    if kind.startswith("record:"):
        return {"$ref": f"#/definitions/{kind[7:]}"}
    if kind == "paragraphs":
        return {"anyOf": [_kind_schema("prose"),
                          {"type": "array", "minItems": 1,
                           "items": {"$ref": "#/definitions/paragraph"}}]}
    if kind in ("text", "prose"):
        return {"type": _TEXT_TYPES, "pattern": _TEXT_PATTERN,
                "patternErrorMessage": _TEXT_MESSAGE}
    if kind in ("id", "tag"):
        return {"anyOf": [
            {"type": "string", **_pattern(F.ID_PATTERN, kind), "maxLength": F.ID_MAX},
            {"type": "integer", "minimum": 0},
        ]}
    if kind in ("date", "date|unknown", "edtf", "edtf|unknown"):
        pattern = F.EDTF_PATTERN if kind.startswith("edtf") else F.DATE_PATTERN
        options: list[dict] = [
            {"type": "string", **_pattern(pattern, kind)},
            {"type": "integer", "minimum": 1, "maximum": 9999,
             "description": "A year written without quotes (YAML tools read it as a number)."},
        ]
        if kind.endswith("|unknown"):
            options.append({"const": F.UNKNOWN})
        return {"anyOf": options}
    if kind == "url":
        return {"type": "string",
                "anyOf": [_pattern(F.URL_PATTERN, kind), {"const": F.UNKNOWN}]}
    if kind == "lang":
        return {"type": "string", **_pattern(F.LANG_PATTERN, kind)}
    if kind.startswith("enum:"):
        return {"type": "string", "enum": kind[5:].split("|")}
    raise AssertionError(f"unknown field kind {kind}")  # a bug in fields.py


def _field_schema(record: F.Record, field: F.Field) -> dict:
    out = {"description": field.description, **_kind_schema(field.kind)}
    if (record.name, field.name) in NON_EMPTY:
        out["minItems"] = 1
    if field.example is not None and field.example != "...":
        out["examples"] = [field.example]
    return out


def record_schema(record: F.Record) -> dict:
    return {
        "type": "object",
        "title": record.title,
        "properties": {f.name: _field_schema(record, f) for f in record.fields},
        "required": [f.name for f in record.fields if f.required],
        "additionalProperties": False,
    }


def _records_used(record: F.Record, seen: dict[str, F.Record]) -> dict[str, F.Record]:
    if record.name not in seen:
        seen[record.name] = record
        for f in record.fields:
            name = f.kind.rsplit("record:", 1)[1] if "record:" in f.kind else (
                "paragraph" if f.kind == "paragraphs" else None)
            if name:
                _records_used(F.RECORDS[name], seen)
    return seen


def document_schema(name: str) -> dict:
    """The schema of one kind of input file."""
    title, description, record, is_list = DOCUMENTS[name]
    used = _records_used(record, {})
    root = ({"type": "array", "items": {"$ref": f"#/definitions/{record.name}"}}
            if is_list else {"$ref": f"#/definitions/{record.name}"})
    return {
        "$schema": DRAFT,
        "title": f"{title}: {record.title[0].lower()}{record.title[1:]}" if not is_list else title,
        "description": (f"{description} Generated from brief/fields.py by "
                        "`python build.py schema --write`; do not edit."),
        "$comment": ("build.py reads every value as text; YAML 1.2 tools read an unquoted "
                     "2025 as a number, so text fields also accept numbers and booleans."),
        **root,
        "definitions": {n: record_schema(r) for n, r in sorted(used.items())},
    }


def all_schemas() -> dict[str, str]:
    """File name -> JSON text of every schema."""
    return {f"{name}.schema.json": json.dumps(document_schema(name), indent=2,
                                              ensure_ascii=False) + "\n"
            for name in DOCUMENTS}


# -- which file uses which schema --------------------------------------------------

def schema_name_for(rel: str) -> str | None:
    """The schema of a YAML file, by its path relative to the brief's root ('/'-separated)."""
    parts = rel.split("/")
    if not rel.endswith((".yml", ".yaml")):
        return None
    if rel in ("brief.yml", "brief.yaml"):
        return "brief"
    if rel in ("sources/entities.yml", "sources/entities.yaml"):
        return "entities"
    if len(parts) == 3 and parts[0] == "sources" and parts[1] in ("events", "faq"):
        return parts[1]
    return None


def brief_yaml_files(root: Path) -> list[tuple[Path, str]]:
    """Every YAML input file of a brief with the name of its schema."""
    out = []
    candidates = [root / "brief.yml", root / "sources" / "entities.yml"]
    for folder in ("events", "faq"):
        d = root / "sources" / folder
        if d.is_dir():
            candidates += sorted(p for p in d.iterdir() if p.suffix in (".yml", ".yaml"))
    for p in candidates:
        if p.is_file():
            name = schema_name_for(p.relative_to(root).as_posix())
            if name:
                out.append((p, name))
    return out


def modeline(yaml_file: Path, name: str, schema_dir: Path = SCHEMA_DIR) -> str:
    """The first line naming the schema, as a path relative to the YAML file's folder."""
    rel = os.path.relpath(schema_dir / f"{name}.schema.json", yaml_file.resolve().parent)
    return f"{MODELINE_PREFIX}{Path(rel).as_posix()}"


def add_modeline(yaml_file: Path, name: str, schema_dir: Path = SCHEMA_DIR) -> bool:
    """Put the modeline on the file's first line (replacing an outdated one). True if changed."""
    data = yaml_file.read_bytes()
    line = modeline(yaml_file, name, schema_dir).encode()
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    body = data[len(bom):]
    first, sep, rest = body.partition(b"\n")
    if first.rstrip(b"\r") == line:
        return False
    if first.startswith(MODELINE_PREFIX.encode()):
        body = rest
    newline = b"\r\n" if b"\r\n" in body else b"\n"
    from .write import atomic_write
    atomic_write(yaml_file, bom + line + newline + body)
    return True


# -- the subcommand ------------------------------------------------------------------

def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("brief", nargs="?", default=".", type=Path,
                   help="the brief whose YAML files get modelines (with --modelines)")
    p.add_argument("--write", action="store_true",
                   help="write the schemas to the schemas folder (default: check they are current)")
    p.add_argument("--modelines", action="store_true",
                   help="copy the schemas into BRIEF/schemas/ and give every YAML file of "
                        "BRIEF a first line naming its schema there")
    p.add_argument("--out", type=Path, default=None,
                   help=f"the schemas folder (default: {SCHEMA_DIR}; with --modelines, "
                        "BRIEF/schemas)")


def write_schemas(out: Path, schemas: dict[str, str] | None = None) -> list[str]:
    """Write the schemas that differ into `out`; return their names."""
    from .write import atomic_write
    schemas = schemas or all_schemas()
    out.mkdir(parents=True, exist_ok=True)
    changed = [n for n, text in schemas.items()
               if not (out / n).is_file() or (out / n).read_text("utf-8") != text]
    for n in changed:
        atomic_write(out / n, schemas[n].encode("utf-8"))
    return changed


def run(args: argparse.Namespace) -> int:
    out: Path = (args.out or SCHEMA_DIR).resolve()
    schemas = all_schemas()
    status = 0
    if args.write:
        changed = write_schemas(out, schemas)
        print(f"wrote {len(changed)} of {len(schemas)} schemas in {out}")
    else:
        stale = [n for n, text in schemas.items()
                 if not (out / n).is_file() or (out / n).read_text("utf-8") != text]
        for n in stale:
            print(f"{out / n}:0:0: error: out of date with brief/fields.py",
                  file=sys.stderr)
        if stale:
            print("hint: run `python build.py schema --write` and commit schemas/",
                  file=sys.stderr)
            status = 1
        else:
            print(f"ok: the {len(schemas)} schemas in {out} match brief/fields.py")
    if args.modelines:
        root = args.brief.resolve()
        if not root.is_dir():
            print(f"error: {root} is not a folder", file=sys.stderr)
            return 2
        # The schemas go into the brief itself, so its modelines work wherever it lives
        # (its own repository, without the generator's checkout beside it).
        where = (args.out or root / "schemas").resolve()
        copied = write_schemas(where, schemas)
        if copied:
            print(f"wrote {len(copied)} schemas in {where}")
        files = brief_yaml_files(root)
        changed = [p for p, name in files if add_modeline(p, name, where)]
        for p in changed:
            print(f"added the schema line to {p.relative_to(root).as_posix()}")
        print(f"{len(changed)} of {len(files)} YAML files changed")
    return status
