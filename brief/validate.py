"""Checking YAML nodes against the field definitions in `fields.py`.

Every problem is reported at the line and column of the value (or key) at fault,
with what was expected; nothing stops at the first problem.
"""
from __future__ import annotations

import difflib
import re
import unicodedata

from . import fields as F
from .dates import parse_date
from .edtf import SYNTAX_HINT, parse_edtf
from .models import Citation, Paragraph
from .problems import Problems
from .yamlfile import Map, Node, Scalar, Seq

_WS = re.compile(r"\s+")
_PARA_SPLIT = re.compile(r"\n\s*\n")


class Loc(str):
    """A string that remembers where in its file it was written."""

    line: int
    col: int

    def __new__(cls, value: str, line: int, col: int) -> "Loc":
        obj = super().__new__(cls, value)
        obj.line, obj.col = line, col
        return obj

    def __reduce__(self):  # (pickle would call __new__ with the text only)
        return Loc, (str(self), self.line, self.col)


def collapse(text: str) -> str:
    """Whitespace runs as one space, none at the ends. (str.split() splits at exactly the
    characters `\\s` matches and is several times faster than _WS.sub: this runs on every
    value of every file, issue 13.)"""
    return " ".join(text.split())


def did_you_mean(word: str, choices, what: str = "") -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


# What a value of each kind looks like, for hints that say what is expected.
EXPECTED = {
    "id": "an id: lower-case letters, digits and single hyphens",
    "tag": "an id: lower-case letters, digits and single hyphens",
    "date": "a date: YYYY, YYYY-MM or YYYY-MM-DD",
    "date|unknown": "a date: YYYY, YYYY-MM or YYYY-MM-DD",
    "edtf": "a date: YYYY, YYYY-MM or YYYY-MM-DD, or an EDTF form (2025-06?, 2025-06/2025-09, "
            "[..2025-06])",
    "edtf|unknown": "a date: YYYY, YYYY-MM or YYYY-MM-DD, or an EDTF form (2025-06?, "
                    "2025-06/2025-09, [..2025-06])",
    "url": "the full address starting with https://",
    "lang": "a BCP 47 language code such as en, es or zh-Hans",
}
_EMPTY_HINT = "write the value after the colon (or, for a text, indented on the lines below it)"


# A placeholder left in a value: TODO (also TBD, FIXME) in capitals anywhere, or in
# any case as the whole value or followed by a colon ("todo: ask"). Lower-case "todo"
# inside a sentence is a word in Spanish and Portuguese ("todo el mundo"), so it stays.
_PLACEHOLDER = re.compile(r"\b(?:TODO|TBD|FIXME)\b|(?i:\b(?:todo|tbd|fixme)\s*:|"
                          r"^\W*(?:todo|tbd|fixme)\W*$)")


def find_placeholder(text: str) -> re.Match | None:
    # Every match holds "todo", "tbd" or "fixme" in some case; of the letters in them
    # only 'i' has a non-ASCII case partner (U+0130, U+0131), so "xme" stands for fixme.
    # The substring test lets the regular expression run on a few values, not on all.
    low = text.lower()
    if "todo" not in low and "tbd" not in low and "xme" not in low:
        return None
    return _PLACEHOLDER.search(text)


def unknown_allowed(record: F.Record | None, fdef: F.Field | None) -> bool:
    if fdef is None:
        return True  # (a value outside any record: nothing to say)
    return fdef.kind in ("date|unknown", "edtf|unknown") or (
        record is not None and fdef.name in F.UNKNOWN_ALLOWED.get(record.name, ()))


def placeholder_hint(kind: str, fdef: F.Field | None = None,
                     record: F.Record | None = None) -> str:
    """How to replace a placeholder: 'unknown' is offered only where it is accepted,
    deleting the line only where the field is optional."""
    expected = EXPECTED.get(kind) or (
        "one of: " + ", ".join(kind[5:].split("|")) if kind.startswith("enum:") else "")
    hint = "replace it with the real value" + (f" ({expected})" if expected else "")
    if fdef is None:
        return hint
    if unknown_allowed(record, fdef):
        hint += ", or 'unknown' if it is not known"
    if not fdef.required:
        hint += f"; '{fdef.name}' is optional: if there is nothing to say, delete the line"
    return hint


_MONTHS = {m[:3].casefold(): i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), 1)}


def date_hint(text: str) -> str:
    """What to type instead of a date that is not YYYY, YYYY-MM or YYYY-MM-DD."""
    if any(c.isdigit() and not c.isascii() for c in text):
        ascii_digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
        return f"type the digits 0-9 on a Latin keyboard: '{ascii_digits}'"
    words = re.findall(r"[A-Za-z]+|[0-9]+", text)
    month = next((_MONTHS[w[:3].casefold()] for w in words if w[:3].casefold() in _MONTHS), None)
    year = next((w for w in words if len(w) == 4 and w.isdigit()), None)
    day = next((w for w in words if len(w) <= 2 and w.isdigit() and 1 <= int(w) <= 31), None)
    if month and year:
        better = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
        return f"write '{better}'" + ("" if day else " (year-month)")
    return ""


def _quick(node: Scalar, kind: str) -> str | None:
    """The value of a text, id or tag that has nothing wrong with it, as the general
    path in Checker.value returns it; None when it needs that path."""
    raw = node.value
    if kind == "text":
        if not node.comment_col:
            text = " ".join(raw.split())  # collapse(raw)
            # ('unknown' is refused in most fields; casefold() never shortens a text)
            if text and not (len(text) <= 7 and text.casefold() == F.UNKNOWN) \
                    and not find_placeholder(raw):
                return text
    elif len(raw) <= F.ID_MAX and F.ID_RE.match(raw) and raw not in F.RESERVED_IDS \
            and raw != F.UNKNOWN and raw not in _ID_PLACEHOLDERS:
        return Loc(raw, node.line, node.col)
    return None


# The only ids (lower-case letters, digits, single inner hyphens) that _PLACEHOLDER
# matches: the rest of it needs capitals, a ':' or a space.
_ID_PLACEHOLDERS = frozenset({"todo", "tbd", "fixme"})


def _quick_prose(node: Scalar) -> list[str] | None:
    """Checker.value(node, "prose", ...) when it reports nothing; else None."""
    raw = node.value
    if node.comment_col or find_placeholder(raw):
        return None
    paras = [p for p in map(collapse, _PARA_SPLIT.split(raw.strip())) if p]
    # (the collapsed whole is the paragraphs joined by spaces: 'unknown' only if one)
    if len(paras) == 1 and len(paras[0]) <= 7 and paras[0].casefold() == F.UNKNOWN:
        return None
    return paras or None


def _quick_edtf(node: Scalar):
    """Checker.value(node, "edtf", ...) when it reports nothing; else None."""
    raw = node.value
    text = " ".join(raw.split())
    if not text or (len(text) <= 7 and text.casefold() == F.UNKNOWN) or find_placeholder(raw):
        return None
    return parse_edtf(text)[0]


class Checker:
    """Turns nodes into plain values for one file, collecting problems."""

    def _quick_record(self, node: Map, record: F.Record) -> dict | None:
        """What `record` returns for an entry with nothing wrong in it (every key a field,
        every required field there, every value right), built without the general
        path's labels and dispatch: 10,000 events at the benchmark's `large` size
        (issue 13). None, having reported nothing, when anything needs the general path."""
        by_name = record._by_name
        pairs = node.pairs
        for name in record.required:
            if name not in pairs:
                return None
        out: dict = {}
        for key, (_, vnode) in pairs.items():
            fdef = by_name.get(key)
            if fdef is None:
                return None
            kind = fdef.kind
            kind_of = type(vnode)
            if kind_of is Scalar:
                if kind == "text" or kind == "id" or kind == "tag":
                    value = _quick(vnode, kind)
                elif kind == "prose":
                    value = _quick_prose(vnode)
                elif kind == "edtf":
                    value = _quick_edtf(vnode)
                else:
                    return None
            elif kind_of is Seq:
                if kind == "list:record:citation":
                    value = [self._quick_citation(item) if type(item) is Map else None
                             for item in vnode.items]
                elif kind == "list:tag" or kind == "list:id":
                    value = [_quick(item, kind[5:]) if type(item) is Scalar else None
                             for item in vnode.items]
                else:
                    return None
                if any(v is None for v in value):
                    return None
            else:
                return None
            if value is None:
                return None
            out[key] = value
        return out

    def _quick_citation(self, node: Map) -> Citation | None:
        """A citation of only `source:` and, maybe, `quote:`, both right, as the general
        path returns it (20,000 of them at the benchmark's `large` size); else None."""
        pairs = node.pairs
        if not 0 < len(pairs) <= 2:
            return None
        snode = pairs.get("source", (None, None))[1]
        qnode = pairs.get("quote", (None, None))[1]
        if type(snode) is not Scalar or (len(pairs) == 2 and type(qnode) is not Scalar):
            return None
        source = _quick(snode, "id")
        quote = _quick(qnode, "text") if qnode is not None else ""
        if source is None or quote is None:
            return None
        return Citation(source, quote, self.path, node.line, node.col,
                        quote_col=qnode.col if qnode else 0,
                        quote_line=qnode.line if qnode else 0)

    def __init__(self, path: str, problems: Problems):
        self.path = path
        self.problems = problems

    def error(self, node: Node, message: str, hint: str = "") -> None:
        self.problems.add(self.path, node.line, node.col, message, hint)

    # -- records ---------------------------------------------------------
    def record(self, node: Node, record: F.Record, where: str = "") -> dict | None:
        """Check a mapping against a record; return {field: value} (None if not a mapping)."""
        if type(node) is Map:
            quick = self._quick_record(node, record)
            if quick is not None:
                return quick
        return self._general_record(node, record, where)

    def _general_record(self, node: Node, record: F.Record, where: str = "") -> dict | None:
        ctx = f"{where}: " if where else ""
        if not isinstance(node, Map):
            self.error(node, f"{ctx}expected a mapping of fields ({record.title.lower()}), "
                             f"found {node.kind}",
                       hint="fields are written 'name: value', one per line")
            return None
        out: dict = {}
        names = record.names
        missing = [name for name in record.required if name not in node.pairs]
        by_name = record._by_name
        for key, (knode, vnode) in node.pairs.items():
            fdef = by_name.get(key)
            if fdef is None:
                if key.startswith("-") and record.field(key[1:].strip()):
                    self.error(knode, f"{ctx}[{key}] a '-' without a space after it",
                               f"put a space after the '-': '- {key[1:].strip()}:'")
                    continue
                close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
                typo = next((c for c in close if c in missing), None)
                if typo:  # one error, not "unknown field" and "missing field"
                    missing.remove(typo)
                    self.error(knode, f"{ctx}[{key}] is not a field: did you mean '{typo}'?",
                               hint=f"correct the spelling to '{typo}:' "
                                    f"({record.field(typo).description})")
                    continue
                hint = did_you_mean(key, names) or ("allowed fields: " + ", ".join(names))
                self.error(knode, f"{ctx}[{key}] unknown field in {record.title.lower()}", hint)
                continue
            value = self.value(vnode, fdef.kind, f"{ctx}[{key}]", fdef, record)
            if value is not None:
                out[key] = value
        for name in missing:
            desc = record.field(name).description
            self.error(node, f"{ctx}[{name}] missing required field", hint=f"add '{name}:': {desc}")
        return out

    # -- values ----------------------------------------------------------
    def value(self, node: Node, kind: str, label: str, fdef: F.Field | None = None,
              record: F.Record | None = None):
        # The most common values, when they are right, without the general path's tests
        # (issue 13); anything else goes on to it, which reports what is wrong.
        if type(node) is Scalar and (kind == "text" or kind == "id" or kind == "tag"):
            quick = _quick(node, kind)
            if quick is not None:
                return quick
        elif kind == "record:citation" and type(node) is Map:
            quick = self._quick_citation(node)
            if quick is not None:
                return quick
        return self._general_value(node, kind, label, fdef, record)

    def _general_value(self, node: Node, kind: str, label: str, fdef: F.Field | None = None,
                       record: F.Record | None = None):
        if kind == "paragraphs":
            # Plain prose (the older form), or a list of {text, citations} records.
            if isinstance(node, Seq):
                items = self.value(node, "list:record:paragraph", label)
                if items is not None and not items and not node.items:
                    self.error(node, f"{label} must not be empty", hint=_EMPTY_HINT)
                    return None
                return None if items is None else [
                    Paragraph(collapse(i["text"]), i.get("citations", []))
                    for i in items if "text" in i]
            paras = self.value(node, "prose", label)
            return None if paras is None else [Paragraph(p, []) for p in paras]
        if kind.startswith("list:"):
            if isinstance(node, Scalar) and not node.value.strip():
                if kind == "list:record:citation":
                    self.error(node, f"{label} is empty: add at least one citation under it",
                               hint="on the lines below, indented: '- source: ID' and, under "
                                    "it, 'quote: words copied from the source'")
                else:
                    self.error(node, f"{label} is empty",
                               hint="add the items below it, one '- item' per line, or "
                                    "delete the line")
                return None
            if isinstance(node, Map) and any(k.startswith("-") for k in node.pairs):
                key = next(k for k in node.pairs if k.startswith("-"))
                self.error(node.pairs[key][0], f"{label} a '-' without a space after it",
                           hint=f"put a space after the '-' that starts a list item: "
                                f"'- {key[1:].strip()}:'")
                return None
            if not isinstance(node, Seq):
                self.error(node, f"{label} expected a list (one '- item' per line), found {node.kind}",
                           hint="write each item on its own line, starting with '- ', or all "
                                "of them in brackets: [a, b]")
                return None
            items = [self.value(item, kind[5:], f"{label}[{i + 1}]", fdef, record)
                     for i, item in enumerate(node.items)]
            return [v for v in items if v is not None]
        if kind.startswith("record:"):
            rec = F.RECORDS[kind[7:]]
            data = self.record(node, rec, label)
            if data is None or rec is not F.CITATION:
                return data
            if "source" not in data:
                return None
            qnode = node.pairs.get("quote", (None, None))[1]
            tnode = node.pairs.get("translation", (None, None))[0]
            if "translation" in data and "quote" not in data:
                self.error(tnode, f"{label} [translation] a translation needs the quote it "
                           "translates", hint="add 'quote:' with the words in the source's "
                           "language, copied from its text; the translation goes with it")
                return None
            snode = node.pairs.get("translation_source", (None, None))[0]
            if "translation_source" in data and "translation" not in data:
                self.error(snode, f"{label} [translation_source] says who translated a "
                           "translation, but there is no 'translation:'",
                           hint="add 'translation:' with the quote in the brief's language, "
                                "or remove this line")
                return None
            return Citation(data["source"], data.get("quote", ""), self.path, node.line, node.col,
                            quote_col=qnode.col if qnode else 0,
                            quote_line=qnode.line if qnode else 0,
                            via=data.get("via", ""), stance=data.get("stance", "supports"),
                            translation=collapse(data.get("translation", "")),
                            translation_source=collapse(data.get("translation_source", "")),
                            translation_line=tnode.line if tnode else 0,
                            translation_col=tnode.col if tnode else 0)
        if not isinstance(node, Scalar):
            self.error(node, f"{label} expected text, found {node.kind}",
                       hint="quote the value if it contains ': ', '[' or '{'")
            return None
        raw = node.value
        text = collapse(raw)
        if find_placeholder(raw):
            self.error(node, f"{label} is still a placeholder: {text!r}",
                       hint=placeholder_hint(kind, fdef, record))
            return None
        if node.comment_col and kind in ("text", "prose"):
            # `title: Talks #1` would publish "Talks": YAML reads ' #...' as a comment
            self.problems.add(self.path, node.comment_line, node.comment_col,
                              f"{label} ' #' starts a YAML comment, so the text stops before it",
                              hint="put the whole value in double quotes to keep the '#' and "
                                   "what follows (e.g. title: \"Talks #1 in Beijing\")")
            return None
        if text.casefold() == F.UNKNOWN and not unknown_allowed(record, fdef):
            what = fdef.name if fdef else "value"
            self.error(node, f"{label} 'unknown' is not accepted here",
                       hint=f"write the {what}" + (
                           "; it is optional: if it is not known, delete the line"
                           if fdef and not fdef.required else
                           "; only a source's publisher, author, url, published and retrieved "
                           "may be 'unknown'"))
            return None
        if kind == "prose":
            paras = [collapse(p) for p in _PARA_SPLIT.split(raw.strip())]
            paras = [p for p in paras if p]
            if not paras:
                self.error(node, f"{label} must not be empty", hint=_EMPTY_HINT)
                return None
            return paras
        if not text:
            self.error(node, f"{label} must not be empty", hint=_EMPTY_HINT)
            return None
        if kind == "text":
            return text
        if kind in ("id", "tag"):
            if len(text) > F.ID_MAX:
                self.error(node, f"{label} '{text}' is longer than {F.ID_MAX} characters",
                           hint=f"shorten it to at most {F.ID_MAX} characters: lower-case letters, "
                                "digits and single hyphens")
                return None
            if not F.ID_RE.match(text):
                stem = re.sub(r"\.(md|ya?ml|txt)$", "", text, flags=re.I)
                suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
                if stem != text and F.ID_RE.match(stem):
                    hint = f"an id is the file name without '{text[len(stem):]}': write '{stem}'"
                else:
                    hint = f"e.g. '{suggestion}'" if suggestion else ""
                self.error(node, f"{label} '{text}' is not a valid {kind}: use lower-case letters, "
                                 "digits and single hyphens", hint=hint)
                return None
            if text in F.RESERVED_IDS:
                self.error(node, f"{label} '{text}' is a reserved file name on Windows",
                           hint=f"ids become file names; choose another, e.g. '{text}-1'")
                return None
            return Loc(text, node.line, node.col)
        if kind in ("edtf", "edtf|unknown"):
            if kind == "edtf|unknown" and text == F.UNKNOWN:
                return F.UNKNOWN
            when, reason, hint = parse_edtf(text)
            if when is None:
                extra = " (or 'unknown')" if kind == "edtf|unknown" else ""
                # a month name or other digits: say what to type (date_hint); else the
                # EDTF parser's own hint
                self.error(node, f"{label} {reason}",
                           hint=(date_hint(text) or hint or SYNTAX_HINT) + extra)
            return when
        if kind in ("date", "date|unknown"):
            if kind == "date|unknown" and text == F.UNKNOWN:
                return F.UNKNOWN
            date, reason = parse_date(text)
            if date is None:
                extra = " or 'unknown'" if kind == "date|unknown" else ""
                self.error(node, f"{label} {reason}{extra}", hint=date_hint(text))
            return date
        if kind == "url":
            if text == F.UNKNOWN:
                return ""
            if not re.fullmatch(F.URL_PATTERN[:-1], text):
                self.error(node, f"{label} '{text}' is not an http(s) URL",
                           hint="write the full address starting with https:// (or 'unknown')")
                return None
            return text
        if kind == "lang":
            if not re.fullmatch(F.LANG_PATTERN[:-1], text, re.ASCII):
                self.error(node, f"{label} '{text}' is not a language code",
                           hint="use a BCP 47 code such as en, es or zh-Hans")
                return None
            return text
        if kind.startswith("enum:"):
            options = kind[5:].split("|")
            if text not in options:
                self.error(node, f"{label} '{text}' is not one of: {', '.join(options)}",
                           hint=did_you_mean(text, options))
                return None
            return text
        raise AssertionError(f"unknown field kind {kind}")  # a bug in fields.py, not user input
