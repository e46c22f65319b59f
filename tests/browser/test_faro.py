"""axe-core on the Spanish fixture brief (issue 11), light and dark: every page, with
its sources in English, French, Chinese and Arabic (lang, dir="rtl"), and the open
footnote tooltip of a translated quote."""
from __future__ import annotations

import pytest

from .test_accessibility import SCHEMES, axe_page, axe_violations


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violations_on_the_spanish_brief(faro_site, context_factory, axe_source,
                                                       scheme):
    page = axe_page(context_factory, axe_source, color_scheme=scheme)
    pages = [p for p in faro_site.pages if p != "dossier.html"]
    for must in ("", "timeline/", "faq/", "sources/", "sources/al-manara/",
                 "sources/dengta-ribao/"):
        assert must in pages, f"page {must!r} was not built"
    found = []
    for path in pages:
        page.goto(faro_site.url(path))
        assert page.evaluate("document.documentElement.lang") == "es"
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert shown == SCHEMES[scheme], f"{path}: colour scheme {shown}"
        found += axe_violations(page, axe_source, f"/{path}")
    # A footnote tooltip open on the home page: the Arabic quote and its translation.
    page.goto(faro_site.url(""))
    ref = page.locator('a.footnote-ref[href="#fn:5"]')
    ref.hover()
    tip = page.locator(".md-tooltip2--active")
    tip.wait_for()
    assert "Una asociación local pide" in tip.inner_text()
    assert tip.get_attribute("aria-label") == "Nota al pie"
    assert tip.locator('[lang="ar"][dir="rtl"]').count() >= 1
    found += axe_violations(page, axe_source, "/ (footnote tooltip)")
    assert not found, f"axe-core, {scheme} scheme, {len(pages)} pages:\n" + "\n".join(found)
