"""Honest metadata for the exports: how a date, a source's type and a source's title are
written in each format, so that no format says more than the brief knows (issue 12).

- Source types (fields.SOURCE_TYPES) map to CSL-JSON, BibTeX/biblatex and schema.org
  types (`TYPES`); where CSL 1.0.1 has no type of its own (press release, official
  statement, transcript) the item is a CSL `article` with a `genre`.
- A descriptive title (title_kind: descriptive) is written in square brackets, as
  citation styles print a title supplied by the cataloguer, and never as a `headline`.
- Dates (edtf.When): CSL `date-parts` with one or two parts and `circa` for approximate
  or uncertain dates; a date with an open or unknown end as a CSL `literal` in words
  plus `raw` EDTF; BibTeX/biblatex `date` in EDTF (biblatex reads ?, ~, % and ranges);
  schema.org only the ends that are known.
- Inferred publication dates (published_kind: inferred) are said in a note in every
  format that has one.
"""
from __future__ import annotations

from .edtf import When
from .i18n import _
from .models import Event, Source

# type -> (CSL type, CSL genre or "", BibTeX/biblatex entry type, schema.org type)
TYPES: dict[str, tuple[str, str, str, str]] = {
    "news-article": ("article-newspaper", "", "article", "NewsArticle"),
    "blog-post": ("post-weblog", "", "online", "BlogPosting"),
    "press-release": ("article", "Press release", "misc", "Article"),
    "official-statement": ("article", "Official statement", "misc", "Article"),
    "report": ("report", "", "report", "Report"),
    "transcript": ("article", "Transcript", "misc", "CreativeWork"),
    "interview": ("interview", "", "misc", "CreativeWork"),
    "speech": ("speech", "", "misc", "CreativeWork"),
    "social-media-post": ("post", "", "online", "SocialMediaPosting"),
    "web-page": ("webpage", "", "online", "WebPage"),
    "dataset": ("dataset", "", "dataset", "Dataset"),
    "book": ("book", "", "book", "Book"),
    "unknown": ("article", "", "misc", "CreativeWork"),
}

TYPE_WORDS = {t: t.replace("-", " ") for t in TYPES}


def source_types(src: Source) -> tuple[str, str, str, str]:
    return TYPES.get(src.type, TYPES["unknown"])


def export_title(src: Source) -> str:
    """The title as exports write it: a descriptive one in [square brackets]."""
    return src.display_title


def published_note(src: Source) -> str:
    """The note that goes with an uncertain or inferred publication date, or ""."""
    if src.published is None:
        return ""
    parts = []
    if src.published_kind == "inferred":
        parts.append(_("Publication date inferred: %(date)s", date=src.published.display()))
    elif not src.published.exact:
        parts.append(_("Publication date: %(date)s", date=src.published.display()))
    if parts and src.published_note:
        parts.append(src.published_note)
    return ". ".join(p.rstrip(".") for p in parts) + ("." if parts else "")


def _parts(d) -> list[int]:
    return [p for p in (d.year, d.month, d.day) if p]


def csl_date(w: When) -> dict:
    """A CSL-JSON date variable that keeps the date's precision and certainty."""
    if w.form == "single":
        out: dict = {"date-parts": [_parts(w.start.date)]}
    elif w.start.date and w.end.date:
        out = {"date-parts": [_parts(w.start.date), _parts(w.end.date)]}
    else:  # an open or unknown end: CSL has no way to say it but words
        return {"literal": w.display(), "raw": w.iso}
    if w.start.qualifier or w.end.qualifier:
        out["circa"] = True
    return out


def bib_date(w: When) -> str:
    """biblatex's `date` field takes EDTF (biblatex manual 2.3.8), ranges and open ends
    included; a set ([..2025-06]) is not EDTF level 1, so it is written as the range
    of days it stands for (open end: '..')."""
    if w.form != "set":
        return w.iso
    a = w.start.edtf if w.start.date else ".."
    b = w.end.edtf if w.end.date else ".."
    return f"{a}/{b}"


def ld_dates(w: When, start: str, end: str) -> dict:
    """schema.org start/end properties: only the ends that are known (ISO 8601 at the
    precision known). A single uncertain date still has its period's bounds."""
    out = {}
    if w.form == "single":
        out[start] = w.start.date.iso
        return out
    if w.start.date:
        out[start] = w.start.date.iso
    if w.end.date and end:
        out[end] = w.end.date.iso
    return out


def date_text(e: Event) -> str:
    """'Date: ...' in words, with the date note: the first line of every text export."""
    out = _("Date: %(date)s", date=e.date.display())
    if e.date_note:
        out += f" ({e.date_note})"
    return out
