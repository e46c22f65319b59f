"""Downloads: the events as JSON, CSV and iCalendar; the sources as CSL-JSON and BibTeX.

Pure: returns `Page`s under data/ (the writer handles bytes); the Data page
(templates/data.md.j2) links them and describes each field. Every format is produced
by its own serialiser or a small escaping writer (json, csv, `ical_text`/`fold` for
RFC 5545, `bib_text` for BibTeX); no value is pasted in unescaped.

Dates keep their precision. A month- or year-precision date never pretends to be a
day: in JSON and CSV an event has `date` as given, its `precision`, and `start`/`end`,
the first and last day of the period; in iCalendar it is an all-day event that spans
the whole period (DTSTART;VALUE=DATE at the first day, DTEND the day after the last,
as RFC 5545 makes DTEND exclusive), with `X-BRIEF-DATE-PRECISION` and a DESCRIPTION
that starts "Date: August 2025 (month precision ...)". Sources keep theirs in CSL
`date-parts` ([[2025, 8]]) and BibTeX (`year`, `month`, biblatex `date`). Fields that
are unknown are omitted, never invented.

The iCalendar writer is a few lines (RFC 5545 3.1 folding at 75 octets, 3.3.11 text
escaping, CRLF) rather than the `icalendar` package, which would add a runtime
dependency for this; the tests parse the output with `icalendar`.
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json

from . import catalogue, metadata
from .dates import BriefDate
from .edtf import When
from .i18n import _, precision_word
from .models import Brief, Citation, Event, Page, Source

FOLDER = "data"
CSV_FIELDS = ["id", "date", "date_text", "qualifier", "precision", "start", "end", "date_note",
              "title", "summary", "place", "tags", "entities", "sources", "url"]
BIB_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
              "dec"]


def period(d: BriefDate | When) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of the period a date stands for; for an uncertain
    date (edtf.When) the days its sort rule spans (an open end: the known end's period)."""
    if isinstance(d, When):
        return d.sort_key()
    if d.day:
        day = dt.date(d.year, d.month, d.day)
        return day, day
    if d.month:
        return (dt.date(d.year, d.month, 1),
                dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1]))
    return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)


def _known(value: str) -> str:
    return "" if not value or value == "unknown" else value


def citation_record(brief: Brief, c: Citation) -> dict:
    src = brief.sources[c.source]
    out = {"source": c.source, "quote": c.quote, "source_title": src.display_title,
           "stance": c.stance}
    if c.via:
        out["via"] = c.via
        out["via_name"] = brief.entities[c.via].name if c.via in brief.entities else c.via
    return out


def event_record(brief: Brief, e: Event) -> dict:
    # start/end: the first and last day the date can stand for; null (empty in CSV)
    # where an end is open or unknown. `qualifier` says in words what is uncertain.
    start, end = e.date.earliest, e.date.latest
    return {
        "id": e.id, "date": e.date.iso, "date_text": e.date.display(),
        "qualifier": e.date.qualifier, "precision": e.date.precision,
        "start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
        "date_note": e.date_note, "sort_after": e.sort_after or None,
        "title": e.title, "summary": "\n\n".join(e.summary), "place": e.place,
        "tags": list(e.tags), "entities": list(e.entities),
        "url": catalogue.event_url(brief, e),
        "citations": [citation_record(brief, c) for c in e.citations],
    }


def json_lines(body: bytes, head: dict | None = None, key: str = "") -> bytes:
    """JSON with one record per line, from the records' own JSON texts joined by ",\\n"
    (UTF-8): `[...]`, or `{...head, "key": [...]}`. Readable, diffable line by line, and
    each record is written by the JSON encoder's C code (an indented layout is written
    by its pure-Python code: 1.5 s at 10,000 events)."""
    array = b"[\n" + body + b"\n]" if body else b"[]"
    if head is None:
        return array + b"\n"
    start = json.dumps(head, ensure_ascii=False)[:-1]
    return f'{start}{", " if head else ""}{json.dumps(key)}: '.encode("utf-8") + array + b"}\n"


# One encoder for every record: json.dumps with options makes a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _json(record) -> str:
    return _encode(record)


def _joined(kind: str, items, part, sep: str) -> bytes:
    """`sep.join(part(x) for x in items)`, in UTF-8: how a download's items are put
    together. The live preview's render memo does the same from kept runs of items
    (RenderMemo.joined)."""
    return sep.join(map(part, items)).encode("utf-8")


def _records(brief: Brief):
    """event_record, computed once per event for the files that need it."""
    done: dict[int, dict] = {}

    def record(e: Event) -> dict:
        r = done.get(id(e))
        if r is None:
            r = done[id(e)] = event_record(brief, e)
        return r
    return record


def events_json(brief: Brief, joined=_joined, record=None) -> bytes:
    record = record or _records(brief)
    return json_lines(joined("json", brief.events, lambda e: _json(record(e)), ",\n"),
                      {"title": brief.settings.title, "description": brief.settings.description},
                      "events")


def csv_cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP "CSV injection"):
    one starting with = + - @ or a control character gets a leading apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_row(e: Event, r: dict) -> str:
    out = io.StringIO()
    row = {**r, "tags": "; ".join(e.tags), "entities": "; ".join(e.entities),
           "sources": "; ".join(dict.fromkeys(c.source for c in e.citations))}
    values = (row.get(k) for k in CSV_FIELDS)
    csv.writer(out, lineterminator="\r\n").writerow(  # RFC 4180
        [csv_cell(v) if isinstance(v, str) else "" if v is None else v for v in values])
    return out.getvalue()


def events_csv(brief: Brief, joined=_joined, record=None) -> bytes:
    record = record or _records(brief)
    head = "\r\n".join([",".join(CSV_FIELDS), ""])  # the names need no quoting
    return head.encode("utf-8") + joined("csv", brief.events, lambda e: _csv_row(e, record(e)),
                                         "")


# --- iCalendar (RFC 5545) ---

def ical_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    if len(line) <= 18:  # at most 4 bytes a character
        return line
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75  # 75 octets, then 74 after the leading space
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        parts.append(data[start:cut].decode("utf-8"))
        start, limit = cut, 74
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts)


def _precision_note(e: Event) -> str:
    d = e.date
    note = _("Date: %(date)s", date=d.display())
    if d.exact and d.precision != "day":
        note += " " + _("(%(precision)s precision: the sources give no exact day; this calendar "
                        "entry spans the whole %(precision)s)",
                        precision=precision_word(d.precision))
    elif not d.exact:
        note += " " + (_("(%(qualifier)s: the sources give no exact day; this calendar entry "
                         "spans the days the date can stand for)", qualifier=d.qualifier)
                       if d.earliest and d.latest else
                       _("(%(qualifier)s: the sources give no exact day; this calendar entry "
                         "spans the days the date can stand for, and the known end's period "
                         "for an open or unknown end)", qualifier=d.qualifier))
    if e.date_note:
        note += "\n" + _("Date note: %(note)s", note=e.date_note)
    return note


def events_ics(brief: Brief, joined=_joined) -> bytes:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//build.py//research brief//EN",
            "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{ical_text(brief.settings.title)}"]
    return ("".join(fold(line) + "\r\n" for line in head).encode("utf-8")
            + joined("ics", brief.events, lambda e: _vevent(brief, e), "")
            + b"END:VCALENDAR\r\n")


def _vevent(brief: Brief, e: Event) -> str:
    lines: list[str] = []
    start, end = period(e.date)
    first = start.strftime('%Y%m%d')
    url = catalogue.event_url(brief, e)
    description = "\n\n".join([_precision_note(e), *e.summary, "Sources: " + "; ".join(
        dict.fromkeys(brief.sources[c.source].display_title for c in e.citations))])
    lines += ["BEGIN:VEVENT",
              f"UID:{catalogue.stable_uuid(brief, 'event', e.id)}",
              # DTSTAMP must be a UTC date-time; the start of the event's period keeps
              # the file identical from build to build (no clock time).
              f"DTSTAMP:{first}T000000Z",
              f"DTSTART;VALUE=DATE:{first}",
              f"DTEND;VALUE=DATE:{(end + dt.timedelta(days=1)).strftime('%Y%m%d')}",
              f"SUMMARY:{ical_text(e.title)}",
              f"DESCRIPTION:{ical_text(description)}",
              f"X-BRIEF-DATE:{e.date.iso}",
              f"X-BRIEF-DATE-PRECISION:{e.date.precision}",
              *([f"X-BRIEF-DATE-QUALIFIER:{ical_text(e.date.qualifier)}"]
                if e.date.qualifier else []),
              "TRANSP:TRANSPARENT"]
    if e.place:
        lines.append(f"LOCATION:{ical_text(e.place)}")
    if e.tags:
        lines.append("CATEGORIES:" + ",".join(ical_text(t) for t in e.tags))
    if url.startswith(("http://", "https://")):  # URL must be absolute (RFC 5545 3.8.4.6)
        lines.append(f"URL;VALUE=URI:{url}")
    lines.append("END:VEVENT")
    return "".join(fold(line) + "\r\n" for line in lines)


# --- Sources: CSL-JSON and BibTeX ---

def _date_parts(d: BriefDate) -> dict:
    return {"date-parts": [[p for p in (d.year, d.month, d.day) if p]]}


def csl_item(src: Source) -> dict:
    csl_type, genre, _bib, _ld = metadata.source_types(src)
    item: dict = {"id": src.id, "type": csl_type, "title": metadata.export_title(src)}
    if genre:
        item["genre"] = genre
    if _known(src.publisher):
        item["container-title"] = src.publisher
    if _known(src.author):
        item["author"] = [{"literal": src.author}]
    if src.published:
        item["issued"] = metadata.csl_date(src.published)
    if metadata.published_note(src):
        item["note"] = metadata.published_note(src)
    if src.retrieved:
        item["accessed"] = _date_parts(src.retrieved)
    if src.url:
        item["URL"] = src.url
    item["language"] = src.language
    return item


def sources_csl(brief: Brief, joined=_joined) -> bytes:
    return json_lines(joined("csl", list(brief.sources.values()),
                             lambda s: _json(csl_item(s)), ",\n"))


_BIB_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$",
                "%": r"\%", "&": r"\&", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def bib_text(value: str) -> str:
    """Escape text for a braced BibTeX/biblatex field: braces always balance."""
    return "".join(_BIB_ESCAPES.get(ch, ch) for ch in " ".join(value.split()))


def bib_url(url: str) -> str:
    """URLs are verbatim in biblatex; only braces and backslashes could unbalance the
    field, so those are percent-encoded (validated URLs rarely hold them)."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bib_entry(src: Source) -> str:
    # double braces keep its case; a descriptive title keeps its [brackets]
    fields = [("title", "{" + bib_text(metadata.export_title(src)) + "}")]
    if _known(src.author):
        fields.append(("author", "{" + bib_text(src.author) + "}"))  # as one literal name
    if _known(src.publisher):
        if metadata.source_types(src)[2] == "article":
            fields.append(("journaltitle", bib_text(src.publisher)))  # biblatex
            fields.append(("journal", bib_text(src.publisher)))  # classic BibTeX
        else:
            fields.append(("publisher", bib_text(src.publisher)))
    if src.published:
        d = src.published
        # validated EDTF: digits and - / . ? ~ % only, written as is (biblatex parses it)
        fields.append(("date", metadata.bib_date(d)))
        if d.exact:  # classic BibTeX year/month only for a plain date
            fields.append(("year", str(d.year)))
            if d.month:
                fields.append(("month", BIB_MONTHS[d.month - 1]))
    if metadata.published_note(src):
        fields.append(("note", bib_text(metadata.published_note(src))))
    if src.url:
        fields.append(("url", bib_url(src.url)))
    if src.retrieved:
        fields.append(("urldate", src.retrieved.iso))
    fields.append(("langid", bib_text(src.language)))
    body = ",\n".join(f"  {k} = {v}" if k == "month" else f"  {k} = {{{v}}}"
                      for k, v in fields)
    return f"@{metadata.source_types(src)[2]}{{{src.id},\n{body}\n}}\n"


def sources_bib(brief: Brief, joined=_joined) -> bytes:
    head = "% Sources of the brief, generated by build.py. Unknown fields are omitted.\n\n"
    return head.encode("utf-8") + joined("bib", list(brief.sources.values()), bib_entry, "\n")


def render_exports(brief: Brief, joined=_joined) -> list[Page]:
    """The downloads. `joined(kind, items, part, sep)`: the events' or sources' parts of
    a file ("json", "csv", "ics"; "csl", "bib") joined by `sep`, in UTF-8 (`_joined`);
    the live preview's render memo keeps runs of them (brief/rendermemo.py)."""
    record = _records(brief)
    return [Page(f"{FOLDER}/events.json", events_json(brief, joined, record)),
            Page(f"{FOLDER}/events.csv", events_csv(brief, joined, record)),
            Page(f"{FOLDER}/events.ics", events_ics(brief, joined)),
            Page(f"{FOLDER}/sources.json", sources_csl(brief, joined)),
            Page(f"{FOLDER}/sources.bib", sources_bib(brief, joined))]
