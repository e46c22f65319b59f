"""Footnote references read as separate citations (issue 15): on every built page, two
references are never adjacent without a separator, so "1, 2" never reads as "12".
Reads the built HTML of each brief (no browser needed, the build is shared)."""
from __future__ import annotations

from html.parser import HTMLParser


class _Refs(HTMLParser):
    """The page's text as a list of chunks, with each footnote reference as its own chunk."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[tuple[str, str]] = []  # ("ref", number) or ("text", text)
        self._in_ref = 0
        self._ref: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and "footnote-ref" in (dict(attrs).get("class") or "").split():
            self._in_ref, self._ref = 1, []

    def handle_endtag(self, tag):
        if tag == "a" and self._in_ref:
            self._in_ref = 0
            self.chunks.append(("ref", "".join(self._ref)))

    def handle_data(self, data):
        if self._in_ref:
            self._ref.append(data)
        else:
            self.chunks.append(("text", data))


def adjacent_refs(html: str) -> tuple[list[str], int]:
    """Pairs of references with nothing but whitespace between them, and how many pairs
    of consecutive references (with a separator) the page has."""
    parser = _Refs()
    parser.feed(html)
    bad, pairs, prev, between = [], 0, None, ""
    for kind, value in parser.chunks:
        if kind == "ref":
            if prev is not None and len(between) < 3:
                pairs += 1
                if not between.strip():
                    bad.append(f"{prev}{between}{value}")
            prev, between = value, ""
        else:
            between += value
    return bad, pairs


def test_no_two_footnote_references_are_adjacent_without_a_separator(site):
    pages = sorted(site.site_dir.rglob("*.html"))
    assert pages
    found, groups = [], 0
    for path in pages:
        bad, pairs = adjacent_refs(path.read_text(encoding="utf-8"))
        groups += pairs
        found += [f"{path.relative_to(site.site_dir)}: {b!r}" for b in bad]
    assert not found, "footnote references that run together:\n" + "\n".join(found)
    # Both briefs cite some claims more than once, so the check above saw real groups.
    assert groups > 0


def test_the_check_sees_references_that_run_together():
    ref = '<sup id="fnref:{0}"><a class="footnote-ref" href="#fn:{0}">{0}</a></sup>'
    assert adjacent_refs(ref.format(1) + ref.format(2)) == (["12"], 1)
    assert adjacent_refs(ref.format(1) + '<sup class="brief-fn-sep">,</sup>' + ref.format(2)) \
        == ([], 1)
    assert adjacent_refs(ref.format(1) + " text between them " + ref.format(2)) == ([], 0)
