"""Structured data for machines: JSON-LD and citation meta tags in the page head.

How it is injected: the generated Markdown page starts with YAML front matter (before
the "generated" comment) holding
    brief_jsonld:    one JSON-LD object, as a JSON string already made safe for a
                     <script> element (every <, > and & written as \\u003c ... so
                     "</script>" in the data cannot end the element)
    brief_citation:  [[name, content], ...] Highwire Press meta tags (citation_title,
                     citation_publisher, citation_publication_date, ...), which
                     reference managers such as Zotero read
MkDocs reads front matter into `page.meta`; `overrides/main.html` (the generator's
theme override, added to every brief's theme by publish.py) prints them in its
`extrahead` block: the JSON-LD in <script type="application/ld+json">, the meta tags
HTML-escaped. They are in the theme's <head>, not the page content, so the HTML
sanitiser (brief/sanitize.py, which removes <script> from content) never sees them.

Which pages: the FAQ (FAQPage with Question/acceptedAnswer), each timeline year
(ItemList of Event), each source page (NewsArticle, plus the citation_* tags).
Dates stay at the precision the sources give (ISO 8601 "2025", "2025-08").
"""
from __future__ import annotations

import json

import yaml

from . import metadata
from .models import Brief, Event, FaqEntry, Source

CONTEXT = "https://schema.org"


# (one encoder for all: json.dumps with options makes a new one per call)
_encode = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode


def script_json(data: object) -> str:
    """JSON that is safe inside <script>: no <, > or & can appear literally."""
    text = _encode(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# libyaml's emitter writes the same text as PyYAML's pure-Python one, about 8x faster
# (one front matter per page: 12 s of pure-Python emitting at 1,000 sources).
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(meta: dict) -> str:
    """YAML front matter MkDocs reads into page.meta (values round-trip exactly)."""
    return "---\n" + yaml.dump(meta, Dumper=_Dumper, allow_unicode=False, sort_keys=False,
                               width=2**31 - 1) + "---\n"


def _text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def faq_meta(entries: list[FaqEntry]) -> dict:
    data = {"@context": CONTEXT, "@type": "FAQPage", "mainEntity": [
        {"@type": "Question", "@id": f"#{q.id}", "name": q.question,
         "acceptedAnswer": {"@type": "Answer", "text": _text(q.answer)}}
        for q in entries]}
    return {"brief_jsonld": script_json(data)}


def event_ld(e: Event) -> dict:
    # startDate/endDate: only the ends the brief knows; the date in words (and its
    # note) leads the description whenever it is not a plain date.
    desc = _text(e.summary)
    if not e.date.exact or e.date_note:
        desc = metadata.date_text(e) + "\n\n" + desc
    item = {"@type": "Event", "@id": f"#{e.id}", "name": e.title,
            **metadata.ld_dates(e.date, "startDate", "endDate"),
            "description": desc, "url": f"#{e.id}"}
    if e.place:
        item["location"] = {"@type": "Place", "name": e.place}
    if e.tags:
        item["keywords"] = ", ".join(e.tags)
    return item


def year_meta(brief: Brief, year: int, events: list[Event]) -> dict:
    data = {"@context": CONTEXT, "@type": "ItemList",
            "name": f"{brief.settings.title}: timeline {year}",
            "numberOfItems": len(events),
            "itemListElement": [{"@type": "ListItem", "position": i, "item": event_ld(e)}
                                for i, e in enumerate(events, 1)]}
    return {"brief_jsonld": script_json(data)}


def _known(value: str) -> str:
    return "" if not value or value == "unknown" else value


def source_meta(src: Source) -> dict:
    # A descriptive title is not a headline: JSON-LD `name` in [brackets], and the
    # citation_title tag carries the brackets too (reference managers import it as is).
    tags: list[list[str]] = [["citation_title", metadata.export_title(src)]]
    data: dict = {"@context": CONTEXT, "@type": metadata.source_types(src)[3]}
    if src.title_kind == "descriptive":
        data["name"] = metadata.export_title(src)
    else:
        data["headline"] = src.title
    data["inLanguage"] = src.language
    if _known(src.author):
        tags.append(["citation_author", src.author])
        data["author"] = {"@type": "Person", "name": src.author}
    if _known(src.publisher):
        tags.append(["citation_publisher", src.publisher])
        data["publisher"] = {"@type": "Organization", "name": src.publisher}
    if src.published and src.published.exact and src.published_kind != "inferred":
        # Highwire dates are YYYY/MM/DD, shortened to the precision known; a tag has no
        # room to say a date is uncertain or inferred, so only a stated plain date goes in.
        tags.append(["citation_publication_date", src.published.iso.replace("-", "/")])
    if src.published and src.published.form == "single":
        data["datePublished"] = src.published.start.date.iso
    if metadata.published_note(src):
        data["description"] = metadata.published_note(src)
    tags.append(["citation_language", src.language])
    if src.url:
        tags.append(["citation_public_url", src.url])
        data["url"] = src.url
    return {"brief_jsonld": script_json(data), "brief_citation": tags}
