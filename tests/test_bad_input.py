"""Bad input, one case per row: every case must fail cleanly and change nothing.

Each case overlays files on a copy of the mini fixture *after* a good build of it, runs
the build, and checks: exit status 1; a problem reported at the exact `path:line:col`
(computed here from the text of the case, not copied from the output) naming the field,
key or character at fault; no traceback; docs/ and site/ byte-for-byte as the good
build left them; no staging folder left behind. The cases run in-process
(`brief.cli.main`) to keep the suite fast; the ones that could crash or hang a process
(billion laughs, deep nesting) run `build.py` in a subprocess and are timed.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import MINI, make_brief, overlay_files, run_build, snapshot

from brief.cli import main

BRIEF = (MINI / "brief.yml").read_text("utf-8")
EVENTS = (MINI / "sources/events/events.yml").read_text("utf-8")
FAQ = (MINI / "sources/faq/faq.yml").read_text("utf-8")
ALPHA = (MINI / "sources/articles/alpha-gazette.md").read_text("utf-8")

BRIEF_YML = "brief.yml"
EVENTS_YML = "sources/events/events.yml"
FAQ_YML = "sources/faq/faq.yml"
ALPHA_MD = "sources/articles/alpha-gazette.md"


def loc(text: str, needle: str, occurrence: int = 1, offset: int = 0) -> str:
    """line:col (1-based) of the n-th occurrence of needle in text (plus offset characters)."""
    idx = -1
    for _ in range(occurrence):
        idx = text.index(needle, idx + 1)
    idx += offset
    line = text.count("\n", 0, idx) + 1
    col = idx - (text.rfind("\n", 0, idx) + 1) + 1
    return f"{line}:{col}"


def sub(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


class Link(str):
    """A file that is a symbolic link to this target (relative to the link's folder)."""


class Folder:
    """A folder where a file is expected."""


OUTSIDE = "SECRET-OUTSIDE-THE-BRIEF: this line must never be printed\n"


@dataclass
class Case:
    name: str
    files: dict  # path -> new content (str, bytes, Link, Folder), None to delete
    where: str  # "path:line:col"
    words: tuple  # each must appear in the message at `where`
    extra: dict = field(default_factory=dict)
    hint: tuple = ()  # each must appear in that problem's hint


def with_hint(case: Case, *hint: str) -> Case:
    case.hint = hint
    return case


def text_case(name, path, text, needle, words, occurrence=1, offset=0) -> Case:
    """A case whose file is `text`; the problem is at `needle` (its n-th occurrence)."""
    return Case(name, {path: text}, f"{path}:{loc(text, needle, occurrence, offset)}", words)


def char_case(name, path, base, old, new, char, words) -> Case:
    """A forbidden character put into a file: the problem is where the character is."""
    text = sub(base, old, new)
    return text_case(name, path, text, char, words)


def byte_case(name, path, base, old: bytes, new: bytes, words) -> Case:
    data = base.encode("utf-8")
    assert data.count(old) == 1
    data = data.replace(old, new)
    bad = data.index(new) + next(i for i, (a, b) in enumerate(zip(old, new)) if a != b)
    good = data[:bad].decode("utf-8")
    line = good.count("\n") + 1
    col = len(good) - (good.rfind("\n") + 1) + 1
    return Case(name, {path: data}, f"{path}:{line}:{col}", words)


EXTRA_EVENT = """- id: extra
  date: 2024-05
  title: First title
  title: Second title
  summary: A summary.
  citations:
    - source: beta-herald
"""

DEEP_INDENT = "".join("  " * i + f"k{i}:\n" for i in range(45)) + "  " * 45 + "x\n"

CASES: list[Case] = [
    # --- strict YAML -----------------------------------------------------------------
    text_case("duplicate-key-settings", BRIEF_YML, BRIEF + "title: Again\n", "title: Again",
              ("duplicate key 'title'",)),
    text_case("duplicate-key-event", EVENTS_YML, EVENTS + EXTRA_EVENT, "title: Second title",
              ("duplicate key 'title'",)),
    text_case("anchor", BRIEF_YML, sub(BRIEF, "description: A small", "description: &d A small"),
              "&d", ("anchor '&d'",)),
    text_case("alias", BRIEF_YML, sub(BRIEF, "sources_note: Both", "sources_note: *d\nx: Both"),
              "*d", ("alias '*d'",)),
    text_case("python-tag", BRIEF_YML,
              sub(BRIEF, "title: The harbour dispute",
                  "title: !!python/object/apply:os.system [echo hi]"),
              "!!python", ("tag", "python/object/apply:os.system")),
    text_case("include-tag", BRIEF_YML, sub(BRIEF, "lede: |", "lede: !include other.yml\nx: |"),
              "!include", ("tag '!include'",)),
    text_case("str-tag", EVENTS_YML, sub(EVENTS, "date: 2024-03", "date: !!str 2024-03"),
              "!!str", ("tag 'tag:yaml.org,2002:str'",)),
    text_case("second-document", BRIEF_YML, BRIEF + "---\ntitle: Another\n", "---",
              ("second YAML document",)),
    # the first line indented more than 4 * 20 columns: 'k41:', on line 42
    Case("deep-indentation", {EVENTS_YML: DEEP_INDENT}, f"{EVENTS_YML}:42:1",
         ("nested more than 20 levels",)),
    Case("file-size-limit", {EVENTS_YML: "# " + "x" * 5_000_001 + "\n"}, f"{EVENTS_YML}:1:1",
         ("5,000,004 bytes", "limit is 5,000,000")),
    text_case("yaml-syntax", EVENTS_YML, sub(EVENTS, "place: Northport", "place: North: port"),
              ": port", ("YAML syntax",)),
    text_case("key-not-text", BRIEF_YML, BRIEF + "? [a, b]\n: c\n", "[a, b]",
              ("a key must be plain text",)),
    # values stay the text that was typed, and are validated as that text
    text_case("date-NO", EVENTS_YML, sub(EVENTS, 'date: "2023"', "date: NO"), "NO",
              ("[date]", '"NO"')),
    text_case("date-1:30", EVENTS_YML, sub(EVENTS, 'date: "2023"', "date: 1:30"), "1:30",
              ("[date]", '"1:30"')),
    text_case("date-on", EVENTS_YML, sub(EVENTS, 'date: "2023"', "date: on"), "date: on",
              ("[date]", '"on"'), offset=len("date: ")),
    text_case("url-yes", ALPHA_MD, sub(ALPHA, "url: https://example.org/alpha/harbour-deal",
                                       "url: yes"), "yes", ("[url]", "'yes'")),
    text_case("language-0755", ALPHA_MD, sub(ALPHA, "language: en", "language: 0755"), "0755",
              ("[language]", "'0755'")),
    text_case("published-1:30", ALPHA_MD, sub(ALPHA, "published: 2024-03-15", "published: 1:30"),
              "1:30", ("[published]", '"1:30"')),
    # --- encodings ----------------------------------------------------------------------
    byte_case("invalid-utf8-settings", BRIEF_YML, BRIEF, b"The harbour", b"The harb\xffour",
              ("invalid UTF-8 byte 0xff",)),
    byte_case("latin1-article", ALPHA_MD, ALPHA, b"on Friday", b"on Fr\xe9day",
              ("invalid UTF-8 byte 0xe9",)),
    byte_case("invalid-continuation-faq", FAQ_YML, FAQ, b"What did", b"Wh\xc3(t did",
              ("invalid UTF-8 byte 0xc3",)),
    char_case("nul-event", EVENTS_YML, EVENTS, "Councils meet", "Councils\x00meet", "\x00",
              ("U+0000",)),
    char_case("nul-article", ALPHA_MD, ALPHA, "new pier", "new\x00pier", "\x00", ("U+0000",)),
    char_case("escape-faq", FAQ_YML, FAQ, "What did", "What \x1b[31mdid", "\x1b", ("U+001B",)),
    char_case("delete-settings", BRIEF_YML, BRIEF, "Two towns", "Two\x7f towns", "\x7f",
              ("U+007F",)),
    char_case("c1-nel-article-title", ALPHA_MD, ALPHA, "Towns sign", "Towns\x85 sign", "\x85",
              ("U+0085",)),
    char_case("vertical-tab-event", EVENTS_YML, EVENTS, "meet twice in 2023",
              "meet\x0btwice in 2023", "\x0b", ("U+000B",)),
    char_case("form-feed-article", ALPHA_MD, ALPHA, "met twice", "met\x0ctwice", "\x0c",
              ("U+000C",)),
    char_case("bidi-202a-event-title", EVENTS_YML, EVENTS, "Harbour agreement signed",
              "Harbour \u202aagreement signed", "\u202a", ("U+202A", "bidirectional")),
    char_case("bidi-202b-faq-answer", FAQ_YML, FAQ, "both towns get", "both \u202btowns get",
              "\u202b", ("U+202B", "bidirectional")),
    char_case("bidi-202c-description", BRIEF_YML, BRIEF, "A small test", "A small\u202c test",
              "\u202c", ("U+202C", "bidirectional")),
    char_case("bidi-202d-article-body", ALPHA_MD, ALPHA, "ending a dispute",
              "ending \u202da dispute", "\u202d", ("U+202D", "bidirectional")),
    char_case("bidi-202e-article-title", ALPHA_MD, ALPHA, "harbour deal\n",
              "harbour \u202edeal\n", "\u202e", ("U+202E", "bidirectional")),
    char_case("bidi-2066-event-summary", EVENTS_YML, EVENTS, "reach no agreement",
              "reach \u2066no agreement", "\u2066", ("U+2066", "bidirectional")),
    char_case("bidi-2067-faq-question", FAQ_YML, FAQ, "Does anyone", "Does \u2067anyone",
              "\u2067", ("U+2067", "bidirectional")),
    char_case("bidi-2068-key-point", BRIEF_YML, BRIEF, "signed a harbour",
              "signed \u2068a harbour", "\u2068", ("U+2068", "bidirectional")),
    char_case("bidi-2069-quote", EVENTS_YML, EVENTS, "quote: signed the harbour agreement",
              "quote: signed the\u2069 harbour agreement", "\u2069", ("U+2069", "bidirectional")),
    # the same characters written as YAML escapes in double-quoted text: at the value
    text_case("escaped-bidi-event-title", EVENTS_YML,
              sub(EVENTS, "title: Harbour agreement signed",
                  'title: "Harbour \\u202eagreement signed"'),
              '"Harbour', ("U+202E", "escape")),
    text_case("escaped-nul-faq-answer", FAQ_YML,
              sub(FAQ, "answer: According to the Beta Herald, both towns get equal use of the pier.",
                  'answer: "According\\0 to the Beta Herald."'),
              '"According', ("U+0000", "escape")),
    text_case("escaped-escape-settings-title", BRIEF_YML,
              sub(BRIEF, "title: The harbour dispute", 'title: "The \\e[31mharbour dispute"'),
              '"The', ("U+001B", "escape")),
    # --- identifiers and paths -------------------------------------------------------------
    text_case("id-capitals", EVENTS_YML, sub(EVENTS, "id: councils-meet", "id: Councils-Meet"),
              "Councils-Meet", ("[id]", "'Councils-Meet'")),
    text_case("id-space", EVENTS_YML, sub(EVENTS, "id: councils-meet", 'id: "councils meet"'),
              '"councils meet"', ("[id]", "'councils meet'")),
    text_case("id-too-long", EVENTS_YML, sub(EVENTS, "id: councils-meet", "id: " + "a" * 65),
              "a" * 65, ("[id]", "longer than 64")),
    text_case("id-double-hyphen", FAQ_YML, sub(FAQ, "id: who-objects", "id: who--objects"),
              "who--objects", ("[id]", "'who--objects'")),
    text_case("id-path-traversal", EVENTS_YML,
              sub(EVENTS, "id: councils-meet", "id: ../../etc/passwd"), "../../etc/passwd",
              ("[id]", "'../../etc/passwd'")),
    text_case("id-trailing-hyphen", FAQ_YML, sub(FAQ, "id: who-objects", "id: who-"), "who-\n",
              ("[id]", "'who-'")),
    text_case("duplicate-event-id-two-files", "sources/events/more.yml",
              "- id: dispute-begins\n  date: 2024-05\n  title: Again\n  summary: Again.\n"
              "  citations:\n    - source: beta-herald\n",
              "id: dispute-begins", ("duplicate event id 'dispute-begins'",)),
    text_case("duplicate-faq-id", FAQ_YML, sub(FAQ, "id: who-objects", "id: what-was-agreed"),
              "id: what-was-agreed", ("duplicate FAQ id 'what-was-agreed'",), occurrence=2),
    Case("source-file-capitals", {"sources/articles/Gamma.md": ALPHA},
         "sources/articles/Gamma.md:1:1", ("'Gamma'", "source id")),
    Case("source-file-space", {"sources/articles/gamma news.md": ALPHA},
         "sources/articles/gamma news.md:1:1", ("'gamma news'", "source id")),
    Case("source-file-upper-duplicate", {"sources/articles/ALPHA-GAZETTE.md": ALPHA},
         "sources/articles/ALPHA-GAZETTE.md:1:1", ("'ALPHA-GAZETTE'", "source id")),
    # a file name is printed with visible stand-ins: one line, no terminal escape
    Case("source-file-control-characters", {"sources/articles/a\nb\x1b[31m.md": ALPHA},
         "sources/articles/a\u240ab\u241b[31m.md:1:1", ("source id",)),
    text_case("tag-capitals", EVENTS_YML, sub(EVENTS, "tags: [harbour, agreement]",
                                              "tags: [harbour, Agreement]"),
              "Agreement", ("[tags]", "'Agreement'")),
    text_case("citation-source-path", FAQ_YML,
              sub(FAQ, "- source: beta-herald\n      quote: equal use",
                  "- source: ../beta-herald\n      quote: equal use"),
              "../beta-herald", ("[source]", "'../beta-herald'")),
    # --- URLs in source metadata ---------------------------------------------------------------
    *[text_case(f"url-{name}", ALPHA_MD,
                sub(ALPHA, "url: https://example.org/alpha/harbour-deal", f"url: {url}"),
                url, ("[url]", url))
      for name, url in [("javascript", "javascript:alert(1)"),
                        ("javascript-upper", "JAVASCRIPT:alert(1)"),
                        ("data", "data:text/html;base64,PHNjcmlwdD4="),
                        ("ftp", "ftp://example.org/a"),
                        ("relative", "/relative/path"),
                        ("protocol-relative", "//example.org/a"),
                        ("attribute-break", 'https://example.org/a"onmouseover=alert(1)')]],
    # --- fields -------------------------------------------------------------------------------
    text_case("unknown-field", EVENTS_YML, sub(EVENTS, "place: Northport", "plac: Northport"),
              "plac:", ("[plac]", "unknown field")),
    text_case("missing-required-field", BRIEF_YML, sub(BRIEF, "title: The harbour dispute\n", ""),
              "description:", ("[title]", "missing")),  # reported at the mapping's start
    text_case("placeholder", ALPHA_MD, sub(ALPHA, "publisher: Alpha Gazette",
                                           "publisher: TODO ask the editor"),
              "TODO", ("[publisher]", "placeholder")),
]


# --- issue 14: what still got through, and messages a researcher can act on --------------

ENTITIES_YML = "sources/entities.yml"
ENTITIES = """- id: northport-mayor
  name: Ann Example
  kind: person
  role: Mayor of Northport
  citations:
    - source: alpha-gazette
      quote: The mayors of Northport and Southport
"""
HYPHEN_ALPHA = sub(ALPHA, "a new pier.", "a new sea-front pier.")


def ev(old: str, new: str) -> str:
    return sub(EVENTS, old, new)


CASES += [
    # a ' #' in an unquoted text is a YAML comment: the text would silently stop before it
    with_hint(text_case("comment-in-event-title", EVENTS_YML,
                        ev("title: Harbour agreement signed", "title: Talks #1 in Beijing"),
                        "#1", ("[title]", "' #' starts a YAML comment")),
              "double quotes", 'title: "Talks #1 in Beijing"'),
    with_hint(text_case("comment-in-event-summary", EVENTS_YML,
                        ev("summary: The two councils meet twice in 2023 but reach no agreement.",
                           "summary: The two councils meet twice #2023 talks"),
                        "#2023", ("[summary]", "comment")), "double quotes"),
    with_hint(text_case("comment-in-place", EVENTS_YML, ev("place: Northport", "place: Pier #4"),
                        "#4", ("[place]", "comment")), "double quotes"),
    with_hint(text_case("comment-in-settings-description", BRIEF_YML,
                        sub(BRIEF, "dispute.\n", "dispute. #draft\n"), "#draft",
                        ("[description]", "comment")), "double quotes"),
    with_hint(text_case("comment-in-article-title", ALPHA_MD,
                        sub(ALPHA, "title: Towns sign harbour deal", "title: Deal #2 signed"),
                        "#2", ("[title]", "comment")), "double quotes"),
    with_hint(text_case("comment-in-faq-question", FAQ_YML,
                        sub(FAQ, "question: What did the towns agree?",
                            "question: What did the towns agree? #1"), "#1",
                        ("[question]", "comment")), "double quotes"),
    with_hint(text_case("comment-in-quote", FAQ_YML,
                        sub(FAQ, "quote: equal use of the pier", "quote: equal use #of the pier"),
                        "#of", ("[quote]", "comment")), "double quotes"),
    # empty files and empty front matter: an error at 1:1, not an empty site or silence
    Case("empty-events-file", {EVENTS_YML: ""}, f"{EVENTS_YML}:1:1",
         ("the file is empty", "event entries")),
    Case("comment-only-events-file", {EVENTS_YML: "# nothing yet\n"}, f"{EVENTS_YML}:1:1",
         ("the file is empty", "event entries", "- id: ...")),
    Case("empty-faq-file", {FAQ_YML: b""}, f"{FAQ_YML}:1:1", ("the file is empty", "faq")),
    Case("empty-settings-file", {BRIEF_YML: ""}, f"{BRIEF_YML}:1:1",
         ("the file is empty", "title, description and lede")),
    Case("whitespace-settings-file", {BRIEF_YML: "\n\n   \n"}, f"{BRIEF_YML}:1:1",
         ("the file is empty",)),
    with_hint(Case("empty-front-matter-cited", {ALPHA_MD: "---\n---\n" + ALPHA.split("---\n", 2)[2]},
                   f"{ALPHA_MD}:1:1", ("the front matter is empty",)), "title, publisher"),
    Case("empty-front-matter-uncited", {"sources/articles/gamma.md": "---\n---\nSome text.\n"},
         "sources/articles/gamma.md:1:1", ("the front matter is empty",)),
    Case("comment-only-front-matter", {"sources/articles/gamma.md": "---\n# to do\n---\nText.\n"},
         "sources/articles/gamma.md:1:1", ("the front matter is empty",)),
    # 'unknown' only where the README allows it
    with_hint(text_case("unknown-summary", EVENTS_YML,
                        ev("summary: The two councils meet twice in 2023 but reach no agreement.",
                           "summary: unknown"), "unknown", ("[summary]", "'unknown' is not accepted")),
              "write the summary", "only a source's publisher, author, url, published and retrieved"),
    with_hint(text_case("unknown-question", FAQ_YML,
                        sub(FAQ, "question: What did the towns agree?", "question: Unknown"),
                        "Unknown", ("[question]", "'unknown' is not accepted")), "write the question"),
    with_hint(text_case("unknown-place", EVENTS_YML, ev("place: Northport", "place: unknown"),
                        "unknown", ("[place]", "'unknown' is not accepted")), "delete the line"),
    with_hint(text_case("unknown-quote", FAQ_YML,
                        sub(FAQ, "quote: equal use of the pier", "quote: unknown"), "unknown",
                        ("[quote]", "'unknown' is not accepted")), "delete the line"),
    with_hint(text_case("unknown-settings-title", BRIEF_YML,
                        sub(BRIEF, "title: The harbour dispute", "title: UNKNOWN"), "UNKNOWN",
                        ("[title]", "'unknown'")), "write the title"),
    text_case("unknown-article-title", ALPHA_MD,
              sub(ALPHA, "title: Towns sign harbour deal", "title: unknown"), "unknown",
              ("[title]", "'unknown' is not accepted")),
    # placeholders anywhere, in any case; the hint offers only what is accepted
    with_hint(text_case("todo-inside-summary", EVENTS_YML,
                        ev("summary: The two councils meet twice in 2023 but reach no agreement.",
                           "summary: The two councils meet TODO check how often."),
                        "The two councils meet TODO", ("[summary]", "placeholder")),
              "replace it with the real value"),
    text_case("todo-lower-case", EVENTS_YML, ev("title: Harbour agreement signed", "title: todo"),
              "todo", ("[title]", "placeholder")),
    text_case("todo-lower-case-with-colon", FAQ_YML,
              sub(FAQ, "question: What did the towns agree?", 'question: "todo: ask the editor"'),
              '"todo:', ("[question]", "placeholder")),
    text_case("tbd-in-title", EVENTS_YML,
              ev("title: Councils meet twice without result", "title: Councils meet TBD"),
              "Councils meet TBD", ("[title]", "placeholder")),
    with_hint(text_case("fixme-in-place", EVENTS_YML, ev("place: Northport", "place: FIXME"),
                        "FIXME", ("[place]", "placeholder")),
              "'place' is optional: if there is nothing to say, delete the line"),
    text_case("todo-in-key-point", BRIEF_YML,
              sub(BRIEF, "text: The towns signed", "text: TODO The towns signed"), "TODO",
              ("[text]", "placeholder")),
    text_case("todo-in-source-id", EVENTS_YML,
              ev("- source: alpha-gazette\n      quote: In 2023", "- source: TODO\n      quote: In 2023"),
              "TODO", ("[source]", "placeholder")),
    text_case("todo-in-date", EVENTS_YML, ev('date: "2023"', "date: TODO"), "TODO",
              ("[date]", "placeholder")),
    text_case("todo-in-article-body-front-matter-note", ALPHA_MD,
              sub(ALPHA, "language: en\n", "language: en\nnote: see TODO list\n"), "see TODO",
              ("[note]", "placeholder")),
    Case("placeholder-quote-hint-has-no-unknown",
         {FAQ_YML: sub(FAQ, "quote: equal use of the pier", 'quote: "TODO: words"')},
         f"{FAQ_YML}:{loc(sub(FAQ, 'quote: equal use of the pier', 'quote: ' + chr(34) + 'TODO: words' + chr(34)), chr(34) + 'TODO')}",
         ("[quote]", "placeholder"), hint=("delete the line",)),
    with_hint(text_case("placeholder-publisher-offers-unknown", ALPHA_MD,
                        sub(ALPHA, "publisher: Alpha Gazette", 'publisher: "TODO: publisher"'),
                        '"TODO', ("[publisher]", "placeholder")), "or 'unknown' if it is not known"),
    # dates and ids: ASCII digits and letters only, no trailing newline, no reserved names
    with_hint(text_case("date-fullwidth-digits", EVENTS_YML, ev('date: "2023"', "date: ２０２５-０６"),
                        "２０２５", ("[date]", "is not a date")), "digits 0-9", "'2025-06'"),
    with_hint(text_case("date-arabic-indic-digits", EVENTS_YML, ev('date: "2023"', "date: ٢٠٢٥"),
                        "٢٠٢٥", ("[date]", "is not a date")), "digits 0-9", "'2025'"),
    text_case("published-devanagari-digits", ALPHA_MD,
              sub(ALPHA, "published: 2024-03-15", "published: २०२४"), "२०२४",
              ("[published]", "is not a date")),
    with_hint(text_case("date-month-name", EVENTS_YML, ev("date: 2024-03", "date: Aug 2025"),
                        "Aug 2025", ("[date]", '"Aug 2025" is not a date')), "write '2025-08'"),
    with_hint(text_case("date-day-month-name", EVENTS_YML, ev("date: 2024-03", "date: 8 August 2025"),
                        "8 August", ("[date]", "is not a date")), "write '2025-08-08'"),
    text_case("date-with-time", EVENTS_YML, ev('date: "2023"', "date: 2023-05-01T10:00"),
              "2023-05-01T", ("[date]", "is not a date")),
    Case("source-file-trailing-newline", {"sources/articles/gamma\n.md": ALPHA},
         "sources/articles/gamma\u240a.md:1:1", ("source id",)),
    Case("source-file-fullwidth-letters", {"sources/articles/ｇａｍｍａ.md": ALPHA},
         "sources/articles/ｇａｍｍａ.md:1:1", ("source id",)),
    with_hint(Case("source-file-reserved-con", {"sources/articles/con.md": ALPHA},
                   "sources/articles/con.md:1:1", ("'con'", "reserved file name on Windows")),
              "rename the file"),
    Case("source-file-reserved-lpt1", {"sources/articles/lpt1.md": ALPHA},
         "sources/articles/lpt1.md:1:1", ("'lpt1'", "reserved")),
    with_hint(text_case("event-id-reserved-nul", EVENTS_YML, ev("id: councils-meet", "id: nul"),
                        "nul", ("[id]", "'nul'", "reserved")), "choose another"),
    text_case("tag-reserved-aux", EVENTS_YML, ev("tags: [harbour, agreement]", "tags: [harbour, aux]"),
              "aux", ("[tags]", "'aux'", "reserved")),
    text_case("faq-id-reserved-com1", FAQ_YML, sub(FAQ, "id: who-objects", "id: com1"), "com1",
              ("[id]", "reserved")),
    # page paths: every collision is found by --check, at the id that causes it
    with_hint(Case("source-named-index", {"sources/articles/index.md": ALPHA},
                   "sources/articles/index.md:1:1",
                   ("'index'", "overwrite the list of all sources", "sources/index.md")),
              "choose another name", "rename the file"),
    text_case("tag-named-index", EVENTS_YML, ev("tags: [harbour, agreement]", "tags: [harbour, index]"),
              "index", ("[tags]", "'index'", "tags/index.md")),
    text_case("entity-named-index", ENTITIES_YML, ENTITIES.replace("id: northport-mayor", "id: index"),
              "index", ("[id]", "'index'", "entities/index.md")),
    # reading outside the brief, folders and broken links: an error at the path
    with_hint(Case("article-symlink-outside", {"sources/articles/gamma.md": Link("../../../outside.md")},
                   "sources/articles/gamma.md:1:1", ("symbolic link to a file outside the brief",)),
              "copy the file into the brief"),
    Case("events-symlink-outside", {"sources/events/more.yml": Link("../../../outside.yml")},
         "sources/events/more.yml:1:1", ("symbolic link", "outside the brief")),
    Case("settings-symlink-outside", {BRIEF_YML: Link("../outside.yml")}, f"{BRIEF_YML}:1:1",
         ("symbolic link", "outside the brief")),
    Case("entities-symlink-outside", {ENTITIES_YML: Link("../../outside.yml")},
         f"{ENTITIES_YML}:1:1", ("symbolic link", "outside the brief")),
    with_hint(Case("article-dangling-symlink", {"sources/articles/gamma.md": Link("nowhere.md")},
                   "sources/articles/gamma.md:1:1", ("broken symbolic link",)), "delete it"),
    Case("events-dangling-symlink", {"sources/events/more.yml": Link("gone.yml")},
         "sources/events/more.yml:1:1", ("broken symbolic link",)),
    with_hint(Case("folder-named-like-events-file", {"sources/events/old.yml": Folder()},
                   "sources/events/old.yml:1:1", ("this is a folder",)), "rename the folder"),
    Case("folder-named-like-article", {"sources/articles/gamma.md": Folder()},
         "sources/articles/gamma.md:1:1", ("this is a folder",)),
    Case("folder-named-entities-file", {ENTITIES_YML: Folder()}, f"{ENTITIES_YML}:1:1",
         ("this is a folder",)),
    # hand-written files in docs/ that a browser would run
    with_hint(Case("handwritten-html-in-docs", {"docs/extra.html": "<script>alert(1)</script>\n"},
                   "docs/extra.html:1:1", ("hand-written .html files in docs/ are not published",)),
              "write the page in Markdown"),
    Case("handwritten-svg-in-docs", {"docs/img/logo.svg": "<svg onload='alert(1)'/>\n"},
         "docs/img/logo.svg:1:1", (".svg files",)),
    Case("handwritten-js-in-docs", {"docs/app.js": "alert(1)\n"}, "docs/app.js:1:1",
         (".js files",)),
    Case("docs-symlink-outside", {"docs/notes.md": Link("../../outside.md")},
         "docs/notes.md:1:1", ("symbolic link in docs/",)),
    # YAML syntax, said so that someone who does not know YAML can fix it
    with_hint(text_case("yaml-colon-in-title", EVENTS_YML,
                        ev("title: Harbour agreement signed", "title: Harbour: agreement signed"),
                        ": agreement signed", ("YAML syntax", "a value contains ': '")),
              'put the whole value in double quotes: title: "Harbour: agreement signed"'),
    with_hint(text_case("yaml-dash-without-space", EVENTS_YML,
                        ev("    - source: beta-herald\n      quote: gives",
                           "    -source: beta-herald\n      quote: gives"),
                        "-source: beta", ("YAML syntax", "'-' without a space")),
              "put a space after the '-'", "'- source: beta-herald'"),
    with_hint(text_case("yaml-tab-indentation", EVENTS_YML,
                        ev("  place: Northport", "\tplace: Northport"), "\tplace",
                        ("YAML syntax", "tab")), "replace the tab with spaces"),
    with_hint(text_case("yaml-quote-not-indented-under-source", FAQ_YML,
                        sub(FAQ, "      quote: equal use", "    quote: equal use"),
                        "quote: equal use", ("YAML syntax", "'quote:' is not indented under 'source:'")),
              "indent 'quote:' under 'source:'", "add 2 spaces"),
    with_hint(text_case("yaml-field-indented-too-far", EVENTS_YML,
                        ev("  place: Northport", "    place: Northport"), "place: Northport",
                        ("YAML syntax", "'place:' is indented differently")),
              "line up 'place:' with 'tags:'"),
    with_hint(text_case("yaml-unclosed-double-quote", EVENTS_YML,
                        ev('date: "2023"', 'date: "2023'), '"2023',
                        ("YAML syntax", 'the " opened here is never closed')),
              'add the closing "'),
    with_hint(text_case("yaml-unclosed-bracket", EVENTS_YML,
                        ev("tags: [harbour, agreement]", "tags: [harbour, agreement"),
                        "[harbour, agreement", ("YAML syntax", "'[' here is not closed")),
              "close it with ']'"),
    with_hint(text_case("yaml-text-after-closing-quote", EVENTS_YML,
                        ev("title: Harbour agreement signed", 'title: "Harbour" agreement signed'),
                        " agreement signed", ("YAML syntax", "text after the closing quote"),
                        offset=1), "put the whole value inside the quotes"),
    with_hint(text_case("yaml-value-starts-with-at", EVENTS_YML, ev("place: Northport", "place: @Northport"),
                        "@Northport", ("YAML syntax", "a value cannot start with '@'")),
              'place: "@Northport"'),
    with_hint(text_case("yaml-value-starts-with-backtick", FAQ_YML,
                        sub(FAQ, "question: Does anyone", "question: `Does` anyone"),
                        "`Does", ("YAML syntax", "cannot start with '`'")), "double quotes"),
    with_hint(text_case("yaml-line-without-colon", BRIEF_YML,
                        sub(BRIEF, "sources_note: Both", "sources_note\nx: Both"), "sources_note\n",
                        ("YAML syntax", "a line without 'name:'")), "'name: value'"),
    with_hint(text_case("yaml-list-item-out-of-line", EVENTS_YML,
                        EVENTS + "other: value\n", "other: value",
                        ("YAML syntax", "breaks the list above it")), "'- '"),
    # citations: what to do, not "they differ at character 1"
    with_hint(text_case("quote-with-ellipsis", EVENTS_YML,
                        ev("quote: The quarrel started when Northport built a new pier.",
                           "quote: The quarrel started ... a new pier."),
                        "...", ("[quote]", "a quote cannot skip words",
                                                    "split it into two citations")),
              "two citations"),
    text_case("quote-with-unicode-ellipsis", EVENTS_YML,
              ev("quote: The quarrel started when Northport built a new pier.",
                 "quote: The quarrel started \u2026 a new pier."),
              "\u2026", ("a quote cannot skip words",)),
    text_case("quote-with-bracketed-ellipsis", FAQ_YML,
              sub(FAQ, "quote: Critics say it favours Northport.", "quote: Critics say [...] Northport."),
              "[...]", ("a quote cannot skip words",)),
    with_hint(text_case("quote-with-inserted-words", EVENTS_YML,
                        ev("quote: In 2023 the two councils met twice without result.",
                           "quote: In 2023 the two [town] councils met"),
                        "[town]", ("[quote]", "words in [brackets]")),
              "quote only words copied from the source"),
    with_hint(Case("quote-with-en-dash-for-hyphen",
                   {ALPHA_MD: HYPHEN_ALPHA,
                    EVENTS_YML: ev("quote: The quarrel started when Northport built a new pier.",
                                   "quote: Northport built a new sea\u2013front pier.")},
                   f"{EVENTS_YML}:{loc(ev('quote: The quarrel started when Northport built a new pier.', 'quote: Northport built a new sea' + chr(0x2013) + 'front pier.'), 'Northport built a new sea')}",
                   ("[quote]", "not found in source 'alpha-gazette'")),
              "EN DASH (U+2013)", "HYPHEN-MINUS (U+002D)", "look alike"),
    with_hint(text_case("quote-in-another-source", EVENTS_YML,
                        ev("quote: signed the harbour agreement", "quote: Critics say it favours Northport."),
                        "Critics say it favours", ("[quote]", "not in source 'alpha-gazette'",
                                                   "but in 'beta-herald'")),
              "write 'source: beta-herald'"),
    with_hint(text_case("citation-source-with-md", FAQ_YML,
                        sub(FAQ, "- source: beta-herald\n      quote: equal use",
                            "- source: beta-herald.md\n      quote: equal use"),
                        "beta-herald.md", ("[source]", "'beta-herald.md'")),
              "the file name without '.md': write 'beta-herald'"),
    with_hint(text_case("empty-citations", EVENTS_YML,
                        ev("  citations:\n    - source: alpha-gazette\n      quote: In 2023 the two councils met twice without result.\n",
                           "  citations:\n"),
                        "  citations:\n- id: agreement", ("[citations] is empty",),
                        offset=len("  citations:")),
              "- source: ID"),
    with_hint(text_case("misspelt-summary-is-one-error", EVENTS_YML,
                        ev("summary: The two councils", "sumary: The two councils"), "sumary",
                        ("[sumary] is not a field: did you mean 'summary'?",)),
              "correct the spelling to 'summary:'"),
    with_hint(text_case("dash-glued-to-key-in-flow", FAQ_YML,
                        sub(FAQ, "  citations:\n    - source: beta-herald\n      quote: equal use of the pier\n",
                            "  citations:\n    -source: beta-herald\n"),
                        "-source", ("a '-' without a space",)), "'- source:'"),
]


def test_there_are_at_least_a_hundred_cases():
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def good(mini_built, tmp_path_factory):
    """The mini fixture after a good build: (root, docs/ snapshot, site/ snapshot)."""
    from conftest import copy_built
    root = copy_built(mini_built, tmp_path_factory.mktemp("good") / "brief")
    return root, snapshot(root / "docs"), snapshot(root / "site")


def copy_with(good, tmp_path: Path, files: dict) -> Path:
    root = tmp_path / "brief"
    shutil.copytree(good[0], root, symlinks=True)
    (tmp_path / "outside.md").write_text("---\ntitle: x\n---\n" + OUTSIDE, "utf-8")
    (tmp_path / "outside.yml").write_text(OUTSIDE, "utf-8")
    plain = {}
    for rel, content in files.items():
        target = root / rel
        if isinstance(content, Link):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.symlink_to(content)
        elif isinstance(content, Folder):
            target.unlink(missing_ok=True)
            (target / "inside.txt").parent.mkdir(parents=True, exist_ok=True)
            (target / "inside.txt").write_text("x\n", "utf-8")
        else:
            plain[rel] = content
    return overlay_files(root, plain)


def assert_unchanged(root: Path, good, added=()) -> None:
    docs = {k: v for k, v in snapshot(root / "docs").items() if f"docs/{k}" not in added}
    assert docs == good[1], "docs/ changed"
    assert snapshot(root / "site") == good[2], "site/ changed"
    left = [p.name for p in root.iterdir() if ".staging-" in p.name or ".old-" in p.name]
    assert not left, left


def problem_blocks(err: str) -> list[str]:
    """Each problem with the lines printed under it (the source line, caret, hint)."""
    blocks: list[str] = []
    for ln in err.splitlines():
        if ln.startswith("    ") and blocks:
            blocks[-1] += "\n" + ln
        else:
            blocks.append(ln)
    return blocks


def assert_reported(err: str, case: Case) -> None:
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert "SECRET-OUTSIDE" not in err, err  # nothing of a file outside the brief is printed
    # the offending line is shown with visible stand-ins, never raw control characters
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", err), err
    blocks = [b for b in problem_blocks(err) if b.startswith(f"{case.where}: error: ")]
    assert blocks, f"no error at {case.where}:\n{err}"
    ok = [b for b in blocks if all(w in b.split("\n")[0] for w in case.words)]
    assert ok, (case.words, blocks)
    hints = [ln[len("    hint: "):] for b in ok for ln in b.split("\n")
             if ln.startswith("    hint: ")]
    assert all(any(w in h for h in hints) for w in case.hint), (case.hint, hints)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_fails_cleanly_and_changes_nothing(case, good, tmp_path, capsys):
    root = copy_with(good, tmp_path, case.files)
    status = main([str(root)])
    err = capsys.readouterr().err
    assert status == 1, err
    assert_reported(err, case)
    assert_unchanged(root, good, added=[p for p in case.files if p.startswith("docs/")])


# --- inputs that crash or hang a naive loader: in a subprocess, timed -----------------------

def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    return text + "# " + "laugh " * ((450 - len(text) - 3) // 6) + "\n"


DEEP_NOTE = sub(ALPHA, "language: en\n",
                "language: en\nnote: " + "{a: " * 20000 + "b" + "}" * 20000 + "\n")

CRASH_CASES = [
    Case("billion-laughs", {BRIEF_YML: billion_laughs()}, f"{BRIEF_YML}:1:4", ("anchor '&a'",)),
    Case("nested-brackets-60kb", {EVENTS_YML: "[" * 30000 + "]" * 30000},
         f"{EVENTS_YML}:1:21", ("nested more than 20 levels",)),
    Case("nested-brackets-hidden-in-quotes", {EVENTS_YML: '["]", ' * 10000 + "]" * 10000},
         f"{EVENTS_YML}:1:121", ("nested more than 20 levels",)),
    text_case("nested-braces-front-matter", ALPHA_MD, DEEP_NOTE, "{", ("nested more than 20",),
              occurrence=21),
]


def test_billion_laughs_file_is_about_450_bytes():
    assert 440 <= len(billion_laughs().encode()) <= 450


@pytest.mark.parametrize("case", CRASH_CASES, ids=[c.name for c in CRASH_CASES])
def test_hostile_yaml_fails_fast_without_crashing(case, good, tmp_path):
    root = copy_with(good, tmp_path, case.files)
    result = run_build(str(root), timeout=60)  # how fast: benchmarks/bench_inputs.py yaml
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])  # not a signal
    assert_reported(result.stderr, case)
    assert_unchanged(root, good)


def test_a_bom_is_accepted(good, tmp_path, capsys):
    root = copy_with(good, tmp_path, {BRIEF_YML: b"\xef\xbb\xbf" + BRIEF.encode(),
                                      ALPHA_MD: b"\xef\xbb\xbf" + ALPHA.encode()})
    assert main([str(root), "--check"]) == 0, capsys.readouterr().err


def test_zero_width_character_inside_a_word_is_a_warning_at_its_place(good, tmp_path, capsys):
    text = sub(EVENTS, "Harbour agreement signed", "Har\u200bbour agreement signed")
    root = copy_with(good, tmp_path, {EVENTS_YML: text})
    assert main([str(root), "--check"]) == 0
    err = capsys.readouterr().err
    assert f"{EVENTS_YML}:{loc(text, chr(0x200b))}: warning: zero-width character U+200B" in err


def test_messages_are_in_the_documented_format(good, tmp_path, capsys):
    """Every line of a failing run is a problem, a context line or the summary."""
    files = {}
    for case in CASES[:20]:
        files.update(case.files)
    root = copy_with(good, tmp_path, files)
    assert main([str(root)]) == 1
    err = capsys.readouterr().err
    for ln in err.split("\n")[:-1]:  # lines end with "\n"; nothing else splits them
        assert (re.match(r"^[^:\s][^:]*:\d+:\d+: (error|warning): ", ln)
                or ln.startswith("    ")
                or re.match(r"^\d+ error\(s\), \d+ warning\(s\): ", ln)), ln


def test_values_stay_the_text_that_was_typed(good, tmp_path, capsys):
    """The other side of strict YAML: what YAML 1.1 would convert builds as the text typed."""
    from test_injection import Scan
    events = sub(sub(sub(sub(EVENTS, "id: councils-meet", "id: 0755"),
                         "title: Councils meet twice without result", "title: NO"),
                     "place: Northport", "place: 1:30"),
                 "title: Harbour agreement signed", "title: 2024-03-15")
    events = sub(events, "title: The harbour dispute begins", "title: 12e3")
    faq = sub(sub(FAQ, "id: who-objects", "id: on"),
              "question: What did the towns agree?", "question: yes")
    settings = sub(BRIEF, "title: The harbour dispute", "title: off")
    root = copy_with(good, tmp_path, {EVENTS_YML: events, FAQ_YML: faq, BRIEF_YML: settings})
    assert main([str(root)]) == 0, capsys.readouterr().err
    site = root / "site"
    y2023 = (site / "timeline/2023/index.html").read_text("utf-8")
    assert re.search(r'<h2 id="0755">NO<', y2023), "id 0755 and title NO, as typed"
    timeline = (site / "timeline/index.html").read_text("utf-8")
    assert "2023/#0755" in timeline
    y2019 = (site / "timeline/2019/index.html").read_text("utf-8")
    assert ">12e3<" in y2019
    assert "· 1:30" in Scan(y2019).visible()
    assert ">2024-03-15<" in (site / "timeline/2024/index.html").read_text("utf-8")
    faq_html = (site / "faq/index.html").read_text("utf-8")
    assert 'id="on"' in faq_html and ">yes<" in faq_html
    assert re.search(r'<h1 id="[^"]*">off<', (site / "index.html").read_text("utf-8"))


def test_a_broken_source_file_is_reported_where_it_is_broken_only(good, tmp_path, capsys):
    """Citations of a source whose file has errors are not also 'unknown source' errors."""
    text = sub(ALPHA, "new pier", "new\x00pier")
    root = copy_with(good, tmp_path, {ALPHA_MD: text})
    assert main([str(root), "--check"]) == 1
    err = capsys.readouterr().err
    assert f"{ALPHA_MD}:{loc(text, chr(0))}: error: control character U+0000" in err
    assert "unknown source" not in err
    assert re.search(r"^1 error\(s\)", err, re.M)
