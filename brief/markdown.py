"""Placing untrusted text into Markdown safely.

Every value a template prints goes through `escape_md` (it is Jinja's `finalize`),
unless the code marked it as Markdown it built itself (`markupsafe.Markup`). The
characters that could start Markdown or HTML syntax become numeric character
references, which Python-Markdown passes through untouched and browsers display as
the characters they stand for: so `<script>`, `[x](javascript:...)`, `{: onclick=...}`,
`{{ 7*7 }}` and `*emphasis*` all appear as the literal text that was typed.
"""
from __future__ import annotations

import functools
import re
from urllib.parse import quote

from markupsafe import Markup

_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>&!|~^=:$@\"'"}
_TABLE = str.maketrans(_SPECIAL)
# Constructs that only mean something at the start of a line.
_LINE_START = re.compile(r"^(\s*)([#+\-]|\d+(?=[.)]))")


_ANY_SPECIAL = re.compile("[" + re.escape("".join(_SPECIAL)) + "]")


def _escape(text: str) -> str:
    if _ANY_SPECIAL.search(text):  # str.translate costs ~2 us even when nothing changes
        text = text.translate(_TABLE)
    if _LINE_START.match(text):
        text = _LINE_START.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)),
                               text)
    return text.replace("\n", " ")


# The same titles and names are printed thousands of times in a large brief (every
# footnote repeats its source's title): their escaped form is kept.
_escape_text = functools.lru_cache(maxsize=200_000)(_escape)


def escape_md(value) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return _escape_text(value)
    if isinstance(value, Markup):
        return str(value)
    return _escape(str(value))


def url_path(path: str) -> str:
    """Percent-encode a path built from ids for use as a Markdown link target."""
    return quote(path, safe="/#.-_~")


def text_fragment(quote_text: str) -> str:
    """A URL text fragment (#:~:text=) that scrolls the original page to the quote.

    Long quotes use the 'start,end' form with a few words at each end, which is more
    robust to the publisher's markup splitting the passage.
    """
    words = quote_text.split()

    def enc(s: str) -> str:
        return quote(s, safe="").replace("-", "%2D")

    if len(words) > 10:
        return ":~:text=" + enc(" ".join(words[:4])) + "," + enc(" ".join(words[-4:]))
    return ":~:text=" + enc(quote_text)


@functools.lru_cache(maxsize=4096)  # (a source's URL, in each of its many footnotes)
def _safe_url(url: str) -> str:
    return quote(url, safe=":/?#[]@!$&*+,;=%~-._")  # parentheses and quotes are encoded


def external_url(url: str, quote_text: str = "") -> str:
    """An http(s) URL (validated at input) made safe inside a Markdown link target,
    with a text fragment for the quote when there is one."""
    base = _safe_url(url)
    if quote_text:
        base = base.split("#")[0] + "#" + text_fragment(quote_text)
    return base
