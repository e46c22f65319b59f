"""Resolving citations: every quote must occur in the text of the source it cites.

Each source's text is normalised and joined once (an index), so checking a quote
is one substring search in one source, whatever the size of the brief.
Normalisation: NFC, whitespace collapsed, curly quotes and apostrophes made
straight. Case counts. A quote must lie within one paragraph (or heading), because
a citation links to the paragraph that holds it.
"""
from __future__ import annotations

import bisect
import collections
import difflib
import heapq
import itertools
import operator
import re
import string
import unicodedata
from dataclasses import dataclass, field

from .languages import language_name, same_language
from .models import Brief, Citation, Source
from .problems import Problems
from .validate import collapse, did_you_mean

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
})


_QUOTE_PAIRS = tuple((chr(k), v) for k, v in _QUOTES.items())


def straighten(text: str) -> str:
    """text.translate(_QUOTES), 30x faster: str.translate looks every character up in a
    dict, while `in` and replace scan in C (0.3 s against 0.01 s for the 8 MB of
    articles of the benchmark's `large` brief, issue 13)."""
    for curly, straight in _QUOTE_PAIRS:
        if curly in text:
            text = text.replace(curly, straight)
    return text


def normalise(text: str) -> str:
    """Normalise for matching. On text that is already collapsed and NFC (as source
    blocks are) this maps character for character, so offsets stay valid."""
    return straighten(collapse(unicodedata.normalize("NFC", text)))


_PUNCT = string.punctuation + "\u2026\u2013\u2014"


_NO_PUNCT = str.maketrans("", "", _PUNCT)


def _keys(words: list[str]) -> list[str]:
    """The words as the closest-passage search compares them: lower case, without
    punctuation; one key per word, empty for a word of punctuation only."""
    return " ".join(words).lower().translate(_NO_PUNCT).split(" ")


@dataclass(frozen=True)
class Target:
    source: Source
    anchor: str  # block anchor, e.g. "p3"
    start: int  # span of the quote within the block's text
    end: int


class SourceIndex:
    """A source's blocks, normalised and joined once, for quote lookups."""

    SEP = "\n"  # never inside a collapsed block, so a match cannot span two blocks

    def __init__(self, source: Source):
        self.source = source
        self._memo: dict[str, tuple[str, Target | None]] = {}
        self.offsets: list[int] = []
        pos = 0
        for block in source.blocks:
            self.offsets.append(pos)
            pos += len(block.text) + 1
        # (straightening maps character for character, so it can follow the join)
        self.joined = straighten(self.SEP.join([block.text for block in source.blocks]))

    def lookup(self, raw_quote: str) -> tuple[str, Target | None]:
        """The normalised quote and where it is (None when it is not in this source),
        remembered: a cached index (readcache.py) answers an unchanged quote again
        without a search."""
        known = self._memo.get(raw_quote)
        if known is None:
            quote = normalise(raw_quote)
            known = self._memo[raw_quote] = (quote, self.find(quote))
        return known

    def find(self, quote: str) -> Target | None:
        at = self.joined.find(quote)
        if at < 0:
            return None
        i = bisect.bisect_right(self.offsets, at) - 1
        start = at - self.offsets[i]
        return Target(self.source, self.source.blocks[i].anchor, start, start + len(quote))

    def spans_blocks(self, quote: str) -> bool:
        return self.joined.replace(self.SEP, " ").find(quote) >= 0

    # How many of the windows sharing the most words with the quote are compared in full.
    CANDIDATES = 40

    def closest(self, quote: str) -> tuple[str, str, str]:
        """The passage most like the quote: (anchor, passage, where they first differ).

        Bounded whatever the source's size: one pass counts, for every run of as many
        words as the quote, how many of the quote's words it holds (a prefix sum over
        the text's words); only the CANDIDATES runs holding the most are compared
        character by character (difflib), with one word fewer and one more. A quote
        missing from a 5 MB article gets its hint in under 2 s
        (benchmarks/bench_inputs.py)."""
        qwords = quote.split()
        n = len(qwords)
        wanted = set(_keys(qwords))
        blocks = [straighten(block.text).split() for block in self.source.blocks]
        # For each block, how many of the quote's words each run of n words holds
        # (C-speed: map, accumulate; no Python code per word).
        counts: list[list[int]] = []
        for words in blocks:
            hits = [0, *itertools.accumulate(map(wanted.__contains__, _keys(words)))]
            m = min(n, len(words))
            counts.append(list(map(operator.sub, hits[m:], hits[:len(hits) - m])) or [0])
        # The lowest count still among the CANDIDATES best runs.
        histogram = collections.Counter(itertools.chain.from_iterable(counts))
        threshold, seen = 0, 0
        for value in sorted(histogram, reverse=True):
            threshold, seen = value, seen + histogram[value]
            if seen >= self.CANDIDATES:
                break
        top = [(c, b, i) for b, cs in enumerate(counts) if max(cs) >= threshold
               for i, c in enumerate(cs) if c >= threshold]
        top = heapq.nlargest(self.CANDIDATES, top, key=lambda t: t[0])
        best: tuple[float, int, int, str, str] = (-1.0, 0, 0, "", "")
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(quote)
        for _, b, i in sorted(top, key=lambda t: (t[1], t[2])):  # text order: first best wins
            words = blocks[b]
            for start, size in sorted({(i, max(n - 1, 1)), (i, n), (i, n + 1),
                                       (max(i - 1, 0), n + 1)}):
                window = " ".join(words[start:start + size])
                matcher.set_seq1(window)
                if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
                    continue
                ratio = matcher.ratio()
                if ratio > best[0]:
                    best = (ratio, b, start, self.source.blocks[b].anchor, window)
        _, _, _, anchor, window = best
        k = next((i for i, (x, y) in enumerate(zip(quote, window)) if x != y),
                 min(len(quote), len(window)))
        diff = (f"they differ at character {k + 1}: the quote has {quote[k:k + 15]!r} "
                f"where the source has {window[k:k + 15]!r}") if window and window != quote else ""
        return anchor, window, diff


# What a person typing a quote does that no source can match, and what to say instead
# of "they differ at character 1" (issue 14).
_SKIP = re.compile(r"\.\.\.|\u2026|\[\s*(?:\.\.\.|\u2026)\s*\]|\(\s*(?:\.\.\.|\u2026)\s*\)")
_INSERTED = re.compile(r"\[[^\]]+\]")
# Characters that look alike (or like nothing): named when they are the difference.
_LOOKALIKE = set("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212 \u00a0\u2007\u2009\u200a"
                 "\u202f\u3000'`\u00b4\u2018\u2019\"\u201c\u201d")


_INVISIBLE = set("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def char_name(ch: str) -> str:
    return f"{unicodedata.name(ch, 'an unnamed character')} (U+{ord(ch):04X})"


def invisible_difference(quote: str, passage: str) -> str:
    """Name the first difference between quote and passage when it is one a reader
    cannot see (EN DASH for HYPHEN-MINUS, NO-BREAK SPACE for SPACE); else ''."""
    k = next((i for i, (x, y) in enumerate(zip(quote, passage)) if x != y), None)
    if k is None:
        return ""
    a, b = quote[k], passage[k]
    if a in _INVISIBLE or b in _INVISIBLE:
        return (f"the quote has {char_name(a)} where the source has {char_name(b)}; "
                f"{char_name(a if a in _INVISIBLE else b)} cannot be seen: copy the words "
                "from the source again")
    if (a in _LOOKALIKE and b in _LOOKALIKE) or (
            unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)):
        return (f"the quote has {char_name(a)} where the source has {char_name(b)}, "
                "which look alike: copy the characters from the source")
    return ""


def _col_of(problems: Problems, path: str, line: int, col: int, pattern: re.Pattern) -> int:
    """The column of the '...' or '[words]' on the quote's line, for the caret; else col."""
    lines = problems.lines.get(path) or []
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    m = pattern.search(text, max(col - 1, 0))
    return m.start() + 1 if m else col


def quote_problem(quote: str, source_id: str, index: "SourceIndex",
                  indexes: dict[str, "SourceIndex"]) -> tuple[str, str]:
    """The message and hint for a quote that is not in its source."""
    elsewhere = [sid for sid, other in indexes.items()
                 if sid != source_id and other.find(quote) is not None]
    if elsewhere:
        where = ", ".join(f"'{sid}' (sources/articles/{sid}.md)" for sid in elsewhere[:3])
        return (f"[quote] not in source '{source_id}', but in {where}",
                f"the words are right, the source is not: write 'source: {elsewhere[0]}'")
    if _SKIP.search(quote):
        return ("[quote] a quote cannot skip words: split it into two citations",
                "the source does not have these words together; cite the part before the "
                "'...' and the part after it as two citations of the same source")
    if _INSERTED.search(quote):
        return ("[quote] a quote cannot contain words in [brackets]: split it, or leave them "
                "out", "quote only words copied from the source; put your own words in the "
                "summary, and cite the parts around them as two citations")
    anchor, passage, diff = index.closest(quote)
    hint = f"closest passage ({source_id}.md, {anchor}): \"{passage}\""
    named = invisible_difference(quote, passage)
    if named:
        hint += f"; {named}"
    elif diff:
        hint += f"; {diff}"
    return (f"[quote] not found in source '{source_id}': expected words copied exactly "
            "from its text", hint)


@dataclass
class Resolution:
    targets: dict[Citation, Target] = field(default_factory=dict)
    # source id -> block anchor -> [(start, end, stance)] spans to mark
    marks: dict[str, dict[str, list[tuple[int, int, str]]]] = field(default_factory=dict)
    # source id -> stance -> number of quoted citations; source id -> via entity -> number
    stances: dict[str, dict[str, int]] = field(default_factory=dict)
    via: dict[str, dict[str, int]] = field(default_factory=dict)
    # source id -> [(kind, item)] in order of appearance; kind is "event", "faq", "entity", "home"
    cited_by: dict[str, list[tuple[str, object]]] = field(default_factory=dict)

    def times_cited(self, source_id: str) -> int:
        return len(self.cited_by.get(source_id, []))


def resolve_citations(brief: Brief, problems: Problems, cache=None) -> Resolution:
    """Check every citation's source and quote; with `cache` (a readcache.ReadCache), the
    index of a source read from the cache is reused, with the quotes it has looked up."""
    res = Resolution()
    if cache is None:
        indexes = {sid: SourceIndex(s) for sid, s in brief.sources.items()}
    else:
        cache.keep_indexes(brief.sources.values())
        indexes = {sid: cache.index(s, SourceIndex) for sid, s in brief.sources.items()}
    groups: list[tuple[str, object, list[Citation]]] = []
    if brief.settings is not None:
        # all key points are one citing item: the home page
        groups += [("home", brief.settings, kp.citations) for kp in brief.settings.key_points]
        groups += [("home", brief.settings, p.citations)
                   for p in brief.settings.lede + brief.settings.sources_note]
    groups += [("event", e, e.citations) for e in brief.events]
    groups += [("faq", f, f.citations) for f in brief.faq]
    groups += [("entity", e, e.citations) for e in brief.entities.values()]
    for _, _, citations in groups:
        for c in citations:
            if c.via and c.via not in brief.entities:
                problems.add(c.path, c.line, c.col,
                             f"[via] unknown entity '{c.via}': expected the id of an entry "
                             "in sources/entities.yml",
                             did_you_mean(c.via, brief.entities) or
                             "add the agency or person whose words the source reports "
                             "to sources/entities.yml")
    seen: set[tuple[str, int]] = set()  # (source, citing item) pairs already in cited_by
    brief_lang = brief.settings.language if brief.settings is not None else "en"
    # (the loop below runs once per citation, 30,000 at the benchmark's `large` size:
    # the Resolution's dicts are bound to local names, issue 13)
    targets, marks, stances, cited_by = res.targets, res.marks, res.stances, res.cited_by
    for kind, item, citations in groups:
        item_id = id(item)
        for c in citations:
            index = indexes.get(c.source)
            if index is None and (brief.root / "sources/articles" / f"{c.source}.md").is_file():
                continue  # the source's file has errors of its own, reported where they are
            if index is None:
                hint = did_you_mean(c.source, indexes) or (
                    f"known sources: {', '.join(sorted(indexes)[:8])}" if indexes else "")
                problems.add(c.path, c.line, c.col,
                             f"[source] unknown source '{c.source}': expected the id of a file "
                             f"in sources/articles/", hint)
                continue
            pair = (c.source, item_id)
            if pair not in seen:
                seen.add(pair)
                cited_by.setdefault(c.source, []).append((kind, item))
            if not c.quote:
                continue
            if c.translation and same_language(index.source.language, brief_lang):
                problems.add(c.path, c.translation_line or c.line, c.translation_col or c.col,
                             f"[translation] source '{c.source}' is already in the brief's "
                             f"language ({language_name(index.source.language)}, "
                             f"'{index.source.language}'): its quote needs no translation",
                             hint="remove 'translation:' (and 'translation_source:'), or, if "
                                  "the source is in another language, correct 'language:' in "
                                  f"sources/articles/{c.source}.md")
            quote, target = index._memo.get(c.quote) or index.lookup(c.quote)
            if target is None:
                line, col = (c.quote_line, c.quote_col) if c.quote_line else (c.line, c.col)
                if index.spans_blocks(quote):
                    problems.add(c.path, line, col,
                                 f"[quote] the quote runs across two paragraphs of '{c.source}'",
                                 hint="quote from one paragraph; cite each paragraph separately")
                    continue
                message, hint = quote_problem(quote, c.source, index, indexes)
                if "skip words" in message or "[brackets]" in message:
                    col = _col_of(problems, c.path, line, col,
                                  _SKIP if "skip" in message else _INSERTED)
                problems.add(c.path, line, col, message, hint)
                continue
            targets[c] = target
            marks.setdefault(c.source, {}).setdefault(target.anchor, []).append(
                (target.start, target.end, c.stance))
            counts = stances.setdefault(c.source, {})
            counts[c.stance] = counts.get(c.stance, 0) + 1
            if c.via:
                res.via.setdefault(c.source, {}).setdefault(c.via, 0)
                res.via[c.source][c.via] += 1
    return res
