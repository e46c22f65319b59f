"""brief/livebuild.py: the preview's site after an edit, rebuilt page by page from the
state kept in memory (the search index from each page's kept part, the anchor links
checked again where they can have changed), equals a clean full build byte for byte,
and fails where a clean build fails. In process, without the server (tests/test_serve.py
drives the real server)."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from conftest import make_brief
from test_serve import clean_build, edit

from brief.serve import Preview

EVENTS = "sources/events/events.yml"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def preview(tmp_path):
    previews = []

    def start(root: Path) -> Preview:
        p = Preview(root, None, None)
        assert p.regenerate()
        config = p.get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        p.serve_url = config.site_url = BASE + "/"
        assert p.build(config)
        previews.append(p)
        return p

    yield start
    for p in previews:
        p.close()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_equals_clean_build(p: Preview, dest: Path) -> None:
    shutil.rmtree(dest, ignore_errors=True)
    fresh = files_of(clean_build(p.root, dest, BASE))
    served = files_of(p.served)
    assert "search/search_index.json" in fresh
    assert sorted(served) == sorted(fresh)
    for rel in fresh:
        assert served[rel] == fresh[rel], rel


def rebuilt(caplog) -> bool:
    """Did the last build rebuild pages (not the whole site)?"""
    return any("Rebuilt" in r.getMessage() for r in caplog.records)


EDITS = {
    "event title": [(EVENTS, "title: Harbour agreement signed", "title: Harbour accord signed")],
    # a quoted passage: the footnote text the index adds to the citing sections
    "quote": [(EVENTS, "quote: gives both towns equal use of the pier",
               "quote: equal use of the pier")],
    # an article's text: the entries of its paragraphs, at the end of the index
    "article text": [("sources/articles/beta-herald.md", "Fishermen welcomed the agreement.",
                      "Fishermen and traders welcomed the agreement.")],
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_an_edit_rebuilds_pages_and_the_index_from_parts_and_equals_a_clean_build(
        tmp_path, preview, caplog, what):
    root = make_brief(tmp_path)
    p = preview(root)
    assert p.live.index_parts is not None  # the index is kept per page, not rewritten whole
    assert_equals_clean_build(p, tmp_path / "fresh0")
    for path, old, new in EDITS[what]:
        edit(root / path, old, new)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="brief.serve"):
        assert p.build()
    assert rebuilt(caplog), caplog.text
    assert p.live.index_parts is not None
    assert_equals_clean_build(p, tmp_path / "fresh1")


def test_a_link_into_an_edited_page_to_an_anchor_it_lost_fails_as_a_clean_build_does(
        tmp_path, preview, caplog):
    root = make_brief(tmp_path, {
        "docs/notes.md": "# Notes\n\nSee [the agreement](timeline/2024.md#agreement-signed).\n"})
    p = preview(root)
    # The event's id is its anchor: the hand-written page's link into the (edited)
    # timeline page breaks, though the hand-written page itself did not change.
    edit(root / EVENTS, "- id: agreement-signed", "- id: accord-signed")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert p.build() is False
    assert "Full build" not in caplog.text  # found by the page-by-page rebuild
    assert "'notes.md' contains a link 'timeline/2024.md#agreement-signed'" in caplog.text
    assert p.errors
    # A clean build fails the same way.
    with pytest.raises(SystemExit):
        clean_build(root, tmp_path / "fresh", BASE)


def test_a_link_added_by_one_edit_is_checked_when_a_later_edit_breaks_it(
        tmp_path, preview, caplog):
    """Which pages link into which is kept between edits (LiveSite._link_index): a
    page's new link counts from the edit that added it."""
    root = make_brief(tmp_path, {"docs/notes.md": "# Notes\n\nNothing yet.\n"})
    p = preview(root)
    edit(root / EVENTS, "title: Harbour agreement signed", "title: Harbour accord signed")
    # (a first update: the index of links is made)
    assert p.build() is True
    (root / "docs/notes.md").write_text(
        "# Notes\n\nSee [the agreement](timeline/2024.md#agreement-signed).\n",
        encoding="utf-8")
    assert p.build() is True
    edit(root / EVENTS, "- id: agreement-signed", "- id: accord-signed")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert p.build() is False
    assert "Full build" not in caplog.text
    assert "'notes.md' contains a link 'timeline/2024.md#agreement-signed'" in caplog.text


def test_the_preview_writes_changed_pages_without_reading_the_others_again(tmp_path,
                                                                           monkeypatch):
    from brief.models import Page
    from brief.write import write_pages

    docs = tmp_path / "docs"
    known: dict = {}
    pages = [Page("a.md", b"a\n"), Page("b.md", b"b\n"), Page("c.md", b"c\n")]
    assert len(write_pages(docs, pages, known).written) == 3
    reads = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name)
                        or read_bytes(self))
    (docs / "c.md").write_bytes(b"changed by hand\n")  # behind the preview's back
    report = write_pages(docs, [Page("a.md", b"a\n"), Page("b.md", b"B\n"),
                                Page("c.md", b"c\n")], known)
    assert sorted(report.written) == ["b.md", "c.md"] and report.unchanged == 1
    assert "a.md" not in reads  # as it was left: not read again
    assert (docs / "b.md").read_bytes() == b"B\n" and (docs / "c.md").read_bytes() == b"c\n"
    report = write_pages(docs, [Page("a.md", b"a\n")], known)  # b and c are gone
    assert sorted(report.removed) == ["b.md", "c.md"] and set(known) == {"a.md"}


def test_without_the_index_parts_the_index_is_written_whole_and_still_equals(
        tmp_path, preview, caplog, monkeypatch):
    from brief.livebuild import LiveSite

    monkeypatch.setattr(LiveSite, "_index_hook", lambda self: None)  # another search setup
    root = make_brief(tmp_path)
    p = preview(root)
    assert p.live.index_parts is None
    for path, old, new in EDITS["quote"]:
        edit(root / path, old, new)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="brief.serve"):
        assert p.build()
    assert rebuilt(caplog), caplog.text
    assert_equals_clean_build(p, tmp_path / "fresh")


def test_changed_pages_are_rebuilt_on_two_cpus_and_equal_a_clean_build(tmp_path, preview,
                                                                       caplog):
    import os
    root = make_brief(tmp_path)
    p = preview(root)
    edit(root / EVENTS, "title: Harbour agreement signed", "title: Harbour accord signed")
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="brief.serve"):
        assert p.build()
    import re
    m = re.search(r"Rebuilt (\d+) page\(s\), (\d+) on the other CPU", caplog.text)
    assert m, caplog.text
    pages, other = int(m[1]), int(m[2])
    assert pages >= 2
    # (one CPU: all here; more: the forked child takes pages from the back)
    assert (other >= 1) == (len(os.sched_getaffinity(0)) > 1), caplog.text
    assert_equals_clean_build(p, tmp_path / "fresh")


def test_a_warning_on_a_page_rebuilt_by_the_other_cpu_fails_the_build(tmp_path, preview,
                                                                      caplog):
    root = make_brief(tmp_path, {"docs/aa-notes.md": "# Notes\n\nFirst.\n",
                                 "docs/zz-notes.md": "# More notes\n\nSecond.\n"})
    p = preview(root)
    # Both pages change; the last (in the site's order) is the child's first.
    edit(root / "docs/aa-notes.md", "First.", "First, edited.")
    edit(root / "docs/zz-notes.md", "Second.", "See [the missing page](missing.md).")
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        assert p.build() is False
    assert "Full build" not in caplog.text
    assert p.errors
    with pytest.raises(SystemExit):  # as a clean build fails
        clean_build(root, tmp_path / "fresh", BASE)
