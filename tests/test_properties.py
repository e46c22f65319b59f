"""Property-based tests: whatever is typed or pasted, the build answers in its format.

Random YAML structures (in every YAML file of a brief), random Unicode in text fields,
and random article text go through the whole build (`build.py --check`, i.e. read,
validate, resolve citations, render; and for a few examples the MkDocs step as well).
Each run must either succeed or report problems in the documented format: every line
on stderr is `path:line:col: error|warning: message`, an indented context or hint line,
or the summary. Never a traceback, never an exception out of `brief.cli.main`.
"""
from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, make_brief

from brief.cli import main

SETTINGS = settings(max_examples=50, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=6, deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow])

PROBLEM = re.compile(r"^[^:\s][^:]*:\d+:\d+: (error|warning): \S")
SUMMARY = re.compile(r"^\d+ error\(s\), \d+ warning\(s\): ")
# The documented line of a stage slower than 2 s (README, progress): a loaded machine, as
# when the suite runs in two processes beside a benchmark, makes even this small build one.
PROGRESS = re.compile(r"^build: [a-z ]+: (\d+ )?in \d+\.\ds$")
BUILD_FAILED = ("error: the site build failed: ", "docs/ and site/ are unchanged",
                "mkdocs: warning: ", "mkdocs: error: ")

EVENTS = (MINI / "sources/events/events.yml").read_text("utf-8")
ALPHA = (MINI / "sources/articles/alpha-gazette.md").read_text("utf-8")
FIELD_NAMES = ["id", "date", "title", "summary", "citations", "tags", "entities", "place",
               "date_note", "source", "quote", "question", "answer", "text", "lede",
               "description", "key_points", "sources_note", "language", "url", "name", "kind",
               "role", "aliases"]

# Any Unicode but lone surrogates (which no file can hold as UTF-8).
UNICODE = st.characters(blacklist_categories=("Cs",))
YAMLISH = st.sampled_from(list("-:[]{}\"'#&*!|>%@`,?\\ \n\t") + ["---", "...", "\r\n", "\ufeff"])


def run(root: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main([str(root), *args])
    return status, err.getvalue()


def assert_documented(status: int, err: str, allow_build_failure: bool = False) -> None:
    assert "Traceback" not in err, err
    assert status in (0, 1), (status, err)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", err), err
    for line in err.split("\n")[:-1]:  # lines end with "\n"; nothing else splits them
        ok = (PROBLEM.match(line) or line.startswith("    ") or SUMMARY.match(line)
              or PROGRESS.match(line)
              or (allow_build_failure and line.startswith(BUILD_FAILED)))
        assert ok, f"not in the documented format: {line!r}\n{err}"
    if status == 1 and not allow_build_failure:
        assert any(PROBLEM.match(ln) and ": error: " in ln for ln in err.splitlines()), err


@contextlib.contextmanager
def brief_with(files: dict[str, str | bytes]):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "brief"
        shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("docs", "site"))
        for rel, content in files.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        yield root


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.dates(), st.text(UNICODE, max_size=20),
                    st.sampled_from(["NO", "on", "yes", "1:30", "0755", "2024-02-30", "unknown",
                                     "TODO", "alpha-gazette", "https://example.org/a",
                                     "javascript:alert(1)", "<script>x</script>", "{{ 7*7 }}"]))
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(UNICODE, max_size=8))
structures = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25)
records = st.lists(st.dictionaries(keys, structures, max_size=8), max_size=4)


def dump(data, unicode: bool) -> str:
    return yaml.safe_dump(data, allow_unicode=unicode, sort_keys=False)


@SETTINGS
@given(target=st.sampled_from(["brief.yml", "sources/events/events.yml", "sources/faq/faq.yml",
                               "sources/entities.yml", "sources/articles/alpha-gazette.md"]),
       data=st.one_of(structures, records), unicode=st.booleans())
def test_random_yaml_structures(target, data, unicode):
    content = dump(data, unicode)
    if target.endswith(".md"):  # as a source's front matter, before its text
        content = "---\n" + content + "---\n" + ALPHA.split("---\n", 2)[2]
    with brief_with({target: content}) as root:
        assert_documented(*run(root, "--check"))


@SETTINGS
@given(text=st.lists(st.one_of(YAMLISH, st.characters(max_codepoint=0x7f), UNICODE),
                     max_size=120).map("".join))
def test_random_yaml_text(text):
    with brief_with({"sources/faq/faq.yml": text}) as root:
        assert_documented(*run(root, "--check"))


@SETTINGS
@given(title=st.text(UNICODE, max_size=60), summary=st.text(UNICODE, max_size=200),
       style=st.sampled_from(["json", "literal", "plain"]))
def test_random_unicode_in_text_fields(title, summary, style):
    if style == "json":  # a double-quoted scalar with raw characters and JSON escapes
        t, s = json.dumps(title, ensure_ascii=False), json.dumps(summary, ensure_ascii=False)
    elif style == "literal":  # a block scalar: the text as typed, indented
        t = json.dumps(title, ensure_ascii=False)
        s = "|\n" + "".join(f"    {ln}\n" for ln in summary.split("\n"))
    else:  # typed as is after the colon
        t, s = title.replace("\n", " "), summary.replace("\n", " ")
    events = EVENTS.replace("title: Harbour agreement signed", f"title: {t}").replace(
        "summary: The two councils meet twice in 2023 but reach no agreement.", f"summary: {s}")
    with brief_with({"sources/events/events.yml": events}) as root:
        assert_documented(*run(root, "--check"))


article_text = st.lists(st.one_of(UNICODE, st.sampled_from(["\n", "\n\n", "# ", "<", ">", "&", "---",
                                                            "[", "]", "*", "{{", "\r\n", " "])),
                        max_size=200).map("".join)


@SETTINGS
@given(text=article_text, front=st.booleans())
def test_random_article_text(text, front):
    if front:  # the random text replaces the article's title line
        content = ALPHA.replace("title: Towns sign harbour deal", "title: " + text)
    else:  # appended to the article, after the paragraphs that are quoted
        content = ALPHA + "\n" + text + "\n"
    with brief_with({"sources/articles/alpha-gazette.md": content}) as root:
        assert_documented(*run(root, "--check"))


@pytest.fixture(scope="module")
def theme_scripts(mini_built) -> set[str]:
    """The scripts a clean build of the mini fixture has (the theme's)."""
    from test_injection import pages, script_signature
    return {script_signature(a, c) for scan in pages(mini_built / "site").values()
            for a, c in scan.scripts}


@FEW
@given(text=article_text, title=st.text(UNICODE, min_size=1, max_size=40))
def test_random_text_through_mkdocs(theme_scripts, text, title):
    """The MkDocs step too: the site builds (or fails in the documented format), and no
    random text turns into a script, an on* attribute or a javascript: link."""
    from test_injection import pages, script_signature

    events = EVENTS.replace("title: Harbour agreement signed",
                            "title: " + json.dumps(title, ensure_ascii=False))
    files = {"sources/articles/alpha-gazette.md": ALPHA + "\n" + text + "\n",
             "sources/events/events.yml": events}
    with brief_with(files) as root:
        status, err = run(root)
        assert_documented(status, err, allow_build_failure=True)
        if status == 0:
            for name, scan in pages(root / "site").items():
                assert not scan.bad, (name, scan.bad)
                for attrs, content in scan.scripts:
                    assert script_signature(attrs, content) in theme_scripts, (name, attrs)
