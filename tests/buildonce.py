"""Briefs built once per test run and shared, read-only, by every test that needs that build.

`scripts/test.sh` runs the suite in several pytest-xdist worker processes. A session
fixture is made once per worker, so a build in one would run once per worker; the builds
here run once per run: the first worker to ask builds while holding a lock, the others
wait for the lock and reuse the result (pytest-xdist's documented pattern: a folder under
`tmp_path_factory.getbasetemp().parent`, which all workers of one run share). Without
xdist the build goes to this session's own temporary folder.

A test that changes a shared build takes its own copy first (`conftest.copy_built`).
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

# What a copy of the repository's own brief leaves out: the generator's working files,
# not the brief (brief.yml, mkdocs.yml, sources/, and whatever mkdocs.yml points to).
REPO_COPY_IGNORE = {".git", ".venv", "node_modules", "site", "docs", "tests", "benchmarks",
                    ".pytest_cache", ".hypothesis", "__pycache__"}


def built_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder in which make(folder) has run, once per test run (see the module's doc).
    A make that fails leaves no mark, so the next worker to ask runs it again and fails
    with its own message."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    run_tmp = tmp_path_factory.getbasetemp().parent
    folder = run_tmp / f"built-once-{name}"
    with open(run_tmp / f"built-once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        mark = run_tmp / f"built-once-{name}.done"
        if not mark.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            mark.write_text("")
    return folder


def copy_brief(name: str, dest: Path) -> Path:
    """A copy of a fixture brief (tests/fixtures/NAME) or, for "repo", of the repository's
    own brief, without its docs/ and site/."""
    if name == "repo":
        shutil.copytree(REPO, dest, ignore=lambda d, names: [
            n for n in names if Path(d) == REPO and (n in REPO_COPY_IGNORE or n.startswith("."))])
    else:
        shutil.copytree(FIXTURES / name, dest, ignore=shutil.ignore_patterns("docs", "site"))
    return dest


def build(root: Path) -> None:
    """`python build.py ROOT`, as a user runs it; it must succeed."""
    done = subprocess.run([sys.executable, str(REPO / "build.py"), str(root)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"build of {root} failed:\n{done.stdout}\n{done.stderr}"


def built_brief(tmp_path_factory, name: str) -> Path:
    """The brief NAME ("mini", "faro" or "repo") copied and built by build.py, once per
    run: its folder, with docs/ and site/. Read it only."""
    def make(folder: Path) -> None:
        build(copy_brief(name, folder / "brief"))
    return built_once(tmp_path_factory, f"brief-{name}", make) / "brief"
