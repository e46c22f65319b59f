"""Uncertain and approximate dates: the Extended Date/Time Format (EDTF, Library of
Congress; ISO 8601-2), levels 0 and 1, plus the "one of a range" forms of level 2.

What a brief may write (ASCII digits only: a fullwidth or Arabic-Indic digit is refused,
so every regular expression here is compiled with re.ASCII):

    2025, 2025-06, 2025-06-12   a year, month or day (level 0)
    2025-06?  2025-06~  2025-06%   uncertain, approximate, both (level 1)
    2025-06/2025-09             an interval: it lasted from June to September
    ../2025-06  2025-09/..      an interval with an open start or end (level 1)
    /2025-06    2025-09/        an interval with an unknown start or end (level 1)
    [..2025-06] [2025-09..]     one day, on or before / on or after (level 2 sets)
    [2025-09..2025-12]          one day, somewhere between the two (level 2 sets)

Not supported (refused with a hint): seasons (2025-21), unspecified digits (202X),
negative or five-digit years, times, and sets with several members.

The sort rule (documented in the README): an item sorts by the first day its date can
stand for, then by the last, then by id. An open or unknown end counts as the known
end's period ("[..2025-06]" sorts with June 2025, not before everything). An event may
add `sort_after: ID` where the text orders events the dates cannot (data.py).

The words a reader sees come from `When.display()`; it is the one formatter for every
date shown on a page or in an export's text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import BriefDate, parse_date
from .i18n import _, date_words

_POINT = re.compile(r"^([0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)([?~%]?)$", re.ASCII)
_SET = re.compile(r"^\[(.*)\]$", re.ASCII)
_QUALIFIER_WORDS = {"": "", "?": "uncertain", "~": "approximate", "%": "approximate and uncertain"}
SYNTAX_HINT = ("write YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by ? (uncertain), "
               "~ (approximate) or % (both); an interval START/END (either end may be '..' "
               "for open or empty for unknown); or [..DATE], [DATE..], [DATE..DATE] for one "
               "day on or before, on or after, or between")


@dataclass(frozen=True)
class End:
    """A date with its qualifier, or a missing end ("open" for '..', "unknown" for '')."""

    date: BriefDate | None = None
    qualifier: str = ""  # "", "?", "~" or "%"
    missing: str = ""  # "", "open" or "unknown"

    @property
    def uncertain(self) -> bool:
        return self.qualifier in ("?", "%")

    @property
    def approximate(self) -> bool:
        return self.qualifier in ("~", "%")

    @property
    def edtf(self) -> str:
        if self.date is None:
            return ".." if self.missing == "open" else ""
        return self.date.iso + self.qualifier

    def words(self, with_year: bool = True) -> str:
        d = self.date
        if d is None:
            return _("an unknown date")
        base = date_words(d.year, d.month, d.day, with_year=with_year)
        if self.qualifier == "?":
            return _("probably %(date)s", date=base)
        if self.qualifier == "~":
            return _("about %(date)s", date=base)
        if self.qualifier == "%":
            return _("about %(date)s (uncertain)", date=base)
        return base


def first_day(d: BriefDate) -> dt.date:
    return dt.date(d.year, d.month or 1, d.day or 1)


def last_day(d: BriefDate) -> dt.date:
    if d.day:
        return dt.date(d.year, d.month, d.day)
    if d.month:
        nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(d.year, 12, 31)


@dataclass(frozen=True)
class When:
    """A date as a brief may give it. `form` is "single", "interval" (the event lasted
    from start to end) or "set" (it happened on one day between start and end)."""

    form: str
    start: End
    end: End

    # -- what the rest of the program asks of a date ---------------------------
    @property
    def iso(self) -> str:
        """The EDTF text (for a plain date, ISO 8601: "2025-06")."""
        if self.form == "single":
            return self.start.edtf
        if self.form == "interval":
            return f"{self.start.edtf}/{self.end.edtf}"
        a = self.start.edtf if self.start.date else ""
        b = self.end.edtf if self.end.date else ""
        return f"[{a}..{b}]"

    def __str__(self) -> str:
        return self.iso

    @property
    def anchor(self) -> BriefDate:
        """The known date that places the item on a year page: the start, else the end."""
        return self.start.date or self.end.date  # type: ignore[return-value]

    @property
    def year(self) -> int:
        return self.anchor.year

    @property
    def month(self) -> int | None:
        return self.anchor.month

    @property
    def day(self) -> int | None:
        return self.anchor.day

    @property
    def exact(self) -> bool:
        """A plain date: no qualifier, no range."""
        return self.form == "single" and not self.start.qualifier

    @property
    def precision(self) -> str:
        """year, month or day: the coarsest precision of the known ends."""
        order = {"year": 0, "month": 1, "day": 2}
        known = [e.date.precision for e in (self.start, self.end) if e.date]
        return min(known, key=order.__getitem__)

    @property
    def qualifier(self) -> str:
        """"" for a plain date; else a word list, e.g. "uncertain", "range", "open end"."""
        words = []
        if self.form == "interval":
            words.append("interval")
        elif self.form == "set":
            words.append("one day in a range")
        for name, e in (("start", self.start), ("end", self.end)):
            if self.form == "single" and name == "end":
                break
            if e.qualifier:
                words.append(_QUALIFIER_WORDS[e.qualifier] + ("" if self.form == "single"
                                                              else f" {name}"))
            if e.missing:
                words.append(f"{e.missing} {name}")
        return "; ".join(words)

    @property
    def earliest(self) -> dt.date | None:
        """First day the date can stand for; None when the start is open or unknown."""
        return first_day(self.start.date) if self.start.date else None

    @property
    def latest(self) -> dt.date | None:
        """Last day the date can stand for; None when the end is open or unknown."""
        return last_day(self.end.date) if self.end.date else None

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """Earliest possible day, then latest; a missing end counts as the other end's
        period (see the module's docstring)."""
        a = self.start.date or self.end.date
        b = self.end.date or self.start.date
        return first_day(a), last_day(b)

    # -- words --------------------------------------------------------------
    def display(self) -> str:
        s, e = self.start, self.end
        if self.form == "single":
            return s.words()
        if self.form == "set":
            if s.date is None:
                return _("%(date)s or earlier", date=e.words())
            if e.date is None:
                return _("%(date)s or later", date=s.words())
            a, b = _pair(s, e)
            return _("between %(start)s and %(end)s", start=a, end=b)
        if s.date is None and e.date is None:  # refused by the parser
            return _("unknown")
        if s.date is None:
            return (_("until %(date)s", date=e.words()) if s.missing == "open"
                    else _("from an unknown date to %(date)s", date=e.words()))
        if e.date is None:
            return (_("from %(date)s onwards", date=s.words()) if e.missing == "open"
                    else _("from %(date)s to an unknown date", date=s.words()))
        a, b = _pair(s, e)
        return _("%(start)s to %(end)s", start=a, end=b)


def _pair(s: End, e: End) -> tuple[str, str]:
    """Words for two ends, the year said once when both are in the same year at the
    same precision ("September and December 2025")."""
    a, b = s.date, e.date
    if (a.year == b.year and a.precision == b.precision and a.precision != "year"
            and not s.qualifier):
        return s.words(with_year=False), e.words()
    return s.words(), e.words()


def _point(text: str) -> tuple[End | None, str, str]:
    """One date with an optional qualifier -> (End, reason, hint)."""
    m = _POINT.match(text)
    if not m:
        return None, *_diagnose(text)
    date, reason = parse_date(m.group(1))
    if date is None:
        return None, reason, _month_hint(m.group(1))
    return End(date, m.group(2)), "", ""


def _month_hint(text: str) -> str:
    parts = text.split("-")
    if len(parts) >= 2 and parts[1].isascii() and parts[1].isdigit() and 21 <= int(parts[1]) <= 41:
        return "seasons (21 to 41) are not supported: give the months, e.g. 2025-03/2025-05"
    if len(parts) >= 2:
        return "months are 01 to 12; days 01 to the month's last day"
    return ""


def _diagnose(text: str) -> tuple[str, str]:
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return (f'"{text}" is not a date: it has digits that are not ASCII 0-9',
                "type the date with the digits 0-9 (a fullwidth or Arabic-Indic digit is refused)")
    if re.search(r"[0-9][Xx]|[Xx]{2}", text, re.ASCII):
        return (f'"{text}": unspecified digits (X) are not supported',
                "use the precision that is known (2025 rather than 2025-XX) or a range "
                "such as [2010..2019]")
    if re.match(r"^-|^Y", text, re.ASCII):
        return (f'"{text}": negative or extended years are not supported', "write a year 0001 to 9999")
    if "T" in text or ":" in text:
        return f'"{text}" is not a date: times are not supported', "give the day only (YYYY-MM-DD)"
    if re.match(r"^[0-9]{1,3}(-|$)", text, re.ASCII):
        return f'"{text}": a year has four digits', "e.g. 0950 or 2025"
    return (f'"{text}" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD '
            '(e.g. 2025, 2025-08, 2025-08-08)', SYNTAX_HINT)


def parse_edtf(text: str) -> tuple[When | None, str, str]:
    """Parse an EDTF date; return (When, "", "") or (None, reason, hint)."""
    t = text.strip()
    if not t:
        return None, "the date is empty", SYNTAX_HINT
    m = _SET.match(t)
    if m:
        inner = m.group(1)
        if "," in inner:
            return None, f'"{t}": sets of several dates are not supported', (
                "give a range: [DATE..DATE], [..DATE] or [DATE..]")
        if inner.count("..") != 1:
            return None, f'"{t}" is not a supported set', (
                "write [..DATE] (on or before), [DATE..] (on or after) or [DATE..DATE]")
        left, right = inner.split("..")
        if not left and not right:
            return None, f'"{t}" gives no date', "write [..DATE], [DATE..] or [DATE..DATE]"
        ends = []
        for part in (left, right):
            if not part:
                ends.append(End(missing="open"))
                continue
            end, reason, hint = _point(part)
            if end is None:
                return None, reason, hint
            ends.append(end)
        return _ordered(When("set", ends[0], ends[1]), t)
    if "/" in t:
        if t.count("/") != 1:
            return None, f'"{t}" has more than one "/"', "an interval is START/END"
        left, right = t.split("/")
        ends = []
        for part in (left, right):
            if part == "..":
                ends.append(End(missing="open"))
            elif part == "":
                ends.append(End(missing="unknown"))
            else:
                end, reason, hint = _point(part)
                if end is None:
                    return None, reason, hint
                ends.append(end)
        if ends[0].date is None and ends[1].date is None:
            return None, f'"{t}" gives no date', "give at least one end of the interval"
        return _ordered(When("interval", ends[0], ends[1]), t)
    end, reason, hint = _point(t)
    if end is None:
        return None, reason, hint
    return When("single", end, end), "", ""


def _ordered(w: When, text: str) -> tuple[When | None, str, str]:
    if w.start.date and w.end.date and first_day(w.start.date) > last_day(w.end.date):
        a, b = w.start.edtf, w.end.edtf
        fixed = f"{b}/{a}" if w.form == "interval" else f"[{b}..{a}]"
        return None, f'"{text}": the start comes after the end', f"did you mean {fixed}?"
    return w, "", ""


def plain(d: BriefDate) -> When:
    """A plain date as a When (for code that builds dates itself)."""
    return When("single", End(d), End(d))
