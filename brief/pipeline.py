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
from .render import TemplateProblem, render_pages
from .rendermemo import RenderMemo


def generate(root: Path, problems: Problems, dossier_pdf: bool = False,
             memo: RenderMemo | None = None) -> list[Page] | None:
    """Return the pages to write, or None when the brief has errors (in `problems`).
    `dossier_pdf`: the pages include the dossier printed to PDF (`build.py dossier`).
    `memo`: kept between calls by the live preview, which then renders again only the
    pages whose inputs changed (brief/rendermemo.py)."""
    brief = load_brief(Path(root), problems)
    check_page_paths(brief, problems)
    res = resolve_citations(brief, problems)
    if problems.errors or brief.settings is None:
        return None
    try:
        return render_pages(brief, res, dossier_pdf=dossier_pdf, memo=memo)
    except TemplateProblem as exc:
        problems.items.append(exc.problem)
        return None
