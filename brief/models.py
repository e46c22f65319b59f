"""The brief in memory: plain dataclasses handed from stage to stage."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .dates import BriefDate
from .edtf import When


@dataclass(frozen=True)
class Citation:
    source: str
    quote: str  # "" when the citation cites the source as a whole
    path: str  # where the citation was written, for messages
    line: int
    col: int
    quote_col: int = 0
    quote_line: int = 0
    via: str = ""  # entity id: whose words the source reports ("" when its own)
    stance: str = "supports"  # supports | reports | disputes
    translation: str = ""  # the quote in the brief's language (issue 11), "" when none
    translation_source: str = ""  # who translated it, "" when the brief itself
    translation_line: int = 0
    translation_col: int = 0


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the brief's own text (lede, sources_note) with its citations."""

    text: str
    citations: list[Citation]

    def __hash__(self) -> int:
        return hash(self.text)


@dataclass(frozen=True)
class Block:
    """One paragraph or heading of a source's text."""

    kind: str  # "p" or "h"
    text: str  # whitespace collapsed, NFC
    anchor: str  # "p3" for the third paragraph, "h2" for the second heading
    line: int  # line in the source file


@dataclass
class Source:
    id: str
    path: str
    title: str
    publisher: str
    published: When | None  # None when unknown
    retrieved: BriefDate | None
    language: str
    blocks: list[Block]
    author: str = ""
    url: str = ""
    published_note: str = ""
    note: str = ""
    title_kind: str = "headline"  # or "descriptive": written for the brief, shown [in brackets]
    type: str = "unknown"  # fields.SOURCE_TYPES
    published_kind: str = "stated"  # or "inferred"

    @property
    def display_title(self) -> str:
        """The title as a reader sees it: a descriptive title in square brackets, as
        citation styles print a title supplied by the cataloguer."""
        return f"[{self.title}]" if self.title_kind == "descriptive" else self.title

    @property
    def title_language(self) -> str:
        """The language of the title: the text's for a headline, '' (the brief's own) for a
        descriptive title written for the brief."""
        return self.language if self.title_kind == "headline" else ""

    @property
    def names_language(self) -> str:
        """The language of the publisher's name: the text's (an outlet is named in the
        language it publishes in); '' when unknown."""
        return self.language if self.publisher != "unknown" else ""

    @property
    def published_words(self) -> str:
        """The publication date in words, 'unknown', and '(inferred)' where it is."""
        from .i18n import _
        if self.published is None:
            return _("unknown")
        if self.published_kind == "inferred":
            return _("%(date)s (inferred)", date=self.published.display())
        return self.published.display()


@dataclass
class Event:
    id: str
    date: When
    title: str
    summary: list[str]  # paragraphs
    citations: list[Citation]
    path: str
    line: int
    col: int = 1
    tags: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    place: str = ""
    date_note: str = ""
    sort_after: str = ""  # id of the event this one follows (data.order_events)

    @property
    def sort_key(self) -> tuple:
        return (self.date.sort_key(), self.id)


@dataclass
class FaqEntry:
    id: str
    question: str
    answer: list[str]
    citations: list[Citation]
    path: str
    line: int
    col: int = 1
    entities: list[str] = field(default_factory=list)


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    role: str
    citations: list[Citation]
    path: str
    line: int
    col: int = 1
    aliases: list[str] = field(default_factory=list)


@dataclass
class KeyPoint:
    text: str
    citations: list[Citation]


@dataclass
class Settings:
    title: str
    description: str
    lede: list[Paragraph]
    language: str = "en"
    key_points: list[KeyPoint] = field(default_factory=list)
    sources_note: list[Paragraph] = field(default_factory=list)
    site_url: str = ""  # "" when not configured: feeds and downloads link relatively
    palette: str = ""  # the theme's primary colour; "" for the theme's default


@dataclass
class Brief:
    root: Path
    settings: Settings | None  # None when brief.yml is missing or invalid
    sources: dict[str, Source]
    events: list[Event]  # sorted by date, then id
    faq: list[FaqEntry]  # in file order
    entities: dict[str, Entity]

    @cached_property
    def events_per_year(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for e in self.events:
            out[e.date.year] = out.get(e.date.year, 0) + 1
        return out

    @cached_property
    def faq_position(self) -> dict[str, int]:
        """FAQ id -> its 0-based position in file order."""
        return {q.id: i for i, q in enumerate(self.faq)}


@dataclass(frozen=True)
class Page:
    """A file to write under docs/: its path relative to docs/, and its content."""

    path: str
    content: bytes
