"""brief/rendermemo.py: the live preview's rendering with a memo of the last one gives
exactly the pages a fresh rendering gives, whatever was edited."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from brief.pipeline import generate
from brief.problems import Problems
from brief import exports, rendermemo
from brief.rendermemo import RenderMemo

REPO = Path(__file__).resolve().parent.parent


QUOTES = ("Just days earlier, Cuban leader Miguel Díaz-Canel traveled to Russia, where he met "
          "with Chinese President Xi Jinping.",
          "the 65th anniversary of diplomatic relations between the two countries")


def crowded_events(year: int, n: int) -> str:
    """n events in one year (more than a page holds: the year gets month pages), each
    citing an article of the real brief."""
    out = []
    for i in range(n):
        month, day = i % 12 + 1, i % 28 + 1
        out.append(f"""- id: extra-{i}
  date: {year}-{month:02d}-{day:02d}
  title: Extra event {i}
  summary: Something happened, number {i}.
  tags: [extra, {'odd' if i % 2 else 'even'}]
  entities: [cuba]
  citations:
    - source: {'xi-65th-anniversary-message' if i % 2 else 'interior-ministers-beijing'}
      quote: {QUOTES[i % 2]}
""")
    return "\n".join(out)


@pytest.fixture
def brief(tmp_path) -> Path:
    root = tmp_path / "brief"
    root.mkdir()
    shutil.copy(REPO / "brief.yml", root / "brief.yml")
    shutil.copytree(REPO / "sources", root / "sources")
    (root / "sources" / "events" / "extra.yml").write_text(crowded_events(2024, 110),
                                                             encoding="utf-8")
    return root


def pages_of(root: Path, memo: RenderMemo | None = None) -> dict[str, bytes]:
    problems = Problems()
    pages = generate(root, problems, memo=memo)
    assert pages is not None, [p.format() for p in problems.sorted()]
    return {p.path: p.content for p in pages}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "an event's title": lambda r: replace(r / "sources/events/extra.yml",
                                          "title: Extra event 7\n", "title: Seven, renamed\n"),
    "an event's month (another month page)": lambda r: replace(
        r / "sources/events/extra.yml", "date: 2024-08-08\n  title: Extra event 7",
        "date: 2024-11-08\n  title: Extra event 7"),
    "an event's tags": lambda r: replace(r / "sources/events/extra.yml",
                                         "tags: [extra, odd]", "tags: [extra, odd, new-tag]"),
    "an event of the real timeline": lambda r: replace(
        r / "sources/events/events.yml", 'title: Havana recognises "New China"',
        'title: Havana recognises the People\'s Republic'),
    "an event added": lambda r: (r / "sources/events/more.yml").write_text(
        "- id: more-5" + crowded_events(2024, 6).split("- id: extra-5")[1], encoding="utf-8"),
    "an event added before all others (the date examples change)": lambda r: (
        r / "sources/events/more.yml").write_text(
        crowded_events(1950, 1).replace("extra-0", "more-0"), encoding="utf-8"),
    "an event added in a new year": lambda r: (r / "sources/events/more.yml").write_text(
        crowded_events(2026, 1).replace("extra-0", "more-0").replace("2026-01", "2026-05"),
        encoding="utf-8"),
    "an event deleted": lambda r: (r / "sources/events/extra.yml").write_text(
        crowded_events(2024, 109), encoding="utf-8"),
    "a source's text": lambda r: (r / "sources/articles/interior-ministers-beijing.md").write_text(
        (r / "sources/articles/interior-ministers-beijing.md").read_text(encoding="utf-8")
        + "\nA paragraph added at the end.\n", encoding="utf-8"),
    "a citation's quote": lambda r: replace(
        r / "sources/events/events.yml",
        'quote: the ties, which have existed since Havana recognized "New China" in 1960',
        'quote: the ties, which have existed since Havana recognized "New China"'),
    "an entity's name": lambda r: replace(r / "sources/entities.yml", "name: Cuba",
                                          "name: Republic of Cuba"),
    "the brief's title": lambda r: replace(r / "brief.yml", "title: China–Cuba relations in 2025\n",
                                           'title: "Renamed: China–Cuba relations in 2025"\n'),
}


# Edits that reach every page (source text: footnotes and anchors; names; settings).
WHOLE = {"a source's text", "an entity's name", "the brief's title",
         "an event added before all others (the date examples change)"}


@pytest.mark.parametrize("edit", list(EDITS))
def test_memo_rendering_equals_a_fresh_one_after(brief, edit):
    memo = RenderMemo()
    pages_of(brief, memo)  # (a memo's first rendering is a fresh one: test_serve.py)
    EDITS[edit](brief)
    fresh = pages_of(brief)
    again = pages_of(brief, memo)
    assert again.keys() == fresh.keys()
    assert [p for p in fresh if again[p] != fresh[p]] == []
    if edit not in WHOLE:
        assert memo.reused > 0  # the memo was used, not bypassed


RUN_EDITS = ["an event's title", "an event's month (another month page)", "an event added",
             "an event deleted", "a citation's quote"]


@pytest.mark.parametrize("edit", RUN_EDITS)
def test_downloads_from_short_runs_equal_a_fresh_rendering(brief, edit, monkeypatch):
    """The downloads are put together from kept runs of events: with runs of about four
    events (not 64), an edit falls among many runs."""
    monkeypatch.setattr(rendermemo, "RUN", 4)
    memo = RenderMemo()
    pages_of(brief, memo)
    EDITS[edit](brief)
    fresh = pages_of(brief)
    again = pages_of(brief, memo)
    downloads = [p for p in fresh if p.startswith("data/")]
    assert len(downloads) == 5
    assert [p for p in downloads if again[p] != fresh[p]] == []


def test_only_the_edited_events_run_of_a_download_is_computed_again(brief, monkeypatch):
    monkeypatch.setattr(rendermemo, "RUN", 4)
    computed = []
    real = exports._vevent
    monkeypatch.setattr(exports, "_vevent", lambda b, e: computed.append(e.id) or real(b, e))
    memo = RenderMemo()
    pages_of(brief, memo)
    everything = len(computed)
    computed.clear()
    pages_of(brief, memo)
    assert computed == []  # nothing changed: every run is kept
    EDITS["an event's title"](brief)  # extra.yml is read again: all its events are new objects
    pages_of(brief, memo)
    assert "extra-7" in computed
    assert len(computed) < everything / 3, (len(computed), everything)


def test_only_the_changed_pages_are_rendered_again(brief):
    memo = RenderMemo()
    pages_of(brief, memo)
    total = memo.rendered
    pages_of(brief, memo)
    unchanged = memo.rendered  # the pages listing the whole brief, always rendered
    EDITS["an event's title"](brief)
    pages_of(brief, memo)
    assert unchanged < total / 4
    # the event's month page, its year page (the drawing), its tag pages, the entity
    # page and the source page citing it
    assert unchanged < memo.rendered <= unchanged + 8


def test_an_error_keeps_the_memo_of_the_last_good_rendering(brief):
    memo = RenderMemo()
    good = pages_of(brief, memo)
    replace(brief / "sources/events/extra.yml", "date: 2024-08-08", "date: 2024-13-08")
    problems = Problems()
    assert generate(brief, problems, memo=memo) is None
    replace(brief / "sources/events/extra.yml", "date: 2024-13-08", "date: 2024-08-08")
    assert pages_of(brief, memo) == good


def test_a_brief_with_its_own_templates_is_rendered_whole(brief):
    (brief / "templates").mkdir()
    memo = RenderMemo()
    pages_of(brief, memo)
    first = memo.rendered
    pages_of(brief, memo)
    assert memo.reused == 0 and memo.rendered == first
