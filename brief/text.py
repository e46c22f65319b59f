"""Decoding input files: UTF-8 only, one normal form, no invisible tricks.

Text arrives from hand-edited YAML and from pages pasted off the web, so bytes are
checked before anything parses them: invalid UTF-8, control characters and
bidirectional overrides (CVE-2021-42574, "Trojan Source") are errors at their
line:col; a BOM and CRLF line endings are accepted; everything is normalised to NFC
so a quote matches however an accent was typed.
"""
from __future__ import annotations

import re
import unicodedata

from .problems import Problems

MAX_FILE_BYTES = 5_000_000

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]"
)
_ZERO_WIDTH_IN_WORD = re.compile(r"(?<=\w)[\u200b\u200c\u200d\u2060\ufeff](?=\w)")
# The look-behind above is tried at every character (0.3 s over the 17 MB of the
# benchmark's `large` brief, issue 13); a plain scan for the characters first is 6x faster.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def _joiner_needed(text: str, i: int) -> bool:
    """ZERO WIDTH NON-JOINER and JOINER are part of the spelling in Persian, Urdu, the
    Indic scripts and others (Persian "می‌خواهم" needs its ZWNJ): not a stray character
    when a letter beside it is from such a script (anything from Hebrew, U+0590, on)."""
    if text[i] not in "\u200c\u200d":
        return False
    return any(ch >= "\u0590" for ch in (text[i - 1], text[i + 1]))


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def forbidden_character(text: str) -> str | None:
    """Name the first control or bidirectional override character in text, or None: for
    values that YAML escapes produce ("\\u202e", "\\0"), which the byte check cannot see."""
    m = _FORBIDDEN.search(text)
    if not m:
        return None
    ch = m.group()
    kind = "bidirectional override" if "\u202a" <= ch <= "\u2069" else "control"
    return f"{kind} character U+{ord(ch):04X}"


def decode_text(data: bytes, path: str, problems: Problems) -> str | None:
    """Return the file's text (LF line endings, NFC), or None after reporting why not."""
    if len(data) > MAX_FILE_BYTES:
        problems.add(path, 1, 1, f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                     hint="split it into several smaller files")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", "replace").replace("\r\n", "\n")
        line, col = _line_col(good, len(good))
        problems.add(path, line, col, f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
                     hint="save the file as UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems.lines[path] = text.split("\n")
    bad = False
    for m in _FORBIDDEN.finditer(text):
        line, col = _line_col(text, m.start())
        ch = m.group()
        kind = "bidirectional override" if "\u202a" <= ch <= "\u2069" else "control"
        problems.add(path, line, col, f"{kind} character U+{ord(ch):04X} is not allowed",
                     hint="delete it; it is invisible and can disguise what the text says")
        bad = True
    if bad:
        return None
    for m in _ZERO_WIDTH_IN_WORD.finditer(text) if _ZERO_WIDTH.search(text) else ():
        if _joiner_needed(text, m.start()):
            continue
        line, col = _line_col(text, m.start())
        problems.add(path, line, col,
                     f"zero-width character U+{ord(m.group()):04X} inside a word",
                     hint="it breaks search and quote matching; delete it unless intended",
                     severity="warning")
    return unicodedata.normalize("NFC", text)
