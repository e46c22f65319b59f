"""The benchmark's synthesiser makes a valid brief whose citations quote their sources.

Not a timed test: it only checks that benchmarks/bench.py produces what it claims to
measure (a brief that builds, every quote copied from one paragraph of its source),
at a tiny size.
"""
from __future__ import annotations

import importlib.util
import re
import sys

import yaml

from conftest import REPO, run_build

_spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench", bench)  # dataclasses look their module up there
_spec.loader.exec_module(bench)

_STRAIGHT = str.maketrans({"\u2019": "'", "\u201c": '"', "\u201d": '"'})


def source_paragraphs(path) -> list[str]:
    """The paragraphs of a source file, read independently of brief/: blocks after the
    front matter, whitespace collapsed, headings left out."""
    body = path.read_text("utf-8").split("\n---\n", 1)[1]
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", body)]
    return [b.translate(_STRAIGHT) for b in blocks if b and not b.startswith("#")]


def yaml_citations(root):
    """Every (source, quote) written in brief.yml, events and FAQ files."""
    files = [root / "brief.yml", *sorted((root / "sources").rglob("*.yml"))]
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "source" in node and set(node) <= {"source", "quote"}:
                found.append((node["source"], node.get("quote", "")))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for f in files:
        walk(yaml.safe_load(f.read_text("utf-8")))
    return found


def test_synthesised_brief_builds_and_every_quote_is_in_one_paragraph(tmp_path):
    root = tmp_path / "brief"
    synth = bench.synthesise(root, 3, 10, 2, seed=1)

    assert len(list((root / "sources" / "articles").glob("*.md"))) == 3
    citations = yaml_citations(root)
    assert len(citations) == len(synth.citations) >= 10 + 2
    quoted = [(s, q) for s, q in citations if q]
    assert quoted, "the synthesiser should write quotes"
    for source, quote in quoted:
        paragraphs = source_paragraphs(root / "sources" / "articles" / f"{source}.md")
        q = " ".join(quote.split()).translate(_STRAIGHT)
        assert any(q in p for p in paragraphs), f"{quote!r} is not in one paragraph of {source}"

    # (a new Python, with a hash seed of its own: the second build's "0 changed" then
    # also says that set order does not matter; tests/forkbuild.py)
    result = run_build(str(root), "--timings", fresh_python=True)
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "index.html").is_file()
    assert re.search(r"timings: generate: [\d.]+s, mkdocs: [\d.]+s", result.stdout)

    # A second build with nothing changed reuses the generated pages and writes nothing.
    again = run_build(str(root), "--timings")
    assert again.returncode == 0, again.stderr
    assert "(0 changed in docs/)" in again.stdout
    assert "(cached)" in again.stdout


def test_crowded_years_and_a_long_faq_get_bounded_pages(tmp_path, monkeypatch):
    """With a page limit of 2, years with more events get month pages and the FAQ is
    split; MkDocs --strict then checks every link and anchor between them."""
    from brief import catalogue
    from brief.pipeline import generate
    from brief.problems import Problems
    from brief.publish import publish

    root = tmp_path / "brief"
    bench.synthesise(root, 4, 40, 5, seed=3)
    monkeypatch.setattr(catalogue, "MAX_PER_PAGE", 2)
    problems = Problems()
    pages = generate(root, problems)
    assert pages is not None, [p.format() for p in problems.errors]
    paths = {p.path for p in pages}
    assert {"faq/1.md", "faq/2.md", "faq/3.md"} <= paths
    months = [p for p in paths if re.fullmatch(r"timeline/\d{4}-\d{2}\.md", p)]
    assert months
    assert [p for p in paths if re.fullmatch(r"timeline/\d{4}-year\.md", p)]
    faq_index = next(p.content.decode() for p in pages if p.path == "faq.md")
    assert faq_index.count('<span id="') == 5  # every question keeps its anchor on faq.md
    publish(root, pages)  # raises on any broken link or anchor (--strict)
    assert (root / "site" / "faq" / "3" / "index.html").is_file()


def test_source_text_leaves_the_search_index_beyond_its_budget(tmp_path, monkeypatch):
    """Large briefs: source paragraphs carry data-search-exclude, so Material's search
    index keeps the brief's own text but not the sources' full text."""
    import json

    from brief import render
    from brief.pipeline import generate
    from brief.problems import Problems
    from brief.publish import publish

    root = tmp_path / "brief"
    synth = bench.synthesise(root, 3, 6, 2, seed=5)
    monkeypatch.setattr(render, "SEARCH_SOURCE_TEXT", 0)
    pages = generate(root, Problems())
    publish(root, pages)
    index = json.loads((root / "site" / "search" / "search_index.json").read_text("utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("sources/")
                    and d["location"] != "sources/")
    paragraph = synth.sources[0].paragraphs[0]
    assert paragraph[:40] not in text
    assert any(d["title"] for d in index["docs"] if d["location"].startswith("sources/"))


def test_feeds_carry_the_newest_events_only(tmp_path):
    """A long timeline does not make a long feed: the newest FEED_LIMIT events."""
    import xml.etree.ElementTree as ET

    from brief import feeds
    from brief.pipeline import generate
    from brief.problems import Problems

    root = tmp_path / "brief"
    bench.synthesise(root, 3, feeds.FEED_LIMIT + 20, 1, seed=2)
    pages = {p.path: p.content for p in generate(root, Problems())}
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(pages["feed.xml"]).findall("a:entry", ns)
    assert len(entries) == feeds.FEED_LIMIT
    assert len(json_items(pages["feed.json"])) == feeds.FEED_LIMIT


def json_items(data: bytes) -> list:
    import json
    return json.loads(data)["items"]
