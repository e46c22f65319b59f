"""What a brief's hand-written files in docs/ may be.

MkDocs copies every file of docs/ that is not Markdown into the site as it is. A
hand-written `docs/extra.html` with a `<script>`, an SVG or a `.js` file would then
run in readers' browsers with the site's origin, past the sanitiser (which only sees
Markdown pages' HTML). So hand-written files that a browser can run are refused, at
their path: write the page in Markdown (`docs/extra.md`), whose HTML is sanitised.
A symbolic link in docs/ that leads out of the brief is refused too: MkDocs would
copy the file it points to, from anywhere on the machine, into the site.
Files that build.py generated (listed in docs/.generated) are not hand-written.
"""
from __future__ import annotations

from pathlib import Path

from .problems import Problems
from .write import read_manifest

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
