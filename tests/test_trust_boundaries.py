"""Issue 14, beyond one bad file at a time: GitHub annotations, hand-written pages that try
to inject through their front matter, the cache key, the page-path planner, Persian text,
and a fuzz target for the positions the YAML reader reports."""
from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, make_brief, run_build
from test_injection import Scan

from brief import annotations
from brief.cache import input_key
from brief.cli import main
from brief.data import load_brief
from brief.pagepaths import planned_pages
from brief.pipeline import generate
from brief.problems import Problem, Problems
from brief.yamlfile import Map, Scalar, Seq, parse_yaml, read_yaml

EVENTS_YML = "sources/events/events.yml"


# --- GitHub annotations ---------------------------------------------------------------------

def aug_2025(tmp_path):
    root = make_brief(tmp_path)
    events = root / EVENTS_YML
    text = events.read_text("utf-8")
    assert text.count("date: 2024-03\n") == 1
    events.write_text(text.replace("date: 2024-03\n", "date: Aug 2025\n"), "utf-8")
    line = next(n for n, t in enumerate(events.read_text("utf-8").splitlines(), 1)
                if t == "  date: Aug 2025")
    return root, line


def test_on_github_the_error_is_also_an_annotation_on_its_line(tmp_path):
    """Acceptance: a pull request adding `date: Aug 2025` gets the annotation on that line."""
    root, line = aug_2025(tmp_path)
    result = run_build("--check", cwd=root, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    expected = (f"::error file={EVENTS_YML},line={line},col=9,title=brief%3A error::"
                "event 'agreement-signed': [date] \"Aug 2025\" is not a date; write YYYY, "
                "YYYY-MM or YYYY-MM-DD (e.g. 2025, 2025-08, 2025-08-08) "
                "(hint: write '2025-08' (year-month))")
    assert result.stdout.splitlines() == [expected]
    # the usual report is still there, on stderr
    assert f"{EVENTS_YML}:{line}:9: error: event 'agreement-signed': [date]" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_full_build_annotates_too_and_a_brief_in_a_subfolder_gets_its_prefix(tmp_path):
    root, line = aug_2025(tmp_path)
    result = run_build(root.name, cwd=root.parent, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert result.stdout.startswith(f"::error file={root.name}/{EVENTS_YML},line={line},col=9,")
    assert not (root / "site").exists()


def test_without_github_actions_there_is_no_annotation(tmp_path):
    root, _ = aug_2025(tmp_path)
    result = run_build("--check", cwd=root, env={"GITHUB_ACTIONS": "false"})
    assert result.returncode == 1 and "::error" not in result.stdout + result.stderr


def test_annotation_escapes_what_would_end_or_split_the_command():
    p = Problem("a,b:c.yml", 3, 4, "100% broken\nsecond line", "say: it, again")
    line = annotations.annotation(p)
    assert line == ("::error file=a%2Cb%3Ac.yml,line=3,col=4,title=brief%3A error::"
                    "100%25 broken%0Asecond line (hint: say: it, again)")
    assert "\n" not in line
    warn = annotations.annotation(Problem("x.yml", 0, 0, "w", severity="warning"))
    assert warn.startswith("::warning file=x.yml,line=1,col=1,")


def test_whole_file_problems_are_at_line_1_column_1():
    """path:0:0 is rejected by CI annotators; a problem about a whole file is at 1:1."""
    assert Problem("sources/articles", 0, 0, "no articles").format().startswith(
        "sources/articles:1:1: error: no articles")


# --- hand-written pages cannot inject through their front matter -------------------------

def test_hand_written_front_matter_is_text_in_the_head_header_and_nav(tmp_path):
    page = ('---\ntitle: <img src=x onerror=alert(1)>\n'
            'description: "\\"><script>alert(2)</script>"\n'
            'subtitle: <b onmouseover=alert(3)>x</b>\n---\n# Notes\n\nSome text.\n')
    mkdocs = (MINI / "mkdocs.yml").read_text("utf-8").replace(
        "  - Data: data.md\n", "  - Data: data.md\n  - Notes: notes.md\n")
    root = make_brief(tmp_path, {"docs/notes.md": page, "mkdocs.yml": mkdocs})
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    html = (root / "site" / "notes" / "index.html").read_text("utf-8")
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "<b onmouseover" not in html
    assert '<meta name="description" content="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;">' in html
    assert "<title>&lt;img src=x onerror=alert(1)&gt; - " in html
    scan = Scan(html)
    assert not scan.bad, scan.bad
    # ... shown as typed
    assert "<img src=x onerror=alert(1)>" in scan.visible()


def test_generated_pages_structured_data_is_not_escaped_twice(tmp_path):
    root = make_brief(tmp_path)
    assert run_build(str(root)).returncode == 0
    html = (root / "site" / "sources" / "alpha-gazette" / "index.html").read_text("utf-8")
    assert '<meta name="citation_title" content="Towns sign harbour deal">' in html
    assert "&amp;amp;" not in html


# --- the cache key covers everything --check reads ----------------------------------------

def test_the_cache_key_changes_for_a_folder_or_a_link_where_a_file_is_expected(tmp_path):
    root = make_brief(tmp_path)
    keys = {input_key(root)}
    (root / "sources" / "events" / "old.yml").mkdir()
    keys.add(input_key(root))
    (root / "sources" / "articles" / "gone.md").symlink_to("nowhere.md")
    keys.add(input_key(root))
    (root / "sources" / "articles" / "gone.md").unlink()
    (root / "sources" / "articles" / "gone.md").symlink_to("elsewhere.md")
    keys.add(input_key(root))
    assert len(keys) == 4


def test_a_cached_build_never_hides_an_error_that_check_finds(tmp_path, capsys):
    root = make_brief(tmp_path)
    assert main([str(root)]) == 0
    (root / "sources" / "articles" / "dangling.md").symlink_to("nowhere.md")
    assert main([str(root), "--check"]) == 1
    assert main([str(root)]) == 1
    err = capsys.readouterr().err
    assert err.count("sources/articles/dangling.md:1:1: error: this is a broken symbolic link") == 2


# --- the page-path planner ------------------------------------------------------------------

def test_the_planner_knows_every_per_item_page_the_renderer_writes(tmp_path):
    entities = ("- id: northport-mayor\n  name: Ann Example\n  kind: person\n  role: Mayor\n"
                "  citations:\n    - source: alpha-gazette\n      quote: The mayors of Northport\n")
    root = make_brief(tmp_path, {"sources/entities.yml": entities})
    problems = Problems()
    pages = generate(root, problems)
    assert pages is not None, [p.format() for p in problems.items]
    planned = {p[0] for p in planned_pages(load_brief(root, Problems()))}
    for page in pages:
        if page.path.startswith(("sources/", "entities/", "tags/")) or page.path in (
                "index.md", "faq.md", "data.md", "timeline/index.md"):
            assert page.path in planned, page.path


# --- text that is right as it is --------------------------------------------------------------

def test_persian_zero_width_non_joiner_is_not_flagged(tmp_path, capsys):
    events = (MINI / EVENTS_YML).read_text("utf-8").replace(
        "title: Harbour agreement signed", "title: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")
    root = make_brief(tmp_path, {EVENTS_YML: events})
    assert main([str(root), "--check"]) == 0
    assert "zero-width" not in capsys.readouterr().err


def test_a_quoted_hash_and_a_hash_inside_a_word_are_text(tmp_path, capsys):
    events = (MINI / EVENTS_YML).read_text("utf-8").replace(
        "title: Harbour agreement signed", 'title: "Talks #1 in Beijing"').replace(
        "place: Northport", "place: Pier#4  # ask the harbour master")
    root = make_brief(tmp_path, {EVENTS_YML: events})
    assert main([str(root), "--check"]) == 1  # the place has a comment: reported
    err = capsys.readouterr().err
    assert "[place] ' #' starts a YAML comment" in err and "[title]" not in err
    events = events.replace("place: Pier#4  # ask the harbour master",
                            "place: Pier#4")
    root = make_brief(tmp_path, {EVENTS_YML: events})
    assert main([str(root)]) == 0, capsys.readouterr().err
    y2024 = (root / "site" / "timeline" / "2024" / "index.html").read_text("utf-8")
    y2019 = (root / "site" / "timeline" / "2019" / "index.html").read_text("utf-8")
    assert "Talks #1 in Beijing" in Scan(y2024).visible() and "Pier#4" in Scan(y2019).visible()


def test_comments_on_their_own_lines_and_after_ids_and_dates_are_fine(tmp_path, capsys):
    events = (MINI / EVENTS_YML).read_text("utf-8").replace(
        "- id: councils-meet\n", "# 2023\n- id: councils-meet  # see the minutes\n").replace(
        'date: "2023"', 'date: "2023"  # year only')
    root = make_brief(tmp_path, {EVENTS_YML: events})
    assert main([str(root), "--check"]) == 0, capsys.readouterr().err


# --- fuzz: every position the YAML reader reports is a real place in the text ---------------

FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
_piece = st.sampled_from(["- ", "  ", "\t", "id: ", "title: ", "a: b", ": ", "#", " #c", "\"",
                          "'", "[", "]", "{", "}", ",", "-x: y", "&a ", "*a", "!!str ", "---",
                          "\n", "\n", "\n  ", "\n    ", "text", "2025", "@", "`", "|", ">",
                          "é", "\u200c", "..."])


@FUZZ
@given(st.lists(_piece, max_size=40))
def test_fuzz_reported_positions_are_inside_the_text(pieces):
    text = "".join(pieces)
    problems = Problems()
    node = parse_yaml(text, "f.yml", problems)
    lines = text.split("\n")
    for p in problems.items:
        assert 1 <= p.line <= len(lines) + 1, (p, text)
        assert 1 <= p.col <= len(lines[p.line - 1]) + 1 if p.line <= len(lines) else p.col == 1, \
            (p, text)
        assert p.message and "\n" not in p.message
        assert p.hint, p  # every YAML problem says what to do
    if node is not None:
        stack = [node]
        while stack:
            n = stack.pop()
            # (an empty value at the very end is placed just after the last line)
            assert 1 <= n.line <= len(lines) + 1, (n, text)
            assert 1 <= n.col <= (len(lines[n.line - 1]) + 1 if n.line <= len(lines) else 1), \
                (n, text)
            if isinstance(n, Scalar) and n.comment_col:
                assert lines[n.comment_line - 1][n.comment_col - 1] == "#", (n, text)
            if isinstance(n, Seq):
                stack.extend(n.items)
            if isinstance(n, Map):
                stack.extend(v for pair in n.pairs.values() for v in pair)


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x3000,
                                      blacklist_characters="\r\n\x0b\x0c\x85\u2028\u2029"),
               max_size=30), st.sampled_from(["title", "summary", "place"]))
def test_fuzz_a_plain_value_round_trips_or_is_reported_at_its_line(value, key):
    """Any value typed after `key: ` on line 2: a problem is reported within the file's
    lines, and a comment that cuts the value short is located at its '#' on line 2."""
    text = f"id: x\n{key}: {value}\nother: y\n"
    problems = Problems()
    node = read_yaml(text.encode("utf-8"), "f.yml", problems)  # as a file is read
    if problems.items:
        assert all(1 <= p.line <= 4 for p in problems.items), problems.items
        return
    if node is None or not isinstance(node, Map) or key not in node.pairs:
        return
    v = node.pairs[key][1]
    if isinstance(v, Scalar) and v.plain and v.comment_col:
        assert v.comment_line == 2
        assert text.split("\n")[1][v.comment_col - 1] == "#"


@pytest.mark.parametrize("text, line, col", [
    ("a: b\n  c: d\n", 2, 3),
    ("- id: x\n  citations:\n  -source: y\n    quote: z\n", 3, 3),
    ("a:\n  b: c\n\td: e\n", 3, 1),
    ('k: "abc\n', 1, 4),
    ("a: b\nc\n", 2, 1),
])
def test_yaml_syntax_positions_point_at_the_mistake(text, line, col):
    problems = Problems()
    assert parse_yaml(text, "f.yml", problems) is None
    (p,) = problems.items
    assert (p.line, p.col) == (line, col), p.format()


def test_the_preview_refuses_hand_written_html_too(tmp_path, capsys):
    from brief.serve import Preview

    root = make_brief(tmp_path, {"docs/extra.html": "<script>alert(1)</script>\n"})
    preview = Preview(root, root / "mkdocs.yml", None)
    try:
        assert preview.regenerate() is False
    finally:
        shutil.rmtree(preview.tmp, ignore_errors=True)
    err = capsys.readouterr().err
    assert "docs/extra.html:1:1: error: hand-written .html files in docs/ are not published" in err
    assert not (root / "docs" / "index.md").exists()  # nothing was written


@pytest.mark.parametrize("quote, passage, named", [
    ("sea\u2013front", "sea-front", ("EN DASH (U+2013)", "HYPHEN-MINUS (U+002D)", "look alike")),
    ("a\u00a0b", "a b", ("NO-BREAK SPACE (U+00A0)", "SPACE (U+0020)")),
    ("don`t", "don't", ("GRAVE ACCENT (U+0060)", "APOSTROPHE (U+0027)")),
    ("pi\u200bper", "piper", ("ZERO WIDTH SPACE (U+200B)", "cannot be seen")),
    ("co\u00adoperate", "cooperate", ("SOFT HYPHEN (U+00AD)", "cannot be seen")),
    ("\uff21BC", "ABC", ("FULLWIDTH LATIN CAPITAL LETTER A (U+FF21)", "LATIN CAPITAL LETTER A")),
])
def test_invisible_differences_are_named(quote, passage, named):
    from brief.citations import invisible_difference
    text = invisible_difference(quote, passage)
    assert all(n in text for n in named), text


def test_a_visible_difference_is_not_named():
    from brief.citations import invisible_difference
    assert invisible_difference("the harbour deal", "the harbour pact") == ""


@pytest.mark.parametrize("text, found", [
    ("TODO", True), ("todo", True), ("Todo.", True), ("todo: ask the editor", True),
    ("The councils meet TODO check", True), ("TBD", True), ("see FIXME", True),
    ("TODO: a placeholder the importer wrote", True),
    ("Todo el mundo lo sabe", False), ("es todo lo que dijo", False),
    ("Super Bowl XXX", False), ("a mastodon", False), ("TODOS los días", False),
])
def test_what_counts_as_a_placeholder(text, found):
    from brief.validate import find_placeholder
    assert bool(find_placeholder(text)) is found
