"""The China–Cuba brief at the repository root (issue 3): valid, cited, honest dates."""
from __future__ import annotations

import os
import shutil

import pytest

from brief.citations import resolve_citations
from brief.data import load_brief
from brief.problems import Problems
from conftest import REPO, run_build

XI = "xi-65th-anniversary-message"
MINISTERS = "interior-ministers-beijing"

# The events issue 3 requires: id -> (date as the text gives it, sources that must be cited)
REQUIRED_EVENTS = {
    "havana-recognises-new-china": ("1960", {XI}),
    "diaz-canel-meets-xi-in-russia": ("2025-05", {XI, MINISTERS}),
    "rodriguez-at-china-celac-forum": ("2025-05", {MINISTERS}),
    "rodriguez-qiu-shared-future": ("2025-06", {MINISTERS}),
    "interior-ministers-meet-in-beijing": ("2025-08", {XI, MINISTERS}),
    "diaz-canel-visits-beijing": ("2025-09", {XI}),
    "anniversary-congratulations": ("2025", {XI}),
}


@pytest.fixture(scope="module")
def brief():
    problems = Problems()
    loaded = load_brief(REPO, problems)
    assert loaded is not None, [p.format() for p in problems.items]
    return loaded


@pytest.fixture(scope="module")
def resolution(brief):
    problems = Problems()
    res = resolve_citations(brief, problems)
    assert not problems.items, [p.format() for p in problems.items]
    return res


def test_the_brief_passes_check_without_warnings():
    result = run_build("--check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")
    assert "warning" not in result.stderr


def test_the_brief_builds_with_strict(tmp_path):
    """A full build in a copy of the root brief (docs/ and site/ fresh): MkDocs --strict."""
    root = tmp_path / "china-cuba"
    root.mkdir()
    for name in ("brief.yml", "mkdocs.yml"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "sources", root / "sources")
    # anything else mkdocs.yml may refer to by a relative path (hooks, theme overrides)
    for entry in REPO.iterdir():
        if entry.is_dir() and entry.name not in {"sources", "docs", "site", "tests"} \
                and not entry.name.startswith("."):
            os.symlink(entry, root / entry.name)
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "timeline/2025/index.html", "faq/index.html",
                 f"sources/{XI}/index.html", f"sources/{MINISTERS}/index.html"):
        assert (root / "site" / page).is_file(), page


@pytest.mark.parametrize("event_id", sorted(REQUIRED_EVENTS))
def test_required_event_is_on_the_timeline_at_the_texts_precision(brief, resolution, event_id):
    date, sources = REQUIRED_EVENTS[event_id]
    events = {e.id: e for e in brief.events}
    assert event_id in events
    event = events[event_id]
    assert event.date.iso == date
    cited = {c.source for c in event.citations if c.quote}
    assert sources <= cited, f"{event_id} should cite {sources - cited}"
    for c in event.citations:
        assert c in resolution.targets  # the quote was found, in one paragraph
        assert resolution.targets[c].anchor.startswith(("p", "h"))


def test_no_event_has_an_invented_day(brief):
    # Neither article gives a day for anything it reports.
    assert [e.id for e in brief.events if e.date.precision == "day"] == []


def test_inferred_2025_dates_say_how_the_year_was_inferred(brief):
    for event in brief.events:
        if event.date.year == 2025:
            assert "65th anniversary" in event.date_note, event.id


def test_every_event_faq_and_key_point_has_a_quoted_citation(brief, resolution):
    items = ([("event", e.id, e.citations) for e in brief.events]
             + [("faq", f.id, f.citations) for f in brief.faq]
             + [("key point", k.text[:40], k.citations) for k in brief.settings.key_points])
    for kind, ident, citations in items:
        assert citations, (kind, ident)
        assert any(c.quote for c in citations), (kind, ident)
        for c in citations:
            if c.quote:
                assert c in resolution.targets, (kind, ident, c.quote)


def test_the_brief_has_the_size_the_issue_asks_for(brief):
    assert len(brief.faq) >= 8
    assert 4 <= len(brief.settings.key_points) <= 6
    assert len(brief.events) >= 7
    note = " ".join(p.text for p in brief.settings.sources_note)
    assert "regime" in note and "critical" in note


def test_both_articles_are_cited(resolution):
    assert resolution.times_cited(XI) > 0 and resolution.times_cited(MINISTERS) > 0


@pytest.mark.parametrize("source_id", [XI, MINISTERS])
def test_source_metadata_says_only_what_the_text_establishes(brief, source_id):
    src = brief.sources[source_id]
    assert (src.publisher, src.author, src.url, src.retrieved) == ("unknown", "unknown", "", None)
    assert src.published is not None and src.published.iso == "2025"
    assert src.language == "en"
    assert "65th anniversary" in src.published_note
    assert "descriptive" in src.note  # the files have no headline


def test_the_outlets_faq_blocks_are_kept_in_the_sources(brief):
    for source_id, question in [
        (XI, "How does Xi Jinping describe the relationship between China and Cuba?"),
        (MINISTERS, "Why is Cuba seeking support from China?"),
    ]:
        headings = [b.text for b in brief.sources[source_id].blocks if b.kind == "h"]
        assert question in headings
