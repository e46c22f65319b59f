"""Dates at the precision the sources give: a year, a month or a day."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

# ASCII digits only ('\d' would accept "２０２５" and "٢٠٢٥"), and `\Z`, not `$`.
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


@dataclass(frozen=True, order=False)
class BriefDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
        if self.day:
            out += f"-{self.day:02d}"
        return out

    def display(self) -> str:
        """In words, in the language being rendered (brief/i18n.py): "8 August 2025",
        "8 de agosto de 2025", "2025年8月8日"."""
        from .i18n import date_words
        return date_words(self.year, self.month, self.day)

    def sort_key(self) -> tuple[int, int, int]:
        # A less precise date sorts before the more precise dates it contains:
        # "2025" < "August 2025" < "8 August 2025" < "September 2025".
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        return self.iso


def parse_date(text: str) -> tuple[BriefDate | None, str]:
    """Parse 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; return (date, '') or (None, reason)."""
    m = _DATE.match(text.strip())
    if not m:
        return None, f'"{text}" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025, 2025-08, 2025-08-08)'
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if year < 1:
        return None, f'"{text}": year 0000 does not exist'
    if month is None:
        return BriefDate(year), ""
    month_n = int(month)
    if not 1 <= month_n <= 12:
        return None, f'"{text}" is not a real date: month {month} does not exist (01 to 12)'
    if day is None:
        return BriefDate(year, month_n), ""
    day_n = int(day)
    last = calendar.monthrange(year, month_n)[1]
    if not 1 <= day_n <= last:
        return None, (f'"{text}" is not a real date: {MONTHS[month_n - 1]} {year} '
                      f"has {last} days")
    return BriefDate(year, month_n, day_n), ""
