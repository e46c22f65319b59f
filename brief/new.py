"""`build.py new event|faq [--id ID] [--file FILE] [BRIEF]`: start a new entry.

Appends a skeleton with every required field to the end of the right file, as text:
the file's comments and formatting are kept as they are (the YAML is never loaded
and dumped again). Each value the researcher has to supply is a placeholder starting
with TODO, which the build reports as an error at its line until it is replaced.

The right file: `--file`, else for an event the events file whose latest date is the
latest (new events are usually the newest), for a FAQ entry sources/faq/faq.yml or
the last FAQ file; when the brief has none, sources/events/events.yml or
sources/faq/faq.yml is created, with the line naming its JSON Schema.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import fields as F
from .data import EVENTS_DIR, FAQ_DIR
from .edtf import parse_edtf
from .problems import Problems
from .schema import modeline
from .write import atomic_write
from .yamlfile import Map, Scalar, Seq, read_yaml

KINDS = {"event": (F.EVENT, EVENTS_DIR, "events"), "faq": (F.FAQ, FAQ_DIR, "faq")}

# What to write instead of each placeholder, where the field's description is not
# the best hint.
_HINTS = {
    "id": "a unique id: lower-case letters, digits and hyphens",
    "date": "YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source",
    "source": "the id of the cited source (its file name without .md)",
    "quote": "words copied exactly from one paragraph of the source, or delete this line",
}


def _placeholder(field: F.Field) -> str:
    what = _HINTS.get(field.name, field.description.rstrip("."))
    return json.dumps(f"{F.PLACEHOLDER}: {what}", ensure_ascii=False)


def skeleton(record: F.Record, entry_id: str | None, indent: str = "") -> str:
    """The text of one list entry with every required field (and a citation's quote)."""
    lines: list[str] = []
    for f in record.fields:
        if not f.required:
            continue
        lead = f"{indent}- " if not lines else f"{indent}  "
        if f.name == "id" and entry_id:
            lines.append(f"{lead}id: {entry_id}")
        elif f.kind == "list:record:citation":
            lines.append(f"{lead}{f.name}:")
            # source and quote: via and stance are optional, written only where needed
            for i, cf in enumerate(f for f in F.CITATION.fields if f.name in ("source", "quote")):
                cite_lead = f"{indent}    - " if i == 0 else f"{indent}      "
                lines.append(f"{cite_lead}{cf.name}: {_placeholder(cf)}")
        else:
            lines.append(f"{lead}{f.name}: {_placeholder(f)}")
    return "\n".join(lines) + "\n"


def _latest_date(path: Path) -> tuple:
    node = read_yaml(path.read_bytes(), path.name, Problems())
    best: tuple = ()
    if isinstance(node, Seq):
        for item in node.items:
            d = item.pairs.get("date", (None, None))[1] if isinstance(item, Map) else None
            if isinstance(d, Scalar):
                date, _, _ = parse_edtf(d.value)
                if date is not None and date.sort_key() > best:
                    best = date.sort_key()
    return best


def default_file(root: Path, kind: str) -> Path:
    _, folder, stem = KINDS[kind]
    d = root / folder
    files = sorted(p for p in d.glob("*") if p.suffix in (".yml", ".yaml")) if d.is_dir() else []
    if not files:
        return d / f"{stem}.yml"
    if kind == "event":
        # max() keeps the first of equals; files are sorted, so prefer the last of equals
        return max(reversed(files), key=_latest_date)
    return d / f"{stem}.yml" if (d / f"{stem}.yml").is_file() else files[-1]


def _existing_ids(path: Path, rel: str, problems: Problems) -> tuple[set[str], str] | None:
    """The ids in a list file and the indentation of its entries; None if it cannot be
    appended to (problems say why)."""
    text = path.read_bytes()
    node = read_yaml(text, rel, problems)
    if problems.errors:
        return None
    if node is None:  # empty, or only comments
        return set(), ""
    if not isinstance(node, Seq):
        problems.add(rel, node.line, node.col, "cannot append: the file is not a list of entries",
                     hint="each entry starts with '- id: ...'")
        return None
    if text.decode("utf-8", "replace").split("\n")[node.line - 1][node.col - 1:].startswith("["):
        problems.add(rel, node.line, node.col, "cannot append to a list written in [brackets]",
                     hint="write one '- id: ...' entry per line, or use --file")
        return None
    ids = set()
    for item in node.items:
        idnode = item.pairs.get("id", (None, None))[1] if isinstance(item, Map) else None
        if isinstance(idnode, Scalar):
            ids.add(idnode.value.casefold())
    return ids, " " * (node.col - 1)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=sorted(KINDS), help="what to add")
    p.add_argument("brief", nargs="?", default=".", type=Path,
                   help="the brief's folder (default: the current folder)")
    p.add_argument("--id", dest="entry_id", default=None,
                   help="the new entry's id (default: a TODO placeholder)")
    p.add_argument("--file", type=Path, default=None,
                   help="the file to append to, relative to BRIEF (default: see the README)")
    # `new faq --id x BRIEF`: positionals on both sides of the options
    p.parse_args = lambda args=None, namespace=None: argparse.ArgumentParser.parse_intermixed_args(
        p, args, namespace)


def run(args: argparse.Namespace) -> int:
    root = args.brief.resolve()
    if not root.is_dir():
        print(f"error: {root} is not a folder", file=sys.stderr)
        return 2
    record, folder, _ = KINDS[args.kind]
    if args.entry_id is not None and (len(args.entry_id) > F.ID_MAX
                                      or not F.ID_RE.match(args.entry_id)):
        print(f"error: --id '{args.entry_id}' is not a valid id: use lower-case letters, "
              f"digits and single hyphens, at most {F.ID_MAX} characters", file=sys.stderr)
        return 2
    path = (root / args.file) if args.file else default_file(root, args.kind)
    path = path.resolve()
    if path.parent != (root / folder).resolve() or path.suffix not in (".yml", ".yaml"):
        print(f"error: {path} is not read by the build: {args.kind} entries go in "
              f"{folder}/*.yml", file=sys.stderr)
        return 2
    rel = path.relative_to(root).as_posix()
    if path.is_file():
        problems = Problems()
        found = _existing_ids(path, rel, problems)
        if found is None:
            for p in problems.sorted():
                print(p.format(), file=sys.stderr)
            return 1
        ids, indent = found
        if args.entry_id and args.entry_id.casefold() in ids:
            print(f"error: {rel} already has an entry with id '{args.entry_id}': "
                  "ids must be unique", file=sys.stderr)
            return 1
        old = path.read_bytes()
        newline = "\r\n" if b"\r\n" in old else "\n"
        lead = "" if not old or old.endswith(b"\n") else newline
        sep = newline if old.strip() else ""
        first_line = old.count(b"\n") + (1 if lead else 0) + (1 if sep else 0) + 1
        text = skeleton(record, args.entry_id, indent).replace("\n", newline)
        atomic_write(path, old + (lead + sep + text).encode("utf-8"))
    else:
        from .schema import DOCUMENTS
        schema_name = next(n for n, d in DOCUMENTS.items() if d[2] is record)
        head = modeline(path, schema_name) + "\n"
        text = skeleton(record, args.entry_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, (head + text).encode("utf-8"))
        first_line = 2
    n_todo = text.count(F.PLACEHOLDER)
    print(f"{rel}:{first_line}:1: added a new {args.kind} skeleton: replace its {n_todo} "
          f"{F.PLACEHOLDER} value(s); `python build.py --check` lists what is left")
    return 0
