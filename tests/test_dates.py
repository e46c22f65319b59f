from __future__ import annotations

import pytest

from brief.dates import BriefDate, parse_date


@pytest.mark.parametrize("text, shown, precision", [
    ("2025", "2025", "year"),
    ("2025-08", "August 2025", "month"),
    ("2025-08-08", "8 August 2025", "day"),
    ("2024-02-29", "29 February 2024", "day"),
])
def test_date_is_shown_at_its_own_precision(text, shown, precision):
    date, reason = parse_date(text)
    assert reason == ""
    assert date.display() == shown
    assert date.precision == precision
    assert date.iso == text


@pytest.mark.parametrize("text, expected", [
    ("2025-02-30", "February 2025 has 28 days"),
    ("2023-02-29", "February 2023 has 28 days"),
    ("2025-13", "month 13 does not exist"),
    ("2025-00", "month 00 does not exist"),
    ("2025-04-31", "April 2025 has 30 days"),
    ("25-08-08", "write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("August 2025", "write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("2025/08/08", "write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("0000", "year 0000 does not exist"),
])
def test_invalid_dates_say_why(text, expected):
    date, reason = parse_date(text)
    assert date is None
    assert expected in reason


def test_events_sort_across_precisions_less_precise_first():
    texts = ["2025-09", "2025-08-08", "2025", "2024-12-31", "2025-08", "2026", "2025-08-01"]
    dates = sorted((parse_date(t)[0] for t in texts), key=BriefDate.sort_key)
    assert [d.iso for d in dates] == [
        "2024-12-31", "2025", "2025-08", "2025-08-01", "2025-08-08", "2025-09", "2026"]
