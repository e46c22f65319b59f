"""Small helpers to read built HTML in tests (standard library only)."""
from __future__ import annotations

import html
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Page(HTMLParser):
    """Collects links (href, text, classes) and the text of every element that has an id."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self.by_id: dict[str, str] = {}
        self.marks_by_id: dict[str, list[str]] = {}
        self._stack: list[tuple[str, str | None]] = []
        self._open: dict[str, list[str]] = {}
        self._marks: dict[str, list[str]] = {}
        self._link: dict | None = None
        self._in_mark = 0
        self._mark_text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self._link = {"href": a["href"], "text": "", "class": a.get("class") or ""}
            self.links.append(self._link)
        if tag == "mark":
            self._in_mark += 1
            self._mark_text = []
        if tag in VOID:
            return
        ident = a.get("id")
        self._stack.append((tag, ident))
        if ident:
            self._open[ident] = []
            self._marks[ident] = []

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        if tag == "mark" and self._in_mark:
            self._in_mark -= 1
            for ident in self._marks:
                self._marks[ident].append("".join(self._mark_text))
        while self._stack:
            t, ident = self._stack.pop()
            if ident is not None:
                self.by_id[ident] = "".join(self._open.pop(ident))
                self.marks_by_id[ident] = self._marks.pop(ident)
            if t == tag:
                break

    def handle_data(self, data):
        for parts in self._open.values():
            parts.append(data)
        if self._link is not None:
            self._link["text"] += data
        if self._in_mark:
            self._mark_text.append(data)


def read_page(path: Path) -> Page:
    return Page(path.read_text("utf-8"))


def resolve(site: Path, page_file: Path, href: str) -> tuple[Path, str]:
    """The built file and fragment a relative href on page_file points to."""
    parts = urlsplit(href)
    base = page_file.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else \
        page_file.relative_to(site).as_posix()
    p = site / target
    if p.is_dir() or parts.path.endswith("/"):
        p = p / "index.html"
    return p, unquote(parts.fragment)


def normalise(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"[\u2018\u2019]", "'", text)
    text = re.sub(r"[\u201c\u201d]", '"', text)
    return re.sub(r"\s+", " ", text).strip()
