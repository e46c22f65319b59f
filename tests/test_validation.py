"""One test per validation rule: the message, its path:line:col, and exit status 1."""
from __future__ import annotations

import re

import pytest

from brief.cli import main
from conftest import GOOD_EVENT, MINI, snapshot

LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*)$")



def check(brief, capsys, *args):
    """Run `build.py BRIEF --check`; return (status, [parsed error lines], stderr)."""
    status = main([str(brief), "--check", *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [m.groupdict() for m in map(LINE.match, err.splitlines()) if m]
    return status, lines, err


def one_error(brief, capsys):
    status, lines, err = check(brief, capsys)
    errors = [x for x in lines if x["sev"] == "error"]
    assert status == 1, err
    assert len(errors) == 1, err
    e = errors[0]
    return e["path"], int(e["line"]), int(e["col"]), e["msg"], err


def events(brief_factory, text):
    return brief_factory({"sources/events/events.yml": text})


def test_the_fixture_is_valid(brief_factory, capsys):
    status, lines, err = check(brief_factory(), capsys)
    assert status == 0, err
    assert lines == []


def test_a_misspelt_required_field_is_one_error_at_the_typo(brief_factory, capsys):
    """issue 14: `sumary` gave two errors (unknown field, missing summary), the less
    useful first; now one, at the typo, naming the field it should be."""
    b = events(brief_factory, GOOD_EVENT.replace("  summary:", "  sumary:"))
    status, lines, err = check(b, capsys)
    assert status == 1
    msgs = {(x["line"], x["col"], x["msg"]) for x in lines}
    assert msgs == {("4", "3", "event 'agreement-signed': [sumary] is not a field: "
                               "did you mean 'summary'?")}
    assert "hint: correct the spelling to 'summary:'" in err


def test_an_unknown_field_not_like_a_missing_one_lists_the_fields(brief_factory, capsys):
    b = events(brief_factory, GOOD_EVENT.replace("  title: Harbour", "  colour: red\n  title: Harbour"))
    status, lines, err = check(b, capsys)
    assert status == 1
    msgs = {(x["line"], x["col"], x["msg"]) for x in lines}
    assert msgs == {("3", "3", "event 'agreement-signed': [colour] unknown field in a timeline "
                               "event (sources/events/*.yml)")}
    assert "hint: allowed fields: id, date, sort_after, date_note, title, summary" in err


def test_missing_required_field(brief_factory, capsys):
    b = events(brief_factory, GOOD_EVENT.replace("  title: Harbour agreement signed\n", ""))
    path, line, col, msg, _ = one_error(b, capsys)
    assert (path, line, col) == ("sources/events/events.yml", 1, 3)
    assert "[title] missing required field" in msg


def test_impossible_date(brief_factory, capsys):
    b = events(brief_factory, GOOD_EVENT.replace("date: 2024-03", "date: 2025-02-30"))
    path, line, col, msg, err = one_error(b, capsys)
    assert (path, line, col) == ("sources/events/events.yml", 2, 9)
    assert '[date] "2025-02-30" is not a real date: February 2025 has 28 days' in msg
    assert "date: 2025-02-30\n" in err and "\n            ^" in err  # the line and a caret


def test_date_in_wrong_format(brief_factory, capsys):
    b = events(brief_factory, GOOD_EVENT.replace("date: 2024-03", "date: March 2024"))
    path, line, col, msg, _ = one_error(b, capsys)
    assert (line, col) == (2, 9)
    assert "write YYYY, YYYY-MM or YYYY-MM-DD" in msg


def test_missing_source(brief_factory, capsys):
    b = events(brief_factory, GOOD_EVENT.replace("source: alpha-gazette", "source: alpha-gazete"))
    path, line, col, msg, err = one_error(b, capsys)
    assert (path, line, col) == ("sources/events/events.yml", 6, 7)
    assert "[source] unknown source 'alpha-gazete'" in msg
    assert "did you mean 'alpha-gazette'?" in err


def test_quote_not_in_source(brief_factory, capsys):
    b = events(brief_factory, GOOD_EVENT.replace("quote: signed the harbour agreement",
                                                 "quote: signed the harbor agreement"))
    path, line, col, msg, err = one_error(b, capsys)
    assert (path, line, col) == ("sources/events/events.yml", 7, 14)
    assert "[quote] not found in source 'alpha-gazette'" in msg
    assert 'closest passage (alpha-gazette.md, p1): "signed the harbour agreement"' in err


def test_quote_matching_ignores_whitespace_and_quote_style_but_not_case(brief_factory, capsys):
    ok = GOOD_EVENT.replace("quote: signed the harbour agreement",
                            "quote: \"Southport said the pier   blocked its \\u201cfishing lanes\\u201d\"")
    status, _, err = check(events(brief_factory, ok), capsys)
    assert status == 0, err
    wrong_case = GOOD_EVENT.replace("quote: signed the harbour agreement",
                                    "quote: Signed the harbour agreement")
    path, line, col, msg, _ = one_error(events(brief_factory, wrong_case), capsys)
    assert "[quote] not found" in msg


def test_quote_across_two_paragraphs(brief_factory, capsys):
    b = events(brief_factory, GOOD_EVENT.replace(
        "quote: signed the harbour agreement",
        "quote: began in 2019. A long dispute"))
    path, line, col, msg, _ = one_error(b, capsys)
    assert "[quote] the quote runs across two paragraphs" in msg


def test_event_without_citations(brief_factory, capsys):
    text = GOOD_EVENT.split("  citations:")[0] + "  citations: []\n"
    path, line, col, msg, _ = one_error(events(brief_factory, text), capsys)
    assert (path, line, col) == ("sources/events/events.yml", 1, 3)
    assert "'agreement-signed' has no citations" in msg


def test_duplicate_event_id(brief_factory, capsys):
    path, line, col, msg, err = one_error(events(brief_factory, GOOD_EVENT + GOOD_EVENT), capsys)
    assert (path, line, col) == ("sources/events/events.yml", 8, 3)
    assert "duplicate event id 'agreement-signed'" in msg
    assert "already used at sources/events/events.yml:1" in err


def test_invalid_id(brief_factory, capsys):
    b = events(brief_factory, GOOD_EVENT.replace("id: agreement-signed", "id: Agreement Signed"))
    path, line, col, msg, err = one_error(b, capsys)
    assert (line, col) == (1, 7)
    assert "[id] 'Agreement Signed' is not a valid id" in msg
    assert "e.g. 'agreement-signed'" in err


def test_unknown_field_in_source_front_matter(brief_factory, capsys):
    src = (MINI.joinpath("sources/articles/beta-herald.md").read_text()
           .replace("language: en", "language: en\nauthr: Someone"))
    b = brief_factory({"sources/articles/beta-herald.md": src})
    path, line, col, msg, err = one_error(b, capsys)
    assert (path, line, col) == ("sources/articles/beta-herald.md", 7, 1)
    assert "[authr] unknown field" in msg and "did you mean 'author'?" in err


def test_source_url_must_be_http(brief_factory, capsys):
    src = (MINI.joinpath("sources/articles/alpha-gazette.md").read_text()
           .replace("https://example.org/alpha/harbour-deal", "javascript:alert(1)"))
    path, line, col, msg, _ = one_error(brief_factory({"sources/articles/alpha-gazette.md": src}),
                                        capsys)
    assert (line, col) == (5, 6)
    assert "[url] 'javascript:alert(1)' is not an http(s) URL" in msg


def test_placeholder_is_reported(brief_factory, capsys):
    src = (MINI.joinpath("sources/articles/beta-herald.md").read_text()
           .replace("publisher: Beta Herald", 'publisher: "TODO: publisher"'))
    path, line, col, msg, _ = one_error(brief_factory({"sources/articles/beta-herald.md": src}),
                                        capsys)
    assert (line, col) == (3, 12)
    assert "[publisher] is still a placeholder" in msg


def test_yaml_syntax_error_shows_line_and_caret(brief_factory, capsys):
    b = events(brief_factory, GOOD_EVENT.replace("title: Harbour agreement signed",
                                                 "title: [Harbour agreement signed"))
    status, lines, err = check(b, capsys)
    assert status == 1
    assert lines[0]["path"] == "sources/events/events.yml" and lines[0]["msg"].startswith("YAML syntax")
    assert "^" in err


def test_all_problems_are_reported_at_once(brief_factory, capsys):
    text = (GOOD_EVENT.replace("date: 2024-03", "date: 2025-02-30")
            .replace("source: alpha-gazette", "source: nowhere"))
    faq = MINI.joinpath("sources/faq/faq.yml").read_text().replace(
        "question: What did the towns agree?", "questoin: What did the towns agree?")
    b = brief_factory({"sources/events/events.yml": text, "sources/faq/faq.yml": faq})
    status, lines, err = check(b, capsys)
    assert status == 1
    where = sorted((x["path"], int(x["line"])) for x in lines if x["sev"] == "error")
    assert ("sources/events/events.yml", 2) in where
    assert ("sources/faq/faq.yml", 3) in where  # the misspelt 'questoin', at the typo
    assert len(where) >= 3


def test_bad_input_leaves_docs_and_site_untouched(brief_factory, capsys):
    b = brief_factory()
    assert main([str(b)]) == 0
    capsys.readouterr()
    before_docs, before_site = snapshot(b / "docs"), snapshot(b / "site")
    assert before_docs and before_site
    bad = (GOOD_EVENT.replace("date: 2024-03", "date: 2025-02-30")
           .replace("  summary:", "  colour: red\n  summary:")
           .replace("source: alpha-gazette", "source: missing-source")
           + GOOD_EVENT.replace("agreement-signed", "other").replace(
               "signed the harbour agreement", "not in the text"))
    (b / "sources/events/events.yml").write_text(bad)
    status = main([str(b)])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    errors = [m.group("msg") for m in map(LINE.match, err.splitlines()) if m]
    assert any("[colour] unknown field" in e for e in errors)
    assert any("unknown source 'missing-source'" in e for e in errors)
    assert any("[quote] not found" in e for e in errors)
    assert any("2025-02-30" in e for e in errors)
    assert snapshot(b / "docs") == before_docs
    assert snapshot(b / "site") == before_site


def test_a_broken_template_is_reported_at_its_line_not_as_a_traceback(brief_factory, capsys):
    home = (MINI.parent.parent.parent / "templates" / "home.md.j2").read_text()
    broken = home.replace("{{ settings.title }}", "{{ settings.titel }}")
    b = brief_factory({"templates/home.md.j2": broken})
    path, line, col, msg, _ = one_error(b, capsys)
    assert (path, line) == ("templates/home.md.j2", 1 + home.split("\n").index("# {{ settings.title }}"))
    assert "template error:" in msg and "titel" in msg


def test_a_review_beside_the_sources_is_not_warned_about_but_a_stray_file_is(brief_factory, capsys):
    """sources/REVIEW.md (a fact-check, issue 12) and sources/README.md are editors'
    notes: never read, never warned about; any other unread file is still reported."""
    b = brief_factory({"sources/REVIEW.md": "# Review\n", "sources/README.md": "# Notes\n",
                       "sources/notes.md": "# stray\n"})
    status, lines, err = check(b, capsys)
    assert status == 0, err
    assert [(x["path"], x["sev"]) for x in lines] == [("sources/notes.md", "warning")]


def test_a_briefs_own_source_reference_names_the_sources_in_every_footnote(tmp_path):
    """templates/_source_ref.md.j2 (how a footnote names its source, rendered once per
    source) can be overridden like any template, in the sandbox of a brief's own."""
    from conftest import make_brief
    from brief.pipeline import generate
    from brief.problems import Problems

    root = make_brief(tmp_path, {"templates/_source_ref.md.j2":
                                 "Source {{ src.id }} ({{ src.publisher }})\n"})
    problems = Problems()
    pages = generate(root, problems)
    assert pages is not None, [p.format() for p in problems.items]
    notes = [line for p in pages if p.path.endswith(".md")
             for line in p.content.decode("utf-8").splitlines() if line.startswith("[^")]
    import re
    # the id and publisher, then the note goes on at once: the line end is dropped
    assert notes and all(re.search(r"\]: Source [a-z0-9-]+ \([^)]+\)\.", n) for n in notes), \
        notes[:3]


def test_a_broken_source_reference_template_is_reported_at_its_line(brief_factory, capsys):
    b = brief_factory({"templates/_source_ref.md.j2": "{{ src.titel }}\n"})
    path, line, col, msg, _ = one_error(b, capsys)
    assert (path, line) == ("templates/_source_ref.md.j2", 1), (path, line, msg)
    assert "template error:" in msg and "titel" in msg
