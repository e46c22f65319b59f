"""`build.py serve`: the live preview, driven as a researcher would use it.

A real server on a free loopback port, in a copy of the mini fixture: an edited event
title shows on the served timeline page (how fast is measured by benchmarks/bench.py,
not here), rebuilt page by page, and the served site then equals a clean full build
byte for byte; an invalid edit prints the
`path:line:col: error:` lines while the server keeps answering with the last good
page; fixing it brings the site back; nothing rebuilds in a loop. The server process
is always stopped at the end.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import PYTHON, REPO, copy_built, make_brief

EVENTS = "sources/events/events.yml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait_until(condition, timeout: float, step: float = 0.05):
    """Poll condition() until it returns something true; return (value, seconds taken)."""
    start = time.monotonic()
    while True:
        value = condition()
        if value:
            return value, time.monotonic() - start
        if time.monotonic() - start > timeout:
            return None, time.monotonic() - start
        time.sleep(step)


def edit(path: Path, old: str, new: str) -> None:
    """Save an edit as editors do: write a new file, then rename it over the old one
    (so the watcher never sees a half-written file)."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text.replace(old, new), "utf-8")
    os.replace(tmp, path)


def test_serve_shows_edits_reports_errors_and_keeps_the_last_good_site(tmp_path):
    root = make_brief(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [PYTHON, str(REPO / "build.py"), "serve", str(root), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=tmp_path, stdout=log_file, stderr=subprocess.STDOUT)
    log = lambda: log_path.read_text("utf-8", "replace")  # noqa: E731

    def timeline() -> str:
        try:
            status, body = fetch(f"{base}/timeline/")
        except OSError:  # not listening yet
            return ""
        return body if status == 200 else ""

    try:
        page, _ = wait_until(timeline, timeout=60, step=0.2)
        assert page, log()
        assert "Harbour agreement signed" in page
        # Live reload is on: the page carries MkDocs' reload script with the site's epoch.
        epoch = int(re.search(r"livereload\((\d+),", page).group(1))

        # 1. An edited event title is served within 3 s.
        builds_before = log().count("Regenerated docs/")
        edit(root / EVENTS, "title: Harbour agreement signed", "title: Harbour accord signed")
        # (how fast: benchmarks/bench.py measures the preview; no time limit here)
        page, took = wait_until(lambda: "Harbour accord signed" in timeline(), timeout=120)
        assert page, f"the edit did not show\n{log()}"
        assert "Harbour accord signed" in (root / "docs" / "timeline" / "index.md").read_text()
        # ... and a browser waiting on the reload endpoint is told to reload.
        status, body = fetch(f"{base}/livereload/{epoch}/1")
        assert status == 200 and int(body) > epoch
        # No rebuild loop: the pages the builder writes into docs/ do not trigger builds.
        time.sleep(2)
        assert log().count("Regenerated docs/") == builds_before + 1, log()

        # 2. An invalid edit: the errors are printed, the server keeps the last good site.
        edit(root / EVENTS, "date: 2024-03\n", "date: 2024-13\n")
        errors, _ = wait_until(
            lambda: re.findall(r"^sources/events/events\.yml:\d+:\d+: error: .*$", log(), re.M),
            timeout=10)
        assert errors, log()
        assert "month 13 does not exist" in errors[0]
        assert "2024-13" in log() and "^" in log()  # the line and a caret under the column
        assert proc.poll() is None, "the server stopped"
        status, body = fetch(f"{base}/timeline/")
        assert status == 200 and "Harbour accord signed" in body
        assert "Harbour accord signed" in (root / "docs" / "timeline" / "index.md").read_text()

        # 3. Fixing it brings the preview back, with the newest edit.
        edit(root / EVENTS, "date: 2024-13\n", "date: 2024-03\n")
        edit(root / EVENTS, "title: Harbour accord signed", "title: Harbour pact signed")
        page, took = wait_until(lambda: "Harbour pact signed" in timeline(), timeout=120)
        assert page, f"the fixed edit did not show\n{log()}"
        assert proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    assert "Shutting down" in log()


def test_serve_without_a_valid_brief_or_any_previous_build_says_what_to_do(tmp_path):
    root = make_brief(tmp_path, {EVENTS: "- id: x\n  date: 2024-13\n"})
    proc = subprocess.run([PYTHON, str(REPO / "build.py"), "serve", str(root), "--dev-addr",
                           f"127.0.0.1:{free_port()}"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert re.search(r"^sources/events/events\.yml:2:9: error: ", proc.stderr, re.M)
    assert "fix the errors above" in proc.stderr


def test_plain_mkdocs_serve_has_live_reload_with_the_pinned_click(tmp_path, mini_built,
                                                                  default_sigint):
    """Material issue 8478: with click newer than 8.2.1, `mkdocs serve` starts without
    live reload. With the pinned click the served pages carry the reload script."""
    from importlib.metadata import version

    assert version("click") == "8.2.1"
    root = copy_built(mini_built, tmp_path / "brief")  # built by build.py
    # The generator owns the MkDocs settings; `build.py config` writes them out for mkdocs.
    config = subprocess.run([PYTHON, str(REPO / "build.py"), "config", str(root)],
                            capture_output=True, text=True, timeout=300)
    assert config.returncode == 0, config.stderr
    (root / "full-mkdocs.yml").write_text(config.stdout, "utf-8")
    port = free_port()
    log_path = tmp_path / "mkdocs.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen([str(Path(PYTHON).parent / "mkdocs"), "serve", "-f",
                                 "full-mkdocs.yml", "-a", f"127.0.0.1:{port}"], cwd=root,
                                stdout=log_file, stderr=subprocess.STDOUT)
    try:
        def page():
            try:
                status, body = fetch(f"http://127.0.0.1:{port}/timeline/")
            except OSError:
                return ""
            return body if status == 200 else ""
        body, _ = wait_until(page, timeout=60, step=0.2)
        assert body, log_path.read_text()
        assert re.search(r"livereload\(\d+, \d+\)", body)
    finally:
        proc.send_signal(signal.SIGINT)  # mkdocs removes its temporary site on Ctrl-C only
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def test_serve_on_a_port_in_use_says_so_without_a_traceback(tmp_path):
    root = make_brief(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([PYTHON, str(REPO / "build.py"), "serve", str(root), "--dev-addr",
                               f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"error: cannot serve on 127.0.0.1:{port}" in proc.stderr
    assert "--dev-addr" in proc.stderr and "Traceback" not in proc.stderr


def fetch_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def clean_build(root: Path, dest: Path, base: str) -> Path:
    """A fresh full MkDocs build of root/docs with the preview's config (the generator's
    settings, brief/siteconfig.py, with the preview's site_url)."""
    from mkdocs.commands.build import build

    from brief.siteconfig import load_site_config
    from brief.write import read_manifest

    cfg = load_site_config(root, root / "docs", dest,
                           generated=set(read_manifest(root / "docs")))
    cfg.site_url = base + "/"
    build(cfg, serve_url=base + "/")
    return dest


def assert_served_equals(base: str, fresh: Path) -> int:
    """Every file of the fresh build, fetched from the server, has the same bytes (less the
    live-reload script the server adds to HTML pages as it sends them)."""
    n = 0
    for p in sorted(fresh.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(fresh).as_posix()
        want, got = p.read_bytes(), fetch_bytes(f"{base}/{rel}")
        if rel.endswith(".html"):
            j = want.rindex(b"</body>")
            assert got.startswith(want[:j]) and got.endswith(want[j:]), rel
            assert re.fullmatch(rb"<script>.*livereload.*</script>", got[j:len(got) - len(want) + j],
                                re.S), rel
        else:
            assert got == want, rel
        n += 1
    return n


def test_serve_rebuilds_only_changed_pages_and_equals_a_clean_build(tmp_path, default_sigint):
    root = make_brief(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [PYTHON, str(REPO / "build.py"), "serve", str(root), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=tmp_path, stdout=log_file, stderr=subprocess.STDOUT)
    log = lambda: log_path.read_text("utf-8", "replace")  # noqa: E731

    def page(path: str) -> str:
        try:
            status, body = fetch(f"{base}/{path}")
        except OSError:
            return ""
        return body if status == 200 else ""

    try:
        assert wait_until(lambda: page("timeline/"), timeout=120, step=0.2)[0], log()
        edit(root / EVENTS, "title: Harbour agreement signed", "title: Harbour accord signed")
        assert wait_until(lambda: "Harbour accord signed" in page("timeline/2024/"),
                          timeout=120)[0], log()
        assert re.search(r"Rebuilt \d+ page\(s\) of the site", log()), log()
        fresh = clean_build(root, tmp_path / "fresh", base)
        assert "search/search_index.json" in {p.relative_to(fresh).as_posix()
                                               for p in fresh.rglob("*")}
        assert assert_served_equals(base, fresh) > 20

        # An invalid edit: its path:line:col lines show in a banner on the served pages.
        edit(root / EVENTS, "date: 2024-03\n", "date: 2024-13\n")
        shown, _ = wait_until(lambda: "brief-serve-errors" in page("timeline/"), timeout=120)
        assert shown, log()
        banner = page("timeline/")
        assert re.search(r"sources/events/events\.yml:\d+:\d+: error: .*month 13", banner), banner
        assert "Harbour accord signed" in banner  # the last good site, under the banner
        # Fixed: the banner goes, and the site is a clean build again.
        edit(root / EVENTS, "date: 2024-13\n", "date: 2024-04\n")
        assert wait_until(lambda: "brief-serve-errors" not in page("timeline/")
                          and "2024-04" in (root / "docs/timeline/2024.md").read_text(),
                          timeout=120)[0], log()
        fresh2 = clean_build(root, tmp_path / "fresh2", base)
        assert_served_equals(base, fresh2)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _recording_handler(seen: list):
    import watchdog.events

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = lambda event: seen.append(os.fsdecode(  # a save's rename: where to
        getattr(event, "dest_path", "") or event.src_path))
    return handler


def _observe(observer, folder: Path, brief_yml: Path) -> list:
    """Watch folder and one file as the server does; save each as editors do, read them
    as the builder does; return the files each change was seen for."""
    seen: list = []
    observer.schedule(_recording_handler(seen), str(folder), recursive=True)
    observer.schedule(_recording_handler(seen), str(brief_yml), recursive=True)
    observer.start()
    try:
        time.sleep(0.3)
        (folder / "events.yml").read_text()  # reading is no change
        brief_yml.read_text()
        (folder.parent / "serve.log").write_text("x")  # beside the watched file
        time.sleep(0.6)
        assert seen == [], seen
        for n in range(2):  # the second save replaces the file the first save made
            edit(brief_yml, f"v{n}", f"v{n + 1}")
            wait_until(lambda: any(p.endswith("brief.yml") for p in seen), timeout=5)
            assert any(p.endswith("brief.yml") for p in seen), (n, seen)
            seen.clear()
        edit(folder / "events.yml", "a", "b")
        wait_until(lambda: any(p.endswith("/events.yml") for p in seen), timeout=5)
        assert any(p.endswith("/events.yml") for p in seen), seen
    finally:
        observer.stop()
        observer.join()
    return seen


def test_the_watcher_uses_file_events_sees_saves_not_reads_and_can_poll(tmp_path):
    from brief.serve import Observer

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "events.yml").write_text("a")
    (tmp_path / "brief.yml").write_text("v0")
    native = Observer(0.1)
    assert not native.polling  # inotify on Linux
    _observe(native, tmp_path / "sources", tmp_path / "brief.yml")
    (tmp_path / "brief.yml").write_text("v0")
    (tmp_path / "sources" / "events.yml").write_text("a")
    polling = Observer(0.1, poll=True)  # --poll
    assert polling.polling
    _observe(polling, tmp_path / "sources", tmp_path / "brief.yml")


def test_the_watcher_falls_back_to_polling_when_file_events_cannot_start(tmp_path):
    from brief.serve import Observer

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "events.yml").write_text("a")
    (tmp_path / "brief.yml").write_text("v0")
    observer = Observer(0.1)
    assert not observer.polling

    def no_more_watches():
        raise OSError(28, "inotify watch limit reached")

    observer.inner.start = no_more_watches
    seen = []
    observer.schedule(_recording_handler(seen), str(tmp_path / "sources"), recursive=True)
    observer.start()  # falls back, with what was scheduled before
    try:
        assert observer.polling
        time.sleep(0.3)
        edit(tmp_path / "sources" / "events.yml", "a", "b")
        assert wait_until(lambda: seen, timeout=5)[0]
    finally:
        observer.stop()
        observer.join()


def test_the_watcher_stops_watching_what_is_unwatched(tmp_path):
    """MkDocs' server.unwatch (a plugin's), with the native observer and after a fallback;
    two files of one folder are watched through that folder, each until it is unwatched."""
    from brief.serve import Observer

    (tmp_path / "brief.yml").write_text("v0")
    (tmp_path / "mkdocs.yml").write_text("m0")
    for fallback in (False, True):
        observer = Observer(0.1)
        if fallback:
            def no_more_watches():
                raise OSError(28, "inotify watch limit reached")
            observer.inner.start = no_more_watches
        seen_brief, seen_mkdocs = [], []
        w1 = observer.schedule(_recording_handler(seen_brief), str(tmp_path / "brief.yml"))
        observer.schedule(_recording_handler(seen_mkdocs), str(tmp_path / "mkdocs.yml"))
        observer.start()
        try:
            assert observer.polling == fallback
            observer.unschedule(w1)
            time.sleep(0.3)
            (tmp_path / "brief.yml").write_text("v1")
            (tmp_path / "mkdocs.yml").write_text("m1" if not fallback else "m2")
            assert wait_until(lambda: seen_mkdocs, timeout=5)[0]
            time.sleep(0.5)
            assert seen_brief == []
        finally:
            observer.stop()
            observer.join()
