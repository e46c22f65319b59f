"""Bad input, one case per row: every case must fail cleanly and change nothing.

Each case overlays files on a copy of the mini fixture *after* a good build of it, runs
the build, and checks: exit status 1; a problem reported at the exact `path:line:col`
(computed here from the text of the case, not copied from the output) naming the field,
key or character at fault; no traceback; docs/ and site/ byte-for-byte as the good
build left them; no staging folder left behind. The cases run in-process
(`brief.cli.main`) to keep the suite fast; the ones that could crash or hang a process
(billion laughs, deep nesting) run `build.py` in a subprocess and are timed.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import MINI, make_brief, overlay_files, run_build, snapshot

from brief.cli import main

BRIEF = (MINI / "brief.yml").read_text("utf-8")
EVENTS = (MINI / "sources/events/events.yml").read_text("utf-8")
FAQ = (MINI / "sources/faq/faq.yml").read_text("utf-8")
ALPHA = (MINI / "sources/articles/alpha-gazette.md").read_text("utf-8")

BRIEF_YML = "brief.yml"
EVENTS_YML = "sources/events/events.yml"
FAQ_YML = "sources/faq/faq.yml"
ALPHA_MD = "sources/articles/alpha-gazette.md"


def loc(text: str, needle: str, occurrence: int = 1, offset: int = 0) -> str:
    """line:col (1-based) of the n-th occurrence of needle in text (plus offset characters)."""
    idx = -1
    for _ in range(occurrence):
        idx = text.index(needle, idx + 1)
    idx += offset
    line = text.count("\n", 0, idx) + 1
    col = idx - (text.rfind("\n", 0, idx) + 1) + 1
    return f"{line}:{col}"


def sub(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@dataclass
class Case:
    name: str
    files: dict  # path -> new content (str or bytes), None to delete
    where: str  # "path:line:col"
    words: tuple  # each must appear in the message at `where`
    extra: dict = field(default_factory=dict)


def text_case(name, path, text, needle, words, occurrence=1, offset=0) -> Case:
    """A case whose file is `text`; the problem is at `needle` (its n-th occurrence)."""
    return Case(name, {path: text}, f"{path}:{loc(text, needle, occurrence, offset)}", words)


def char_case(name, path, base, old, new, char, words) -> Case:
    """A forbidden character put into a file: the problem is where the character is."""
    text = sub(base, old, new)
    return text_case(name, path, text, char, words)


def byte_case(name, path, base, old: bytes, new: bytes, words) -> Case:
    data = base.encode("utf-8")
    assert data.count(old) == 1
    data = data.replace(old, new)
    bad = data.index(new) + next(i for i, (a, b) in enumerate(zip(old, new)) if a != b)
    good = data[:bad].decode("utf-8")
    line = good.count("\n") + 1
    col = len(good) - (good.rfind("\n") + 1) + 1
    return Case(name, {path: data}, f"{path}:{line}:{col}", words)


EXTRA_EVENT = """- id: extra
  date: 2024-05
  title: First title
  title: Second title
  summary: A summary.
  citations:
    - source: beta-herald
"""

DEEP_INDENT = "".join("  " * i + f"k{i}:\n" for i in range(45)) + "  " * 45 + "x\n"

CASES: list[Case] = [
    # --- strict YAML -----------------------------------------------------------------
    text_case("duplicate-key-settings", BRIEF_YML, BRIEF + "title: Again\n", "title: Again",
              ("duplicate key 'title'",)),
    text_case("duplicate-key-event", EVENTS_YML, EVENTS + EXTRA_EVENT, "title: Second title",
              ("duplicate key 'title'",)),
    text_case("anchor", BRIEF_YML, sub(BRIEF, "description: A small", "description: &d A small"),
              "&d", ("anchor '&d'",)),
    text_case("alias", BRIEF_YML, sub(BRIEF, "sources_note: Both", "sources_note: *d\nx: Both"),
              "*d", ("alias '*d'",)),
    text_case("python-tag", BRIEF_YML,
              sub(BRIEF, "title: The harbour dispute",
                  "title: !!python/object/apply:os.system [echo hi]"),
              "!!python", ("tag", "python/object/apply:os.system")),
    text_case("include-tag", BRIEF_YML, sub(BRIEF, "lede: |", "lede: !include other.yml\nx: |"),
              "!include", ("tag '!include'",)),
    text_case("str-tag", EVENTS_YML, sub(EVENTS, "date: 2024-03", "date: !!str 2024-03"),
              "!!str", ("tag 'tag:yaml.org,2002:str'",)),
    text_case("second-document", BRIEF_YML, BRIEF + "---\ntitle: Another\n", "---",
              ("second YAML document",)),
    # the first line indented more than 4 * 20 columns: 'k41:', on line 42
    Case("deep-indentation", {EVENTS_YML: DEEP_INDENT}, f"{EVENTS_YML}:42:1",
         ("nested more than 20 levels",)),
    Case("file-size-limit", {EVENTS_YML: "# " + "x" * 5_000_001 + "\n"}, f"{EVENTS_YML}:1:1",
         ("5,000,004 bytes", "limit is 5,000,000")),
    text_case("yaml-syntax", EVENTS_YML, sub(EVENTS, "place: Northport", "place: North: port"),
              ": port", ("YAML syntax",)),
    text_case("key-not-text", BRIEF_YML, BRIEF + "? [a, b]\n: c\n", "[a, b]",
              ("a key must be plain text",)),
    # values stay the text that was typed, and are validated as that text
    text_case("date-NO", EVENTS_YML, sub(EVENTS, 'date: "2023"', "date: NO"), "NO",
              ("[date]", '"NO"')),
    text_case("date-1:30", EVENTS_YML, sub(EVENTS, 'date: "2023"', "date: 1:30"), "1:30",
              ("[date]", '"1:30"')),
    text_case("date-on", EVENTS_YML, sub(EVENTS, 'date: "2023"', "date: on"), "date: on",
              ("[date]", '"on"'), offset=len("date: ")),
    text_case("url-yes", ALPHA_MD, sub(ALPHA, "url: https://example.org/alpha/harbour-deal",
                                       "url: yes"), "yes", ("[url]", "'yes'")),
    text_case("language-0755", ALPHA_MD, sub(ALPHA, "language: en", "language: 0755"), "0755",
              ("[language]", "'0755'")),
    text_case("published-1:30", ALPHA_MD, sub(ALPHA, "published: 2024-03-15", "published: 1:30"),
              "1:30", ("[published]", '"1:30"')),
    # --- encodings ----------------------------------------------------------------------
    byte_case("invalid-utf8-settings", BRIEF_YML, BRIEF, b"The harbour", b"The harb\xffour",
              ("invalid UTF-8 byte 0xff",)),
    byte_case("latin1-article", ALPHA_MD, ALPHA, b"on Friday", b"on Fr\xe9day",
              ("invalid UTF-8 byte 0xe9",)),
    byte_case("invalid-continuation-faq", FAQ_YML, FAQ, b"What did", b"Wh\xc3(t did",
              ("invalid UTF-8 byte 0xc3",)),
    char_case("nul-event", EVENTS_YML, EVENTS, "Councils meet", "Councils\x00meet", "\x00",
              ("U+0000",)),
    char_case("nul-article", ALPHA_MD, ALPHA, "new pier", "new\x00pier", "\x00", ("U+0000",)),
    char_case("escape-faq", FAQ_YML, FAQ, "What did", "What \x1b[31mdid", "\x1b", ("U+001B",)),
    char_case("delete-settings", BRIEF_YML, BRIEF, "Two towns", "Two\x7f towns", "\x7f",
              ("U+007F",)),
    char_case("c1-nel-article-title", ALPHA_MD, ALPHA, "Towns sign", "Towns\x85 sign", "\x85",
              ("U+0085",)),
    char_case("vertical-tab-event", EVENTS_YML, EVENTS, "meet twice in 2023",
              "meet\x0btwice in 2023", "\x0b", ("U+000B",)),
    char_case("form-feed-article", ALPHA_MD, ALPHA, "met twice", "met\x0ctwice", "\x0c",
              ("U+000C",)),
    char_case("bidi-202a-event-title", EVENTS_YML, EVENTS, "Harbour agreement signed",
              "Harbour \u202aagreement signed", "\u202a", ("U+202A", "bidirectional")),
    char_case("bidi-202b-faq-answer", FAQ_YML, FAQ, "both towns get", "both \u202btowns get",
              "\u202b", ("U+202B", "bidirectional")),
    char_case("bidi-202c-description", BRIEF_YML, BRIEF, "A small test", "A small\u202c test",
              "\u202c", ("U+202C", "bidirectional")),
    char_case("bidi-202d-article-body", ALPHA_MD, ALPHA, "ending a dispute",
              "ending \u202da dispute", "\u202d", ("U+202D", "bidirectional")),
    char_case("bidi-202e-article-title", ALPHA_MD, ALPHA, "harbour deal\n",
              "harbour \u202edeal\n", "\u202e", ("U+202E", "bidirectional")),
    char_case("bidi-2066-event-summary", EVENTS_YML, EVENTS, "reach no agreement",
              "reach \u2066no agreement", "\u2066", ("U+2066", "bidirectional")),
    char_case("bidi-2067-faq-question", FAQ_YML, FAQ, "Does anyone", "Does \u2067anyone",
              "\u2067", ("U+2067", "bidirectional")),
    char_case("bidi-2068-key-point", BRIEF_YML, BRIEF, "signed a harbour",
              "signed \u2068a harbour", "\u2068", ("U+2068", "bidirectional")),
    char_case("bidi-2069-quote", EVENTS_YML, EVENTS, "quote: signed the harbour agreement",
              "quote: signed the\u2069 harbour agreement", "\u2069", ("U+2069", "bidirectional")),
    # the same characters written as YAML escapes in double-quoted text: at the value
    text_case("escaped-bidi-event-title", EVENTS_YML,
              sub(EVENTS, "title: Harbour agreement signed",
                  'title: "Harbour \\u202eagreement signed"'),
              '"Harbour', ("U+202E", "escape")),
    text_case("escaped-nul-faq-answer", FAQ_YML,
              sub(FAQ, "answer: According to the Beta Herald, both towns get equal use of the pier.",
                  'answer: "According\\0 to the Beta Herald."'),
              '"According', ("U+0000", "escape")),
    text_case("escaped-escape-settings-title", BRIEF_YML,
              sub(BRIEF, "title: The harbour dispute", 'title: "The \\e[31mharbour dispute"'),
              '"The', ("U+001B", "escape")),
    # --- identifiers and paths -------------------------------------------------------------
    text_case("id-capitals", EVENTS_YML, sub(EVENTS, "id: councils-meet", "id: Councils-Meet"),
              "Councils-Meet", ("[id]", "'Councils-Meet'")),
    text_case("id-space", EVENTS_YML, sub(EVENTS, "id: councils-meet", 'id: "councils meet"'),
              '"councils meet"', ("[id]", "'councils meet'")),
    text_case("id-too-long", EVENTS_YML, sub(EVENTS, "id: councils-meet", "id: " + "a" * 65),
              "a" * 65, ("[id]", "longer than 64")),
    text_case("id-double-hyphen", FAQ_YML, sub(FAQ, "id: who-objects", "id: who--objects"),
              "who--objects", ("[id]", "'who--objects'")),
    text_case("id-path-traversal", EVENTS_YML,
              sub(EVENTS, "id: councils-meet", "id: ../../etc/passwd"), "../../etc/passwd",
              ("[id]", "'../../etc/passwd'")),
    text_case("id-trailing-hyphen", FAQ_YML, sub(FAQ, "id: who-objects", "id: who-"), "who-\n",
              ("[id]", "'who-'")),
    text_case("duplicate-event-id-two-files", "sources/events/more.yml",
              "- id: dispute-begins\n  date: 2024-05\n  title: Again\n  summary: Again.\n"
              "  citations:\n    - source: beta-herald\n",
              "id: dispute-begins", ("duplicate event id 'dispute-begins'",)),
    text_case("duplicate-faq-id", FAQ_YML, sub(FAQ, "id: who-objects", "id: what-was-agreed"),
              "id: what-was-agreed", ("duplicate FAQ id 'what-was-agreed'",), occurrence=2),
    Case("source-file-capitals", {"sources/articles/Gamma.md": ALPHA},
         "sources/articles/Gamma.md:0:0", ("'Gamma'", "source id")),
    Case("source-file-space", {"sources/articles/gamma news.md": ALPHA},
         "sources/articles/gamma news.md:0:0", ("'gamma news'", "source id")),
    Case("source-file-upper-duplicate", {"sources/articles/ALPHA-GAZETTE.md": ALPHA},
         "sources/articles/ALPHA-GAZETTE.md:0:0", ("'ALPHA-GAZETTE'", "source id")),
    # a file name is printed with visible stand-ins: one line, no terminal escape
    Case("source-file-control-characters", {"sources/articles/a\nb\x1b[31m.md": ALPHA},
         "sources/articles/a\u240ab\u241b[31m.md:0:0", ("source id",)),
    text_case("tag-capitals", EVENTS_YML, sub(EVENTS, "tags: [harbour, agreement]",
                                              "tags: [harbour, Agreement]"),
              "Agreement", ("[tags]", "'Agreement'")),
    text_case("citation-source-path", FAQ_YML,
              sub(FAQ, "- source: beta-herald\n      quote: equal use",
                  "- source: ../beta-herald\n      quote: equal use"),
              "../beta-herald", ("[source]", "'../beta-herald'")),
    # --- URLs in source metadata ---------------------------------------------------------------
    *[text_case(f"url-{name}", ALPHA_MD,
                sub(ALPHA, "url: https://example.org/alpha/harbour-deal", f"url: {url}"),
                url, ("[url]", url))
      for name, url in [("javascript", "javascript:alert(1)"),
                        ("javascript-upper", "JAVASCRIPT:alert(1)"),
                        ("data", "data:text/html;base64,PHNjcmlwdD4="),
                        ("ftp", "ftp://example.org/a"),
                        ("relative", "/relative/path"),
                        ("protocol-relative", "//example.org/a"),
                        ("attribute-break", 'https://example.org/a"onmouseover=alert(1)')]],
    # --- fields -------------------------------------------------------------------------------
    text_case("unknown-field", EVENTS_YML, sub(EVENTS, "place: Northport", "plac: Northport"),
              "plac:", ("[plac]", "unknown field")),
    text_case("missing-required-field", BRIEF_YML, sub(BRIEF, "title: The harbour dispute\n", ""),
              "description:", ("[title]", "missing")),  # reported at the mapping's start
    text_case("placeholder", ALPHA_MD, sub(ALPHA, "publisher: Alpha Gazette",
                                           "publisher: TODO ask the editor"),
              "TODO", ("[publisher]", "placeholder")),
]


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def good(mini_built, tmp_path_factory):
    """The mini fixture after a good build: (root, docs/ snapshot, site/ snapshot)."""
    from conftest import copy_built
    root = copy_built(mini_built, tmp_path_factory.mktemp("good") / "brief")
    return root, snapshot(root / "docs"), snapshot(root / "site")


def copy_with(good, tmp_path: Path, files: dict) -> Path:
    root = tmp_path / "brief"
    shutil.copytree(good[0], root, symlinks=True)
    return overlay_files(root, files)


def assert_unchanged(root: Path, good) -> None:
    assert snapshot(root / "docs") == good[1], "docs/ changed"
    assert snapshot(root / "site") == good[2], "site/ changed"
    left = [p.name for p in root.iterdir() if ".staging-" in p.name or ".old-" in p.name]
    assert not left, left


def assert_reported(err: str, case: Case) -> None:
    assert "Traceback" not in err, err
    # the offending line is shown with visible stand-ins, never raw control characters
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", err), err
    lines = [ln for ln in err.splitlines() if ln.startswith(f"{case.where}: error: ")]
    assert lines, f"no error at {case.where}:\n{err}"
    assert any(all(w in ln for w in case.words) for ln in lines), (case.words, lines)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_fails_cleanly_and_changes_nothing(case, good, tmp_path, capsys):
    root = copy_with(good, tmp_path, case.files)
    status = main([str(root)])
    err = capsys.readouterr().err
    assert status == 1, err
    assert_reported(err, case)
    assert_unchanged(root, good)


# --- inputs that crash or hang a naive loader: in a subprocess, timed -----------------------

def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    return text + "# " + "laugh " * ((450 - len(text) - 3) // 6) + "\n"


DEEP_NOTE = sub(ALPHA, "language: en\n",
                "language: en\nnote: " + "{a: " * 20000 + "b" + "}" * 20000 + "\n")

CRASH_CASES = [
    Case("billion-laughs", {BRIEF_YML: billion_laughs()}, f"{BRIEF_YML}:1:4", ("anchor '&a'",)),
    Case("nested-brackets-60kb", {EVENTS_YML: "[" * 30000 + "]" * 30000},
         f"{EVENTS_YML}:1:21", ("nested more than 20 levels",)),
    Case("nested-brackets-hidden-in-quotes", {EVENTS_YML: '["]", ' * 10000 + "]" * 10000},
         f"{EVENTS_YML}:1:121", ("nested more than 20 levels",)),
    text_case("nested-braces-front-matter", ALPHA_MD, DEEP_NOTE, "{", ("nested more than 20",),
              occurrence=21),
]


def test_billion_laughs_file_is_about_450_bytes():
    assert 440 <= len(billion_laughs().encode()) <= 450


@pytest.mark.parametrize("case", CRASH_CASES, ids=[c.name for c in CRASH_CASES])
def test_hostile_yaml_fails_fast_without_crashing(case, good, tmp_path):
    root = copy_with(good, tmp_path, case.files)
    result = run_build(str(root), timeout=60)  # how fast: benchmarks/bench_inputs.py yaml
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])  # not a signal
    assert_reported(result.stderr, case)
    assert_unchanged(root, good)


def test_a_bom_is_accepted(good, tmp_path, capsys):
    root = copy_with(good, tmp_path, {BRIEF_YML: b"\xef\xbb\xbf" + BRIEF.encode(),
                                      ALPHA_MD: b"\xef\xbb\xbf" + ALPHA.encode()})
    assert main([str(root), "--check"]) == 0, capsys.readouterr().err


def test_zero_width_character_inside_a_word_is_a_warning_at_its_place(good, tmp_path, capsys):
    text = sub(EVENTS, "Harbour agreement signed", "Har\u200bbour agreement signed")
    root = copy_with(good, tmp_path, {EVENTS_YML: text})
    assert main([str(root), "--check"]) == 0
    err = capsys.readouterr().err
    assert f"{EVENTS_YML}:{loc(text, chr(0x200b))}: warning: zero-width character U+200B" in err


def test_messages_are_in_the_documented_format(good, tmp_path, capsys):
    """Every line of a failing run is a problem, a context line or the summary."""
    files = {}
    for case in CASES[:20]:
        files.update(case.files)
    root = copy_with(good, tmp_path, files)
    assert main([str(root)]) == 1
    err = capsys.readouterr().err
    for ln in err.split("\n")[:-1]:  # lines end with "\n"; nothing else splits them
        assert (re.match(r"^[^:\s][^:]*:\d+:\d+: (error|warning): ", ln)
                or ln.startswith("    ")
                or re.match(r"^\d+ error\(s\), \d+ warning\(s\): ", ln)), ln


def test_values_stay_the_text_that_was_typed(good, tmp_path, capsys):
    """The other side of strict YAML: what YAML 1.1 would convert builds as the text typed."""
    from test_injection import Scan
    events = sub(sub(sub(sub(EVENTS, "id: councils-meet", "id: 0755"),
                         "title: Councils meet twice without result", "title: NO"),
                     "place: Northport", "place: 1:30"),
                 "title: Harbour agreement signed", "title: 2024-03-15")
    events = sub(events, "title: The harbour dispute begins", "title: 12e3")
    faq = sub(sub(FAQ, "id: who-objects", "id: on"),
              "question: What did the towns agree?", "question: yes")
    settings = sub(BRIEF, "title: The harbour dispute", "title: off")
    root = copy_with(good, tmp_path, {EVENTS_YML: events, FAQ_YML: faq, BRIEF_YML: settings})
    assert main([str(root)]) == 0, capsys.readouterr().err
    site = root / "site"
    y2023 = (site / "timeline/2023/index.html").read_text("utf-8")
    assert re.search(r'<h2 id="0755">NO<', y2023), "id 0755 and title NO, as typed"
    timeline = (site / "timeline/index.html").read_text("utf-8")
    assert "2023/#0755" in timeline
    y2019 = (site / "timeline/2019/index.html").read_text("utf-8")
    assert ">12e3<" in y2019
    assert "· 1:30" in Scan(y2019).visible()
    assert ">2024-03-15<" in (site / "timeline/2024/index.html").read_text("utf-8")
    faq_html = (site / "faq/index.html").read_text("utf-8")
    assert 'id="on"' in faq_html and ">yes<" in faq_html
    assert re.search(r'<h1 id="[^"]*">off<', (site / "index.html").read_text("utf-8"))


def test_a_broken_source_file_is_reported_where_it_is_broken_only(good, tmp_path, capsys):
    """Citations of a source whose file has errors are not also 'unknown source' errors."""
    text = sub(ALPHA, "new pier", "new\x00pier")
    root = copy_with(good, tmp_path, {ALPHA_MD: text})
    assert main([str(root), "--check"]) == 1
    err = capsys.readouterr().err
    assert f"{ALPHA_MD}:{loc(text, chr(0))}: error: control character U+0000" in err
    assert "unknown source" not in err
    assert re.search(r"^1 error\(s\)", err, re.M)
