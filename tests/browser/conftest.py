"""Browser checks: each brief is built into a temporary copy, served on 127.0.0.1 by
Python's http.server, and visited with Debian's chromium driven by Playwright.

Which briefs: the mini fixture, and the repository's own brief (brief.yml at the
repository root, the China–Cuba brief). One browser serves the whole session.
Nothing here is skipped: without chromium, Java or node_modules/ the tests fail and say
that `bash scripts/setup.sh test` installs them.
"""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest

from buildonce import built_brief, built_once

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SETUP_HINT = "run `bash scripts/setup.sh test` to install it"

BRIEFS = ["mini", "repo"]


@dataclass
class Site:
    """A built brief, served: its base URL, its site/ folder and the brief as read."""

    name: str
    root: Path  # the brief's folder (a temporary copy)
    base: str  # http://127.0.0.1:PORT/
    brief: object  # brief.models.Brief
    res: object  # brief.citations.Resolution
    pages: list[str] = field(default_factory=list)  # every HTML page, as URL paths

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def url(self, path: str) -> str:
        return urljoin(self.base, path)

    def item_url(self, kind: str, item) -> str:
        """The URL path of an event, FAQ entry ... (with #anchor), as the generator links it."""
        from brief.render import item_location
        docs_path, anchor = item_location(kind, item, self.brief)
        path = docs_path[:-len(".md")]
        path = path[:-len("index")] if path == "index" or path.endswith("/index") else path + "/"
        return path + (f"#{anchor}" if anchor else "")

    def has(self, path: str) -> bool:
        return (self.site_dir / path / "index.html").is_file() if not path.endswith(".html") \
            else (self.site_dir / path).is_file()

    def representative_pages(self) -> list[str]:
        """Every page, up to 80 of them; beyond that one page of each kind: a section's
        index and one of its pages (timeline/, timeline/2024/, sources/, sources/ID/ ...),
        plus the top-level pages, so the time taken does not grow with the brief."""
        if len(self.pages) <= 80:
            return list(self.pages)
        chosen: dict[tuple[str, int], str] = {}
        for p in self.pages:
            parts = [x for x in p.split("/") if x]
            key = (parts[0] if len(parts) > 1 else p, len(parts))
            chosen.setdefault(key, p)
        return list(chosen.values())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def _read(root: Path):
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from brief.citations import resolve_citations
    from brief.data import load_brief
    from brief.problems import Problems

    problems = Problems()
    brief = load_brief(root, problems)
    res = resolve_citations(brief, problems)
    assert not problems.errors
    return brief, res


@pytest.fixture(scope="session", params=BRIEFS)
def site(request, tmp_path_factory):
    yield from _serve(request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def faro_site(tmp_path_factory):
    """The Spanish fixture brief, built and served (only its own tests use it)."""
    yield from _serve("faro", tmp_path_factory)


def _serve(name: str, tmp_path_factory):
    # Built once per run, shared by the workers of `pytest -n` (tests/buildonce.py); each
    # worker serves it with a server of its own.
    root = built_brief(tmp_path_factory, name)
    brief, res = _read(root)
    handler = functools.partial(_QuietHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pages = sorted(
        "" if p.as_posix() == "index.html" else
        (p.parent.as_posix() + "/" if p.name == "index.html" else p.as_posix())
        for p in (p.relative_to(root / "site") for p in (root / "site").rglob("*.html")))
    try:
        yield Site(name, root, f"http://127.0.0.1:{server.server_address[1]}/",
                   brief, res, pages)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: {SETUP_HINT}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def context_factory(browser):
    """New browser contexts (colour scheme, viewport), closed after the test."""
    made = []

    def make(**kwargs):
        kwargs.setdefault("viewport", {"width": 1280, "height": 900})
        ctx = browser.new_context(**kwargs)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def page(context_factory):
    return context_factory().new_page()


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE.is_file(), f"{AXE} is missing: {SETUP_HINT}"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    assert java, f"java is missing: {SETUP_HINT}"
    assert VNU.is_file(), f"{VNU} is missing: {SETUP_HINT}"
    # The client compiler only (C1): the checker runs a few seconds, too short for C2's
    # optimisations to pay; half the CPU time, the same report. C1's frames are larger:
    # a 4 MB thread stack (the checker overflows 1 MB then).
    return [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU)]


@dataclass
class NuReport:
    """The Nu HTML checker's answer for every HTML page of a built site."""

    files: list[str]  # the files it was given (absolute paths)
    messages: list[dict]  # its JSON report's messages (--errors-only)
    returncode: int


@pytest.fixture(scope="session")
def nu_report(site, vnu_command, tmp_path_factory) -> NuReport:
    """One run of the Nu checker (a Java start of a few seconds) over every HTML page of
    the site, dossier.html included, per test run: test_html.py and test_dossier.py read
    their pages' messages from it; the workers of `pytest -n` share it (tests/buildonce.py)."""
    def make(folder: Path) -> None:
        files = sorted(str(p) for p in site.site_dir.rglob("*.html"))
        done = subprocess.run([*vnu_command, "--format", "json", "--errors-only", *files],
                              capture_output=True, text=True, timeout=600)
        report = json.loads(done.stderr or done.stdout)
        (folder / "report.json").write_text(json.dumps(
            {"files": files, "messages": report["messages"], "returncode": done.returncode}))

    saved = json.loads((built_once(tmp_path_factory, f"nu-{site.name}", make)
                        / "report.json").read_text())
    return NuReport(saved["files"], saved["messages"], saved["returncode"])
