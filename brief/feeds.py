"""Feeds of the timeline's events: Atom (feed.xml) and JSON Feed 1.1 (feed.json).

Pure: returns `Page`s (the writer handles bytes). Newest event first. The XML is built
with ElementTree and the JSON with the json module, so every value is escaped by the
serialiser; no text is ever concatenated into markup.

Ids are stable: `urn:uuid:` + a UUID derived from the brief and the event id
(`catalogue.stable_uuid`), never from the build time. Feeds need full timestamps, so an
event's timestamp is the start of its period at 00:00 UTC: "2025-08" is
2025-08-01T00:00:00Z, "2025" is 2025-01-01T00:00:00Z; the entry's text starts with the
date as the sources give it ("August 2025"), and JSON Feed items carry it exactly in
`_brief.date` / `_brief.precision`. The feed's own `updated` is the newest event's
timestamp, so rebuilding an unchanged brief gives byte-identical feeds.

Links: with `site_url` in brief.yml they are absolute; without it they are relative
to the site root, where the feeds are published, which feed readers resolve against
the feed's own address.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from markupsafe import Markup, escape

from . import catalogue
from .dates import BriefDate
from .edtf import When
from .i18n import _, precision_word
from .languages import lang_attrs
from .models import Brief, Event, Page

ATOM_NS = "http://www.w3.org/2005/Atom"
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"


def timestamp(d: BriefDate | When) -> str:
    """RFC 3339 timestamp of the start of the date's period (for an uncertain date, the
    first day its sort rule gives it: edtf.When.sort_key)."""
    if isinstance(d, When):
        return d.sort_key()[0].isoformat() + "T00:00:00Z"
    return f"{d.year:04d}-{d.month or 1:02d}-{d.day or 1:02d}T00:00:00Z"


def event_timestamps(brief: Brief, events: list[Event] | None = None) -> dict[str, str]:
    """Event id -> its feed timestamp, for `events` (default: all). An event placed by
    `sort_after` after an event whose timestamp is later than its own takes that
    timestamp, so feed readers, which order by date, keep the brief's order. (A feed
    holds the newest events only: their timestamps need only the events they follow,
    not the whole timeline, which the live preview would compute on every save.)"""
    order = {e.id: i for i, e in enumerate(brief.events)}
    out: dict[str, str] = {}

    def stamp(e: Event) -> None:
        chain = [e]  # e, the event it follows, the one that one follows, ...
        while True:
            last = chain[-1]
            if last.id in out or not last.sort_after:
                break
            at = order.get(last.sort_after)
            if at is None or at >= order[last.id]:  # only an earlier event counts
                break
            chain.append(brief.events[at])
        for item in reversed(chain):
            if item.id not in out:
                ts = timestamp(item.date)
                at = order.get(item.sort_after) if item.sort_after else None
                if at is not None and at < order[item.id]:
                    ts = max(ts, out[item.sort_after])
                out[item.id] = ts

    for e in brief.events if events is None else events:
        stamp(e)
    return out


def entry_id(brief: Brief, e: Event) -> str:
    return f"urn:uuid:{catalogue.stable_uuid(brief, 'event', e.id)}"


def _entry_parts(brief: Brief, e: Event) -> tuple[list[str], list]:
    """The entry's paragraphs (date, note, place; the summary) and its cited sources."""
    d = e.date
    lines = [_("Date: %(date)s", date=d.display()) + (
        " " + _("(%(precision)s precision)", precision=precision_word(d.precision))
        if d.exact and d.precision != "day" else "")]
    if e.date_note:
        lines.append(_("Date note: %(note)s", note=e.date_note))
    if e.place:
        lines.append(_("Place: %(place)s", place=e.place))
    sources = list({c.source: brief.sources[c.source] for c in e.citations}.values())
    return ["\n".join(lines), *e.summary], sources


def entry_text(brief: Brief, e: Event) -> str:
    parts, sources = _entry_parts(brief, e)
    names = "; ".join(dict.fromkeys(src.display_title for src in sources))
    return "\n\n".join([*parts, _("Sources: %(sources)s", sources=names)])


def entry_html(brief: Brief, e: Event) -> str:
    """The entry as HTML: the same text, with each source title in another language than
    the brief's marked with its lang (and dir), as on the site (issue 11)."""
    parts, sources = _entry_parts(brief, e)
    lang = brief.settings.language
    names = Markup("; ").join(dict.fromkeys(
        Markup("<cite{}>{}</cite>").format(lang_attrs(src.title_language, lang), src.display_title)
        for src in sources))
    html = [Markup("<p>{}</p>").format(Markup("<br>").join(escape(p).split("\n"))) for p in parts]
    # the message is the catalogue's (trusted); the titles in it are escaped above
    html.append(Markup("<p>{}</p>").format(Markup(_("Sources: %(sources)s", sources=names))))
    return str(Markup("\n").join(html))


# A feed is polled for what is new: it carries the newest events only, so it stays a
# small download however long the timeline grows (10,000 events made a 10 MB feed.xml,
# benchmarks/RESULTS.md). The whole timeline is in the downloads (data/events.*).
FEED_LIMIT = 100


def newest_first(brief: Brief) -> list[Event]:
    return list(reversed(brief.events))[:FEED_LIMIT]


def atom_feed(brief: Brief) -> bytes:
    ET.register_namespace("", ATOM_NS)

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    s = brief.settings
    events = newest_first(brief)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang":
                                             s.language})
    sub(feed, "id", f"urn:uuid:{catalogue.stable_uuid(brief, 'feed', 'atom')}")
    sub(feed, "title", s.title)
    sub(feed, "subtitle", s.description)
    stamps = event_timestamps(brief, events)
    sub(feed, "updated", stamps[events[0].id] if events else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="alternate", type="text/html", href=catalogue.absolute(brief, "timeline/"))
    sub(feed, "link", rel="self", type="application/atom+xml",
        href=catalogue.absolute(brief, "feed.xml"))
    author = sub(feed, "author")
    sub(author, "name", s.title)
    sub(feed, "generator", "build.py")
    for e in events:
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(brief, e))
        sub(entry, "title", e.title)
        sub(entry, "updated", stamps[e.id])
        sub(entry, "published", stamps[e.id])
        sub(entry, "link", rel="alternate", type="text/html", href=catalogue.event_url(brief, e))
        for t in e.tags:
            sub(entry, "category", term=t)
        # a plain-text summary, and the same as HTML, where parts in another language
        # than the brief's carry their lang
        sub(entry, "summary", entry_text(brief, e), type="text")
        sub(entry, "content", entry_html(brief, e), type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def json_feed(brief: Brief) -> bytes:
    s = brief.settings
    feed: dict = {"version": JSONFEED_VERSION, "title": s.title, "description": s.description,
                  "language": s.language}
    if s.site_url:
        feed["home_page_url"] = catalogue.absolute(brief, "")
        feed["feed_url"] = catalogue.absolute(brief, "feed.json")
    feed["authors"] = [{"name": s.title}]
    events = newest_first(brief)
    stamps = event_timestamps(brief, events)
    feed["items"] = [{
        "id": entry_id(brief, e),
        "url": catalogue.event_url(brief, e),
        "title": e.title,
        "content_text": entry_text(brief, e),
        "content_html": entry_html(brief, e),
        "date_published": stamps[e.id],
        **({"tags": list(e.tags)} if e.tags else {}),
        "_brief": {"event_id": e.id, "date": e.date.iso, "precision": e.date.precision,
                   "date_text": e.date.display(), "qualifier": e.date.qualifier,
                   "start": e.date.earliest.isoformat() if e.date.earliest else None,
                   "end": e.date.latest.isoformat() if e.date.latest else None,
                   "date_note": e.date_note},
    } for e in events]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_feeds(brief: Brief) -> list[Page]:
    return [Page("feed.xml", atom_feed(brief)), Page("feed.json", json_feed(brief))]
