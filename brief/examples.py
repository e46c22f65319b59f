"""Examples a reader sees on the generated pages (how dates are written, what a period
covers) taken from the brief's own data, never from another brief: the first event's
date, at each precision. A brief without events gets a neutral example."""
from __future__ import annotations

import calendar
from dataclasses import dataclass

import re

from markupsafe import Markup

from .dates import BriefDate
from .edtf import When, parse_edtf
from .models import Brief

NEUTRAL = BriefDate(2000, 1, 1)  # a brief with no dated event yet


@dataclass(frozen=True)
class DateExamples:
    year: BriefDate  # e.g. 2005
    month: BriefDate  # e.g. 2005-03
    day: BriefDate  # e.g. 2005-03-14

    @property
    def month_start(self) -> str:
        return f"{self.month.iso}-01"

    @property
    def month_end(self) -> str:
        return f"{self.month.iso}-{calendar.monthrange(self.month.year, self.month.month)[1]:02d}"

    @staticmethod
    def code(when: When) -> Markup:
        """The EDTF text as a Markdown code span. It is built from validated numbers
        only, and must be printed as it is: escaping `~` or `[` inside a code span
        would show the escape itself."""
        iso = when.iso
        assert re.fullmatch(r"[0-9?~%./\[\]-]+", iso), iso
        return Markup(f"`{iso}`")

    # The uncertain forms (brief/edtf.py), on the example month: "2005-03?", ...
    def _edtf(self, text: str) -> When:
        when = parse_edtf(text)[0]
        assert when is not None, text  # built from a valid month
        return when

    @property
    def later_month(self) -> str:
        """A month after the example month, in the same year."""
        m = self.month.month or 1
        return f"{self.month.year:04d}-{min(m + 3, 12) if m < 12 else 12:02d}"

    @property
    def uncertain(self) -> When:
        return self._edtf(f"{self.month.iso}?")

    @property
    def approximate(self) -> When:
        return self._edtf(f"{self.month.iso}~")

    @property
    def interval(self) -> When:
        return self._edtf(f"{self.month.iso}/{self.later_month}")

    @property
    def on_or_before(self) -> When:
        return self._edtf(f"[..{self.month.iso}]")

    @property
    def one_day_between(self) -> When:
        return self._edtf(f"[{self.month.iso}..{self.later_month}]")


def date_examples(brief: Brief) -> DateExamples:
    """The first event's year; the first month and day the events give (or, where none
    does, the first month and day of that year)."""
    dates = sorted((e.date.anchor for e in brief.events), key=BriefDate.sort_key) or [NEUTRAL]
    year = dates[0].year
    month = next((d for d in dates if d.month), BriefDate(year, 1))
    day = next((d for d in dates if d.day), BriefDate(month.year, month.month, 1))
    return DateExamples(BriefDate(year), BriefDate(month.year, month.month), day)
