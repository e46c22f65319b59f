"""More than one engine: the generated docs/ also build with ProperDocs.

MkDocs 1.x is no longer released; ProperDocs is a maintained fork of MkDocs 1.6 with
the same configuration file (it reads mkdocs.yml, asking for it to be renamed
properdocs.yml or passed with -f) and the same plugin and theme interfaces, so the
Material theme and our hook run unchanged. The test generates the real brief's pages
into a temporary docs/, then runs the `properdocs` command line with --strict on a
configuration made as `build.py config` writes it (brief/siteconfig.py), with what build.py adds to
every MkDocs build (the generator's theme overrides and the sanitiser hook), and
compares the result with MkDocs' build of the same pages.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from brief.pipeline import generate
from brief.problems import Problems
from brief.publish import THEME_OVERRIDES, run_mkdocs
from brief.siteconfig import standalone_settings
from brief.write import write_pages
from conftest import MINI, REPO

PROPERDOCS = str(Path(sys.executable).parent / "properdocs")
SANITIZER = REPO / "brief" / "sanitize.py"
SEARCH_LANDING = REPO / "brief" / "search_landing.py"


def html_path(md: str) -> str:
    """Where a page lands with use_directory_urls: a/b.md -> a/b/index.html."""
    stem = md[:-3]
    return f"{stem}.html" if stem == "404" else (
        "index.html" if stem == "index" else
        f"{stem[:-len('index')]}index.html" if stem.endswith("/index") else f"{stem}/index.html")


def article(html: str) -> str:
    m = re.search(r"<article[^>]*>(.*?)</article>", html, re.S)
    assert m, "no <article> in the page"
    return m.group(1)


def engine_config(brief: Path, docs: Path, site: Path, out: Path) -> Path:
    """The brief's MkDocs settings as `build.py config` writes them (the generator's merged
    with the brief's mkdocs.yml, with the sanitiser hook and the theme overrides)."""
    config = standalone_settings(brief)
    config.update({"docs_dir": str(docs), "site_dir": str(site)})
    assert str(SANITIZER) in config["hooks"]
    assert config["theme"]["custom_dir"] == str(THEME_OVERRIDES)
    out.write_text(yaml.safe_dump(config), "utf-8")
    return out


@pytest.mark.parametrize("brief", [REPO, MINI], ids=["real-brief", "mini-fixture"])
def test_generated_docs_build_with_properdocs_strict(tmp_path, brief):
    assert (brief / "brief.yml").is_file()
    problems = Problems()
    pages = generate(brief, problems)
    assert pages is not None, [p.format() for p in problems.errors]
    docs = tmp_path / "docs"
    write_pages(docs, pages)

    site = tmp_path / "site-properdocs"
    config = engine_config(brief, docs, site, tmp_path / "properdocs.yml")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
    proc = subprocess.run([PROPERDOCS, "build", "--strict", "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr

    expected = {html_path(p.path) for p in pages if p.path.endswith(".md")}
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert expected <= built, sorted(expected - built)
    assert "timeline/index.html" in built and "faq/index.html" in built
    assert (site / "search" / "search_index.json").is_file()
    assert "md-header" in (site / "index.html").read_text("utf-8")  # the Material theme

    # The same pages as MkDocs builds them, with the same content.
    mk_site = tmp_path / "site-mkdocs"
    run_mkdocs(brief, docs, mk_site)
    mk_built = {p.relative_to(mk_site).as_posix() for p in mk_site.rglob("*.html")}
    assert built == mk_built
    for rel in ("index.html", "timeline/index.html", "faq/index.html"):
        assert article((site / rel).read_text("utf-8")) == article(
            (mk_site / rel).read_text("utf-8")), rel
