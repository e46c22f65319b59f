"""Uncertain and approximate dates (brief/edtf.py): the EDTF forms a brief may write,
their words, their order, and the errors for what is not a date."""
from __future__ import annotations

import datetime as dt

import pytest

from brief.edtf import parse_edtf

D = dt.date


# Examples from the EDTF specification (Library of Congress, 2019), levels 0 and 1,
# and the "one of a range" sets of level 2, with what they must mean.
@pytest.mark.parametrize("text, form, earliest, latest, words", [
    # level 0
    ("1985-04-12", "single", D(1985, 4, 12), D(1985, 4, 12), "12 April 1985"),
    ("1985-04", "single", D(1985, 4, 1), D(1985, 4, 30), "April 1985"),
    ("1985", "single", D(1985, 1, 1), D(1985, 12, 31), "1985"),
    ("1964/2008", "interval", D(1964, 1, 1), D(2008, 12, 31), "1964 to 2008"),
    ("2004-06/2006-08", "interval", D(2004, 6, 1), D(2006, 8, 31), "June 2004 to August 2006"),
    ("2004-02-01/2005-02-08", "interval", D(2004, 2, 1), D(2005, 2, 8),
     "1 February 2004 to 8 February 2005"),
    ("2004-02-01/2005-02", "interval", D(2004, 2, 1), D(2005, 2, 28),
     "1 February 2004 to February 2005"),
    ("2005/2006-02", "interval", D(2005, 1, 1), D(2006, 2, 28), "2005 to February 2006"),
    # level 1: qualification
    ("1984?", "single", D(1984, 1, 1), D(1984, 12, 31), "probably 1984"),
    ("2004-06~", "single", D(2004, 6, 1), D(2004, 6, 30), "about June 2004"),
    ("2004-06-11%", "single", D(2004, 6, 11), D(2004, 6, 11), "about 11 June 2004 (uncertain)"),
    # level 1: extended intervals
    ("1985-04-12/..", "interval", D(1985, 4, 12), None, "from 12 April 1985 onwards"),
    ("1985-04/..", "interval", D(1985, 4, 1), None, "from April 1985 onwards"),
    ("../1985-04-12", "interval", None, D(1985, 4, 12), "until 12 April 1985"),
    ("/1985-04-12", "interval", None, D(1985, 4, 12), "from an unknown date to 12 April 1985"),
    ("1985-04-12/", "interval", D(1985, 4, 12), None, "from 12 April 1985 to an unknown date"),
    ("1984~/2004-06", "interval", D(1984, 1, 1), D(2004, 6, 30), "about 1984 to June 2004"),
    ("2004-06-01/2004-06-20~", "interval", D(2004, 6, 1), D(2004, 6, 20),
     "1 June to about 20 June 2004"),
    # level 2: one of a set, as ranges
    ("[..1760-12-03]", "set", None, D(1760, 12, 3), "3 December 1760 or earlier"),
    ("[1760-12..]", "set", D(1760, 12, 1), None, "December 1760 or later"),
    # the forms the brief uses
    ("2025-06?", "single", D(2025, 6, 1), D(2025, 6, 30), "probably June 2025"),
    ("2025-06~", "single", D(2025, 6, 1), D(2025, 6, 30), "about June 2025"),
    ("2025-06/2025-09", "interval", D(2025, 6, 1), D(2025, 9, 30), "June to September 2025"),
    ("[..2025-06]", "set", None, D(2025, 6, 30), "June 2025 or earlier"),
    ("[2025-09..]", "set", D(2025, 9, 1), None, "September 2025 or later"),
    ("[2025-09..2025-12]", "set", D(2025, 9, 1), D(2025, 12, 31),
     "between September and December 2025"),
])
def test_spec_examples_parse_with_their_meaning(text, form, earliest, latest, words):
    when, reason, hint = parse_edtf(text)
    assert (reason, hint) == ("", "")
    assert when.form == form
    assert when.earliest == earliest
    assert when.latest == latest
    assert when.display() == words
    assert when.iso == text  # the EDTF text round-trips


@pytest.mark.parametrize("text, reason, hint", [
    ("2025-13?", "month 13 does not exist", "months are 01 to 12"),
    ("2025-09/2025-06", "the start comes after the end", "did you mean 2025-06/2025-09?"),
    ("[2025-12..2025-09]", "the start comes after the end", "did you mean [2025-09..2025-12]?"),
    ("2025-02-30~", "February 2025 has 28 days", ""),
    ("2025-21", "month 21 does not exist", "seasons"),
    ("202X", "unspecified digits", "[2010..2019]"),
    ("../..", "gives no date", ""),
    ("/", "gives no date", ""),
    ("[..]", "gives no date", ""),
    ("[1667,1668]", "several dates", ""),
    ("2025-06??", "is not a date", "optionally followed by ?"),
    ("June 2025", "is not a date", "YYYY-MM"),
    ("2025-06/2025-07/2025-08", "more than one", ""),
    ("-0100", "negative", ""),
    ("2025-06-12T10:00", "times", ""),
    ("\uff12\uff10\uff12\uff15", "not ASCII", "0-9"),  # fullwidth digits
    ("\u0662\u0660\u0662\u0665-06", "not ASCII", "0-9"),  # Arabic-Indic digits
])
def test_invalid_forms_say_why_with_a_hint(text, reason, hint):
    when, got_reason, got_hint = parse_edtf(text)
    assert when is None
    assert reason in got_reason
    assert hint in got_hint


def test_sort_rule_earliest_day_then_latest():
    texts = ["2025-06-15", "[..2025-06]", "2025-06/2025-09", "2025", "2025-06~", "2025-07",
             "[2025-09..2025-12]", "2025-09-10", "2024-12/2025-02"]
    keyed = sorted(texts, key=lambda t: (parse_edtf(t)[0].sort_key(), t))
    assert keyed == ["2024-12/2025-02", "2025", "2025-06~", "[..2025-06]", "2025-06/2025-09",
                     "2025-06-15", "2025-07", "[2025-09..2025-12]", "2025-09-10"]
