"""The second layer against injection: sanitising each page's HTML (a MkDocs hook).

The first layer is escaping: every value from the brief's data is placed into the
Markdown as numeric character references (`markdown.escape_md`), so it can only
ever become text. This hook then runs nh3 (the Ammonia sanitiser) over the HTML
that Markdown rendered for each page's *content*, in `on_page_content`, with an
allowlist of what our templates produce: headings with ids and Material's
permalink anchors, footnotes (with the ids and titles Material's tooltips use),
tables, `<mark>`, paragraphs with ids, lists, code, emphasis and the inline SVG
timeline. Anything else is removed: `<script>`/`<style>` with their content, every
`on*` and `style` attribute, links other than http(s), mailto and relative ones.
The theme's own HTML (its scripts, the page head) is not page content and is left
alone.

The page's front matter is not content: the theme prints `title`, `description` and
`subtitle` into the head, the header and the navigation without escaping, so
`on_page_markdown` HTML-escapes every text value of it (for hand-written pages; the
generator's pages carry only their `brief_*` structured data).

MkDocs loads this file as a hook (`hooks:` in mkdocs.yml); `publish.run_mkdocs`
also registers it for every build, so a brief whose mkdocs.yml lacks the entry is
sanitised all the same.
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

import nh3

try:
    from mkdocs.plugins import event_priority
except ImportError:  # pragma: no cover - MkDocs is pinned; this keeps the module importable
    def event_priority(priority):  # type: ignore[no-redef]
        return lambda f: f

BRIEF_SANITIZER = True  # marks this module, loaded as a hook or imported, for publish.py
BRIEF_PARALLEL_SAFE = True  # acts on each page alone: brief/sitebuild.py may split the build

_HERE = Path(__file__).resolve().parent

if __package__ != "brief":  # loaded by MkDocs from its path: make the package importable
    if str(_HERE.parent) not in sys.path:
        sys.path.insert(0, str(_HERE.parent))
from brief.timeline_svg import SVG_ALLOWED  # noqa: E402 - the inline SVG timeline's allowlist

# What Python-Markdown (toc, footnotes, tables, attr_list) and our templates produce,
# plus the plain Markdown a hand-written page in docs/ may use.
TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "sup", "sub", "div", "span", "hr", "br",
    "ol", "ul", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr",
    "th", "td", "mark", "em", "strong", "b", "i", "u", "s", "del", "ins", "small", "abbr",
    "cite", "q", "blockquote", "code", "pre", "kbd", "samp", "var", "figure", "figcaption",
    "details", "summary", "time", "img",
} | set(SVG_ALLOWED)

ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},  # headerlink, footnote-ref and footnote-backref keep id, class, title too
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "p": {"data-search-exclude"},  # Material's search skips it (large briefs' source text)
    "time": {"datetime"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
for _tag, _attrs in SVG_ALLOWED.items():
    ATTRIBUTES.setdefault(_tag, set()).update(_attrs)
ATTRIBUTES = {tag: {a for a in attrs if not a.lower().startswith("on") and a.lower() != "style"}
              for tag, attrs in ATTRIBUTES.items()}

# Table column alignment (`tables: use_align_attribute: true` in mkdocs.yml) is an
# attribute with three possible values, instead of a style attribute.
TAG_ATTRIBUTE_VALUES = {"th": {"align": {"left", "right", "center"}},
                        "td": {"align": {"left", "right", "center"}}}

URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    """Clean one fragment of content HTML with the allowlist above."""
    return nh3.clean(
        html, tags=TAGS, clean_content_tags={"script", "style"}, attributes=ATTRIBUTES,
        tag_attribute_values=TAG_ATTRIBUTE_VALUES, url_schemes=URL_SCHEMES,
        strip_comments=True, link_rel=None)


def _escape_meta(value):
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [_escape_meta(v) for v in value]
    return value


def escape_meta(meta: dict) -> dict:
    """A page's front matter as the theme prints it: the theme's Jinja does not escape,
    so a hand-written page's `title: <img onerror=...>` would be live HTML in the header
    and `description: "><script>` would leave the <meta> tag. Every text value is
    HTML-escaped once (shown as typed). brief_* keys are the generator's structured data,
    escaped by overrides/main.html itself."""
    return {k: v if str(k).startswith("brief_") else _escape_meta(v) for k, v in meta.items()}


@event_priority(100)  # first: before any other plugin reads the front matter
def on_page_markdown(markdown, page=None, config=None, files=None, **kwargs):
    if page is not None and isinstance(getattr(page, "meta", None), dict):
        page.meta = escape_meta(page.meta)
    return markdown


@event_priority(-100)  # last: whatever other plugins add to the content is cleaned too
def on_page_content(html, page=None, config=None, files=None, **kwargs):
    return sanitize(html)
