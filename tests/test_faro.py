"""The Spanish fixture brief (issue 11), built end to end (build.py, MkDocs --strict):
a site in Spanish, with its sources in English, French, Chinese and Arabic marked with
their language, and a translated quote of each. axe runs on it in
tests/browser/test_faro.py."""
from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from buildonce import built_brief

FARO = Path(__file__).parent / "fixtures" / "faro"
FOREIGN = {"harbour-light-times": "en", "le-phare-matin": "fr", "dengta-ribao": "zh-Hans",
           "al-manara": "ar"}

# The generator's English, which a Spanish site must not show (beyond the sources' and
# quotes' own words, which the test leaves out).
ENGLISH = ["Key points", "The story so far", "Most recent events", "About the sources",
           "In this brief", "Frequently asked questions", "Read it in the source",
           "Source text", "Cited by", "Who's who", "Timeline", "Sources", "Tags", "Data",
           "Overview", "On this page", "Switch to dark mode", "Switch to light mode",
           "Search", "Table of contents", "Link to this paragraph", "publisher unknown",
           "date unknown", "translation by", "events", "questions", "source articles",
           "as reported by", "Reported, not vouched for", "A claim this brief disputes",
           "January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December", "between", "about", "unknown",
           "Take the brief's data away", "Dates and their precision", "Events per year",
           "Timeline of", "Passages the brief cites", "Published", "Retrieved", "Language",
           "Publisher", "Tag:", "Who:", "Role:", "Also called", "Notes",
           "Appendix", "Contents", "dossier", "Footnote", "More", "Permanent link"]


class Text(HTMLParser):
    """The page's text and attributes a reader meets, with the language each is in
    (the nearest lang attribute), leaving out scripts and styles."""

    VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col", "area",
            "base", "embed", "param", "track", "path", "rect", "line", "circle"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, str]] = []  # (tag, lang, dir)
        self.parts: list[tuple[str, str, str]] = []  # (text, lang, dir)
        self.skip = 0

    def _lang(self):
        return self.stack[-1][1:] if self.stack else ("", "")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang, dir_ = self._lang()
        lang, dir_ = a.get("lang", lang), a.get("dir", dir_ if "lang" not in a else "")
        if tag in ("code", "kbd"):
            lang = "zxx"  # field names and file names, not words of a language
        for name in ("aria-label", "title", "placeholder", "alt"):
            if a.get(name):
                self.parts.append((a[name], lang, dir_))
        if tag in ("script", "style", "title"):  # (a <title> cannot mark a part's language)
            self.skip += 1
        if tag not in self.VOID and not tag.endswith("/"):
            self.stack.append((tag, lang, dir_))

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        lang, dir_ = self._lang()
        for name in ("aria-label", "title", "placeholder", "alt"):
            if a.get(name):
                self.parts.append((a[name], a.get("lang", lang), dir_))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self.skip = max(self.skip - 1, 0)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append((data, *self._lang()))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # built by build.py once per run (tests/buildonce.py), as tests/browser/ serves it
    return built_brief(tmp_path_factory, "faro") / "site"


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8")
            for p in sorted(site.rglob("*.html"))}


def foreign_words() -> set[str]:
    """Every word of the non-Spanish sources: the text a reader may meet in them."""
    out = set()
    for sid in FOREIGN:
        text = (FARO / "sources/articles" / f"{sid}.md").read_text("utf-8")
        out.update(re.findall(r"\w+", text))
    return out


def test_the_site_is_in_spanish(site):
    found = pages(site)
    assert len(found) > 20
    theirs = foreign_words()
    for path, html in found.items():
        if path == "404.html":
            continue
        assert re.search(r'<html lang="es"', html), path
        doc = Text()
        doc.feed(html)
        for text, lang, _dir in doc.parts:
            if lang and lang != "es":
                continue  # a source's own words, marked as such
            for word in ENGLISH:
                if re.search(rf"(?<![\w#./`-]){re.escape(word)}(?![\w.`/-])", text) and \
                        word not in theirs:
                    raise AssertionError(f"{path}: English {word!r} in {text.strip()!r}")
    home = found["index.html"]
    assert "Puntos clave" in home and "Acontecimientos más recientes" in home
    assert "Buscar" in home  # Material's own strings (theme.language)
    assert "20 de mayo de 2024" in home and "entre octubre y diciembre de 2024" in home
    assert "hacia agosto de 2024" in home
    source = found["sources/le-phare-matin/index.html"]
    assert re.search(r"<td>Idioma</td>\s*<td>francés</td>", source)
    assert re.search(r"<td>Idioma</td>\s*<td>chino \(simplificado\)</td>",
                     found["sources/dengta-ribao/index.html"])


def test_every_text_in_another_language_is_marked(site):
    """Every word of a foreign source a page shows sits inside its lang (and, for
    Arabic, dir="rtl"); the Spanish source's words are not marked."""
    spanish_only = set(re.findall(r"\w+", (FARO / "sources/articles/gaceta-gris.md")
                                  .read_text("utf-8"))) - foreign_words()
    checked = {sid: 0 for sid in FOREIGN}
    for path, html in pages(site).items():
        doc = Text()
        doc.feed(html)
        for text, lang, dir_ in doc.parts:
            if lang == "zxx" or not re.search(r"[^\W\d_]{4,}", text):
                continue
            for sid, tag in FOREIGN.items():
                body = (FARO / "sources/articles" / f"{sid}.md").read_text("utf-8")
                body = body.split("---", 2)[2]
                title = re.search(r"^title: (.*)$", (FARO / "sources/articles" / f"{sid}.md")
                                  .read_text("utf-8"), re.M)[1]
                words = [w for w in re.findall(r"[^\W\d_]{4,}", text) if w in body or w in title]
                if not words or tag == "en" and not (text.strip() in body or text.strip() in title):
                    continue
                if tag in ("zh-Hans", "ar") or text.strip() in body or text.strip() in title:
                    assert lang == tag, f"{path}: {text.strip()!r} is {tag}, marked {lang!r}"
                    if tag == "ar":
                        assert dir_ == "rtl", f"{path}: {text.strip()!r} without dir=rtl"
                    checked[sid] += 1
        assert '<span lang="es"' not in html, path
    assert all(n >= 5 for n in checked.values()), checked  # page, footnotes, dossier...
    assert spanish_only


def test_each_translated_quote_shows_original_and_translation(site):
    home = pages(site)["index.html"]
    notes = re.findall(r'<li id="fn:\d+">(.*?)</li>', home, re.S)
    assert len(notes) == 5
    for sid, tag, translation, who in [
            ("harbour-light-times", "en", "El ayuntamiento reparó la lámpara del faro en mayo.",
             "traducción de este informe"),
            ("le-phare-matin", "fr", "Los pescadores dicen que la luz les ayuda a volver de noche.",
             "traducción de la edición en español de Le Phare Matin"),
            ("dengta-ribao", "zh-Hans", "Desde el verano, los turistas acuden a visitar el faro.",
             "traducción de este informe"),
            ("al-manara", "ar", "Una asociación local pide que el faro se abra también en invierno.",
             "traducción de este informe")]:
        note = next(n for n in notes if f"sources/{sid}/" in n)
        text = html_lib.unescape(note)
        assert re.search(rf'“<span (dir="rtl" )?lang="{tag}"( dir="rtl")?>', note), note
        assert f"({who}: «{translation}»)" in text, text


def test_feeds_mark_source_titles_in_another_language(site):
    """Atom and JSON Feed: a plain-text summary, and the same as HTML where a source title
    in another language than the brief's carries its lang (dir for Arabic)."""
    import json

    import feedparser

    atom = feedparser.parse((site / "feed.xml").read_bytes())
    entry = next(e for e in atom.entries if "جمعية" in e.summary)
    assert entry.summary_detail.type == "text/plain"
    html = entry.content[0].value
    assert entry.content[0].type == "text/html"
    # (feedparser's sanitiser may reorder the attributes)
    cite = re.search(r"<cite([^>]*)>جمعية تطالب بفتح المنارة في الشتاء</cite>", html)
    assert cite and 'lang="ar"' in cite[1] and 'dir="rtl"' in cite[1], html
    assert "<p>Fecha: entre octubre y diciembre de 2024</p>" in html
    items = json.loads((site / "feed.json").read_text("utf-8"))["items"]
    item = next(i for i in items if "جمعية" in i["content_text"])
    assert '<cite lang="ar" dir="rtl">' in item["content_html"]
    assert "<cite" not in item["content_text"]
    # a title in the brief's own language is not marked
    assert all('<cite lang="es' not in i["content_html"] for i in items)
    assert any("<cite>" in i["content_html"] for i in items)
