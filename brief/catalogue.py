"""Who's who, tags and site addresses: plain data the reader's pages and files share.

Pure: everything is computed from the resolved brief. The pages themselves are in
templates/ (entities.md.j2, entity.md.j2, tags.md.j2, tag.md.j2, data.md.j2).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from .i18n import N_, _
from .models import Brief, Entity, Event, FaqEntry

KIND_HEADINGS = {"person": N_("People"), "organisation": N_("Organisations"),
                 "country": N_("Countries"), "place": N_("Places")}


@dataclass
class Mentions:
    """Everything in the brief that names one entity."""

    entity: Entity
    events: list[Event] = field(default_factory=list)
    faq: list[FaqEntry] = field(default_factory=list)


def entity_mentions(brief: Brief) -> dict[str, Mentions]:
    """Entity id -> the events (in date order) and FAQ entries (in file order) naming it."""
    out = {eid: Mentions(ent) for eid, ent in brief.entities.items()}
    for e in brief.events:
        for eid in dict.fromkeys(e.entities):
            out[eid].events.append(e)
    for q in brief.faq:
        for eid in dict.fromkeys(q.entities):
            out[eid].faq.append(q)
    return out


def entities_by_kind(brief: Brief) -> list[tuple[str, list[Entity]]]:
    """(heading, entities sorted by name) for each kind that has any, in a fixed order."""
    groups = []
    for kind, heading in KIND_HEADINGS.items():
        members = sorted((e for e in brief.entities.values() if e.kind == kind),
                         key=lambda e: (e.name.casefold(), e.id))
        if members:
            groups.append((heading, members))
    return groups


def tag_index(brief: Brief) -> dict[str, list[Event]]:
    """Tag -> its events in date order; tags sorted alphabetically."""
    out: dict[str, list[Event]] = {}
    for e in brief.events:
        for t in dict.fromkeys(e.tags):
            out.setdefault(t, []).append(e)
    return dict(sorted(out.items()))


@dataclass
class Coverage:
    """Which parts of the home page carry citations (events, FAQ answers and entities
    must cite; the lede and the note on sources may). The home page claims "every
    statement links to ..." only when `complete` (issue 12)."""

    parts: list[tuple[str, int, int]]  # (name, paragraphs cited, paragraphs in all)

    @property
    def complete(self) -> bool:
        return all(cited == total for _name, cited, total in self.parts)

    @property
    def cited(self) -> list[str]:
        return [name for name, cited, total in self.parts if total and cited == total]

    @property
    def uncited(self) -> list[str]:
        return [name if cited == 0 else
                _("%(part)s (%(missing)s of %(total)s paragraphs)", part=name,
                  missing=total - cited, total=total)
                for name, cited, total in self.parts if cited < total]


def citation_coverage(brief: Brief) -> Coverage:
    s = brief.settings
    parts = [(_("the opening paragraphs"), sum(bool(p.citations) for p in s.lede), len(s.lede)),
             (_("the key points"), sum(bool(k.citations) for k in s.key_points),
              len(s.key_points)),
             (_("the note on the sources"), sum(bool(p.citations) for p in s.sources_note),
              len(s.sources_note))]
    return Coverage([p for p in parts if p[2]])


def page_url(docs_path: str, anchor: str = "") -> str:
    """The site-relative URL MkDocs gives a page with `use_directory_urls: true` (the
    generator's mkdocs.yml sets it): timeline/2025.md -> timeline/2025/."""
    path = docs_path[:-3] if docs_path.endswith(".md") else docs_path
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    elif path:
        path += "/"
    return path + (f"#{anchor}" if anchor else "")


def absolute(brief: Brief, url: str) -> str:
    """Prefix brief.yml's site_url when there is one; otherwise leave the URL relative."""
    base = brief.settings.site_url
    if not base:
        return url
    return base.rstrip("/") + "/" + url


# Pages that hold whole entries stay small however the brief grows (under 1 MB of HTML,
# and MkDocs' time per page flat: benchmarks/RESULTS.md). A year with more events than
# this gets a page per month (timeline/2025-03.md; events dated only to the year go to
# timeline/2025-year.md), and its year page becomes their index, with an anchor for
# every event of the year, so links to timeline/2025/#id still land on it. A FAQ with more entries than this is split into
# pages of this many in file order (faq/2.md), faq.md listing every question with an
# anchor. Small briefs keep one page per year and one FAQ page.
MAX_PER_PAGE = 100


def crowded_year(brief: Brief, year: int) -> bool:
    return brief.events_per_year.get(year, 0) > MAX_PER_PAGE


def event_page(brief: Brief, event: Event) -> str:
    """The docs/ path of the page holding the event in full."""
    d = event.date
    if crowded_year(brief, d.year):
        return f"timeline/{d.year}-{d.month:02d}.md" if d.month else f"timeline/{d.year}-year.md"
    return f"timeline/{d.year}.md"


def faq_split(brief: Brief) -> bool:
    return len(brief.faq) > MAX_PER_PAGE


def faq_page(brief: Brief, entry: FaqEntry) -> str:
    """The docs/ path of the page holding the FAQ entry in full."""
    if not faq_split(brief):
        return "faq.md"
    return f"faq/{brief.faq_position[entry.id] // MAX_PER_PAGE + 1}.md"


def event_url(brief: Brief, event: Event) -> str:
    return absolute(brief, page_url(event_page(brief, event), event.id))


def stable_uuid(brief: Brief, kind: str, item_id: str) -> uuid.UUID:
    """A UUID that stays the same from build to build: derived from the brief (its
    site_url, or its title when it has none) and the item's id, never from the time."""
    key = brief.settings.site_url or f"brief:{brief.settings.title}"
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{key}#{kind}/{item_id}")
