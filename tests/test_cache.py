"""brief/cache.py: a no-change rebuild reuses the pages; any change to an input does not."""
from __future__ import annotations

import os

from conftest import run_build


def build(root, *extra, fresh_python=False):
    result = run_build(str(root), "--timings", *extra, fresh_python=fresh_python)
    assert result.returncode == 0, result.stderr
    return result.stdout


def first_build(root):
    """The first build in a new Python: its own hash seed, unlike the later builds
    (tests/forkbuild.py), so that "0 changed" also means set order does not matter."""
    return build(root, fresh_python=True)


def test_unchanged_brief_reuses_pages_and_writes_nothing(brief_factory):
    root = brief_factory()
    assert "(cached)" not in first_build(root)
    out = build(root)
    assert "(cached)" in out and "(0 changed in docs/)" in out
    assert "(cached)" not in build(root, "--no-cache")


def test_an_edit_that_keeps_size_and_time_is_still_seen(brief_factory):
    root = brief_factory()
    first_build(root)
    events = root / "sources" / "events" / "events.yml"
    st = events.stat()
    text = events.read_text("utf-8")
    assert "Councils meet twice" in text
    events.write_text(text.replace("Councils meet twice", "Councils meet trice"), "utf-8")
    os.utime(events, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert events.stat().st_size == st.st_size
    out = build(root)
    assert "(cached)" not in out
    assert "Councils meet trice" in (root / "docs" / "timeline" / "2023.md").read_text("utf-8")


def test_a_brief_template_change_is_seen(brief_factory):
    root = brief_factory()
    first_build(root)
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "brief.css").write_text("/* overridden */\n", "utf-8")
    assert "(cached)" not in build(root)
    assert "overridden" in (root / "docs" / "assets" / "brief.css").read_text("utf-8")


def test_a_damaged_cache_means_a_full_run(brief_factory):
    root = brief_factory()
    first_build(root)
    cache = root / ".brief-cache"
    data = cache.read_bytes()
    for damaged in (b"", b"not json\n", data[:-10], data + b"extra"):
        cache.write_bytes(damaged)
        out = build(root)
        assert "(cached)" not in out and "(0 changed in docs/)" in out
