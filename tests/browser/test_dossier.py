"""The one-file dossier (issue 15, brief/dossier.py): site/dossier.html is self-contained
(opens with every request refused), valid (Nu), accessible (axe, light and dark), and each
citation leads, inside the file, to a note and from it to the paragraph holding the quote.
`build.py dossier` adds the PDF, which the Data page then links."""
from __future__ import annotations

import html as html_lib
import json
import re
import shutil
from html.parser import HTMLParser
from io import BytesIO

import pytest
from pypdf import PdfReader

from brief.citations import normalise

from conftest import run_build

from .conftest import MINI
from .test_accessibility import RUN_AXE, SCHEMES, settled


class _Doc(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.text_by_id: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
            self.text_by_id[a["id"]] = []
        for name in ("src", "srcset", "data", "poster"):
            if a.get(name):
                self.srcs.append(f"{tag} {name}={a[name]}")
        if tag == "link":
            self.srcs.append(f"link {a.get('href')}")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag not in ("meta", "link", "br", "hr", "img", "input"):
            self._open.append((tag, a.get("id")))

    def handle_endtag(self, tag):
        while self._open:
            t, _ = self._open.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, ident in self._open:
            if ident:
                self.text_by_id[ident].append(data)


def read_dossier(site) -> tuple[str, _Doc]:
    html = (site.site_dir / "dossier.html").read_text(encoding="utf-8")
    doc = _Doc()
    doc.feed(html)
    return html, doc


def test_every_link_inside_the_dossier_resolves_and_each_note_reaches_its_quote(site):
    html, doc = read_dossier(site)
    inside = [h[1:] for h in doc.hrefs if h.startswith("#")]
    missing = sorted({h for h in inside if h not in doc.ids})
    assert not missing, f"links to ids not in the file: {missing}"
    # Nothing else is linked but the originals of the sources (http/https).
    others = [h for h in doc.hrefs if not h.startswith("#")]
    assert all(re.match(r"https?://", h) for h in others), others
    assert not doc.srcs, f"the file loads something: {doc.srcs}"
    # Every citation of the brief has a note whose link lands on the paragraph holding
    # its quote (the appendix paragraph's text contains the quote).
    quotes = {(c.source, c.quote) for item in [*site.brief.events, *site.brief.faq,
                                               *site.brief.entities.values(),
                                               *site.brief.settings.key_points,
                                               *site.brief.settings.lede,
                                               *site.brief.settings.sources_note]
              for c in item.citations}
    notes = re.findall(r'<li id="note-(\d+)">(.*?)</li>', html, re.S)
    assert len(notes) == len(quotes)
    for number, body in notes:
        target = re.search(r'<a href="#([^"]+)">', body).group(1)
        assert target in doc.ids
        # (the original, perhaps in a <span lang>, then perhaps its translation)
        quote = re.search(r"“(.*?)”(?= \(translation| <a href)", body, re.S)
        if quote:
            text = "".join(doc.text_by_id[target])
            q = normalise(html_lib.unescape(re.sub(r"<[^>]+>", "", quote.group(1))))
            assert q in normalise(text), f"note {number}: {q!r} not in #{target}: {text!r}"
    # And each reference in the text links to a note that exists.
    refs = re.findall(r'<sup class="refs">(.*?)</sup>', html, re.S)
    assert refs and all(re.fullmatch(r'(<a href="#note-\d+">\d+</a>(, )?)+', r) for r in refs)
    # Overview, timeline, FAQ, who's who, appendix.
    for part in ("overview", "timeline", "faq", "whos-who", "notes", "appendix"):
        assert part in doc.ids
    for e in site.brief.events:
        assert f"event-{e.id}" in doc.ids
    for q in site.brief.faq:
        assert f"faq-{q.id}" in doc.ids


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_the_dossier_opens_offline_and_axe_finds_no_violations(site, context_factory,
                                                                axe_source, scheme):
    ctx = context_factory(color_scheme=scheme)
    requested: list[str] = []

    def refuse(route):
        requested.append(route.request.url)
        route.abort()

    ctx.route("**/*", refuse)
    page = ctx.new_page()
    page.set_content((site.site_dir / "dossier.html").read_text(encoding="utf-8"))
    assert not requested, f"the dossier requested {requested}"
    # Its inline style applies (the SVG drawings and headings are styled, not bare).
    assert page.locator("svg").first.bounding_box()["width"] > 100
    settled(page)
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE)
    assert not violations, json.dumps(violations, indent=1)[:3000]
    # A citation link moves to its note, the note's link to the paragraph.
    page.locator("sup.refs a").first.click()
    note = page.evaluate("location.hash")
    assert re.fullmatch(r"#note-\d+", note)
    page.locator(f"{note} a").first.click()
    assert page.evaluate("document.querySelector(location.hash) !== null")


def test_the_dossier_passes_the_nu_html_checker(site, nu_report):
    # The site's one Nu run (conftest.nu_report) checked the dossier with the other pages;
    # its messages (and only those: no error at all, not even the theme's) are the dossier's.
    dossier = str(site.site_dir / "dossier.html")
    assert dossier in nu_report.files
    messages = [m for m in nu_report.messages if m.get("url", "").endswith("/site/dossier.html")]
    assert not messages, messages
    # Every message names its file: none can be the dossier's without saying so.
    assert all(m.get("url", "").startswith("file:") for m in nu_report.messages), \
        nu_report.messages


def test_build_dossier_adds_the_pdf_with_page_numbers_and_the_data_page_links_it(tmp_path):
    root = tmp_path / "brief"
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("docs", "site"))
    done = run_build("dossier", str(root), timeout=600)
    assert done.returncode == 0, done.stderr
    assert "dossier.pdf" in done.stdout
    pdf = (root / "site" / "dossier.pdf").read_bytes()
    reader = PdfReader(BytesIO(pdf))
    pages = [p.extract_text() for p in reader.pages]
    total = len(pages)
    assert total >= 2
    for i, text in enumerate(pages, 1):
        assert f"{i} / {total}" in text, f"page {i} has no page number"
    text = " ".join(" ".join(pages).split())
    assert "Appendix: the cited paragraphs" in text
    assert "¶1 of Towns sign harbour deal" in text
    data = (root / "site" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../dossier.pdf"' in data and 'href="../dossier.html"' in data
    # A plain build afterwards: the HTML stays, the PDF (and its link) go.
    done = run_build(str(root), timeout=600)
    assert done.returncode == 0, done.stderr
    assert not (root / "site" / "dossier.pdf").exists()
    data = (root / "site" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../dossier.pdf"' not in data and 'href="../dossier.html"' in data
