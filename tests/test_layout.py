"""The importer on real text in any script (issue 11): paragraphs, headings, --unwrap."""
from __future__ import annotations

import pytest

from brief.importer import import_text
from brief.layout import count_words, is_question, is_subheading, why_not_heading
from conftest import make_brief, run_build

ZH_SENTENCES = [
    "中国和古巴于一九六〇年建立外交关系。", "两国领导人今年多次会面。", "双方签署了十一项合作文件。",
    "合作领域包括农业和基础设施。", "古巴面临严重的经济困难。", "停电和通货膨胀影响了居民生活。",
    "中方表示愿意继续提供支持。", "古巴外长出席了部长级论坛。", "两国内政部长在北京会晤。",
    "双方同意加强执法与安全合作。",
]


def blocks(text: str) -> list[str]:
    return text.split("\n---\n", 1)[1].rstrip("\n").split("\n\n")


def test_ten_chinese_sentences_give_ten_paragraphs_and_no_heading():
    result = import_text("\n".join(ZH_SENTENCES) + "\n", {})
    assert blocks(result.text) == ZH_SENTENCES
    assert [d for d in result.decisions if d.what in ("heading", "question")] == []


def test_a_short_chinese_line_without_final_punctuation_is_still_a_heading():
    result = import_text("中古关系\n" + "\n".join(ZH_SENTENCES[:3]), {})
    assert blocks(result.text)[0] == "## 中古关系"
    assert [(d.line, d.what) for d in result.decisions] == [(1, "heading")]


@pytest.mark.parametrize("line, words", [
    ("Interior ministers meet in Beijing", 5), ("中国和古巴", 5), ("日本語のテキスト", 8),
    ("Министры встретились в Пекине", 4), ("وزيرا الداخلية يلتقيان في بكين", 5),
    ("Díaz-Canel meets Xi", 4),
])
def test_words_are_counted_per_script(line, words):
    assert count_words(line) == words


@pytest.mark.parametrize("line", [
    "Министры встретились в Пекине.", "وزيرا الداخلية يلتقيان في بكين.", "השרים נפגשו בבייג'ינג.",
    "मंत्रियों की बैठक हुई।", "会谈在北京举行！", "Who pays for the pier?",
    "«Las relaciones son sólidas»", "They met (in Beijing)",
])
def test_a_line_ending_in_punctuation_of_any_script_is_not_a_heading(line):
    assert not is_subheading(line)


@pytest.mark.parametrize("line", [
    "Министры встретились в Пекине", "وزيرا الداخلية يلتقيان في بكين", "Dependency on Beijing",
])
def test_a_short_line_without_final_punctuation_is_a_heading_in_any_script(line):
    assert is_subheading(line)


@pytest.mark.parametrize("line", ["¿Qué ofreció China a Cuba?", "中国向古巴提供了什么？",
                                  "ماذا قدمت الصين لكوبا؟"])
def test_questions_are_recognised_in_any_script(line):
    assert is_question(line)


@pytest.mark.parametrize("line, why", [
    ("- agriculture and infrastructure", "a list item"),
    ("2. biotechnology and culture", "a list item"),
    ("https://example.org/news/cuba-china", "a link or address"),
    ("Contact press@example.org", "a link or address"),
    ("Published: 8 August 2025", "a 'key: value' line"),
    ("$ pip install mkdocs", "a command or code"),
    ("python build.py --check", "a command or code"),
    ("2025-08-08 14:00", "no letters"),
])
def test_lists_links_key_value_lines_and_code_are_never_headings(line, why):
    assert why_not_heading(line) == why
    assert not is_subheading(line)
    result = import_text(f"{line}\nThe text goes on.\n", {})
    assert blocks(result.text)[0] == " ".join(line.split())


def test_headings_none_makes_no_heading():
    text = "Dependency on Beijing amid the crisis\nThe island depends on China.\n"
    assert blocks(import_text(text, {}).text)[0] == "## Dependency on Beijing amid the crisis"
    result = import_text(text, {}, headings="none")
    assert blocks(result.text) == ["Dependency on Beijing amid the crisis",
                                   "The island depends on China."]
    assert result.decisions == []


WRAPPED = """\
Release notes for the harbour
authority's new schedule, which
starts in March.

The ferry now leaves at seven
and returns at noon; the pier
stays open on Sundays.

- first item of a list
- second item
    code line kept apart

Last paragraph, on
two lines.
"""


def test_unwrap_gives_one_paragraph_per_block():
    result = import_text(WRAPPED, {}, unwrap=True)
    assert blocks(result.text) == [
        "Release notes for the harbour authority's new schedule, which starts in March.",
        "The ferry now leaves at seven and returns at noon; the pier stays open on Sundays.",
        "- first item of a list", "- second item", "code line kept apart",
        "Last paragraph, on two lines.",
    ]
    joined = [(d.line, d.why) for d in result.decisions if d.what == "joined"]
    assert joined == [(1, "lines 1-3 into one paragraph"), (5, "lines 5-7 into one paragraph"),
                      (13, "lines 13-14 into one paragraph")]
    assert [d.line for d in result.decisions if d.what == "kept"] == [9, 10, 11]


def test_without_unwrap_a_wrapped_text_is_one_paragraph_per_line_and_flagged():
    result = import_text(WRAPPED, {})
    assert "Release notes for the harbour" in blocks(result.text)
    assert result.looks_wrapped
    assert not import_text("\n".join(ZH_SENTENCES), {}).looks_wrapped


def test_unwrap_joins_chinese_lines_without_a_space():
    result = import_text("中国和古巴于一九六〇年建立\n外交关系。\n\n两国领导人今年多次会面。\n", {},
                         unwrap=True)
    assert blocks(result.text) == ["中国和古巴于一九六〇年建立外交关系。", "两国领导人今年多次会面。"]


def test_the_command_prints_each_heading_and_join(tmp_path):
    root = make_brief(tmp_path)
    raw = tmp_path / "raw.txt"
    raw.write_text("Harbour news\nThe pier opened on Friday.\n"
                   "Background\nThe towns argued for years.\n", encoding="utf-8")
    result = run_build("import", str(raw), "--id", "harbour-news", "--brief", str(root))
    assert result.returncode == 0, result.stderr
    assert "line 1: heading: 'Harbour news' (a short line without final punctuation)" \
        in result.stdout
    assert "line 3: heading: 'Background' (a short line without final punctuation)" \
        in result.stdout

    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(WRAPPED, encoding="utf-8")
    plain = run_build("import", str(wrapped), "--id", "notes", "--brief", str(root))
    assert plain.returncode == 0, plain.stderr
    assert "--unwrap" in plain.stdout  # the hint to unwrap
    again = run_build("import", str(wrapped), "--id", "notes", "--brief", str(root),
                      "--unwrap", "--headings", "none", "--force")
    assert again.returncode == 0, again.stderr
    assert "line 1: joined: " in again.stdout and "lines 1-3 into one paragraph" in again.stdout
    assert "heading" not in again.stdout
    body = (root / "sources/articles/notes.md").read_text(encoding="utf-8")
    assert "Release notes for the harbour authority's new schedule, which starts in March." in body
