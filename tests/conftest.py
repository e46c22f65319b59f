"""Shared fixtures: throwaway briefs built from a dict of files, and the mini fixture brief.

Test tiers (markers registered in pytest.ini, assigned here by file and fixture so no
test file needs a decorator):

* `browser`: everything under tests/browser/ (Chromium, axe, the Nu checker);
* `slow`: tests that build whole sites, start servers or send signals (SLOW_FILES, or
  any test using a fixture of SLOW_FIXTURES);
* `fast`: the rest, the inner loop: `bash scripts/test.sh -m fast`.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import forkbuild
from buildonce import built_brief

# On GitHub Actions the build also prints `::error` lines on stdout; the tests that want
# them set GITHUB_ACTIONS themselves, the others see the plain output on any machine.
os.environ.pop("GITHUB_ACTIONS", None)

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
PYTHON = sys.executable

# One valid event of the mini fixture, for tests that break it in one place.
GOOD_EVENT = """\
- id: agreement-signed
  date: 2024-03
  title: Harbour agreement signed
  summary: The mayors sign the harbour agreement.
  citations:
    - source: alpha-gazette
      quote: signed the harbour agreement
"""


# Files whose tests build full sites with MkDocs, serve them, or time signals.
SLOW_FILES = {
    "test_atomic.py", "test_bench.py", "test_cache.py", "test_end_to_end.py", "test_engines.py",
    "test_faro.py", "test_injection.py", "test_language_of_parts.py", "test_properties.py", "test_reader_features.py", "test_real_brief.py",
    "test_reproducible.py", "test_serve.py", "test_sitebuild.py", "test_workflow.py",
    "test_rendermemo.py",  # the generate step ~40 times (no MkDocs, but 15 s)
}
# Fixtures that build a site: a test using one is slow wherever it is. `installed`: a
# fresh virtualenv and `pip install` of a clone (test_install.py); `clone`: a fresh clone
# whose test builds a brief and loads it in Chromium twice (test_new_brief.py).
SLOW_FIXTURES = {"mini_built", "built", "good", "serial_site", "site", "installed", "clone"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        if "browser" in path.parts[-2:-1]:
            item.add_marker(pytest.mark.browser)
        elif path.name in SLOW_FILES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        else:
            item.add_marker(pytest.mark.fast)


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


def make_brief(tmp_path: Path, files: dict[str, str | bytes] | None = None,
               base: Path = MINI) -> Path:
    """Copy a base brief (the mini fixture by default) to tmp_path/brief and overlay files.
    A value of None deletes that file."""
    n = 0
    while (tmp_path / f"brief{n or ''}").exists():
        n += 1
    root = tmp_path / f"brief{n or ''}"
    shutil.copytree(base, root, ignore=shutil.ignore_patterns("docs", "site"))
    return overlay_files(root, files or {})


def overlay_files(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write (or, for None, delete) files under root; return root."""
    for rel, content in files.items():
        p = root / rel
        if content is None:
            p.unlink()
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory) -> Path:
    """The mini fixture built once per session (docs/ and site/). Read it only; a test
    that changes it takes its own copy with copy_built(). Under `pytest -n` the workers
    share one build (tests/buildonce.py)."""
    return built_brief(tmp_path_factory, "mini")


def copy_built(built: Path, dest: Path) -> Path:
    """A private copy of a built brief (sources, docs/, site/, cache) to change freely."""
    shutil.copytree(built, dest, symlinks=True)
    return dest


@pytest.fixture
def default_sigint():
    """Ctrl-C raises KeyboardInterrupt in this process and in the processes it starts,
    even when the suite runs in the background (`nohup ... &` starts it with SIGINT
    ignored, which children inherit). The previous handler is put back afterwards."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.fixture
def brief_factory(tmp_path):
    return lambda files=None, base=MINI: make_brief(tmp_path, files, base)


def run_build(*args: str, cwd: Path = REPO, timeout: int = 300, env: dict | None = None,
              fresh_python: bool = False):
    """Run build.py as a user would; return the CompletedProcess (text). The build runs in
    a child forked from a Python that has imported the generator already (tests/forkbuild.py),
    unless env changes the environment or fresh_python asks for a new Python (its own
    hash seed: for tests comparing the bytes of two builds)."""
    full_env = {**os.environ, **(env or {})}
    if not fresh_python and forkbuild.enabled(full_env):
        return forkbuild.run(list(args), cwd, timeout)
    return subprocess.run([PYTHON, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=full_env)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes (for byte-for-byte comparisons)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
