"""Errors that teach: each problem says where, what is wrong and what is expected.

Run through `build.py --check` as a researcher would, reading what is printed.
"""
from __future__ import annotations

import re

import pytest

from brief.pipeline import generate
from brief.problems import Problems
from conftest import GOOD_EVENT as EVENT, make_brief, run_build

EVENTS = "sources/events/events.yml"


def check(tmp_path, files: dict) -> str:
    root = make_brief(tmp_path, files)
    proc = run_build(str(root), "--check")
    assert proc.returncode == 1, proc.stdout
    return proc.stderr


def test_a_misquoted_citation_shows_the_nearest_passage_and_where_they_differ(tmp_path):
    err = check(tmp_path, {EVENTS: EVENT.replace("signed the harbour agreement",
                                                 "signed the harbor agreement")})
    assert re.search(r"^sources/events/events\.yml:7:14: error: .*\[quote\] not found in source "
                     r"'alpha-gazette': expected words copied exactly from its text", err, re.M)
    hint = next(line for line in err.splitlines() if "hint:" in line)
    assert "closest passage (alpha-gazette.md, p1)" in hint
    assert "signed the harbour agreement" in hint  # the source's words, to copy
    assert "they differ at character 17" in hint and "'ur agreement'" in hint


def test_a_mistyped_source_id_suggests_the_right_one(tmp_path):
    err = check(tmp_path, {EVENTS: EVENT.replace("source: alpha-gazette",
                                                 "source: alpha-gazete")})
    assert re.search(r"^sources/events/events\.yml:6:\d+: error: .*\[source\] unknown source "
                     r"'alpha-gazete': expected the id of a file in sources/articles/", err, re.M)
    assert "hint: did you mean 'alpha-gazette'?" in err


def test_a_mistyped_field_name_suggests_the_right_one(tmp_path):
    err = check(tmp_path, {EVENTS: EVENT.replace("  title:", "  tittle:")})
    assert re.search(r"^sources/events/events\.yml:3:3: error: event 'agreement-signed': "
                     r"\[tittle\] is not a field: did you mean 'title'\?", err, re.M)
    # ... with what the field is for, and not also as a missing 'title' (issue 14)
    assert "hint: correct the spelling to 'title:' (A short headline.)" in err
    assert "missing required field" not in err


def test_an_unknown_field_with_no_near_name_lists_the_allowed_ones(tmp_path):
    err = check(tmp_path, {EVENTS: EVENT + "  colour: blue\n"})
    assert ("hint: allowed fields: id, date, sort_after, date_note, title, summary, citations, tags, "
            "entities, place") in err


def test_a_yaml_syntax_error_shows_the_line_and_a_caret_under_the_column(tmp_path):
    bad = EVENT.replace("title: Harbour agreement signed", "title: Harbour: agreement signed")
    err = check(tmp_path, {EVENTS: bad})
    m = re.search(r"^sources/events/events\.yml:(\d+):(\d+): error: YAML syntax: (.*)$", err, re.M)
    assert m, err
    line, col = int(m.group(1)), int(m.group(2))
    assert line == 3
    shown, caret = err[m.end():].split("\n")[1:3]
    assert shown == "    " + bad.splitlines()[line - 1]
    assert caret == "    " + " " * (col - 1) + "^"
    assert "a value contains ': '" in err
    assert 'hint: put the whole value in double quotes: title: "Harbour: agreement signed"' in err


def test_a_placeholder_says_what_to_write_instead(tmp_path):
    err = check(tmp_path, {EVENTS: EVENT.replace("date: 2024-03", 'date: "TODO: when"')})
    assert "[date] is still a placeholder: 'TODO: when'" in err
    hint = next(line for line in err.splitlines() if "hint:" in line)
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in hint
    assert "unknown" not in hint  # an event's date cannot be 'unknown'


# Every kind of mistake a researcher is likely to make, in one run each: no problem may
# say only what is wrong. Each must have a hint, or say in its message what is expected.
MISTAKES = {
    "bad date": {EVENTS: EVENT.replace("2024-03", "2024-13")},
    "impossible day": {EVENTS: EVENT.replace("2024-03", "2024-02-30")},
    "date in words": {EVENTS: EVENT.replace("2024-03", "March 2024")},
    "bad id": {EVENTS: EVENT.replace("agreement-signed", "Agreement Signed")},
    "long id": {EVENTS: EVENT.replace("agreement-signed", "a" * 70)},
    "duplicate id": {EVENTS: EVENT + EVENT},
    "duplicate key": {EVENTS: EVENT + "  title: Again\n"},
    "missing field": {EVENTS: EVENT.replace("  summary: The mayors sign the harbour agreement.\n",
                                            "")},
    "empty value": {EVENTS: EVENT.replace(" Harbour agreement signed", "")},
    "not a list": {EVENTS: "id: x\n"},
    "mapping for text": {EVENTS: EVENT.replace("Harbour agreement signed", "{a: b}")},
    "text for list": {EVENTS: EVENT + "  tags: harbour\n"},
    "no citations": {EVENTS: EVENT.split("  citations:")[0] + "  citations: []\n"},
    "unknown source": {EVENTS: EVENT.replace("alpha-gazette", "gamma-times")},
    "misquote": {EVENTS: EVENT.replace("signed the harbour", "signed a harbour")},
    "quote across paragraphs": {EVENTS: EVENT.replace(
        "quote: signed the harbour agreement",
        "quote: ending a dispute that began in 2019. A long dispute")},
    "unknown entity": {EVENTS: EVENT + "  entities: [northport-mayor]\n"},
    "alias": {EVENTS: EVENT.replace("title: Harbour agreement signed", "title: &t Harbour")
              + "  place: *t\n"},
    "tag": {EVENTS: EVENT.replace("title: Harbour", "title: !!python/name:os.system Harbour")},
    "bad url": {"sources/articles/gamma.md": "---\ntitle: T\npublisher: P\nurl: example.org\n"
                                             "published: 2024\nretrieved: unknown\nlanguage: en"
                                             "\n---\nText.\n"},
    "bad language": {"sources/articles/gamma.md": "---\ntitle: T\npublisher: P\npublished: 2024"
                                                  "\nretrieved: unknown\nlanguage: English\n"
                                                  "---\nText.\n"},
    "bad enum": {"sources/entities.yml": "- id: a-mayor\n  name: A\n  kind: persn\n  role: Mayor"
                                         "\n  citations:\n    - source: alpha-gazette\n"},
    "stray file": {"sources/events/notes.txt": "notes\n"},
    "missing settings": {"brief.yml": None},
    "yaml syntax": {EVENTS: EVENT.replace("date: 2024-03", "date: [2024-03")},
}


@pytest.mark.parametrize("files", MISTAKES.values(), ids=list(MISTAKES))
def test_every_problem_says_what_is_expected(tmp_path, files):
    root = make_brief(tmp_path, files)
    problems = Problems()
    generate(root, problems)
    assert problems.items
    expected_words = ("expected", "write ", "use ", "one of", "has 28 days", "has 29 days",
                      "(01 to 12)")
    for p in problems.items:
        assert p.hint or any(w in p.message for w in expected_words), p.format()
