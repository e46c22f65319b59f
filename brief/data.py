"""Reading a whole brief from its folder into a `Brief`, collecting every problem.

Layout (paths relative to the brief's root):
    brief.yml                 settings
    sources/articles/ID.md    one source article per file; ID is its id
    sources/events/*.yml      lists of timeline events
    sources/faq/*.yml         lists of FAQ entries
    sources/entities.yml      people and organisations (optional)
"""
from __future__ import annotations

import os
from pathlib import Path

from . import fields as F
from .dates import BriefDate
from .edtf import plain
from .models import Brief, Entity, Event, FaqEntry, KeyPoint, Settings, Source
from .problems import Problems
from .inputs import read_input
from .parallelread import MIN_BYTES, BackgroundReads, child_share, cpu_to_spare
from .readcache import ReadCache
from .sources import read_source
from .validate import Checker, did_you_mean, find_placeholder
from .yamlfile import Map, Scalar, Seq, read_yaml

SETTINGS_FILE = "brief.yml"
ARTICLES_DIR = "sources/articles"
EVENTS_DIR = "sources/events"
FAQ_DIR = "sources/faq"
ENTITIES_FILE = "sources/entities.yml"
# Notes for the brief's editors (e.g. a fact-check review), kept beside the sources on
# purpose: never read, never warned about.
NOTES_FILES = {"sources/README.md", "sources/REVIEW.md"}


def _rel(root: Path, p: Path) -> str:
    return p.relative_to(root).as_posix()


def _yaml_files(root: Path, folder: str) -> list[Path]:
    d = root / folder
    return sorted(p for p in d.glob("*") if p.suffix in (".yml", ".yaml")) if d.is_dir() else []


def _check_unexpected(root: Path, problems: Problems) -> None:
    """Files under sources/ that no reader picks up would be silently ignored: say so."""
    known = {(ARTICLES_DIR, ".md"), (EVENTS_DIR, ".yml"), (EVENTS_DIR, ".yaml"),
             (FAQ_DIR, ".yml"), (FAQ_DIR, ".yaml")}
    src = root / "sources"
    if not src.is_dir():
        return
    found = []  # (the path's parts, its folder, its suffix); os.walk, not Path.rglob: it
    for dirpath, _dirs, names in os.walk(src):  # runs on every save in the preview
        folder = "/".join(("sources", *Path(dirpath).relative_to(src).parts))
        found += [((*folder.split("/"), n), folder, os.path.splitext(n)[1])
                  for n in names if not n.startswith(".")]
    for parts, folder, suffix in sorted(found):
        rel = "/".join(parts)
        if rel == ENTITIES_FILE or rel in NOTES_FILES or (folder, suffix) in known:
            continue
        problems.add(rel, 1, 1, "this file is not read by the build",
                     hint="articles go in sources/articles/*.md, events in sources/events/*.yml, "
                          "FAQ entries in sources/faq/*.yml, people and organisations in "
                          "sources/entities.yml", severity="warning")


_EMPTY_LIST = ("the file is empty: add the {what} to it (a list, each starting with "
               "'{example}'), or delete the file")


def _read_list(root: Path, path: Path, record: F.Record, build, problems: Problems,
               cache: ReadCache | None) -> list:
    """`build(rel, node, data)` of each entry of a list file (from `cache` when the
    file's bytes are the ones it saw)."""
    rel = _rel(root, path)
    data = read_input(root, path, rel, problems)
    if data is None:
        return []

    def compute() -> list:
        return [build(r, node, d) for r, node, d in _list_file(rel, data, record, problems)]

    return compute() if cache is None else cache.read(record.name, rel, data, problems, compute)


def _list_file(rel: str, data: bytes, record: F.Record, problems: Problems):
    node = read_yaml(data, rel, problems, empty=_EMPTY_LIST.format(
        what=f"{record.name} entries", example="- id: ..."))
    if node is None:
        return
    if not isinstance(node, Seq):
        problems.add(rel, node.line, node.col,
                     f"expected a list of {record.name} entries, each starting with '- id: ...'")
        return
    check = Checker(rel, problems)
    for item in node.items:
        idnode = item.pairs.get("id", (None, None))[1] if isinstance(item, Map) else None
        where = f"{record.name} '{idnode.value}'" if isinstance(idnode, Scalar) else ""
        if isinstance(idnode, Scalar) and find_placeholder(idnode.value):
            where = f"new {record.name}"  # its id is reported as a placeholder
        data = check.record(item, record, where)
        cnode = item.pairs.get("citations", (None, None))[1] if isinstance(item, Map) else None
        # (citations that are there but invalid are reported where they are, not as none)
        if data is not None and data.get("citations") == [] and not (
                isinstance(cnode, Seq) and cnode.items):
            problems.add(rel, item.line, item.col, f"'{data.get('id', '?')}' has no citations",
                         hint="every claim cites at least one source: add citations: - source: ...")
        if data is not None and "id" in data:
            # An entry with errors is still yielded (with stand-ins for what is missing;
            # the errors stop the build anyway) so that its citations are checked too.
            yield rel, item, data


def _unique(items, kind: str, problems: Problems) -> None:
    seen: dict[str, tuple[str, int]] = {}
    for item in items:
        key = item.id.casefold()
        if key in seen:
            path, line = seen[key]
            problems.add(item.path, item.line, item.col, f"duplicate {kind} id '{item.id}'",
                         hint=f"already used at {path}:{line}; ids must be unique")
        else:
            seen[key] = (item.path, item.line)


def load_settings(root: Path, problems: Problems) -> Settings | None:
    path = root / SETTINGS_FILE
    if not path.exists() and not path.is_symlink():
        problems.add(SETTINGS_FILE, 1, 1, "the brief's settings file is missing",
                     hint="create brief.yml with title, description and lede (see the README)")
        return None
    data = read_input(root, path, SETTINGS_FILE, problems)
    if data is None:
        return None
    node = read_yaml(data, SETTINGS_FILE, problems,
                     empty="the file is empty: write the brief's title, description and lede "
                           "in it (see the README)")
    if node is None:
        return None
    data = Checker(SETTINGS_FILE, problems).record(node, F.SETTINGS)
    if data is None or not all(f.name in data for f in F.SETTINGS.fields if f.required):
        return None
    kp_node = node.pairs.get("key_points", (None, None))[1]
    for i, kp in enumerate(data.get("key_points", [])):
        if kp.get("citations") == [] and isinstance(kp_node, Seq):
            at = kp_node.items[i]
            cnode = at.pairs.get("citations", (None, None))[1] if isinstance(at, Map) else None
            if isinstance(cnode, Seq) and cnode.items:
                continue  # there are citations; their own errors say what is wrong
            problems.add(SETTINGS_FILE, at.line, at.col, f"key point {i + 1} has no citations",
                         hint="every claim cites at least one source: add citations: - source: ...")
    return Settings(
        title=data["title"], description=data["description"], lede=data["lede"],
        language=data.get("language", "en"),
        key_points=[KeyPoint(k["text"], k["citations"]) for k in data.get("key_points", [])
                    if "text" in k and "citations" in k],
        sources_note=data.get("sources_note", []),
        site_url=data.get("site_url", ""),
        palette=data.get("palette", ""),
    )


def load_sources(root: Path, problems: Problems,
                 cache: ReadCache | None = None) -> dict[str, Source]:
    out: dict[str, Source] = {}
    folder = root / ARTICLES_DIR
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not files:
        problems.add(ARTICLES_DIR, 1, 1, "the brief has no source articles",
                     hint="add one Markdown file per article under sources/articles/")
    seen: dict[str, str] = {}
    for p in files:
        rel = _rel(root, p)
        sid = p.stem
        if len(sid) > F.ID_MAX or not F.ID_RE.match(sid):
            problems.add(rel, 1, 1, f"'{sid}' is not a valid source id (the file name is the id)",
                         hint="rename the file using lower-case letters, digits and hyphens")
            continue
        if sid in F.RESERVED_IDS:
            problems.add(rel, 1, 1, f"'{sid}' is a reserved file name on Windows",
                         hint=f"rename the file, e.g. to '{sid}-1.md' (the file name is the id)")
            continue
        if sid.casefold() in seen:
            problems.add(rel, 1, 1, f"duplicate source id '{sid}'", hint=f"also {seen[sid]}")
            continue
        seen[sid.casefold()] = rel
        data = read_input(root, p, rel, problems)
        if data is None:
            continue
        if cache is None:
            src = read_source(data, rel, sid, problems)
        else:
            src = cache.read("source", rel, data, problems,
                             lambda: read_source(data, rel, sid, problems))
        if src is not None:
            out[sid] = src
    return out


def _child_share(root: Path, event_files: list[Path]) -> int:
    """How many events files to read in a child (parallelread.child_share), from sizes
    (a guess only: a file that cannot be read counts as empty)."""
    def size(path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0
    sizes = [size(p) for p in event_files]
    if sum(sizes) < MIN_BYTES or not cpu_to_spare():
        return 0
    try:
        with os.scandir(root / ARTICLES_DIR) as entries:
            articles = sum(size(e) for e in entries)
    except OSError:
        articles = 0
    return child_share(sizes, articles)


def _event(rel: str, node, d: dict) -> Event:
    return Event(
        id=d["id"], date=d.get("date") or plain(BriefDate(1)), title=d.get("title", ""),
        summary=d.get("summary", []), citations=d.get("citations", []), path=rel, line=node.line, col=node.col, tags=d.get("tags", []),
        entities=d.get("entities", []), place=d.get("place", ""),
        date_note=d.get("date_note", ""), sort_after=d.get("sort_after", ""))


def _faq_entry(rel: str, node, d: dict) -> FaqEntry:
    return FaqEntry(id=d["id"], question=d.get("question", ""),
                    answer=d.get("answer", []), citations=d.get("citations", []), path=rel, line=node.line,
                    col=node.col, entities=d.get("entities", []))


def _entity(rel: str, node, d: dict) -> Entity:
    return Entity(id=d["id"], name=d.get("name", ""), kind=d.get("kind", ""),
                  role=d.get("role", ""), citations=d.get("citations", []), path=rel, line=node.line,
                  col=node.col, aliases=d.get("aliases", []))


def load_brief(root: Path, problems: Problems, cache: ReadCache | None = None) -> Brief:
    """Read and validate everything that can be read; problems go to `problems`.
    With `cache` (the live preview's), files whose bytes it has seen are not parsed
    again (brief/readcache.py); the result and the problems are the same."""
    root = Path(root)
    if cache is not None:
        cache.start()
    event_files = _yaml_files(root, EVENTS_DIR)
    # The last events files are read on the second CPU meanwhile (parallelread.py), but
    # not with a cache: the live preview re-reads one file, not thousands.
    later = None
    share = _child_share(root, event_files) if cache is None else 0
    if share:
        later = BackgroundReads(
            lambda path, found: _read_list(root, path, F.EVENT, _event, found, None),
            event_files[-share:])
        event_files = event_files[:-share]
    settings = load_settings(root, problems)
    sources = load_sources(root, problems, cache)

    events: list[Event] = []
    for p in event_files:
        events += _read_list(root, p, F.EVENT, _event, problems, cache)
    if later is None and not _yaml_files(root, EVENTS_DIR):  # (a child reads events files)
        problems.add(EVENTS_DIR, 1, 1, "the brief has no events files",
                     hint="add a YAML list of events under sources/events/")
    # While the child reads the last events files, the FAQ and the entities are read
    # here; their problems are added after the events' (the order of a one-CPU reading).
    rest = Problems() if later is not None else problems
    faq: list[FaqEntry] = []
    for p in _yaml_files(root, FAQ_DIR):
        faq += _read_list(root, p, F.FAQ, _faq_entry, rest, cache)

    entities: dict[str, Entity] = {}
    if (root / ENTITIES_FILE).exists() or (root / ENTITIES_FILE).is_symlink():
        for ent in _read_list(root, root / ENTITIES_FILE, F.ENTITY, _entity, rest, cache):
            entities.setdefault(ent.id, ent)
    if later is not None:
        events += later.replay(problems)
        problems.items.extend(rest.items)
        problems.lines.update(rest.lines)
    if cache is not None:
        cache.finish()

    _unique(events, "event", problems)
    _unique(faq, "FAQ", problems)
    _check_entity_refs(events + faq, entities, problems)
    _check_unexpected(root, problems)

    # The brief is returned even when it has errors, so that citations can still be
    # checked and every problem of the run reported at once; rendering needs no errors.
    events = order_events(events, problems)
    return Brief(root, settings, sources, events, faq, entities)


def order_events(events: list[Event], problems: Problems) -> list[Event]:
    """Events in reading order: by the first day their date can stand for, then the
    last, then id (edtf.When.sort_key); then each event with `sort_after: ID` is moved
    to just after that event (after the events already placed after it). An unknown
    id, a cycle, or an order the dates make impossible is an error at its line."""
    events = sorted(events, key=lambda e: e.sort_key)
    by_id = {e.id: e for e in events}
    followers: dict[str, list[Event]] = {}
    for e in events:
        if not e.sort_after:
            continue
        at = (getattr(e.sort_after, "line", e.line), getattr(e.sort_after, "col", e.col))
        target = by_id.get(e.sort_after)
        if target is None:
            problems.add(e.path, *at, f"[sort_after] unknown event '{e.sort_after}'",
                         did_you_mean(e.sort_after, by_id) or "give the id of another event")
            continue
        if target is e:
            problems.add(e.path, *at, "[sort_after] an event cannot follow itself",
                         "give the id of the event this one follows")
            continue
        if e.date.latest and target.date.earliest and target.date.earliest > e.date.latest:
            problems.add(e.path, *at,
                         f"[sort_after] '{e.id}' ({e.date.iso}) cannot follow "
                         f"'{target.id}' ({target.date.iso}): its date ends before that "
                         "event's begins", "check both dates, or remove sort_after")
            continue
        followers.setdefault(target.id, []).append(e)
    moved = {e.id for fs in followers.values() for e in fs}
    out: list[Event] = []
    placing: set[str] = set()

    def place(e: Event) -> None:
        placing.add(e.id)
        out.append(e)
        for f in followers.get(e.id, []):
            if f.id not in placing:
                place(f)

    for e in events:
        if e.id not in moved:
            place(e)
    for e in events:  # only events in a cycle are left
        if e.id not in placing:
            problems.add(e.path, getattr(e.sort_after, "line", e.line),
                         getattr(e.sort_after, "col", e.col),
                         f"[sort_after] '{e.id}' is part of a cycle of sort_after",
                         "one of the events in the cycle must not say sort_after")
            place(e)
    return out


def _check_entity_refs(items, entities, problems: Problems) -> None:
    for item in items:
        for name in item.entities:
            if name not in entities:
                hint = did_you_mean(name, entities) or (
                    "add it to sources/entities.yml" if entities else
                    "create sources/entities.yml and describe it there")
                problems.add(item.path, getattr(name, "line", item.line), getattr(name, "col", 1),
                             f"[entities] unknown entity '{name}'", hint)
