"""How a raw text is laid out: its paragraphs, and which lines are headings (issue 11).

The importer (brief/importer.py) calls these pure functions. Every test of a line is
made with Unicode properties (through the `regex` package), not with an ASCII list,
so that the same rules hold for Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari and
CJK text:

- a line *ends a sentence* when its last character is punctuation (`\\p{P}`: `.`, `!`,
  `?`, `。`, `？`, `！`, `؟`, `।`, closing quotes and brackets...);
- a *sentence ends inside* a line at a Sentence_Terminal character followed by a space,
  or directly by an ideograph (Chinese and Japanese put no space after `。`);
- *words* are counted as runs of letters or digits between spaces, except in scripts
  written without spaces between words: there each ideograph or kana (Line_Break class
  ID) counts as a word, so a Chinese sentence is as long as its characters.

Each decision that changes the text's shape is returned as a `Decision`, so that the
importer can print every line it turned into a heading and every run of lines it joined.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

HEADING_MAX_WORDS = 12  # "Frequently asked questions about the relationship between China and Cuba"
QUESTION_MAX_WORDS = 25

_WIDE = regex.compile(r"\p{Line_Break=Ideographic}")
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_SENTENCE_END_INSIDE = regex.compile(
    r"\p{Sentence_Terminal}[\p{Pf}\p{Pe}\"']*(?:\s|(?=\p{Line_Break=Ideographic}))")
_LETTER = regex.compile(r"\p{L}")
# Lines that are not headings whatever their length: a list item, a link or address,
# a "key: value" line, a command or code.
_LIST_ITEM = regex.compile(r"^(?:[-*+•‣◦▪·–—]\s|\(?(?:\p{N}{1,3}|\p{L})[.)]\s)")
_ADDRESS = regex.compile(r"://|^www\.|\S@\S+\.\p{L}")
_KEY_VALUE = regex.compile(r"^[^\s:：]{1,30}(?:\s[^\s:：]{1,30}){0,2}[:：]\s*\S")
_CODE = regex.compile(r"^(?:\$|%|>>>|>|#!|sudo|C:\\)\s|`|&&|\|\||[{};=<>\\]|(?:^|\s)--?[a-z]")
_INDENTED = regex.compile(r"^(?: {4}|\t)")


@dataclass(frozen=True)
class Decision:
    """One change to the text's shape, for the importer's report."""

    line: int  # 1-based line of the raw text
    what: str  # "heading", "question", "joined", "kept"
    text: str
    why: str

    def format(self) -> str:
        return f"line {self.line}: {self.what}: {self.text[:70]!r} ({self.why})"


@dataclass(frozen=True)
class Block:
    """A paragraph of the raw text (one line, or several joined), and where it started."""

    line: int
    text: str
    kind: str = "p"  # "h2" (subheading), "h3" (question of an FAQ block), "p" (paragraph)
    literal: bool = False  # an indented (code) line: never a heading


def count_words(line: str) -> int:
    """Words of a line: ideographs and kana count one each, other scripts by runs of
    letters and digits."""
    wide = len(_WIDE.findall(line))
    return wide + len(_WORD.findall(_WIDE.sub(" ", line)))


def ends_with_punctuation(line: str) -> bool:
    return bool(line) and unicodedata.category(line[-1]).startswith("P")


def ends_with_question_mark(line: str) -> bool:
    # QUESTION MARK, FULLWIDTH QUESTION MARK, ARABIC QUESTION MARK, SMALL QUESTION MARK...
    # (GREEK QUESTION MARK is a semicolon after NFC, so it cannot be told apart.)
    # but not INVERTED QUESTION MARK, which opens a Spanish question.
    name = unicodedata.name(line[-1], "") if line else ""
    return name.endswith("QUESTION MARK") and not name.startswith("INVERTED")


def why_not_heading(line: str) -> str | None:
    """The reason a line that looks short enough is still not a heading, or None."""
    if not _LETTER.search(line):
        return "no letters"
    if _LIST_ITEM.search(line):
        return "a list item"
    if _ADDRESS.search(line):
        return "a link or address"
    if _KEY_VALUE.search(line):
        return "a 'key: value' line"
    if _CODE.search(line):
        return "a command or code"
    return None


def is_subheading(line: str) -> bool:
    return (count_words(line) <= HEADING_MAX_WORDS and not ends_with_punctuation(line)
            and not _SENTENCE_END_INSIDE.search(line) and why_not_heading(line) is None)


def is_question(line: str) -> bool:
    return (ends_with_question_mark(line) and count_words(line) <= QUESTION_MAX_WORDS
            and not _SENTENCE_END_INSIDE.search(line[:-1]) and why_not_heading(line) is None)


def _collapse(line: str) -> str:
    return " ".join(line.split())


def split_lines(text: str) -> list[Block]:
    """One paragraph per non-empty line (the layout of text copied off a web page)."""
    return [Block(n, _collapse(raw)) for n, raw in enumerate(text.split("\n"), 1)
            if raw.strip()]


def _join(left: str, right: str) -> str:
    """Join two wrapped lines: no space between two ideographs (or after a CJK full
    stop), one space otherwise."""
    if _WIDE.match(right[0]) and (_WIDE.match(left[-1]) or
                                  unicodedata.east_asian_width(left[-1]) in "WF"):
        return left + right
    return left + " " + right


def unwrap_lines(text: str) -> tuple[list[Block], list[Decision]]:
    """Hard-wrapped text: blank lines separate paragraphs, and the lines of a paragraph
    are joined. A list item or an indented (code) line starts a paragraph of its own and
    is never joined to the lines around it."""
    blocks: list[Block] = []
    decisions: list[Decision] = []
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if not run:
            return
        joined = run[0][1]
        for _, part in run[1:]:
            joined = _join(joined, part)
        blocks.append(Block(run[0][0], joined))
        if len(run) > 1:
            decisions.append(Decision(run[0][0], "joined", joined,
                                      f"lines {run[0][0]}-{run[-1][0]} into one paragraph"))
        run.clear()

    for n, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            flush()
            continue
        line = _collapse(raw)
        if _INDENTED.match(raw) or _LIST_ITEM.search(line):
            flush()
            blocks.append(Block(n, line, literal=bool(_INDENTED.match(raw))))
            decisions.append(Decision(n, "kept", line, "a list item or code line: "
                                      "its own paragraph, not joined"))
        else:
            run.append((n, line))
    flush()
    return blocks, decisions


def looks_hard_wrapped(blocks: list[Block]) -> bool:
    """Most lines stop mid-sentence and the next one carries on in lower case: the
    text was wrapped at a fixed width, and --unwrap would join it."""
    pairs = list(zip(blocks, blocks[1:]))
    if len(pairs) < 3:
        return False
    carried = sum(1 for a, b in pairs
                  if not ends_with_punctuation(a.text) and b.text[:1].islower())
    return carried * 2 > len(pairs)


def mark_headings(blocks: list[Block], mode: str) -> tuple[list[Block], list[Decision]]:
    """Decide which blocks are headings. mode "none": none are. mode "auto": a short
    line without final punctuation (not a list item, link, key: value line or code) is a
    subheading, unless the next line carries on its sentence (starts in lower case);
    from a subheading directly followed by a question on (an outlet's FAQ block), each
    short question is a question heading and the blocks after it its answer."""
    if mode == "none":
        return list(blocks), []
    out: list[Block] = []
    decisions: list[Decision] = []
    in_faq = False
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1].text if i + 1 < len(blocks) else ""
        if (not block.literal and is_subheading(block.text)
                and not (nxt[:1].islower() and nxt[:1].isalpha())):
            out.append(Block(block.line, block.text, "h2"))
            decisions.append(Decision(block.line, "heading", block.text,
                                      "a short line without final punctuation"))
            in_faq = bool(nxt) and is_question(nxt)
        elif in_faq and is_question(block.text):
            out.append(Block(block.line, block.text, "h3"))
            decisions.append(Decision(block.line, "question", block.text,
                                      "a short question inside the FAQ block that starts "
                                      "at the heading above it"))
        else:
            out.append(block)
    return out, decisions
