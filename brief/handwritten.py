"""A brief's hand-written files in docs/: never overwritten, never able to run script.

What the generator wrote is listed in its manifest, `docs/.generated` (write.py); every
other file in docs/ is hand-written.

- Never overwritten (issue 10): a generated page whose path a hand-written file already
  holds is an error naming both. The check runs on the pages about to be written
  (fresh or from the cache) before anything is written. Only when there is a collision
  is the brief read again, to name the YAML line that makes the page.
- Never run (issue 14): MkDocs copies every file of docs/ that is not Markdown into the
  site as it is. A hand-written `docs/extra.html` with a `<script>`, an SVG or a `.js`
  file would then run in readers' browsers with the site's origin, past the sanitiser
  (which only sees Markdown pages' HTML). So hand-written files that a browser can run
  are refused, at their path: write the page in Markdown (`docs/extra.md`), whose HTML
  is sanitised. A symbolic link in docs/ that leads out of the brief is refused too:
  MkDocs would copy the file it points to, from anywhere on the machine, into the site.
"""
from __future__ import annotations

from pathlib import Path

from .models import Brief, Page
from .problems import Problems
from .write import MANIFEST, read_manifest

ACTIVE = (".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".js", ".mjs", ".xml", ".xsl")


def check_docs(root: Path, problems: Problems) -> None:
    docs = root / "docs"
    if not docs.is_dir():
        return
    generated = set(read_manifest(docs))
    base = root.resolve()
    for p in sorted(docs.rglob("*")):
        rel = p.relative_to(docs).as_posix()
        if rel in generated or any(part.startswith(".") for part in p.relative_to(docs).parts):
            continue  # MkDocs skips dot files, and so do we
        shown = f"docs/{rel}"
        if p.is_symlink():
            try:
                target = p.resolve(strict=True)
            except (OSError, RuntimeError):
                target = None
            if target is None or not (target == base or base in target.parents):
                problems.add(shown, 1, 1, "a symbolic link in docs/ that leads out of the brief "
                                          "(or nowhere) is not published",
                             hint="copy the file into docs/ instead of linking to it")
                continue
        if p.is_file() and p.suffix.lower() in ACTIVE:
            problems.add(shown, 1, 1, f"hand-written {p.suffix.lower()} files in docs/ are not "
                                      "published: a browser would run what they contain",
                         hint="write the page in Markdown (a .md file), whose HTML is "
                              "sanitised; or delete the file")


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
