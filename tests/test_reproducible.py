"""Reproducible builds: the same brief gives byte-identical docs/ and site/ folders.

Built in two different folders, at different times, with SOURCE_DATE_EPOCH set and
unset (then the last git commit's time, or a fixed date outside a git repository);
rebuilt from scratch after removing docs/ and site/; with CRLF line endings; with
accents typed decomposed. The sitemap (plain and gzipped) and the search index are part
of the comparison, and the sitemap's dates are checked against the expected epoch.
"""
from __future__ import annotations

import gzip
import os
import re
import shutil
import struct
import subprocess
import time
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import MINI, PYTHON, REPO, make_brief, snapshot

SITE_URL = "https://example.org/brief/"
FIXED_EPOCH = 315532800  # publish.source_date_epoch's default outside git: 1980-01-01


def mini_with_site_url(tmp_path: Path, name: str, extra: dict | None = None) -> Path:
    """The mini fixture with a site_url (in brief.yml, the one place for it), so that
    sitemap.xml lists every page with a date."""
    settings = (MINI / "brief.yml").read_text("utf-8")
    assert "site_url" not in settings
    files = {"brief.yml": settings + f"site_url: {SITE_URL}\n", **(extra or {})}
    return make_brief(tmp_path / name, files)


def build(root: Path, epoch: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    result = subprocess.run([PYTHON, str(REPO / "build.py"), str(root)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def output(root: Path) -> tuple[dict, dict]:
    return snapshot(root / "docs"), snapshot(root / "site")


def assert_same(a: Path, b: Path) -> None:
    docs_a, site_a = output(a)
    docs_b, site_b = output(b)
    assert sorted(site_a) == sorted(site_b)
    differ = [k for k in site_a if site_a[k] != site_b[k]]
    assert not differ, differ
    assert docs_a == docs_b


def sitemap_dates(root: Path) -> set[str]:
    import re
    xml = (root / "site/sitemap.xml").read_text("utf-8")
    assert (root / "site/sitemap.xml.gz").is_file()
    assert gzip.decompress((root / "site/sitemap.xml.gz").read_bytes()).decode() == xml
    return set(re.findall(r"<lastmod>([^<]+)</lastmod>", xml))


def gzip_mtime(root: Path) -> int:
    return struct.unpack("<I", (root / "site/sitemap.xml.gz").read_bytes()[4:8])[0]


def day(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d")


@pytest.mark.parametrize("epoch", ["1714521600", None], ids=["SOURCE_DATE_EPOCH", "unset"])
def test_two_folders_two_times_same_bytes(tmp_path, epoch):
    a = mini_with_site_url(tmp_path, "a")
    b = mini_with_site_url(tmp_path, "b")
    build(a, epoch)
    time.sleep(1.1)  # a clock read anywhere in the build would now differ
    build(b, epoch)
    assert_same(a, b)
    expected = int(epoch) if epoch else FIXED_EPOCH
    assert sitemap_dates(a) == {day(expected)}
    assert gzip_mtime(a) <= expected
    assert (a / "site/search/search_index.json").read_bytes() == \
        (b / "site/search/search_index.json").read_bytes()


def test_rebuild_from_scratch_gives_the_same_bytes(tmp_path):
    a = mini_with_site_url(tmp_path, "a")
    build(a, "1700000000")
    first = output(a)
    shutil.rmtree(a / "docs")
    shutil.rmtree(a / "site")
    for cache in a.glob(".brief-cache*"):
        cache.unlink()
    time.sleep(1.1)
    build(a, "1700000000")
    assert output(a) == first


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_without_source_date_epoch_the_last_commit_time_is_used(tmp_path):
    a = mini_with_site_url(tmp_path, "a")
    git(a, "init", "-q")
    git(a, "add", ".")
    git(a, "commit", "-q", "-m", "brief", date="2024-05-01T12:00:00+00:00")
    b = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(a), str(b)], check=True, capture_output=True)
    build(a, None)
    time.sleep(1.1)
    build(b, None)
    assert_same(a, b)
    assert sitemap_dates(a) == {"2024-05-01"}


def test_crlf_line_endings_give_the_same_bytes(tmp_path):
    lf = mini_with_site_url(tmp_path, "lf")
    crlf = mini_with_site_url(tmp_path, "crlf")
    for p in (crlf / "sources").rglob("*"):
        if p.is_file():
            p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    (crlf / "brief.yml").write_bytes((crlf / "brief.yml").read_bytes().replace(b"\n", b"\r\n"))
    assert b"\r\n" in (crlf / "sources/events/events.yml").read_bytes()
    build(lf, "1700000000")
    build(crlf, "1700000000")
    assert_same(lf, crlf)


def test_decomposed_accents_give_the_same_bytes_and_quotes_match(tmp_path):
    """NFC: text typed with combining accents is the same text as precomposed."""
    article = (MINI / "sources/articles/beta-herald.md").read_text("utf-8").replace(
        "Fishermen welcomed the agreement.", "Fishermen at the Caf\u00e9 Ol\u00e9 welcomed the agreement.")
    faq = (MINI / "sources/faq/faq.yml").read_text("utf-8") + (
        "- id: cafe\n  question: Who welcomed it at the Caf\u00e9?\n"
        "  answer: Fishermen did.\n  citations:\n    - source: beta-herald\n"
        "      quote: Fishermen at the Caf\u00e9 Ol\u00e9 welcomed\n")
    composed = {"sources/articles/beta-herald.md": article, "sources/faq/faq.yml": faq}
    decomposed = {k: unicodedata.normalize("NFD", v) for k, v in composed.items()}
    # the quote typed decomposed, the source precomposed: it must still match
    mixed = {"sources/articles/beta-herald.md": article,
             "sources/faq/faq.yml": unicodedata.normalize("NFD", faq)}
    assert decomposed["sources/faq/faq.yml"] != faq
    a = mini_with_site_url(tmp_path, "nfc", composed)
    b = mini_with_site_url(tmp_path, "nfd", decomposed)
    c = mini_with_site_url(tmp_path, "mixed", mixed)
    for root in (a, b, c):
        build(root, "1700000000")
    assert_same(a, b)
    assert_same(a, c)
    page = (a / "site/sources/beta-herald/index.html").read_text("utf-8")
    assert re.search("<mark class=\"brief-stance-supports\"[^>]*>Fishermen at the Caf\u00e9 "
                     "Ol\u00e9 welcomed</mark>", page)
