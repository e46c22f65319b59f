"""Reading a brief again with a ReadCache (the live preview's): after any change to its
files, the cached read gives what a fresh read gives (the same pages, the same problems
in the same order), while parsing only the files whose bytes changed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import make_brief

from brief.citations import resolve_citations
from brief.data import load_brief
from brief.pagepaths import check_page_paths
from brief.problems import Problems
from brief.readcache import ReadCache
from brief.render import render_pages

EVENTS = "sources/events/events.yml"
ALPHA = "sources/articles/alpha-gazette.md"
FAQ = "sources/faq/faq.yml"


def read(root: Path, cache: ReadCache | None):
    problems = Problems()
    brief = load_brief(root, problems, cache=cache)
    check_page_paths(brief, problems)
    res = resolve_citations(brief, problems, cache=cache)
    pages = render_pages(brief, res) if not problems.errors else None
    return pages, [p.format() for p in problems.items], problems.items


def assert_same_as_fresh(root: Path, cache: ReadCache):
    cached = read(root, cache)
    fresh = read(root, None)
    assert cached[1] == fresh[1]  # messages, places, hints, order
    assert cached[2] == fresh[2]
    assert cached[0] == fresh[0]  # every page, byte for byte
    return cached


def edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Change the text without changing the file's size or modification time, as a fast
    editor (or a checkout) can: the cache must look at the bytes."""
    assert len(old.encode()) == len(new.encode())
    st = path.stat()
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size


@pytest.fixture
def brief_root(tmp_path):
    return make_brief(tmp_path)


def test_an_unchanged_brief_is_read_from_the_cache(brief_root):
    cache = ReadCache()
    first = assert_same_as_fresh(brief_root, cache)
    assert cache.misses > 0 and cache.hits == 0
    files = cache.misses
    again = read(brief_root, cache)
    assert (cache.hits, cache.misses) == (files, 0)
    assert again[0] == first[0] and again[1] == first[1]


def test_an_edit_that_keeps_size_and_mtime_is_seen(brief_root):
    cache = ReadCache()
    before = read(brief_root, cache)
    edit_keeping_size_and_mtime(brief_root / EVENTS, "title: Harbour agreement signed",
                                "title: Harbour agreement SIGNED")
    pages, messages, _ = assert_same_as_fresh(brief_root, cache)
    assert pages != before[0]
    assert any(b"Harbour agreement SIGNED" in p.content for p in pages)
    read(brief_root, cache)
    assert cache.misses == 0


def test_only_the_changed_file_is_parsed_again(brief_root):
    cache = ReadCache()
    read(brief_root, cache)
    path = brief_root / EVENTS
    path.write_text(path.read_text("utf-8").replace("Councils meet twice", "Councils met twice"),
                    "utf-8")
    read(brief_root, cache)
    assert cache.misses == 1 and cache.hits > 0


def test_an_article_change_is_seen_by_the_citations(brief_root):
    cache = ReadCache()
    read(brief_root, cache)
    edit_keeping_size_and_mtime(brief_root / ALPHA, "built a new pier", "built a NEW pier")
    _, messages, _ = assert_same_as_fresh(brief_root, cache)
    assert any("[quote] not found in source 'alpha-gazette'" in m for m in messages)
    edit_keeping_size_and_mtime(brief_root / ALPHA, "built a NEW pier", "built a new pier")
    _, messages, _ = assert_same_as_fresh(brief_root, cache)
    assert not [m for m in messages if ": error:" in m]


def test_a_file_added_then_deleted(brief_root):
    cache = ReadCache()
    read(brief_root, cache)
    extra = brief_root / "sources/events/more.yml"
    extra.write_text("- id: extra-event\n  date: 2024-05\n  title: Extra\n  summary: More.\n"
                     "  citations:\n    - source: alpha-gazette\n      quote: signed the "
                     "harbour agreement\n", "utf-8")
    pages, _, _ = assert_same_as_fresh(brief_root, cache)
    assert any(b"Extra" in p.content for p in pages)
    # the same id twice across files: a cross-file check, so it runs with the cache too
    dup = brief_root / "sources/events/dup.yml"
    dup.write_text(extra.read_text("utf-8"), "utf-8")
    _, messages, _ = assert_same_as_fresh(brief_root, cache)
    assert any("duplicate event id 'extra-event'" in m for m in messages)
    dup.unlink()
    extra.unlink()
    pages, messages, _ = assert_same_as_fresh(brief_root, cache)
    assert not any(b"Extra" in p.content for p in pages)


def test_a_file_that_becomes_invalid_then_valid_again(brief_root):
    cache = ReadCache()
    good = read(brief_root, cache)
    path = brief_root / EVENTS
    text = path.read_text("utf-8")
    path.write_text(text.replace("  title: Harbour agreement signed\n",
                                 "  title: Harbour agreement signed\n  title: twice\n"), "utf-8")
    pages, messages, _ = assert_same_as_fresh(brief_root, cache)
    assert pages is None and any("duplicate key 'title'" in m for m in messages)
    # a source the events cite disappears and comes back
    alpha = (brief_root / ALPHA).read_bytes()
    (brief_root / ALPHA).unlink()
    _, messages, _ = assert_same_as_fresh(brief_root, cache)
    assert any("unknown source 'alpha-gazette'" in m for m in messages)
    (brief_root / ALPHA).write_bytes(alpha)
    path.write_text(text, "utf-8")
    pages, messages, _ = assert_same_as_fresh(brief_root, cache)
    assert pages == good[0] and messages == good[1]


def test_warnings_of_an_unchanged_file_are_reported_again(brief_root):
    cache = ReadCache()
    path = brief_root / FAQ
    text = path.read_text("utf-8")
    # a zero-width space inside a word: a warning from reading the file
    path.write_text(text.replace("question: ", "question: Wh\u200bat ", 1), "utf-8")
    _, messages, _ = assert_same_as_fresh(brief_root, cache)
    assert any("zero-width" in m for m in messages)
    _, again, _ = assert_same_as_fresh(brief_root, cache)
    assert again == messages
