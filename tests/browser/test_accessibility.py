"""axe-core (node_modules/axe-core, all its default rules) on the built pages, in the light
and the dark colour scheme (Material follows prefers-color-scheme: mkdocs.yml's palette
has one entry per media query)."""
from __future__ import annotations

import pytest

SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material scheme

RUN_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n")[1])
  }));
}"""


def axe_page(context_factory, axe_source, **kwargs):
    """A page whose every document has axe-core from its start (a context init script:
    Playwright sends the 500 kB script once, not once per page as add_script_tag does)."""
    ctx = context_factory(**kwargs)
    ctx.add_init_script(axe_source)
    return ctx.new_page()


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violations(site, context_factory, axe_source, scheme):
    page = axe_page(context_factory, axe_source, color_scheme=scheme)
    # The one-file dossier is not a theme page (no palette): test_dossier.py runs axe on it.
    pages = [p for p in site.representative_pages() if p != "dossier.html"]
    for must in ("", "timeline/", "faq/", "sources/"):
        assert must in pages, f"page {must!r} was not built"
    found = []
    for path in pages:
        page.goto(site.url(path))
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert shown == SCHEMES[scheme], f"{path}: colour scheme {shown}, not {SCHEMES[scheme]}"
        for v in page.evaluate(RUN_AXE):
            found.append(f"/{path}: {v['id']} ({v['impact']}): {v['help']}\n    "
                         + "\n    ".join(v["nodes"][:5]))
    assert not found, f"axe-core, {scheme} scheme, {len(pages)} pages:\n" + "\n".join(found)


def settled(page) -> None:
    """Wait until the theme's CSS transitions have finished (colours mid-fade fail contrast)."""
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


def axe_violations(page, axe_source, where: str) -> list[str]:
    settled(page)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return [f"{where}: {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
            for v in page.evaluate(RUN_AXE)]


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violations_in_open_widgets(site, context_factory, axe_source, scheme):
    """The theme's widgets once opened: search with results, a footnote's tooltip, and on
    a phone the navigation drawer and the search."""
    event = site.brief.events[-1]
    word = event.title.split()[0]
    found = []
    for width in (1280, 390):
        page = axe_page(context_factory, axe_source, color_scheme=scheme,
                        viewport={"width": width, "height": 900})
        page.goto(site.url(site.item_url("event", event)))
        # The search is open when its toggle is checked (the phone's label checks it;
        # Material's script checks it when the input gets focus): on a loaded machine a
        # focus that comes before the script is ready opens nothing and the results stay
        # hidden, so the input is left and clicked again until the search is open.
        search = page.locator("input.md-search__input")
        for _attempt in range(10):
            if width < 600:
                page.locator("label.md-header__button[for='__search']").click()
            else:
                search.click()
            if page.locator("#__search").is_checked():
                break
            if width >= 600:
                search.blur()
            page.wait_for_timeout(300)
        assert page.locator("#__search").is_checked(), "the search did not open"
        page.locator("input.md-search__input").press_sequentially(word, delay=20)
        page.locator("a.md-search-result__link").first.wait_for()
        found += axe_violations(page, axe_source, f"{width} px, search open")
        page.keyboard.press("Escape")
        page.goto(site.url(site.item_url("event", event)))
        ref = page.locator("a.footnote-ref").first
        ref.scroll_into_view_if_needed()
        ref.hover()
        page.locator(".md-tooltip2").first.wait_for()
        found += axe_violations(page, axe_source, f"{width} px, footnote tooltip open")
        if width < 600:
            page.goto(site.url("faq/"))
            page.locator("label.md-header__button[for='__drawer']").click()
            page.locator(".md-sidebar--primary").wait_for()
            found += axe_violations(page, axe_source, f"{width} px, navigation drawer open")
    assert not found, f"axe-core, {scheme} scheme:\n" + "\n".join(found)
