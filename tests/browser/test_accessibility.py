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


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violations(site, context_factory, axe_source, scheme):
    page = context_factory(color_scheme=scheme).new_page()
    pages = site.representative_pages()
    for must in ("", "timeline/", "faq/", "sources/"):
        assert must in pages, f"page {must!r} was not built"
    found = []
    for path in pages:
        page.goto(site.url(path))
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert shown == SCHEMES[scheme], f"{path}: colour scheme {shown}, not {SCHEMES[scheme]}"
        page.add_script_tag(content=axe_source)
        for v in page.evaluate(RUN_AXE):
            found.append(f"/{path}: {v['id']} ({v['impact']}): {v['help']}\n    "
                         + "\n    ".join(v["nodes"][:5]))
    assert not found, f"axe-core, {scheme} scheme, {len(pages)} pages:\n" + "\n".join(found)
