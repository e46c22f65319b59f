"""brief/sitebuild.py: the MkDocs step on several processes, or sharded, gives the very
site MkDocs' own serial build gives, byte for byte (pages, search index, sitemap)."""
from __future__ import annotations

import importlib.util
import shutil
import sys

import pytest

from conftest import REPO, make_brief, run_build, snapshot

_spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench", bench)
_spec.loader.exec_module(bench)

from brief import sitebuild  # noqa: E402


@pytest.fixture(scope="module")
def serial_site(tmp_path_factory):
    """A synthetic brief of about 60 pages built by MkDocs' serial build (--jobs 1), in a
    new Python: its hash seed differs from the later builds' (tests/forkbuild.py)."""
    root = tmp_path_factory.mktemp("sitebuild") / "brief"
    bench.synthesise(root, 12, 80, 6, seed=11)
    result = run_build(str(root), "--jobs", "1", fresh_python=True)
    assert result.returncode == 0, result.stderr
    return root, snapshot(root / "site")


def assert_same_site(expected: dict[str, bytes], got: dict[str, bytes]) -> None:
    assert sorted(got) == sorted(expected)
    different = [k for k in expected if expected[k] != got[k]]
    assert not different, f"{len(different)} file(s) differ, e.g. {different[:5]}"


def test_parallel_build_equals_the_serial_build_byte_for_byte(serial_site):
    root, expected = serial_site
    assert "search/search_index.json" in expected and "sitemap.xml" in expected
    assert "sitemap.xml.gz" in expected and "404.html" in expected
    for jobs in ("2", "3"):
        result = run_build(str(root), "--jobs", jobs, "--no-cache", "--timings")
        assert result.returncode == 0, result.stderr
        # the workers did build it: no silent fall-back to the serial build (every
        # plugin build.py registers, the sanitiser and the search-landing hook, is safe)
        assert "workers CPU" in result.stdout, result.stdout
        assert_same_site(expected, snapshot(root / "site"))


def test_shards_built_separately_and_merged_equal_one_build(serial_site, tmp_path):
    root, expected = serial_site
    parts = []
    for k in (1, 2):
        result = run_build(str(root), "--shard", f"{k}/2", "--jobs", "1")
        assert result.returncode == 0, result.stderr
        part = tmp_path / f"shard{k}"
        shutil.copytree(root / "site", part)
        parts.append(part)
        assert (part / sitebuild.SHARD_FILE).is_file()
    # each shard holds only part of the pages
    pages = [{p for p in snapshot(d) if p.endswith("index.html")} for d in parts]
    assert pages[0] and pages[1] and not pages[0] & pages[1]

    result = run_build(str(root), "--merge", str(parts[1]), str(parts[0]))
    assert result.returncode == 0, result.stderr
    assert_same_site(expected, snapshot(root / "site"))


def test_merge_refuses_missing_or_foreign_shards(serial_site, tmp_path):
    root, _ = serial_site
    result = run_build(str(root), "--shard", "1/2", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    part = tmp_path / "shard1"
    shutil.copytree(root / "site", part)
    before = snapshot(root / "site")

    result = run_build(str(root), "--merge", str(part))
    assert result.returncode == 1
    assert "missing [2]" in result.stderr
    assert snapshot(root / "site") == before  # a failed merge changes nothing

    other = make_brief(tmp_path)  # other docs/: the mini fixture
    result = run_build(str(other), "--merge", str(part))
    assert result.returncode == 1
    assert "other docs/" in result.stderr


def test_bad_shard_argument_is_a_usage_error(tmp_path):
    root = make_brief(tmp_path)
    for bad in ("3/2", "0/2", "x", "1-2"):
        result = run_build(str(root), "--shard", bad)
        assert result.returncode == 2, bad
        assert "--shard" in result.stderr


def test_a_broken_anchor_between_pages_of_two_workers_fails_the_build(tmp_path):
    """Anchors are checked in the parent across every worker's pages (--strict)."""
    root = make_brief(tmp_path, {
        "docs/notes.md": "# Notes\n\nSee [the timeline](timeline/index.md#no-such-anchor).\n",
        "docs/more.md": "# More\n\nSee [notes](notes.md#nowhere).\n"})
    serial = run_build(str(root), "--jobs", "1")
    parallel = run_build(str(root), "--jobs", "3")
    for result in (serial, parallel):
        assert result.returncode == 1
        assert "does not contain an anchor '#no-such-anchor'" in result.stderr
        assert "does not contain an anchor '#nowhere'" in result.stderr


def test_partition_is_balanced_and_deterministic():
    sizes = [100, 1, 1, 1, 50, 50, 3, 2]
    parts = sitebuild.partition(sizes, 2)
    assert sorted(i for p in parts for i in p) == list(range(len(sizes)))
    loads = [sum(sizes[i] for i in p) for p in parts]
    assert abs(loads[0] - loads[1]) <= 10
    assert parts == sitebuild.partition(sizes, 2)


def test_unknown_plugins_fall_back_to_the_serial_build(tmp_path):
    """A plugin that may keep state across pages is not split: MkDocs builds serially."""
    from brief.siteconfig import Options, load_site_config

    root = make_brief(tmp_path)
    (root / "counting_hook.py").write_text(
        "def on_page_markdown(markdown, **kw):\n    return markdown\n", "utf-8")
    (root / "mkdocs.yml").write_text("hooks:\n  - counting_hook.py\n", "utf-8")
    (root / "docs").mkdir(exist_ok=True)
    cfg = load_site_config(root, root / "docs", root / "site",
                           options=Options(allow_plugins=True))
    assert any("counting_hook" in name for name in sitebuild.unsupported_plugins(cfg))
    assert "counting_hook" in sitebuild.can_split(cfg, 2)
    assert sitebuild.can_split(cfg, 1) == "--jobs 1"
    result = run_build(str(root), "--allow-plugins", "--jobs", "2", "--timings")
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "index.html").is_file()
    assert "workers CPU" not in result.stdout  # built on one process


SLOW_SAFE_HOOK = """import time

BRIEF_PARALLEL_SAFE = True  # per page only: the build stays parallel

def on_post_page(output, page, config, **kwargs):
    time.sleep(0.3)  # widen the window in which the test interrupts the build
    return output
"""


def test_stopping_a_parallel_build_stops_its_workers_and_changes_nothing(serial_site, tmp_path,
                                                                         default_sigint):
    import os
    import signal
    import subprocess
    import time

    from conftest import PYTHON

    root, _ = serial_site
    hook = tmp_path / "slow_hook.py"
    hook.write_text(SLOW_SAFE_HOOK, "utf-8")
    config = tmp_path / "mkdocs-test.yml"
    config.write_text(f"hooks:\n  - {hook}\n", "utf-8")  # over the generator's settings
    before = snapshot(root / "site")
    proc = subprocess.Popen([PYTHON, str(REPO / "build.py"), str(root), "--config", str(config),
                             "--allow-plugins", "--jobs", "2", "--no-cache"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not any(p.is_dir() and any(p.rglob("index.html"))
                      for p in root.glob(".site.staging-*")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the workers never wrote a page"
            time.sleep(0.05)
        workers = [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()]
        assert workers, "no worker processes"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode in (130, 1), (proc.returncode, err)
    assert "Traceback" not in err and "interrupted" in err, err
    assert snapshot(root / "site") == before  # (the site of whichever test ran before)
    assert not list(root.glob(".site.staging-*")) and not list(root.glob(".docs.staging-*"))
    for pid in workers:  # every worker is gone (stopped and reaped, no zombie)
        assert not os.path.exists(f"/proc/{pid}"), pid
