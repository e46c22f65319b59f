"""Progress of a build: a bar per stage on a terminal, one line per stage elsewhere."""
from __future__ import annotations

import io
import os
import pty
import re
import subprocess

from brief.progress import Progress
from conftest import PYTHON, REPO, copy_built, run_build


def test_without_a_terminal_each_stage_is_one_line_with_its_time(monkeypatch):
    from brief import progress
    monkeypatch.setattr(progress, "DELAY", 0.0)
    out = io.StringIO()
    p = Progress(stream=out, enabled=True)
    with p.stage("generate"):
        pass
    with p.stage("pages", 3) as s:
        for n in range(1, 4):
            s.update(n)
    assert out.getvalue().splitlines() == [
        line for line in out.getvalue().splitlines() if re.fullmatch(
            r"build: (generate: |pages: 3 )in \d+\.\ds", line)]
    assert len(out.getvalue().splitlines()) == 2


def test_a_failed_stage_prints_no_time_and_progress_can_be_turned_off():
    out = io.StringIO()
    try:
        with Progress(stream=out, enabled=True).stage("generate"):
            raise ValueError
    except ValueError:
        pass
    assert out.getvalue() == ""
    with Progress(stream=out, enabled=False).stage("pages", 5) as s:
        assert s is None
    assert out.getvalue() == ""


def test_a_build_in_ci_prints_its_stages(mini_built, tmp_path):
    """(Stages quicker than 2 s print nothing; the delay is 0 here to see every line.)"""
    root = copy_built(mini_built, tmp_path / "brief")
    result = run_build(str(root), "--no-cache", env={"BRIEF_PROGRESS_DELAY": "0"})
    assert result.returncode == 0, result.stderr
    assert re.search(r"^build: generate: in \d+\.\ds$", result.stderr, re.M), result.stderr
    assert re.search(r"^build: pages: \d+ in \d+\.\ds$", result.stderr, re.M), result.stderr
    assert not re.search(r"^build: ", result.stdout, re.M)


def test_a_build_on_a_terminal_shows_a_bar_for_the_pages(mini_built, tmp_path):
    root = copy_built(mini_built, tmp_path / "brief")
    main, child = pty.openpty()
    env = {**os.environ, "BRIEF_PROGRESS_DELAY": "0", "COLUMNS": "100"}
    proc = subprocess.Popen([PYTHON, str(REPO / "build.py"), str(root), "--no-cache"],
                            stdin=child, stdout=child, stderr=child, env=env, cwd=REPO)
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(main)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, text
    # tqdm's bar: "pages:  71%|█████▊  | 10/14 [00:00<00:00, 24.11 pages/s]"
    bars = re.findall(r"pages: +\d+%\|[^|]*\| *\d+/(\d+) \[", text)
    total = re.search(r"build: pages: (\d+) in", text)
    assert bars and total, text
    assert set(bars) == {total.group(1)}
