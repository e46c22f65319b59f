"""The one-file dossier's rendering (brief/dossier.py), without a browser: data is
escaped, and a large brief gets it only from `build.py dossier`. The browser checks
(Nu, axe, offline, links, PDF) are in tests/browser/test_dossier.py."""
from __future__ import annotations

import re

from brief import dossier
from brief.pipeline import generate
from brief.problems import Problems
from conftest import make_brief

NASTY = '"</svg><script>alert(1)</script> & <b>co</b>'
EVENT = f"""\
- id: agreement-signed
  date: 2024-03
  title: '{NASTY}'
  summary: 'The mayors sign {NASTY}.'
  place: '{NASTY}'
  tags: [harbour]
  citations:
    - source: alpha-gazette
      quote: signed the harbour agreement
"""


def pages_of(root) -> dict[str, bytes]:
    problems = Problems()
    pages = generate(root, problems)
    assert pages is not None, [p.format() for p in problems.items]
    return {p.path: p.content for p in pages}


def test_dossier_prints_data_as_text_never_as_markup(tmp_path):
    root = make_brief(tmp_path, {"sources/events/events.yml": EVENT})
    html = pages_of(root)["dossier.html"].decode("utf-8")
    assert "<script" not in html and "<b>co</b>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # title, summary, place
    # The only elements are the template's own.
    tags = set(re.findall(r"<([a-z][a-z0-9]*)", html))
    assert tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
                    "h3", "h4", "p", "nav", "ol", "ul", "li", "a", "main", "section",
                    "article", "sup", "cite", "mark", "span", "div", "svg", "desc", "g",
                    "line", "text", "tspan", "rect", "circle", "path", "polyline",
                    "polygon"}, tags


def test_a_large_brief_gets_the_dossier_only_when_asked(tmp_path, monkeypatch):
    root = make_brief(tmp_path)
    pages = pages_of(root)
    assert "dossier.html" in pages and b"dossier.html" in pages["data.md"]
    monkeypatch.setattr(dossier, "EVERY_BUILD_MAX_ITEMS", 1)
    pages = pages_of(root)
    assert "dossier.html" not in pages and b"dossier" not in pages["data.md"]
