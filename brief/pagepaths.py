"""Planning the generated pages' paths before rendering: no two may be the same.

Each source, entity and tag gets a page of its own beside its folder's index
(`sources/ID.md` next to `sources/index.md`), so an id such as `index` would make two
pages claim one path; the writer refuses that (like Pelican's), but by then the only
thing it can say is the path. This validation step runs with `--check` and reports
the collision at the file, line and column of the id that causes it.
"""
from __future__ import annotations

from .models import Brief
from .problems import Problems

# The pages every brief gets, and what they are, for messages (render.render_pages).
FIXED = {
    "index.md": "the home page",
    "timeline/index.md": "the timeline's index",
    "faq.md": "the FAQ page",
    "sources/index.md": "the list of all sources",
    "entities/index.md": "the who's who index",
    "tags/index.md": "the list of all tags",
    "data.md": "the Data page",
}


def planned_pages(brief: Brief) -> list[tuple[str, str, str, int, int, str]]:
    """(docs path, what, file, line, col, field) of every page that one item of the brief
    asks for; the fixed pages have no file."""
    out = [(path, what, "", 0, 0, "") for path, what in FIXED.items()]
    for src in brief.sources.values():
        out.append((f"sources/{src.id}.md", f"the page of source '{src.id}'", src.path, 1, 1,
                    "source file name"))
    for ent in brief.entities.values():
        out.append((f"entities/{ent.id}.md", f"the page of entity '{ent.id}'", ent.path,
                    getattr(ent.id, "line", ent.line), getattr(ent.id, "col", ent.col), "id"))
    seen: set[str] = set()
    for e in brief.events:
        for tag in e.tags:
            if tag not in seen:
                seen.add(tag)
                out.append((f"tags/{tag}.md", f"the page of tag '{tag}'", e.path,
                            getattr(tag, "line", e.line), getattr(tag, "col", e.col), "tags"))
    return out


def check_page_paths(brief: Brief, problems: Problems) -> None:
    claimed: dict[str, str] = {}
    for path, what, file, line, col, field in planned_pages(brief):
        key = path.casefold()
        if key not in claimed:
            claimed[key] = what
            continue
        name = path.rsplit("/", 1)[-1][:-3]
        problems.add(file or "brief.yml", line or 1, col or 1,
                     f"[{field}] '{name}' would make {what} overwrite {claimed[key]} "
                     f"(both are {path})",
                     hint=f"'{name}' is used by the site itself: choose another name, "
                          f"e.g. '{name}-1'" + (" (rename the file)" if field.startswith("source")
                                                else ""))
