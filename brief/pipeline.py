"""The pure part of a build: read -> validate -> resolve citations -> render.

Nothing here writes a file, so `--check`, live preview and tests can run it freely.
"""
from __future__ import annotations

from pathlib import Path

from .citations import resolve_citations
from .data import load_brief
from .models import Page
from .pagepaths import check_page_paths
from .problems import Problems
from .render import TemplateProblem, render_pages, start_downloads
from .readcache import ReadCache
from .rendermemo import RenderMemo


def generate(root: Path, problems: Problems, dossier_pdf: bool = False,
             memo: RenderMemo | None = None, cache: ReadCache | None = None
             ) -> list[Page] | None:
    """Return the pages to write, or None when the brief has errors (in `problems`).
    `dossier_pdf`: the pages include the dossier printed to PDF (`build.py dossier`).
    `cache` and `memo`: kept between calls by the live preview, which then parses again
    only the files whose bytes changed (brief/readcache.py) and renders again only the
    pages whose inputs changed (brief/rendermemo.py)."""
    brief = load_brief(Path(root), problems, cache=cache)
    # A full rendering begins the downloads now, on the other CPU (they need only the
    # brief); should the checks below fail, they are dropped.
    downloads = (start_downloads(brief) if memo is None and brief.settings is not None
                 and not problems.errors else None)
    check_page_paths(brief, problems)
    res = resolve_citations(brief, problems, cache=cache)
    if problems.errors or brief.settings is None:
        return None
    try:
        return render_pages(brief, res, dossier_pdf=dossier_pdf, memo=memo,
                            downloads=downloads)
    except TemplateProblem as exc:
        problems.items.append(exc.problem)
        return None
