"""Hand-written pages in docs/ are never overwritten: a generated page whose path a
hand-written file already holds is an error naming both.

What the generator wrote is listed in its manifest, `docs/.generated` (write.py); every
other file in docs/ is hand-written. The check runs on the pages about to be written
(fresh or from the cache) before anything is written. Only when there is a collision is
the brief read again, to name the YAML line that makes the page.
"""
from __future__ import annotations

from pathlib import Path

from .models import Brief, Page
from .problems import Problems
from .write import MANIFEST, read_manifest


def collisions(docs: Path, pages: list[Page]) -> list[str]:
    """Paths of pages that would replace a file the generator did not write."""
    if not docs.is_dir():
        return []
    generated = set(read_manifest(docs))
    # Even a file with the same content: once in the manifest it would be removed later.
    return [p.path for p in pages if p.path not in generated and (docs / p.path).exists()]


def origin(brief: Brief | None, path: str) -> tuple[str, int, int, str]:
    """(file, line, col, what) of the input that makes the page at `path`."""
    parts = path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if brief is not None:
        if parts[0] == "tags" and stem != "index":
            for e in brief.events:
                if stem in e.tags:
                    return e.path, e.line, e.col, f"the tag '{stem}' of event '{e.id}'"
        if parts[0] == "timeline" and stem[:4].isdigit():
            for e in brief.events:
                if str(e.date.year) == stem[:4]:
                    return e.path, e.line, e.col, f"event '{e.id}' (dated {stem[:4]})"
        if parts[0] == "sources" and stem in brief.sources:
            return brief.sources[stem].path, 1, 1, f"source '{stem}'"
        if parts[0] == "entities" and stem in brief.entities:
            ent = brief.entities[stem]
            return ent.path, ent.line, ent.col, f"entity '{stem}'"
        if parts[0].startswith("faq") and brief.faq:
            q = brief.faq[0]
            return q.path, q.line, q.col, "the FAQ"
    return "brief.yml", 1, 1, "the generator's fixed pages"


def check_hand_written(root: Path, pages: list[Page], problems: Problems) -> None:
    """Report each generated page that would overwrite a hand-written file in docs/."""
    clashes = collisions(root / "docs", pages)
    if not clashes:
        return
    from .data import load_brief

    brief = load_brief(root, Problems())
    for path in clashes:
        where, line, col, what = origin(brief, path)
        problems.add(where, line, col,
                     f"{what} makes the page docs/{path}, but docs/{path} is a hand-written "
                     f"file (not in docs/{MANIFEST}); it is never overwritten",
                     hint=f"rename or move docs/{path}, or change what makes the page")
