"""The input formats, defined once.

Each record lists its fields with their kind, whether they are required, and a
description. The validator (`validate.py`) checks YAML against these definitions and
the JSON Schemas for editors are generated from them, so the two cannot drift.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_MAX = 64
# `\Z`, not `$`: `$` also matches before a final newline, so "abc\n" (a file name) passed.
ID_RE = re.compile(ID_PATTERN[:-1] + r"\Z", re.ASCII)
# Ids become file names (sources/ID.md, tags/TAG.md, entities/ID.md): Windows cannot
# create a file called con.md or lpt1.md, so a brief using them could not be checked out there.
RESERVED_IDS = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                          *(f"lpt{i}" for i in range(10))})
TAG_PATTERN = ID_PATTERN
URL_PATTERN = r"^https?://[^\s<>\"'`]+$"
LANG_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
DATE_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"
# EDTF (brief/edtf.py): a date with ? ~ %, an interval A/B (an end may be '..' or empty),
# or [..A], [A..], [A..B]. The build checks the calendar and the order of the ends.
_EDTF_POINT = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?[?~%]?"
EDTF_PATTERN = (rf"^(?:{_EDTF_POINT}|(?:{_EDTF_POINT}|\.\.)?/(?:{_EDTF_POINT}|\.\.)?"
                rf"|\[(?:\.\.{_EDTF_POINT}|{_EDTF_POINT}\.\.(?:{_EDTF_POINT})?)\])$")
SOURCE_TYPES = ("news-article", "blog-post", "press-release", "official-statement", "report",
                "transcript", "interview", "speech", "social-media-post", "web-page", "dataset",
                "book", "unknown")
STANCES = ("supports", "reports", "disputes")
UNKNOWN = "unknown"
# The only fields where 'unknown' is a value (README, "Source articles"); elsewhere it is
# reported like a placeholder instead of being published.
UNKNOWN_ALLOWED = {"source": frozenset({"publisher", "author", "url", "published", "retrieved"})}
PLACEHOLDER = "TODO"  # the importer writes "TODO: ..." for what it was not told

# kinds: text (one line), prose (paragraphs), id, tag, date, date|unknown, edtf,
# edtf|unknown (brief/edtf.py), url, lang, list:<kind>, record:<name>,
# list:record:<name>, enum:<a>|<b>, paragraphs (prose, or a list of records
# `paragraph`: text with optional citations)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool
    description: str
    example: object = None


@dataclass(frozen=True)
class Record:
    name: str
    title: str
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        # Asked for every key of every entry (issue 13): worked out once, not per entry.
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})
        object.__setattr__(self, "names", [f.name for f in self.fields])
        object.__setattr__(self, "required", [f.name for f in self.fields if f.required])

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name)


CITATION = Record("citation", "A citation of a source", (
    Field("source", "id", True, "The id of the cited source (its file name without .md).",
          "example-article"),
    Field("quote", "text", False,
          "Words copied verbatim from that source. The build checks they occur in it "
          "(whitespace and straight/curly quotes are ignored; case counts).",
          "a verbatim passage"),
    Field("translation", "text", False,
          "The brief's rendering of the quote into the brief's language, for a source in "
          "another language. The quote is still checked in the original; the footnote shows "
          "both, the translation labelled as such.", "a translated passage"),
    Field("translation_source", "text", False,
          "Who made the translation, where it is not the brief's own (e.g. the publisher's "
          "English edition); footnotes then read \"Translation by ...\".", "the publisher"),
    Field("via", "id", False,
          "Whose words the source reports (an entity id, e.g. a news agency the article "
          "quotes): footnotes then read \"Agency, as reported by ...\".", "a-news-agency"),
    Field("stance", "enum:" + "|".join(STANCES), False,
          "How the brief uses the passage: supports (default: evidence for the claim), "
          "reports (what someone said, which the brief does not vouch for) or disputes "
          "(a claim the brief does not accept). Passages are highlighted by stance.",
          "supports"),
))

PARAGRAPH = Record("paragraph", "A paragraph with its citations (lede, sources_note)", (
    Field("text", "text", True, "The paragraph, in the brief's own words.", "A paragraph."),
    Field("citations", "list:record:citation", False, "The sources it rests on.", None),
))

KEY_POINT = Record("key_point", "A key point on the home page", (
    Field("text", "text", True, "The point, in the brief's own words.", "A point."),
    Field("citations", "list:record:citation", True, "At least one citation.", None),
))

SETTINGS = Record("settings", "The brief's settings (brief.yml)", (
    Field("title", "text", True, "The brief's title, shown on the home page.", "A brief"),
    Field("description", "text", True, "One sentence: what the brief is about.", "..."),
    Field("lede", "paragraphs", True,
          "The opening paragraph(s) of the home page: text (paragraphs separated by a blank "
          "line), or a list of paragraphs each with 'text:' and 'citations:'.", "..."),
    Field("language", "lang", False, "Language of the brief (BCP 47, default en).", "en"),
    Field("key_points", "list:record:key_point", False,
          "Key points shown on the home page, each cited.", None),
    Field("sources_note", "paragraphs", False,
          "A note to readers about the sources and how the brief uses them: text, or a list "
          "of paragraphs each with 'text:' and 'citations:' (as lede).", "..."),
    Field("site_url", "url", False,
          "Where the built site is published (e.g. https://example.org/brief/); feeds and "
          "downloads then carry absolute links. Without it their links are relative.",
          "https://example.org/brief/"),
    Field("palette", "enum:" + "red|pink|purple|deep-purple|indigo|blue|light-blue|cyan|teal|green|light-green|lime|yellow|amber|orange|deep-orange|brown|grey|blue-grey|black|white", False,
          "The site's main colour (the Material theme's primary colour, in light and dark "
          "mode; default indigo).", "teal"),
))

SOURCE = Record("source", "A source article's front matter (sources/articles/ID.md)", (
    Field("title", "text", True, "The article's headline, or a descriptive title.", "..."),
    Field("title_kind", "enum:headline|descriptive", False,
          "headline (default): the title the article was published under; descriptive: a "
          "title written for the brief, shown in [square brackets] and never exported as a "
          "headline.", "headline"),
    Field("type", "enum:" + "|".join(SOURCE_TYPES), False,
          "What the source is (default unknown); mapped to CSL, BibTeX and schema.org types.",
          "news-article"),
    Field("publisher", "text", True, "The outlet that published it, or 'unknown'.", "unknown"),
    Field("author", "text", False, "The author(s), or 'unknown'.", "unknown"),
    Field("url", "url", False, "Where the article was published (http or https).",
          "https://example.org/article"),
    Field("published", "edtf|unknown", True,
          "Publication date at the precision and certainty known (YYYY, YYYY-MM, YYYY-MM-DD, "
          "or an EDTF form such as 2025-08?, 2025-08/2025-09, [..2025-09]) or 'unknown'.",
          "2025-09"),
    Field("published_kind", "enum:stated|inferred", False,
          "stated (default): the date is given by the source or its publisher; inferred: the "
          "brief worked it out (say how in published_note). Inferred dates are marked as "
          "such in footnotes, the register and the exports.", "stated"),
    Field("published_note", "text", False, "How the publication date was established.", "..."),
    Field("retrieved", "date|unknown", True, "When the text was collected, or 'unknown'.",
          "unknown"),
    Field("language", "lang", True, "Language of the text (BCP 47, e.g. en, es).", "en"),
    Field("note", "text", False, "Anything a reader should know about this source.", "..."),
))

EVENT = Record("event", "A timeline event (sources/events/*.yml)", (
    Field("id", "id", True, "Unique id: lower-case letters, digits and hyphens.",
          "ministers-meet"),
    Field("date", "edtf", True,
          "YYYY, YYYY-MM or YYYY-MM-DD: only as precise as the source; or an EDTF form "
          "where the source is uncertain: 2025-06? (uncertain), 2025-06~ (approximate), "
          "2025-06/2025-09 (interval), ../2025-06 or 2025-09/.. (open end), "
          "[..2025-06] (on or before), [2025-09..] (on or after), [2025-09..2025-12] "
          "(one day between).", "2025-08"),
    Field("sort_after", "id", False,
          "The id of an event this one follows, where the text orders events the dates "
          "cannot (e.g. two events in the same month).", "earlier-event"),
    Field("date_note", "text", False, "How the date was established, where not obvious.", "..."),
    Field("title", "text", True, "A short headline.", "..."),
    Field("summary", "prose", True, "What happened, in the brief's own words.", "..."),
    Field("citations", "list:record:citation", True, "At least one citation.", None),
    Field("tags", "list:tag", False, "Topics (ids), e.g. diplomacy, security.", ["diplomacy"]),
    Field("entities", "list:id", False,
          "Ids of the people and organisations involved (see entities.yml).", ["a-person"]),
    Field("place", "text", False, "Where it happened.", "Northport"),
))

FAQ = Record("faq", "A frequently asked question (sources/faq/*.yml)", (
    Field("id", "id", True, "Unique id, used as the question's anchor.", "why-it-matters"),
    Field("question", "text", True, "The question.", "..."),
    Field("answer", "prose", True, "The answer in the brief's own words.", "..."),
    Field("citations", "list:record:citation", True, "At least one citation.", None),
    Field("entities", "list:id", False, "Ids of the people and organisations it concerns.",
          ["a-person"]),
))

ENTITY = Record("entity", "A person or organisation (sources/entities.yml)", (
    Field("id", "id", True, "Unique id.", "a-person"),
    Field("name", "text", True, "The name as the sources give it.", "..."),
    Field("kind", "enum:person|organisation|country|place", True,
          "person, organisation, country or place.", "person"),
    Field("role", "text", True, "The role as the sources state it.", "..."),
    Field("aliases", "list:text", False, "Other names the sources use.", ["..."]),
    Field("citations", "list:record:citation", True, "Where the sources state the role.", None),
))

RECORDS = {r.name: r for r in (CITATION, KEY_POINT, PARAGRAPH, SETTINGS, SOURCE, EVENT, FAQ,
                               ENTITY)}
