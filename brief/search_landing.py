"""Search that lands on the right place (issue 15): a MkDocs hook around the theme's search
index.

The theme's search indexes a page by sections, one per heading. Two things then land a
reader in the wrong place:

- footnotes sit at the end of the page, so their text (the quotes) was indexed under the
  page's last section: a search for words of a quote returned the wrong event first;
- a source's paragraphs were indexed under the "Text" heading, so a match in paragraph 40
  landed on that heading with the match far below the fold.

So, for each page (`on_page_content`, after the sanitiser), the footnote list and each
source paragraph (`p.brief-paragraph`) are kept out of the theme's own sections
(`data-search-exclude`, which Material's search honours), and the hook remembers which
section cites which footnote. After the theme has written `search/search_index.json`
(`on_post_build`, last), each footnote's text is added to every section that cites it,
and each source paragraph becomes an entry of its own whose location is its anchor
(`sources/ID/#pN`). Paragraphs the page already keeps out of the search (a large brief's
source text, see SEARCH_SOURCE_TEXT in render.py) stay out.
"""
from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

try:
    from mkdocs.plugins import event_priority
except ImportError:  # pragma: no cover - MkDocs is pinned
    def event_priority(priority):  # type: ignore[no-redef]
        return lambda f: f

BRIEF_SEARCH_LANDING = True  # marks this module for publish.add_search_landing
# The parallel build (brief/sitebuild.py) may run it: what a worker finds on a page goes
# back to the parent through brief_page_state / brief_restore_state.
BRIEF_PARALLEL_SAFE = True

_HEADING = re.compile(r"h[1-6]")


@dataclass
class PageIndex:
    """What the index needs from one page."""

    title: str
    cites: dict[str, list[str]] = field(default_factory=dict)  # section id ("" = top) -> footnote ids
    notes: dict[str, str] = field(default_factory=dict)  # footnote id -> its text
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (anchor, text)


class _Reader(HTMLParser):
    def __init__(self, index: PageIndex):
        super().__init__(convert_charrefs=True)
        self.index = index
        self.section = ""
        self._note: str | None = None
        self._para: str | None = None
        self._buf: list[str] = []
        self._skip = 0  # inside a backref or pilcrow link, or print-only text: not text
        self._skip_span = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if _HEADING.fullmatch(tag) and a.get("id"):
            self.section = a["id"]
        elif tag == "a" and "footnote-ref" in classes and (a.get("href") or "").startswith("#"):
            cited = self.index.cites.setdefault(self.section, [])
            if a["href"][1:] not in cited:
                cited.append(a["href"][1:])
        elif tag == "a" and ("footnote-backref" in classes or "brief-pilcrow" in classes):
            self._skip += 1
        elif tag == "span" and "brief-print-only" in classes:
            self._skip_span += 1
            self._skip += 1
        elif tag == "span" and self._skip_span:
            self._skip_span += 1
        elif tag == "li" and (a.get("id") or "").startswith("fn:"):
            self._note, self._buf = a["id"], []
        elif tag == "p" and "brief-paragraph" in classes and a.get("id") \
                and "data-search-exclude" not in a:
            self._para, self._buf = a["id"], []

    def handle_endtag(self, tag):
        if tag == "span" and self._skip_span:
            self._skip_span -= 1
            if not self._skip_span:
                self._skip -= 1
        elif tag == "a" and self._skip:
            self._skip -= 1
        elif tag == "li" and self._note:
            self.index.notes[self._note] = _clean("".join(self._buf))
            self._note = None
        elif tag == "p" and self._para:
            self.index.paragraphs.append((self._para, _clean("".join(self._buf))))
            self._para = None

    def handle_data(self, data):
        if (self._note or self._para) and not self._skip:
            self._buf.append(data)


def _clean(text: str) -> str:
    return " ".join(text.split())


_FOOTNOTE_DIV = re.compile(r'<div class="footnote">')
_PARAGRAPH = re.compile(r'<p id="([hp]\d+)" class="brief-paragraph">')

_pages: dict[str, PageIndex] = {}


def read_page(html: str, title: str) -> tuple[str, PageIndex]:
    """The page's HTML with footnotes and paragraphs kept out of the theme's sections,
    and what the index needs instead."""
    index = PageIndex(title)
    if "footnote" not in html and "brief-paragraph" not in html:
        return html, index  # nothing to find (a large page's drawing is not parsed)
    _Reader(index).feed(html)
    html = _FOOTNOTE_DIV.sub('<div class="footnote" data-search-exclude>', html)
    html = _PARAGRAPH.sub(r'<p id="\1" class="brief-paragraph" data-search-exclude>', html)
    return html, index


def rewrite_index(data: dict, pages: dict[str, PageIndex]) -> dict:
    """Add each footnote to the sections citing it, and an entry per source paragraph."""
    docs = data.get("docs", [])
    by_location = {d.get("location"): d for d in docs}
    for url, index in pages.items():
        for section, notes in index.cites.items():
            entry = by_location.get(f"{url}#{section}" if section else url)
            if entry is None and not section:
                continue
            if entry is None:  # a heading the theme did not index: the page itself
                entry = by_location.get(url)
            if entry is None:
                continue
            extra = " ".join(html_lib.escape(index.notes[n]) for n in notes if n in index.notes)
            if extra:
                entry["text"] = (entry.get("text", "") + f" <p>{extra}</p>").strip()
        for anchor, text in index.paragraphs:
            kind, number = anchor[0], anchor[1:]
            where = f"¶{number}" if kind == "p" else f"heading {number}"
            docs.append({"location": f"{url}#{anchor}", "title": f"{index.title}, {where}",
                         "text": f"<p>{html_lib.escape(text)}</p>"})
    data["docs"] = docs
    return data


@event_priority(-110)  # after the sanitiser (-100), which would drop the attribute
def on_page_content(html, page=None, config=None, files=None, **kwargs):
    if page is None:
        return html
    html, index = read_page(html, page.title or "")
    if index.cites or index.paragraphs:
        _pages[page.url] = index
    else:
        _pages.pop(page.url, None)
    return html


def rewrite_index_file(path: Path) -> None:
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(rewrite_index(data, _pages), ensure_ascii=False,
                                   separators=(",", ":")), encoding="utf-8")


@event_priority(-100)  # after the theme's search plugin has written its index
def on_post_build(config=None, **kwargs):
    # What the pages gave is kept until the next build starts (on_pre_build): the live
    # preview (brief/livebuild.py) rebuilds only the changed pages, writes the theme's
    # index again, and calls brief_rewrite_search_index.
    rewrite_index_file(Path(config["site_dir"]) / "search" / "search_index.json")


def brief_rewrite_search_index(path: Path) -> None:
    """The live preview wrote the theme's index again: add what the pages give."""
    rewrite_index_file(path)


_JSON = {"ensure_ascii": False, "separators": (",", ":")}  # as rewrite_index_file writes


def brief_index_parts(url: str, entries: list) -> tuple[list[str], list[str]]:
    """One page's part of the index rewrite_index_file writes, as JSON texts: its
    entries from the theme (`entries`, as the theme keeps them) with the footnotes added,
    and the entries of its paragraphs (which go at the end of the index). The live
    preview keeps these per page and writes the index by joining them
    (`brief_index_text`), instead of parsing and writing 18 MB twice after each edit."""
    # Through JSON and back, as the theme's index is dumped (default=str) and read again.
    docs = json.loads(json.dumps(entries, separators=(",", ":"), default=str))
    theirs = len(docs)
    index = _pages.get(url)
    data = rewrite_index({"docs": docs}, {url: index} if index is not None else {})
    return ([json.dumps(e, **_JSON) for e in data["docs"][:theirs]],
            [json.dumps(e, **_JSON) for e in data["docs"][theirs:]])


def brief_index_text(config: dict, entries: list[bytes], paragraphs: list[bytes]) -> bytes:
    """The whole index from the pages' parts (brief_index_parts, each page's joined and
    encoded), in page order: the same bytes rewrite_index_file writes."""
    head = json.dumps({"config": config}, **_JSON)[:-1].encode("utf-8")
    return b"".join((head, b',"docs":[', b",".join(entries + paragraphs), b"]}"))


def brief_page_state(page) -> dict | None:
    """What on_page_content found on this page, as JSON-able data (brief/sitebuild.py
    sends it from a worker, or a shard, to the process that writes the index)."""
    index = _pages.get(page.url)
    if index is None:
        return None
    return {"title": index.title, "cites": index.cites, "notes": index.notes,
            "paragraphs": [list(p) for p in index.paragraphs]}


def brief_restore_state(page, state: dict) -> None:
    _pages[page.url] = PageIndex(state["title"], dict(state["cites"]), dict(state["notes"]),
                                 [tuple(p) for p in state["paragraphs"]])


def on_pre_build(config=None, **kwargs):
    _pages.clear()
