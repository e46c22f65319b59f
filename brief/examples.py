"""Examples a reader sees on the generated pages (how dates are written, what a period
covers) taken from the brief's own data, never from another brief: the first event's
date, at each precision. A brief without events gets a neutral example."""
from __future__ import annotations

import calendar
from dataclasses import dataclass

from .dates import BriefDate
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


def date_examples(brief: Brief) -> DateExamples:
    """The first event's year; the first month and day the events give (or, where none
    does, the first month and day of that year)."""
    dates = sorted((e.date for e in brief.events), key=BriefDate.sort_key) or [NEUTRAL]
    year = dates[0].year
    month = next((d for d in dates if d.month), BriefDate(year, 1))
    day = next((d for d in dates if d.day), BriefDate(month.year, month.month, 1))
    return DateExamples(BriefDate(year), BriefDate(month.year, month.month), day)
