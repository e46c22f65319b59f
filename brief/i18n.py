"""The generator's own words in the brief's language (issue 11).

Strings are English in the code and the templates, marked for translation (`_()` in
Python, `{% trans %}` and `_()` in templates, jinja2.ext.i18n); the translations are
gettext catalogues, `brief/locale/LANG.po`, read with Babel (no compiled .mo files to
keep in step). A string a catalogue lacks falls back to English, and
tests/test_i18n.py fails when a catalogue lacks a string the generator uses. Dates in
words come from CLDR (Babel): "8 August 2025", "8 de agosto de 2025", "2025年8月8日".

The language is the brief's, set for one rendering with `using(language)` (a context
variable: the live preview renders in a thread of its own).
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext as gettext_module
import io
from pathlib import Path

import babel
import babel.dates
from babel.messages import mofile, pofile
from markupsafe import Markup

from .markdown import escape_md

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The catalogues: BCP 47 tag -> file (brief/locale/). English is the code's own.
CATALOGUES = {"es": "es.po", "fr": "fr.po", "zh-Hans": "zh-Hans.po"}

_language: contextvars.ContextVar[str] = contextvars.ContextVar("brief_language", default="en")


@functools.lru_cache(maxsize=256)
def catalogue_tag(language: str) -> str:
    """The catalogue serving a BCP 47 tag: itself, its language and script, its language
    (zh means zh-Hans), else "en" (the English of the code)."""
    parts = (language or "en").replace("_", "-").split("-")
    lang = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    if lang == "zh" and not script:
        script = "Hant" if region in ("TW", "HK", "MO") else "Hans"
    for cand in (f"{lang}-{script}" if script else "", lang):
        if cand in CATALOGUES:
            return cand
    return "en"


@functools.lru_cache(maxsize=16)
def translations(tag: str) -> gettext_module.NullTranslations:
    """The catalogue's translations (English: none). Untranslated and fuzzy entries
    are left out, so they fall back to English."""
    if tag not in CATALOGUES:
        return gettext_module.NullTranslations()
    with open(LOCALE_DIR / CATALOGUES[tag], "rb") as f:
        catalog = pofile.read_po(f, locale=tag.replace("-", "_"))
    buf = io.BytesIO()
    mofile.write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext_module.GNUTranslations(buf)


def current() -> str:
    return _language.get()


@contextlib.contextmanager
def using(language: str):
    """Render in this language (the brief's) until the block ends."""
    token = _language.set(language or "en")
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str, **values) -> str:
    """A generator string in the current language; `%(name)s` filled from values."""
    text = translations(catalogue_tag(current())).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values) -> str:
    text = translations(catalogue_tag(current())).ngettext(singular, plural, n)
    return text % {"num": n, **values}


def N_(message: str) -> str:
    """Marks a string for the catalogues where it is translated later (`_(name)`)."""
    return message


# Words the templates translate by name: source types, entity kinds and their headings.
SOURCE_TYPE_WORDS = {
    "news-article": N_("news article"), "blog-post": N_("blog post"),
    "press-release": N_("press release"), "official-statement": N_("official statement"),
    "report": N_("report"), "transcript": N_("transcript"), "interview": N_("interview"),
    "speech": N_("speech"), "social-media-post": N_("social media post"),
    "web-page": N_("web page"), "dataset": N_("dataset"), "book": N_("book"),
    "unknown": N_("unknown"),
}
ENTITY_KIND_WORDS = {"person": N_("Person"), "organisation": N_("Organisation"),
                     "country": N_("Country"), "place": N_("Place")}
PRECISION_WORDS = {"year": N_("year"), "month": N_("month"), "day": N_("day")}


def precision_word(precision: str) -> str:
    return _(PRECISION_WORDS.get(precision, precision))




# -- templates ------------------------------------------------------------------
def install(env, html: bool = False) -> None:
    """jinja2.ext.i18n on a template environment, newstyle: `{% trans %}` and `_()`
    give the translation with its placeholders filled. The translation is the
    generator's own text (Markup: its Markdown or HTML stays), the values are data,
    escaped for Markdown (`html=False`, brief/markdown.py) or for HTML."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True

    def fill(text: str, values: dict) -> Markup:
        if html:
            return Markup(text) % values  # markupsafe escapes each value for HTML
        return Markup(text % {k: v if isinstance(v, (int, float)) else Markup(escape_md(v))
                              for k, v in values.items()})

    @functools.lru_cache(maxsize=4096)
    def plain(tag: str, message: str) -> Markup:  # a string without placeholders
        return fill(translations(tag).gettext(message), {})

    def gettext(message: str, **values) -> Markup:
        if not values:  # "Tags:", "Who:": thousands of times per page at 10,000 events
            return plain(catalogue_tag(current()), message)
        return fill(translations(catalogue_tag(current())).gettext(message), values)

    def ngettext_(singular: str, plural: str, num: int, **values) -> Markup:
        text = translations(catalogue_tag(current())).ngettext(singular, plural, num)
        return fill(text, {"num": num, **values})

    def pgettext(context: str, message: str, **values) -> Markup:
        return fill(translations(catalogue_tag(current())).pgettext(context, message), values)

    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext_, pgettext=pgettext)
    env.filters["source_type"] = lambda t: _(SOURCE_TYPE_WORDS.get(t, t.replace("-", " ")))
    env.filters["entity_kind"] = lambda k: _(ENTITY_KIND_WORDS.get(k, k.capitalize()))


# -- dates (CLDR) ------------------------------------------------------------------
def _locale() -> babel.Locale:
    tag = catalogue_tag(current())
    return babel.Locale.parse("en" if tag == "en" else tag, sep="-")


# English keeps the generator's day-month-year order ("8 August 2025"); the other
# languages take CLDR's own patterns for a full date, a month and a day in a month.
_EN = {"day": "d MMMM y", "month": "MMMM y", "day_month": "d MMMM", "month_only": "MMMM",
       "year": "y"}
_SKELETONS = {"day": "yMMMMd", "month": "yMMMM", "day_month": "MMMMd", "month_only": "MMM",
              "year": "y"}


def date_words(year: int, month: int | None = None, day: int | None = None,
               with_year: bool = True) -> str:
    """A date at its precision, in words: "8 August 2025", "August 2025", "2025"
    (with_year=False: "8 August", "August")."""
    return _date_words(catalogue_tag(current()), year, month, day, with_year)


@functools.lru_cache(maxsize=65536)
def _date_words(tag: str, year: int, month: int | None, day: int | None,
                with_year: bool) -> str:
    kind = ("day" if day else "month" if month else "year")
    if not with_year:
        kind = {"day": "day_month", "month": "month_only"}.get(kind, kind)
    d = dt.date(year, month or 1, day or 1)
    loc = babel.Locale.parse("en" if tag == "en" else tag, sep="-")
    if loc.language == "en":
        if kind == "year":
            return str(year)
        return babel.dates.format_date(d, _EN[kind], locale=loc)
    if kind == "month_only" and loc.language not in ("zh", "ja", "ko"):
        return babel.dates.format_date(d, "LLLL", locale=loc)  # CLDR's skeleton: "sept"
    return babel.dates.format_skeleton(_SKELETONS[kind], d, locale=loc)


def month_name(month: int, width: str = "wide") -> str:
    """A month's name standing alone ("August", "agosto", "8月"); width "abbreviated" for
    axis labels ("Aug")."""
    return babel.dates.get_month_names(width, context="stand-alone", locale=_locale())[month]
