"""No injection, end to end: hostile text in every field is shown as text, never run.

A brief whose every text field (settings, source metadata, source text, events, FAQ,
entities) carries script tags, `javascript:` links, `on*` attributes, Markdown attribute
lists, Jinja syntax, snippet markers and Markdown/HTML syntax is built with build.py;
then every generated HTML page is parsed: no <script> that the theme does not put in a
clean build, no href/src starting with javascript: or data:, no on* or style attribute,
and each hostile string is there, as visible text, exactly as typed. The second layer
(brief/sanitize.py) is checked on its own and on a hand-written page, where escaping
does not apply.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MINI, REPO, make_brief, run_build

from brief.sanitize import sanitize

PAYLOADS = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    '{: onclick="alert(1)" }',
    "{{ 7*7 }}",
    "{% raw %}",
    "**bold**",
    "[^1]",
    "<!-- hidden -->",
    "&lt;",
    '--8<-- "README.md"',
    '<a href="javascript:alert(1)">j</a>',
    "![i](data:text/html;base64,PHNjcmlwdD4=)",
    "<https://example.org/autolink>",
    "<svg onload=alert(1)>",
    "`code`",
    "| a | b |",
]
PAYLOAD = " ".join(PAYLOADS)


def hostile(marker: str) -> str:
    """The payload after a marker naming the field, as one YAML double-quoted scalar."""
    return json.dumps(f"{marker} {PAYLOAD}")


def hostile_files() -> dict[str, str]:
    h = hostile
    return {
        "brief.yml": f"""title: {h("BT")}
description: {h("BD")}
lede: {h("BL")}
key_points:
  - text: {h("BK")}
    citations:
      - source: alpha-gazette
        quote: {json.dumps("Body " + PAYLOAD)}
sources_note: {h("BN")}
""",
        "sources/articles/alpha-gazette.md": f"""---
title: {h("AT")}
publisher: {h("AP")}
author: {h("AA")}
url: https://example.org/alpha/harbour-deal
published: 2024-03-15
published_note: {h("AN")}
retrieved: 2024-04-01
language: en
note: {h("AO")}
---
The mayors of Northport and Southport signed the harbour agreement on Friday.

# AH {PAYLOAD}

Body {PAYLOAD}

{chr(10).join(PAYLOADS)}
""",
        "sources/events/events.yml": f"""- id: hostile-event
  date: 2024-03
  title: {h("ET")}
  summary: {h("ES")}
  place: {h("EP")}
  date_note: {h("EN")}
  entities: [hostile-entity]
  citations:
    - source: alpha-gazette
      quote: {json.dumps("Body " + PAYLOAD)}
    - source: beta-herald
      quote: equal use of the pier
- id: path-title
  date: 2024-04
  title: ../../etc/passwd
  summary: A title that looks like a path.
  citations:
    - source: beta-herald
""",
        "sources/faq/faq.yml": f"""- id: hostile-question
  question: {h("FQ")}
  answer: {h("FA")}
  citations:
    - source: alpha-gazette
      quote: signed the harbour agreement
""",
        "sources/entities.yml": f"""- id: hostile-entity
  name: {h("NN")}
  kind: person
  role: {h("NR")}
  aliases: [{h("NA")}]
  citations:
    - source: alpha-gazette
""",
    }


MARKERS = ["BT", "BL", "BK", "BN", "AT", "AP", "AA", "AN", "AO", "AH", "Body", "ET",
           "ES", "EP", "EN", "FQ", "FA", "NN", "NR", "NA"]
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"}


class Scan(HTMLParser):
    """Scripts, dangerous attributes and the visible text of one HTML page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.bad: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self._script: list[str] | None = None
        self._skip = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        for k, v in a.items():
            if k.startswith("on") or k == "style":
                self.bad.append((tag, k, v))
            if k in URL_ATTRS and re.match(r"\s*(javascript|data|vbscript):", v, re.I):
                self.bad.append((tag, k, v))
        if tag == "script":
            self._script = []
            self.scripts.append((a, ""))
        if tag == "style":
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            attrs, _ = self.scripts[-1]
            self.scripts[-1] = (attrs, "".join(self._script))
            self._script = None
        if tag == "style" and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        elif not self._skip:
            self.text.append(data)

    def visible(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


def script_signature(attrs: dict, content: str) -> str:
    """What identifies a theme script across pages (paths and the per-page base differ)."""
    if attrs.get("src"):
        return "src:" + re.sub(r"^(\.\./)+|^\./", "", attrs["src"])
    if attrs.get("type") == "application/ld+json":
        json.loads(content)  # structured data must stay one valid JSON value
        return "ld+json"
    if attrs.get("id") == "__config":
        return "__config"
    return "inline:" + re.sub(r"\s+", " ", content.strip())


def pages(site: Path) -> dict[str, Scan]:
    return {p.relative_to(site).as_posix(): Scan(p.read_text("utf-8"))
            for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def clean_site(mini_built) -> Path:
    return mini_built / "site"  # the session's clean build of the mini fixture


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = make_brief(tmp_path_factory.mktemp("hostile"), hostile_files())
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    return root, result


def test_hostile_brief_builds_without_a_traceback(hostile_build):
    assert "Traceback" not in hostile_build[1].stderr


def test_no_script_that_the_theme_does_not_put_in_a_clean_build(clean_site, hostile_build):
    theme = {script_signature(a, c) for scan in pages(clean_site).values() for a, c in scan.scripts}
    assert any(s.startswith("src:") for s in theme)  # the theme's bundle is there
    clean_counts = {k: len(v.scripts) for k, v in pages(clean_site).items()}
    for name, scan in pages(hostile_build[0] / "site").items():
        for attrs, content in scan.scripts:
            assert script_signature(attrs, content) in theme, (name, attrs, content[:200])
        if name in clean_counts:
            assert len(scan.scripts) == clean_counts[name], name


def test_no_javascript_or_data_link_no_on_or_style_attribute(clean_site, hostile_build):
    for site in (clean_site, hostile_build[0] / "site"):
        for name, scan in pages(site).items():
            assert not scan.bad, (site, name, scan.bad[:5])


def test_search_index_holds_the_text_not_markup(hostile_build):
    """Material's search shows titles and text of its index as HTML: they must be inert."""
    index = json.loads((hostile_build[0] / "site/search/search_index.json").read_text("utf-8"))
    found = 0
    for doc in index["docs"]:
        for key in ("title", "text"):
            scan = Scan(doc.get(key) or "")
            assert not scan.scripts and not scan.bad, (doc["location"], key)
            assert not {t for t, _ in scan.elements} & {"img", "svg", "a", "iframe"}, doc["location"]
            found += "<script>alert(1)</script>" in scan.visible()
    assert found  # the hostile text is in the index, as text


def test_every_hostile_string_is_visible_as_typed(hostile_build):
    site = hostile_build[0] / "site"
    text = " ".join(scan.visible() for scan in pages(site).values())
    for marker in MARKERS:
        assert f"{marker} {PAYLOAD}" in text, marker
    assert "7*7" in text and "{{ 7*7 }}" in text
    # the snippet marker included nothing
    readme_line = "Turns a folder of source articles and hand-curated YAML"
    assert readme_line in (REPO / "README.md").read_text("utf-8")
    assert readme_line not in text


def test_the_description_is_plain_text_in_the_feeds(hostile_build):
    """The brief's description is not on any page; the feeds carry it, as text."""
    import xml.etree.ElementTree as ET
    site = hostile_build[0] / "site"
    tree = ET.parse(site / "feed.xml")
    texts = [el.text or "" for el in tree.iter()]
    assert f"BD {PAYLOAD}" in texts
    assert not [el for el in tree.iter() if el.tag.rsplit("}", 1)[-1] in ("script", "img")]
    assert json.loads((site / "feed.json").read_text("utf-8"))["description"] == f"BD {PAYLOAD}"


def test_each_field_is_shown_on_its_page(hostile_build):
    site = hostile_build[0] / "site"
    expect = {"index.html": ["BT", "BL", "BK", "BN"],
              "sources/alpha-gazette/index.html": ["AT", "AP", "AA", "AN", "AO", "AH", "Body"],
              "timeline/2024/index.html": ["ET", "ES", "EP", "EN"],
              "faq/index.html": ["FQ", "FA"],
              "entities/hostile-entity/index.html": ["NN", "NR", "NA"]}
    for page, markers in expect.items():
        visible = Scan((site / page).read_text("utf-8")).visible()
        for marker in markers:
            assert f"{marker} {PAYLOAD}" in visible, (page, marker)


def test_a_title_never_becomes_a_path(hostile_build):
    root = hostile_build[0]
    visible = Scan((root / "site/timeline/2024/index.html").read_text("utf-8")).visible()
    assert "../../etc/passwd" in visible
    produced = [p for p in root.rglob("*") if "passwd" in p.name]
    assert not produced, produced
    # nothing was written beside the brief's folder either
    assert sorted(p.name for p in root.parent.iterdir()) == ["brief"]
    # the build writes docs/, site/ and its cache (brief/cache.py); the rest is input
    assert {p.name for p in root.iterdir()} <= {"brief.yml", "mkdocs.yml", "sources", "docs",
                                               "site", ".brief-cache"}


def test_footnotes_and_permalinks_survive_the_sanitiser(clean_site):
    for name in ["timeline/2024/index.html", "faq/index.html"]:
        scan = Scan((clean_site / name).read_text("utf-8"))
        ids = {a.get("id") for _, a in scan.elements}
        headerlinks = [a for t, a in scan.elements if t == "a" and a.get("class") == "headerlink"]
        assert headerlinks and all(a["href"][1:] in ids and a.get("title") for a in headerlinks)
        refs = [a for t, a in scan.elements if t == "a" and a.get("class") == "footnote-ref"]
        backs = [a for t, a in scan.elements if t == "a" and a.get("class") == "footnote-backref"]
        assert refs and backs
        for a in refs:  # sup#fnref:N > a.footnote-ref[href=#fn:N] and li#fn:N
            n = a["href"].removeprefix("#fn:")
            assert f"fn:{n}" in ids and f"fnref:{n}" in ids
        for a in backs:
            assert a["href"][1:] in ids and a.get("title", "").startswith("Jump back")
        assert any(t == "div" and a.get("class") == "footnote" for t, a in scan.elements)
        config = next(c for a, c in scan.scripts if a.get("id") == "__config")
        assert "content.footnote.tooltips" in json.loads(config)["features"]
    sources = Scan((clean_site / "sources/alpha-gazette/index.html").read_text("utf-8"))
    paragraphs = [a for t, a in sources.elements if t == "p" and a.get("class") == "brief-paragraph"]
    assert paragraphs and all(re.fullmatch(r"p\d+", a.get("id", "")) for a in paragraphs)
    assert any(t == "mark" for t, _ in sources.elements)
    register = Scan((clean_site / "sources/index.html").read_text("utf-8"))
    assert any(t == "td" and a.get("align") == "right" for t, a in register.elements)


def test_hand_written_page_is_sanitised_too(tmp_path):
    """The second layer on its own: raw HTML in a hand-written page, where no escaping applies."""
    page = """# Notes

<script>alert(1)</script>
<p onclick="alert(1)" style="color:red">styled</p>
<a href="javascript:alert(1)">js link</a> <a href="data:text/html,x">data link</a>
<img src=x onerror=alert(1)>
<iframe src="https://example.org"></iframe>

A paragraph with an attribute list.
{: onclick="alert(1)" style="x" }

[fine](https://example.org) [mail](mailto:a@example.org) [local](../faq.md)
"""
    root = make_brief(tmp_path, {"docs/sources/notes.md": page})
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    html = (root / "site/sources/notes/index.html").read_text("utf-8")
    scan = Scan(html)
    content = html[html.index('<article'):html.index('</article>')]
    assert "<script" not in content and "<iframe" not in content
    assert not scan.bad, scan.bad
    hrefs = [a.get("href") for t, a in scan.elements if t == "a" and a.get("href")]
    assert "https://example.org" in hrefs and "mailto:a@example.org" in hrefs
    assert "../../faq/" in hrefs
    visible = scan.visible()
    assert "styled" in visible and "js link" in visible and "alert(1)" not in visible


@pytest.mark.parametrize("html, kept, gone", [
    ('<h2 id="x">T<a class="headerlink" href="#x" title="Permanent link">¶</a></h2>',
     ['id="x"', 'class="headerlink"', 'href="#x"', 'title="Permanent link"'], []),
    ('<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>'
     '<div class="footnote"><ol><li id="fn:1"><p>n&#160;<a class="footnote-backref" '
     'href="#fnref:1" title="Jump back">↩</a></p></li></ol></div>',
     ['id="fnref:1"', 'href="#fn:1"', 'id="fn:1"', 'class="footnote-backref"',
      'title="Jump back"', '<div class="footnote">'], []),
    ('<p id="p1" class="brief-paragraph"><mark>q</mark></p><table><tr><th align="right">a</th>'
     '<td align="center">b</td><td align="javascript">c</td></tr></table>',
     ['<p id="p1" class="brief-paragraph">', "<mark>", 'align="right"', 'align="center"'],
     ['align="javascript"']),
    ('<ul><li><em>e</em> <strong>s</strong> <code>c</code></li></ul>',
     ["<ul>", "<li>", "<em>", "<strong>", "<code>"], []),
    ('<script>alert(1)</script><style>p{}</style>x', ["x"], ["<script", "alert", "<style", "p{}"]),
    ('<a href="javascript:alert(1)">a</a><a href=" JaVaScRiPt:alert(1)">b</a>'
     '<a href="data:text/html,x">c</a><img src="data:image/png;base64,AA">',
     ["<a>a</a>"], ["javascript", "JaVaScRiPt", "data:"]),
    ('<p onclick="x" onmouseover="y" style="color:red">t</p>', ["<p>t</p>"],
     ["onclick", "onmouseover", "style"]),
    ('<a href="https://e.org/x">h</a><a href="mailto:a@e.org">m</a><a href="../x/#p1">r</a>',
     ['href="https://e.org/x"', 'href="mailto:a@e.org"', 'href="../x/#p1"'], ["rel="]),
    ("<!-- generated --><p>x</p>", ["<p>x</p>"], ["<!--"]),
    ('<iframe src="https://e.org"></iframe><object data="x"></object><form action="x">'
     '<input onfocus="x" autofocus></form>', [], ["<iframe", "<object", "<form", "<input"]),
    ('<svg viewBox="0 0 10 10" width="10" role="group" aria-labelledby="t"><title id="t">T</title>'
     '<desc>D</desc><g class="axis" aria-hidden="true"><line x1="0" y1="0" x2="1" y2="1"></line>'
     '</g><a href="#ev" aria-label="E"><circle cx="1" cy="2" r="3"></circle>'
     '<rect x="0" y="0" width="1" height="1"></rect><text x="1" y="2" text-anchor="start">'
     'L<tspan x="1">M</tspan></text></a></svg>',
     ['viewBox="0 0 10 10"', 'aria-labelledby="t"', "<title", "<desc>", 'aria-hidden="true"',
      'x1="0"', 'href="#ev"', 'aria-label="E"', 'cx="1"', "<rect", 'text-anchor="start"',
      "<tspan"], []),
    ('<svg onload="alert(1)"><a href="javascript:alert(1)"><circle style="x" r="1"></circle>'
     '</a><script>alert(1)</script><foreignObject><p>x</p></foreignObject></svg>',
     ["<svg>", "<circle"], ["onload", "javascript", "style", "<script", "foreignObject"]),
])
def test_sanitiser_allowlist(html, kept, gone):
    out = sanitize(html)
    for s in kept:
        assert s in out, (s, out)
    for s in gone:
        assert s not in out, (s, out)


@pytest.mark.parametrize("brief", [REPO, MINI], ids=["repository", "mini"])
def test_snippets_extension_is_not_enabled(brief):
    """The MkDocs settings a build uses (the generator's merged with the brief's)."""
    from brief.siteconfig import site_settings
    exts = site_settings(brief).get("markdown_extensions") or []
    names = [next(iter(e)) if isinstance(e, dict) else e for e in exts]
    assert names and not any("snippets" in n for n in names), names


def test_the_sanitiser_is_registered_for_every_brief(tmp_path):
    """Not through a brief's mkdocs.yml (a brief needs none): siteconfig adds it."""
    from brief import sanitize
    from brief.siteconfig import load_site_config
    root = make_brief(tmp_path, {"mkdocs.yml": None})
    (root / "docs").mkdir()
    cfg = load_site_config(root, root / "docs", root / "site")
    assert any(p is sanitize for p in cfg.plugins.values())
