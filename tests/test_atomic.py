"""Atomic builds: a failed build of any kind leaves docs/ and site/ exactly as they were.

Each test builds the mini fixture once (the "previous" build), snapshots docs/ and site/
byte for byte, then makes a build fail: bad input, a warning under MkDocs' --strict, an
exception inside MkDocs, a broken MkDocs configuration, Ctrl-C (SIGINT) while MkDocs is
writing the site. Afterwards docs/ and site/ must equal the snapshots and no staging
folder may be left beside them. The MkDocs step is made slow, for the SIGINT test, by a
test-only hook in a test-only config that inherits the brief's mkdocs.yml.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import PYTHON, REPO, copy_built, run_build, snapshot

EVENTS = "sources/events/events.yml"


@pytest.fixture
def built(mini_built, tmp_path):
    """A private copy of the mini fixture after a good build (built once per session)."""
    return copy_built(mini_built, tmp_path / "brief")


def state(root: Path):
    return snapshot(root / "docs"), snapshot(root / "site")


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()
                  if ".staging-" in p.name or ".old-" in p.name or p.name.endswith(".tmp"))


def change_a_generated_page(root: Path) -> None:
    """An edit that would change docs/timeline/2024.md, so a half-done build would show."""
    p = root / EVENTS
    text = p.read_text("utf-8")
    assert "title: Harbour agreement signed" in text
    p.write_text(text.replace("title: Harbour agreement signed",
                              "title: Harbour agreement signed at last"), "utf-8")


def config_with_hook(root: Path, tmp_path: Path, hook_source: str) -> Path:
    """A test-only MkDocs config: the brief's mkdocs.yml plus one hook (INHERIT merges them)."""
    hook = tmp_path / "test_hook.py"
    hook.write_text(hook_source, "utf-8")
    config = tmp_path / "mkdocs-test.yml"
    config.write_text(f"INHERIT: {root / 'mkdocs.yml'}\nhooks:\n  - {hook}\n", "utf-8")
    return config


def test_bad_input_changes_nothing(built):
    before = state(built)
    change_a_generated_page(built)
    (built / EVENTS).write_text((built / EVENTS).read_text("utf-8") + "- id: Bad\n", "utf-8")
    result = run_build(str(built))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "docs/ and site/ are unchanged" in result.stderr
    assert state(built) == before and not leftovers(built)


def test_warning_under_strict_changes_nothing(built):
    """MkDocs alone would leave a fully written site/ behind; the build must not."""
    (built / "docs/sources/notes.md").write_text(
        "# Notes\n\nSee [the missing page](missing.md).\n", "utf-8")
    before = state(built)
    change_a_generated_page(built)
    result = run_build(str(built))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "mkdocs: warning:" in result.stderr and "missing.md" in result.stderr
    assert "error: the site build failed" in result.stderr
    assert state(built) == before and not leftovers(built)
    assert b"at last" not in (built / "docs/timeline/2024.md").read_bytes()


def test_broken_mkdocs_config_changes_nothing(built, tmp_path):
    before = state(built)
    change_a_generated_page(built)
    config = tmp_path / "broken.yml"
    # A value only MkDocs' own validation rejects (the generator's checks pass it on).
    config.write_text(f"INHERIT: {built / 'mkdocs.yml'}\ndev_addr: not-an-address\n")
    result = run_build(str(built), "--config", str(config))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: the site build failed" in result.stderr
    assert state(built) == before and not leftovers(built)


def test_exception_inside_mkdocs_changes_nothing(built, tmp_path):
    config = config_with_hook(built, tmp_path, (
        "def on_post_page(output, page, config, **kwargs):\n"
        "    if page.file.src_uri == 'faq.md':\n"
        "        raise RuntimeError('a plugin failed half-way through the site')\n"
        "    return output\n"))
    before = state(built)
    change_a_generated_page(built)
    result = run_build(str(built), "--config", str(config), "--allow-plugins")
    assert result.returncode == 1, result.stderr
    assert "a plugin failed half-way through the site" in result.stderr
    assert state(built) == before and not leftovers(built)


SLOW_HOOK = """import time

def on_post_page(output, page, config, **kwargs):
    time.sleep(0.4)  # widen the window in which the test interrupts the build
    return output
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_during_the_mkdocs_step_changes_nothing(built, tmp_path, signum, default_sigint):
    config = config_with_hook(built, tmp_path, SLOW_HOOK)
    before = state(built)
    change_a_generated_page(built)
    proc = subprocess.Popen([PYTHON, str(REPO / "build.py"), str(built), "--config", str(config),
                             "--allow-plugins"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        # wait until MkDocs is writing pages into the staging site folder
        while not any(p.is_dir() and any(p.iterdir())
                      for p in built.glob(".site.staging-*")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the staging folder never appeared"
            time.sleep(0.02)
        time.sleep(0.3)
        assert proc.poll() is None, "the build finished before it could be interrupted"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode in (130, 1), (proc.returncode, err)
    assert "Traceback" not in err, err
    assert "interrupted" in err
    assert state(built) == before
    assert not leftovers(built), leftovers(built)


def test_ctrl_c_while_swapping_is_held_until_the_swap_is_done(capsys, default_sigint):
    """The last step (write docs/, swap site/) is not cut half-way by Ctrl-C."""
    from brief.publish import _ctrl_c_deferred
    finished = False
    with _ctrl_c_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        finished = True
    assert finished
    assert "interrupt received" in capsys.readouterr().err
    with pytest.raises(KeyboardInterrupt):  # and Ctrl-C works again afterwards
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)


def test_a_good_build_after_a_failed_one_works(built):
    (built / "docs/sources/notes.md").write_text("# Notes\n\n[x](missing.md)\n", "utf-8")
    assert run_build(str(built)).returncode == 1
    (built / "docs/sources/notes.md").unlink()
    change_a_generated_page(built)
    result = run_build(str(built))
    assert result.returncode == 0, result.stderr
    assert b"at last" in (built / "docs/timeline/2024.md").read_bytes()
    assert b"at last" in (built / "site/timeline/2024/index.html").read_bytes()
    assert not leftovers(built)


def test_a_symbolic_link_in_docs_cannot_lead_writes_outside(built, tmp_path):
    """A linked folder in docs/ must not let the build write (or delete) outside docs/."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.md").write_text("not the build's\n", "utf-8")
    generated = built / "docs/timeline"
    for p in generated.iterdir():
        p.unlink()
    generated.rmdir()
    generated.symlink_to(outside, target_is_directory=True)
    before = state(built)
    result = run_build(str(built))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # found before anything is written, at its path (issue 14: brief/handwritten.py) ...
    assert "docs/timeline:1:1: error: a symbolic link in docs/ that leads out" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["keep.md"]
    assert state(built) == before and not leftovers(built)
    # ... and the writer refuses it too, should anything reach it (defence in depth)
    from brief.models import Page
    from brief.write import write_pages
    with pytest.raises(ValueError, match="refusing to write timeline/"):
        write_pages(built / "docs", [Page("timeline/2024.md", b"x\n")])
    assert sorted(p.name for p in outside.iterdir()) == ["keep.md"]


def test_an_internal_error_is_one_line_and_changes_nothing(tmp_path, capsys, monkeypatch):
    """A bug in the generator (not the user's mistake) is one line that says so, never a
    traceback; BRIEF_DEBUG=1 shows the traceback."""
    from brief import cli, pipeline
    from conftest import make_brief

    root = make_brief(tmp_path)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline, "generate", broken)
    monkeypatch.delenv("BRIEF_DEBUG", raising=False)
    assert cli.main([str(root), "--no-cache"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: internal error in build.py (ZeroDivisionError: division by zero); docs/ and "
        "site/ are unchanged. This is a bug: run again with BRIEF_DEBUG=1 for the traceback "
        "and report it"]
    assert not (root / "docs").exists() and not (root / "site").exists()
    monkeypatch.setenv("BRIEF_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        cli.main([str(root), "--no-cache"])
