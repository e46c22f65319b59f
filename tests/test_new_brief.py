"""A brief of its own (issue 10): `build.py init`, hand-written pages, page titles and
examples taken from the brief's own data.

The first test works from a fresh clone of this repository (its last commit), in a
scratch folder outside it, as a new user would.
"""
from __future__ import annotations

import functools
import html
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from buildonce import built_brief
from conftest import GOOD_EVENT, PYTHON, REPO, make_brief, run_build, snapshot

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]


def git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@functools.cache
def fresh_clone(tmp: str) -> Path:
    dest = Path(tmp) / "generator"
    git("clone", "-q", str(REPO), str(dest), cwd=Path(tmp))
    return dest


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    return fresh_clone(str(tmp_path_factory.mktemp("clone")))


def external_requests_in_files(site: Path) -> list[str]:
    """Every resource a page or stylesheet would load from another site (links to other
    sites are not requests and are not counted)."""
    out = []
    resource = re.compile(r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=\"([^\"]+)\""
                          r"|<link\b[^>]*\bhref=\"([^\"]+)\"[^>]*>", re.I)
    for page in site.rglob("*.html"):
        for m in resource.finditer(page.read_text("utf-8")):
            url = m.group(1) or m.group(2)
            tag = m.group(0)
            if m.group(2) and re.search(r'rel="(?:canonical|alternate)"', tag):
                continue  # not loaded
            if re.match(r"(?:[a-z]+:)?//", url, re.I):
                out.append(f"{page.relative_to(site)}: {url}")
    for css in site.rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import\s+)['\"]?((?:[a-z]+:)?//[^'\")\s]+)",
                              css.read_text("utf-8"), re.I):
            out.append(f"{css.relative_to(site)}: {url}")
    return out


CHROMIUM_SCRIPT = """
import functools, http.server, json, sys, threading
from playwright.sync_api import sync_playwright
site, paths = sys.argv[1], sys.argv[2:]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=site)
handler.log_message = lambda *a, **k: None
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # a free port
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}/"
seen = []
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=%r, args=%r)
    context = browser.new_context()
    context.on("request", lambda r: seen.append(r.url))
    tabs = []
    for path in paths:  # all at once, each until the network is idle (500 ms without a request)
        tabs.append(context.new_page())
        tabs[-1].goto(base + path, wait_until="commit")
    for tab in tabs:
        tab.wait_for_load_state("networkidle")
    browser.close()
server.shutdown()
print(json.dumps([u for u in seen if not u.startswith(base) and not u.startswith("data:")]))
""" % (CHROMIUM, CHROMIUM_ARGS)


def requests_in_chromium(site: Path, paths: list[str]) -> list[str]:
    """The URLs Chromium requests while loading these pages of the site, served locally
    (in a child process: the browser tests may hold a Playwright loop in this one)."""
    proc = subprocess.run([PYTHON, "-c", CHROMIUM_SCRIPT, str(site), *paths],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_init_then_build_in_a_scratch_folder_from_a_fresh_clone(clone, tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    init = subprocess.run([PYTHON, str(clone / "build.py"), "init", "mybrief"], cwd=scratch,
                          capture_output=True, text=True, timeout=300)
    assert init.returncode == 0, init.stderr
    brief = scratch / "mybrief"
    assert not (brief / "mkdocs.yml").exists()  # the generator owns the MkDocs settings
    built = subprocess.run([PYTHON, str(clone / "build.py"), "mybrief"], cwd=scratch,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    site = brief / "site"
    home = (site / "index.html").read_text("utf-8")
    assert "md-header" in home and "assets/stylesheets/main." in home  # the Material theme
    year_page = next(site.glob("timeline/2*/index.html")).read_text("utf-8")
    # Working footnotes: a reference linking to its note, not literal "[^1]".
    assert re.search(r'<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"', year_page)
    assert 'class="footnote"' in year_page and "[^1]" not in year_page
    assert "{: #" not in year_page  # attr_list is on: no literal "{: #year-... }"
    assert external_requests_in_files(site) == []
    year = next(site.glob("timeline/2*")).name
    pages = ["", "timeline/", f"timeline/{year}/", "sources/example-source/"]
    # Both checks do see a request leaving the site (so the empty list above means it).
    (site / "probe.html").write_text('<img src="https://example.org/x.png">', "utf-8")
    assert external_requests_in_files(site) == ["probe.html: https://example.org/x.png"]
    # One Chromium run for the pages and the probe: the probe's request, and no other (every
    # request is listed, repeats included), so the pages make none.
    assert requests_in_chromium(site, pages + ["probe.html"]) == ["https://example.org/x.png"]


def test_init_writes_a_brief_that_checks_and_its_own_repository_files(tmp_path):
    proc = run_build("init", str(tmp_path / "b"), "--title", "Les relations franco-cubaines")
    assert proc.returncode == 0, proc.stderr
    b = tmp_path / "b"
    for rel in ("brief.yml", "sources/articles/example-source.md", "sources/events/events.yml",
                "sources/faq/faq.yml", ".gitignore", ".github/workflows/site.yml",
                "requirements.txt", "README.md", "schemas/events.schema.json"):
        assert (b / rel).is_file(), rel
    assert "title: \"Les relations franco-cubaines\"" in (b / "brief.yml").read_text("utf-8")
    # Each YAML file names its schema inside the brief, so it works in its own repository.
    first = (b / "sources/events/events.yml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/events.schema.json"
    workflow = yaml.safe_load((b / ".github/workflows/site.yml").read_text("utf-8"))
    steps = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    assert "python -m pip install -r requirements.txt" in steps
    assert "brief --check" in steps and "brief" in steps
    assert "actions/deploy-pages@v4" in str(workflow["jobs"]["deploy"])
    schema_check = subprocess.run(  # GitHub's workflow schema (bundled with check-jsonschema)
        [str(Path(PYTHON).parent / "check-jsonschema"), "--builtin-schema",
         "vendor.github-workflows", str(b / ".github/workflows/site.yml")],
        capture_output=True, text=True, timeout=120)
    assert schema_check.returncode == 0, schema_check.stdout + schema_check.stderr
    assert "research-brief==" in (b / "requirements.txt").read_text("utf-8")
    ignore = (b / ".gitignore").read_text("utf-8")
    rules = [line for line in ignore.splitlines() if line and not line.startswith("#")]
    assert "/site/" in rules and not any(r.startswith(("docs", "/docs")) for r in rules), rules
    check = run_build(str(b), "--check")
    assert check.returncode == 0, check.stderr


def test_init_refuses_a_folder_that_is_not_empty_unless_forced(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("mine\n")
    proc = run_build("init", str(tmp_path / "b"))
    assert proc.returncode == 1
    assert f"error: {tmp_path / 'b'} is not empty: nothing was written" in proc.stderr
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["notes.txt"]
    forced = run_build("init", str(tmp_path / "b"), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "b" / "brief.yml").is_file()
    assert (tmp_path / "b" / "notes.txt").read_text() == "mine\n"


def test_a_hand_written_page_is_in_the_site_and_committed_by_git(tmp_path):
    b = tmp_path / "b"
    assert run_build("init", str(b)).returncode == 0
    (b / "docs").mkdir()
    (b / "docs" / "about.md").write_text("# About this brief\n\nWho wrote it, and why.\n")
    built = run_build(str(b))
    assert built.returncode == 0, built.stderr
    assert "Who wrote it" in (b / "site/about/index.html").read_text("utf-8")
    assert 'href="about/"' in (b / "site/index.html").read_text("utf-8")  # in the menu
    git("init", "-q", cwd=b)
    status = git("status", "--porcelain", "--untracked-files=all", cwd=b).splitlines()
    in_docs = sorted(line[3:] for line in status if line[3:].startswith("docs/"))
    assert in_docs == ["docs/about.md"]  # the generated pages are ignored, not this one
    assert not any(line[3:].startswith("site/") for line in status)


HISTORY_EVENT = GOOD_EVENT.replace("  citations:", "  tags: [history]\n  citations:")


def test_a_generated_page_never_replaces_a_hand_written_file(tmp_path):
    mine = "# History\n\nMy own page about the history.\n".encode()
    root = make_brief(tmp_path, {"sources/events/events.yml": HISTORY_EVENT,
                                 "docs/tags/history.md": mine})
    result = run_build(str(root))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "sources/events/events.yml:1:3: error: the tag 'history' of event 'agreement-signed' "
        "makes the page docs/tags/history.md, but docs/tags/history.md is a hand-written file "
        "(not in docs/.generated); it is never overwritten"], result.stderr
    assert (root / "docs/tags/history.md").read_bytes() == mine
    assert not (root / "site").exists()
    assert run_build(str(root), "--check").returncode == 1  # --check says so too
    # Without the tag the brief builds, and the hand-written page is kept (and published).
    (root / "sources/events/events.yml").write_text(GOOD_EVENT, "utf-8")
    assert run_build(str(root)).returncode == 0
    assert (root / "docs/tags/history.md").read_bytes() == mine
    assert "My own page" in (root / "site/tags/history/index.html").read_text("utf-8")
    again = run_build(str(root))
    assert again.returncode == 0 and (root / "docs/tags/history.md").read_bytes() == mine


def test_write_pages_refuses_to_overwrite_a_file_it_did_not_write(tmp_path):
    """The last line of defence (a cached build skips the check with its origin)."""
    from brief.models import Page
    from brief.write import write_pages

    docs = tmp_path / "docs"
    (docs / "tags").mkdir(parents=True)
    (docs / "tags" / "history.md").write_bytes(b"mine")
    before = snapshot(docs)
    with pytest.raises(ValueError, match="refusing to overwrite docs/tags/history.md"):
        write_pages(docs, [Page("index.md", b"# Home\n"), Page("tags/history.md", b"# x\n")])
    assert snapshot(docs) == before


def _h1_and_title(page: str) -> tuple[str, str]:
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()
    h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", page, re.S).group(1)
    h1 = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink".*?</a>', "", h1)))
    return " ".join(h1.split()), title


def test_every_page_title_of_the_real_brief_starts_with_its_h1(tmp_path_factory):
    root = built_brief(tmp_path_factory, "repo")  # a copy, built once per run (buildonce.py)
    pages = [p for p in (root / "site").rglob("index.html")]
    assert len(pages) > 20
    accented = 0
    for p in pages:
        h1, title = _h1_and_title(p.read_text("utf-8"))
        assert title.startswith(h1), (p, h1, title)
        accented += any(c in h1 for c in "áéíóúÁÉÍÓÚ–")
    assert accented  # accents are kept (Díaz-Canel, not "Diaz canel")
    diaz = (root / "site/entities/miguel-diaz-canel/index.html").read_text("utf-8")
    assert "<title>Miguel Díaz-Canel - " in diaz


EVENTS_2005_2024 = """\
- id: first-visit
  date: 2005-03-14
  title: First visit
  summary: The mayors meet.
  citations:
    - source: alpha-gazette
      quote: signed the harbour agreement
- id: middle-years
  date: 2012-07
  title: A quiet year
  summary: Nothing much.
  citations:
    - source: alpha-gazette
- id: agreement-signed
  date: 2024
  title: Harbour agreement signed
  summary: The mayors sign the harbour agreement.
  citations:
    - source: alpha-gazette
      quote: signed the harbour agreement
"""


def test_timeline_and_data_pages_show_only_the_briefs_own_years(tmp_path):
    root = make_brief(tmp_path, {"sources/events/events.yml": EVENTS_2005_2024})
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    for page in ("timeline/index.md", "data.md"):
        assert "2025" not in (root / "docs" / page).read_text("utf-8"), page
    for page in ("timeline/index.html", "data/index.html"):
        article = re.search(r"<article.*?</article>", (root / "site" / page).read_text("utf-8"),
                            re.S).group(0)
        assert "2025" not in article, page
    timeline = (root / "docs/timeline/index.md").read_text("utf-8")
    assert ('("2005", "March 2005", "14 March 2005", "about March 2005", '
            '"between March and June 2005")') in timeline
    data = (root / "docs/data.md").read_text("utf-8")
    assert "(`2005-03` runs from `2005-03-01` to `2005-03-31`;" in data


def test_a_python_without_the_packages_says_what_to_run(tmp_path):
    import sys
    venv = tmp_path / "bare"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    root = make_brief(tmp_path)
    proc = subprocess.run([str(venv / "bin" / "python"), str(REPO / "build.py"), str(root)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert re.match(r"error: the Python package '(yaml|jinja2|markupsafe|mkdocs)' is not "
                    r"installed in ", proc.stderr), proc.stderr
    assert "hint: run `bash scripts/setup.sh` once and use .venv/bin/python build.py" \
        in proc.stderr
    assert "This is a bug" not in proc.stderr and "Traceback" not in proc.stderr


def test_docs_gitignore_lists_the_generated_files_and_a_hand_written_one_is_kept(tmp_path):
    from brief.models import Page
    from brief.write import write_pages

    docs = tmp_path / "docs"
    write_pages(docs, [Page("index.md", b"# Home\n"), Page("tags/a b.md", b"# x\n")])
    lines = (docs / ".gitignore").read_text("utf-8").splitlines()
    assert lines[1:] == ["/.generated", "/.gitignore", "/index.md", "/tags/a\\ b.md"]
    write_pages(docs, [Page("index.md", b"# Home\n")])  # a page gone: its line goes too
    assert "/tags/a\\ b.md" not in (docs / ".gitignore").read_text("utf-8")
    mine = b"*.tmp\n"
    (docs / ".gitignore").write_bytes(mine)  # written by hand: never touched
    write_pages(docs, [Page("index.md", b"# Home, changed\n")])
    assert (docs / ".gitignore").read_bytes() == mine
