"""Rendered Markdown of the mini fixture, compared with golden files.

Regenerate after an intended change with `pytest tests/test_render_golden.py --update-goldens`
and read the diff before committing it.
"""
from __future__ import annotations

from pathlib import Path

from brief.pipeline import generate
from brief.problems import Problems
from conftest import MINI, REPO

FARO = Path(__file__).parent / "fixtures" / "faro"

GOLDEN = Path(__file__).parent / "golden" / "mini"


def test_rendered_pages_match_golden_files(update_goldens):
    compare_with_golden(MINI, GOLDEN, update_goldens)


def test_the_spanish_fixture_matches_its_golden_files(update_goldens):
    """issue 11: a brief in Spanish with sources in English, French, Chinese and Arabic."""
    compare_with_golden(FARO, GOLDEN.parent / "faro", update_goldens)


def compare_with_golden(brief: Path, golden: Path, update_goldens: bool) -> None:
    GOLDEN = golden  # noqa: N806 - the folder of this brief's golden files
    problems = Problems()
    pages = generate(brief, problems)
    assert pages is not None, [p.format() for p in problems.items]
    produced = {p.path: p.content for p in pages}
    # Stylesheets are copied from templates/ as they are: compared with their template,
    # not with a golden copy of it.
    for sheet in ("brief.css", "print.css"):
        assert produced.pop(f"assets/{sheet}") == (REPO / "templates" / sheet).read_bytes()
    if update_goldens:
        for old in GOLDEN.rglob("*"):
            if old.is_file() and old.relative_to(GOLDEN).as_posix() not in produced:
                old.unlink()
        for path, content in produced.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(content)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes()
                for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(produced) == sorted(expected)
    for path in produced:
        assert produced[path].decode() == expected[path].decode(), path


def test_rendering_is_deterministic():
    a = generate(MINI, Problems())
    b = generate(MINI, Problems())
    assert [(p.path, p.content) for p in a] == [(p.path, p.content) for p in b]
