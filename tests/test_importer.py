"""`build.py import`: raw article text -> sources/articles/ID.md (issue 3).

The raw files are the two articles of the China–Cuba brief, copied byte for byte into
tests/fixtures/raw-articles/ so the suite runs anywhere; a test checks the copies still
match ../shared/articles/ where that folder exists.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from brief.importer import FURNITURE, import_article
from brief.problems import Problems
from brief.sources import read_source
from conftest import REPO, make_brief, run_build

RAW = REPO / "tests" / "fixtures" / "raw-articles"
XI = RAW / "000_e348b38a999f0b1e.txt"
MINISTERS = RAW / "002_6bd5ec78d3add38c.txt"
# committed source id -> raw file it was imported from
IMPORTED = {"xi-65th-anniversary-message": XI, "interior-ministers-beijing": MINISTERS}

XI_HEADINGS = [
    "## Dependency on Beijing amid the crisis",
    "## An authoritarian block with a military backdrop",
    "## Between the official discourse and Cuban reality",
    "## Frequently asked questions about the relationship between China and Cuba",
    "### How does Xi Jinping describe the relationship between China and Cuba?",
    "### What kind of cooperation does Cuba seek with China in the current context?",
    "### What are the implications of the military relationship between China and Cuba?",
    "### How does the cooperation between China and Cuba affect the internal situation "
    "of the island?",
]
MINISTERS_HEADINGS = [
    "## Understanding Cuba-China Relations",
    "### Why is Cuba seeking support from China?",
    "### What did Xi Jinping offer to Cuba during the meetings?",
]


def body_of(source_text: str) -> str:
    """The text after the front matter."""
    assert source_text.startswith("---\n")
    return source_text.split("\n---\n", 1)[1]


def blocks_of(source_text: str) -> list[str]:
    return body_of(source_text).rstrip("\n").split("\n\n")


def sentences(text: str) -> list[str]:
    """Split running text into sentences (ends: . ! ? optionally followed by a quote)."""
    parts = re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”]))\s+(?=[A-Z“\"])", text)
    return [p.strip() for p in parts if p and p.strip()]


def imported(path: Path, **meta: str) -> tuple[str, list[str]]:
    return import_article(path.read_text(encoding="utf-8"), meta)


# -- the raw files ------------------------------------------------------------------

# The copies in tests/fixtures/raw-articles are compared with ../shared/articles by
# .ci/run (CI always has ../shared beside the clone), not here: a test that could only
# skip on a machine without ../shared would prove nothing there.


# -- furniture ---------------------------------------------------------------------

def test_furniture_is_removed_from_the_first_article():
    out, removed = imported(XI)
    assert removed == ["Related videos:", "Filed under:"]
    assert "Related videos" not in out and "Filed under" not in out
    assert blocks_of(out)[0].startswith("The Chinese president, Xi Jinping, assured this Sunday")
    assert blocks_of(out)[-1].endswith("over the well-being of the people.")


def test_the_second_article_has_no_furniture_and_loses_nothing():
    out, removed = imported(MINISTERS)
    assert removed == []
    assert blocks_of(out)[0].startswith("Last Friday, a meeting took place in Beijing")


def test_furniture_rules_are_a_documented_list():
    assert {rule.end for rule in FURNITURE} <= {"start", "end"}
    assert all(rule.what for rule in FURNITURE)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for rule in FURNITURE:  # each rule's words are in the README's list
        assert re.sub(r"[:?.*]+$", "", rule.pattern.pattern) in readme, rule


def test_furniture_words_inside_the_article_are_kept():
    text = ("Related videos:\nFirst paragraph.\nRelated videos:\n"
            "Filed under: a heading-like line.\nLast paragraph.\nFiled under: Cuba, China\n")
    out, removed = import_article(text, {})
    assert removed == ["Related videos:", "Filed under: Cuba, China"]
    assert blocks_of(out) == ["First paragraph.", "Related videos:",
                              "Filed under: a heading-like line.", "Last paragraph."]


# -- structure -----------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [(XI, XI_HEADINGS), (MINISTERS, MINISTERS_HEADINGS)])
def test_subheadings_and_faq_questions_become_headings(raw, expected):
    out, _ = imported(raw)
    assert [b for b in blocks_of(out) if b.startswith("#")] == expected


@pytest.mark.parametrize("raw", [XI, MINISTERS])
def test_the_outlets_faq_block_is_kept_question_then_answer(raw):
    out, _ = imported(raw)
    blocks = blocks_of(out)
    questions = [i for i, b in enumerate(blocks) if b.startswith("### ")]
    assert len(questions) >= 2
    lines = raw.read_text(encoding="utf-8").split("\n")
    for i in questions:
        answer = blocks[i + 1]
        assert not answer.startswith("#")
        # in the raw file, the answer is the line right after the question
        q = lines.index(blocks[i][4:])
        assert lines[q + 1] == answer


@pytest.mark.parametrize("raw", [XI, MINISTERS])
def test_one_block_per_raw_line_in_order_verbatim(raw):
    out, removed = imported(raw)
    raw_lines = [ln.strip() for ln in raw.read_text(encoding="utf-8").split("\n") if ln.strip()]
    article_lines = [ln for ln in raw_lines if ln not in removed]
    assert [re.sub(r"^#{2,3} ", "", b) for b in blocks_of(out)] == article_lines


@pytest.mark.parametrize("raw", [XI, MINISTERS])
def test_every_sentence_of_the_raw_article_is_in_the_output(raw):
    out, removed = imported(raw)
    text = raw.read_text(encoding="utf-8")
    found, lines = 0, 0
    for line in text.split("\n"):
        if not line.strip() or line.strip() in removed:
            continue
        lines += 1
        for sentence in sentences(line):
            assert sentence in body_of(out), sentence
            found += 1
    assert found > lines + 5  # the split found sentences, not just whole lines


def test_a_question_outside_an_faq_block_stays_a_paragraph():
    out, _ = import_article("Who pays for the pier?\nThe towns argue.\n", {})
    assert blocks_of(out) == ["Who pays for the pier?", "The towns argue."]


def test_paragraphs_are_normalised_to_nfc_and_whitespace_collapsed():
    decomposed = unicodedata.normalize("NFD", "Díaz-Canel met  Xi.\r\n\r\n\tThe end.  ")
    out, _ = import_article(decomposed, {})
    assert blocks_of(out) == ["Díaz-Canel met Xi.", "The end."]
    assert unicodedata.is_normalized("NFC", out)


def test_output_is_deterministic():
    meta = {"title": "T", "language": "en"}
    assert imported(XI, **meta) == imported(XI, **meta)


# -- front matter --------------------------------------------------------------------

def test_missing_fields_become_todo_placeholders():
    out, _ = imported(MINISTERS, title="A title")
    front = out.split("\n---\n", 1)[0]
    assert "title: A title" in front
    for name in ("publisher", "author", "url", "published", "retrieved", "language"):
        assert f'{name}: "TODO: {name}"' in front
    assert "published_note" not in front and "note:" not in front


@pytest.mark.parametrize("value", [
    "Cuba: the 'regime' and #China", "- starts with a dash", 'He said "no"', "yes", "0755",
    "2025-08-08", "Díaz-Canel — a title: with colon", "[not a list]", "ends with a colon:",
])
def test_front_matter_values_read_back_exactly(value):
    out, _ = imported(MINISTERS, title=value, publisher="unknown", author="unknown",
                      url="unknown", published="2025", retrieved="unknown", language="en",
                      note=value)
    problems = Problems()
    src = read_source(out.encode("utf-8"), "sources/articles/x.md", "x", problems)
    assert src is not None and not problems.errors, [p.format() for p in problems.items]
    assert (src.title, src.note) == (value, value)


def test_a_paragraph_that_would_read_as_a_heading_is_refused():
    from brief.importer import ImportProblem
    with pytest.raises(ImportProblem, match="starts with '#'"):
        import_article("# 1 in the region\nText.\n", {})


# -- the command ---------------------------------------------------------------------

def test_import_writes_the_source_and_check_reports_the_placeholders(tmp_path):
    root = make_brief(tmp_path)
    result = run_build("import", str(MINISTERS), "--id", "ministers", "--brief", str(root),
                       "--title", "Ministers meet")
    assert result.returncode == 0, result.stderr
    assert "wrote sources/articles/ministers.md" in result.stdout
    written = (root / "sources/articles/ministers.md").read_text(encoding="utf-8")
    assert written == imported(MINISTERS, title="Ministers meet")[0]

    check = run_build(str(root), "--check")
    assert check.returncode == 1
    assert ("sources/articles/ministers.md:3:12: error: [publisher] is still a placeholder: "
            "'TODO: publisher'") in check.stderr
    assert "6 error(s)" in check.stderr
    assert not (root / "docs").exists()


def test_import_with_every_field_given_passes_check(tmp_path):
    root = make_brief(tmp_path)
    result = run_build("import", str(XI), "--id", "xi", "--brief", str(root),
                       "--title", "Xi message", "--publisher", "unknown", "--author", "unknown",
                       "--url", "unknown", "--published", "2025", "--retrieved", "unknown",
                       "--language", "en")
    assert result.returncode == 0, result.stderr
    assert "removed furniture: 'Related videos:'" in result.stdout
    check = run_build(str(root), "--check")
    assert check.returncode == 0, check.stderr


def test_import_refuses_to_overwrite_without_force(tmp_path):
    root = make_brief(tmp_path)
    target = root / "sources/articles/alpha-gazette.md"
    before = target.read_bytes()
    result = run_build("import", str(XI), "--id", "alpha-gazette", "--brief", str(root))
    assert result.returncode == 1
    assert "error: sources/articles/alpha-gazette.md already exists; use --force" in result.stderr
    assert target.read_bytes() == before
    forced = run_build("import", str(XI), "--id", "alpha-gazette", "--brief", str(root), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_bytes() == imported(XI)[0].encode("utf-8")


@pytest.mark.parametrize("bad", ["Bad", "../escape", "a--b", "x" * 65, "a/b"])
def test_an_invalid_id_is_a_usage_error_and_writes_nothing(tmp_path, bad):
    root = make_brief(tmp_path)
    before = sorted(p.name for p in (root / "sources/articles").iterdir())
    result = run_build("import", str(XI), "--id", bad, "--brief", str(root))
    assert result.returncode == 2
    assert "argument --id" in result.stderr
    assert sorted(p.name for p in (root / "sources/articles").iterdir()) == before


@pytest.mark.parametrize("option, value", [
    ("--published", "2025-02-30"), ("--retrieved", "last week"), ("--url", "example.org"),
    ("--language", "English"),
])
def test_invalid_option_values_are_usage_errors(tmp_path, option, value):
    root = make_brief(tmp_path)
    result = run_build("import", str(XI), "--id", "xi", "--brief", str(root), option, value)
    assert result.returncode == 2
    assert f"argument {option}" in result.stderr
    assert not (root / "sources/articles/xi.md").exists()


def test_a_missing_raw_file_is_a_usage_error(tmp_path):
    root = make_brief(tmp_path)
    result = run_build("import", str(tmp_path / "nope.txt"), "--id", "xi", "--brief", str(root))
    assert result.returncode == 2
    assert "is not a file" in result.stderr


# -- the committed sources are the importer's output -----------------------------------

def _committed_options(path: Path) -> list[str]:
    """The command-line options that give the committed file's front matter."""
    from brief.yamlfile import parse_yaml
    text = path.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    node = parse_yaml(front, path.name, Problems())
    args: list[str] = []
    for name, (_, value) in node.pairs.items():
        args += ["--" + name.replace("_", "-"), value.value]
    return args


@pytest.mark.parametrize("source_id", sorted(IMPORTED))
def test_import_reproduces_the_committed_source_file(tmp_path, source_id):
    committed = REPO / "sources" / "articles" / f"{source_id}.md"
    root = make_brief(tmp_path)
    result = run_build("import", str(IMPORTED[source_id]), "--id", source_id,
                       "--brief", str(root), *_committed_options(committed))
    assert result.returncode == 0, result.stderr
    produced = (root / "sources" / "articles" / f"{source_id}.md").read_text(encoding="utf-8")
    expected = committed.read_text(encoding="utf-8")
    assert body_of(produced) == body_of(expected)  # the article text
    assert produced == expected  # and the whole file, front matter included


def test_import_takes_the_honest_metadata_fields(tmp_path):
    """Issue 12: an undated text gets an EDTF range marked inferred, a descriptive title
    and a type; bad values are refused before anything is written."""
    root = make_brief(tmp_path)
    result = run_build("import", str(MINISTERS), "--id", "m", "--brief", str(root),
                       "--title", "A title", "--title-kind", "descriptive",
                       "--type", "news-article", "--published", "[2025-08..2025-09]",
                       "--published-kind", "inferred")
    assert result.returncode == 0, result.stderr
    front = (root / "sources" / "articles" / "m.md").read_text(encoding="utf-8").split("\n---\n")[0]
    assert 'title_kind: descriptive\ntype: news-article\n' in front
    assert 'published: "[2025-08..2025-09]"\npublished_kind: inferred\n' in front
    for option, value in [("--published", "2025-13?"), ("--type", "newspaper"),
                          ("--title-kind", "invented"), ("--published-kind", "guessed")]:
        bad = run_build("import", str(MINISTERS), "--id", "n", "--brief", str(root), option, value)
        assert bad.returncode == 2 and option in bad.stderr, (option, bad.stderr)
        assert not (root / "sources" / "articles" / "n.md").exists()
