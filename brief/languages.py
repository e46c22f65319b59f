"""Languages of the brief and of its parts (issue 11): which tags name the same
language, which scripts run right to left, the attributes that mark a part written in
another language than the brief's, and language names in the brief's language (CLDR,
through Babel)."""
from __future__ import annotations

import functools

import babel
import jinja2
from markupsafe import Markup

from .markdown import escape_md
from .models import Brief

# Scripts written right to left (ISO 15924), and the languages whose default script is one.
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Samr",
                         "Mand"})
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps",
                           "sd", "syr", "ug", "ur", "yi"})


@functools.lru_cache(maxsize=1024)
def _subtags(tag: str) -> tuple[str, str]:
    """(primary language, script or '') of a BCP 47 tag, lower / title case."""
    parts = (tag or "").replace("_", "-").split("-")
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
    return parts[0].lower(), script


def same_language(a: str, b: str) -> bool:
    """Whether two tags name the same language for a reader: en and en-GB do; zh-Hans
    and zh-Hant (two scripts) do not."""
    (la, sa), (lb, sb) = _subtags(a), _subtags(b)
    return la == lb and (not sa or not sb or sa == sb)


def is_rtl(tag: str) -> bool:
    lang, script = _subtags(tag)
    if script:
        return script in RTL_SCRIPTS
    return lang in RTL_LANGUAGES


def direction(tag: str) -> str:
    return "rtl" if is_rtl(tag) else "ltr"


@functools.lru_cache(maxsize=1024)
def lang_attrs(tag: str, brief_language: str) -> Markup:
    """' lang="fr"' (and ' dir="rtl"' for a right-to-left script) for a part written in
    another language than the brief's; '' for a part in the brief's language."""
    if not tag or same_language(tag, brief_language):
        return Markup("")
    out = Markup(' lang="{}"').format(tag)
    if is_rtl(tag) != is_rtl(brief_language):
        out += Markup(' dir="{}"').format(direction(tag))
    return out


@functools.lru_cache(maxsize=256)
def language_name(tag: str, brief_language: str = "en") -> str:
    """The language's name in the brief's language ('French', 'francés'); the tag itself
    when CLDR does not know it."""
    try:
        name = babel.Locale.parse(tag, sep="-").get_display_name(
            babel.Locale.parse(brief_language, sep="-"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return tag
    return name or tag


def brief_language(brief: Brief) -> str:
    return (brief.settings.language if brief.settings is not None else "") or "en"


def add_language_filters(env: jinja2.Environment, language: str, html: bool = False) -> None:
    """`text_lang|lang`: ' lang="fr"' (and ' dir="rtl"') for a part in another language
    than the brief's, else ''; `tag|language_name`: the language's name in the brief's;
    `text|in_lang(tag)`: the text, escaped (for HTML or Markdown), in a <span lang> when
    its language is not the brief's."""
    env.filters["lang"] = lambda tag: lang_attrs(tag, language)
    env.filters["language_name"] = lambda tag: language_name(tag, language)
    escape = Markup.escape if html else (lambda text: Markup(escape_md(text)))

    def in_lang(text, tag: str) -> Markup:
        attrs = lang_attrs(tag, language)
        return Markup("<span{}>{}</span>").format(attrs, escape(text)) if attrs else escape(text)

    env.filters["in_lang"] = in_lang
