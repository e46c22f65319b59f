"""`build.py serve [BRIEF]`: live preview of a brief while it is edited.

Runs MkDocs' own development server (its LiveReloadServer and build) through its
Python API, with a builder of ours in front:

* Watched: the brief's sources/, templates/ (the brief's and the generator's), the
  generator's theme overrides, brief.yml, mkdocs.yml, and docs/ for hand-written pages,
  through the system's file events (`Observer`: inotify on Linux), else by polling.
* On any change the builder runs the pure pipeline (`pipeline.generate`), parsing
  again only the files whose bytes changed (brief/readcache.py) and rendering
  again only the pages whose inputs changed (brief/rendermemo.py), and writes
  only the pages whose content changed (`write.write_pages`), then rebuilds only those
  pages of the site, from the MkDocs state kept in memory (brief/livebuild.py); a full
  MkDocs build runs first, and again when more than Markdown changed.
  The docs/ files the builder itself generated are not watched, so writing them does
  not start a second build, and nothing loops (mkdocs issue 3433).
* An invalid edit prints the problems as `path:line:col: error: ...` lines and keeps
  the server running; the last good site stays served until the edit is fixed, with
  the same lines in a banner on top of every served page. The
  site is built in a staging folder and swapped in only when MkDocs succeeded. The
  builder never raises: MkDocs' server would otherwise hold every request until the
  next successful build.
* Live reload is on by construction: the server is started from Python with
  `livereload` on, not through MkDocs' command line, whose `--livereload` flag is
  misread by click newer than 8.2.1 (Material issue 8478; click is pinned to 8.2.1).
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import html
import logging
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .handwritten import check_hand_written
from .livebuild import LiveSite, snapshot
from .pipeline import generate
from .problems import Problems
from .readcache import ReadCache
from .rendermemo import RenderMemo
from .write import MANIFEST, write_pages

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

log = logging.getLogger("brief.serve")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("brief", nargs="?", default=".", type=Path,
                   help="the brief's folder (default: the current folder)")
    p.add_argument("-a", "--dev-addr", metavar="IP:PORT", default=None,
                   help="address to serve on (default: dev_addr of mkdocs.yml, "
                        "else 127.0.0.1:8000)")
    p.add_argument("--config", type=Path, default=None,
                   help="extra MkDocs settings, merged over the generator's "
                        "(default: BRIEF/mkdocs.yml, if there is one)")
    from .siteconfig import add_trust_arguments
    add_trust_arguments(p)
    p.add_argument("--open", action="store_true", help="open the site in a browser")
    p.add_argument("--poll", action="store_true",
                   help="look for changes by polling, not through the system's file "
                        "events (for folders on a network file system)")


def _setup_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in ("mkdocs", "brief.serve"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


class Preview:
    """The state of one `serve` run: where things are and what was generated last."""

    def __init__(self, root: Path, config_file: Path | None, dev_addr: str | None,
                 options=None):
        from .siteconfig import Options

        self.options = options or Options()
        self.root = root
        self.docs = root / "docs"
        self.config_file = config_file
        self.dev_addr = dev_addr
        self.tmp = Path(tempfile.mkdtemp(prefix="brief-serve-"))
        self.served = self.tmp / "site"  # the folder the server serves
        self.staging = self.tmp / "next"
        self.generated: set[str] = set()  # docs/ paths the last regeneration produced
        self.serve_url: str | None = None
        self.live = LiveSite()  # the MkDocs state of the last good build
        self.memo = RenderMemo()  # the pages of the last good regeneration, by their inputs
        self.read_cache = ReadCache()  # what each input file gave, by its bytes
        self.written: dict = {}  # docs/ files as write_pages left them (their content)
        self.docs_state: dict = {}  # docs/ files at the last good build
        self.inputs_state: dict = {}  # MkDocs' other inputs then (config, theme overrides)
        self.errors: list[str] = []  # shown in a banner on every served page

    # -- docs/ ----------------------------------------------------------------
    def regenerate(self) -> bool:
        """Validate and render the brief; write the changed pages. False on errors."""
        from .handwritten import check_docs

        problems = Problems()
        with _no_gc():
            pages = generate(self.root, problems, memo=self.memo, cache=self.read_cache)
        check_docs(self.root, problems)  # hand-written files a browser would run (issue 14)
        if pages is not None:
            check_hand_written(self.root, pages, problems)
        if problems.errors:
            pages = None
        for p in problems.sorted():
            print(p.format(), file=sys.stderr, flush=True)
        self.errors = [p.format() for p in problems.sorted() if p.severity == "error"]
        if pages is None:
            print(f"serve: {len(problems.errors)} error(s): docs/ is unchanged and the last "
                  "good site is still served; fix the file and save to update it",
                  file=sys.stderr, flush=True)
            return False
        self.generated = {p.path for p in pages}
        report = write_pages(self.docs, pages, self.written)
        changed = len(report.written) + len(report.removed)
        log.info(f"Regenerated docs/: {changed} of {len(pages)} pages changed")
        return True

    def is_ours(self, path: str) -> bool:
        """Is a changed file under docs/ one the builder wrote (a generated page, the
        manifest or a temporary file of an atomic write)?"""
        try:
            rel = Path(path).resolve().relative_to(self.docs.resolve()).as_posix()
        except ValueError:
            return False
        return rel in self.generated or rel == MANIFEST or any(
            part.startswith(".") for part in rel.split("/"))

    # -- the site ---------------------------------------------------------------
    def get_config(self):
        from .siteconfig import load_site_config

        overrides = {"dev_addr": self.dev_addr} if self.dev_addr else {}
        cfg = load_site_config(self.root, self.docs, self.staging, config_file=self.config_file,
                               options=self.options, generated=self.generated, **overrides)
        if self.serve_url:
            cfg.site_url = self.serve_url
        return cfg

    def mkdocs_inputs(self) -> dict:
        """What MkDocs reads besides docs/: its config file, brief.yml (the site's name,
        description, language, palette and URL come from it, brief/siteconfig.py) and
        the theme overrides."""
        from .publish import THEME_OVERRIDES
        state = {"config": snapshot_file(self.config_file or self.root / "mkdocs.yml"),
                 "brief.yml": snapshot_file(self.root / "brief.yml")}
        dirs = [THEME_OVERRIDES]
        if self.live.config is not None and self.live.config.theme.custom_dir:
            dirs.append(Path(self.live.config.theme.custom_dir))
        for d in dirs:
            state[str(d)] = snapshot(d) if d.is_dir() else {}
        return state

    def build(self, config=None) -> bool:
        """The server's builder. Never raises (see the module's docstring)."""
        if config is None:  # an edit: what is collected waits until it is visible
            with _no_gc():
                return self._build(None)
        return self._build(config)

    def _build(self, config=None) -> bool:
        try:
            if config is None:
                if not self.regenerate():
                    return False
                docs_now = snapshot(self.docs)
                if self.live.ready and self.mkdocs_inputs() == self.inputs_state:
                    changed = {p for p in docs_now.keys() | self.docs_state.keys()
                               if docs_now.get(p) != self.docs_state.get(p)}
                    done = self.live.update(changed, self.served)
                    if done:
                        self.docs_state = docs_now
                        log.info(f"Rebuilt {len(changed)} page(s) of the site")
                        return True
                    if done is None:
                        return self._failed("a page has errors (see above)")
                config = self.get_config()
            return self._full(config)
        except (Exception, SystemExit) as exc:  # mkdocs' Abort is a SystemExit
            self.live.forget()
            return self._failed(str(exc))

    def _full(self, config) -> bool:
        docs_now, inputs_now = snapshot(self.docs), None
        shutil.rmtree(self.staging, ignore_errors=True)
        self.live.full(config, self.serve_url)
        inputs_now = self.mkdocs_inputs()
        old = self.tmp / "old"
        if self.served.exists():
            self.served.rename(old)
        self.staging.rename(self.served)
        shutil.rmtree(old, ignore_errors=True)
        self.docs_state, self.inputs_state = docs_now, inputs_now
        self.errors = []
        return True

    def _failed(self, why: str) -> bool:
        print(f"serve: error: the site build failed: {why}; the last good site is still "
              "served", file=sys.stderr, flush=True)
        self.errors = self.errors or [f"the site build failed: {why}"]
        shutil.rmtree(self.staging, ignore_errors=True)
        return False

    def banner(self) -> bytes:
        """The errors of the last build, as a banner for the top of a served page."""
        if not self.errors:
            return b""
        lines = "".join(f'<pre style="margin:.3em 0;white-space:pre-wrap">{html.escape(e)}</pre>'
                        for e in self.errors[:50])
        return (f'<div id="brief-serve-errors" role="alert" style="position:sticky;top:0;'
                f'z-index:1000;background:#b00020;color:#fff;padding:.6em 1em;'
                f'font:14px/1.4 monospace;max-height:40vh;overflow:auto">'
                f"<strong>The last edit has errors; this is the last good site.</strong>"
                f"{lines}</div>"
                ).encode("utf-8")

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextlib.contextmanager
def _no_gc():
    """As build.py does: the preview holds millions of objects that all live on, and a
    collection's walk of them would come in the middle of the work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def snapshot_file(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _show_errors_in_pages(server, preview: Preview) -> None:
    """Put the error banner into every HTML page the server sends (not into site/)."""
    inject = server._inject_js_into_html

    def with_banner(content: bytes, epoch: int) -> bytes:
        content = inject(content, epoch)
        banner = preview.banner()
        if banner:
            at = content.find(b">", content.find(b"<body")) + 1
            if at > 0:
                content = content[:at] + banner + content[at:]
        return content

    server._inject_js_into_html = with_banner


def _watch_docs(server, preview: Preview) -> None:
    """Watch docs/ for hand-written pages, ignoring the files the builder writes itself."""
    import watchdog.events

    def callback(event) -> None:
        if event.is_directory:
            return
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if all(preview.is_ours(os.fsdecode(p)) for p in paths):
            return
        with server._rebuild_cond:  # what LiveReloadServer.watch's own callback does
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = callback
    preview.docs.mkdir(parents=True, exist_ok=True)
    server.observer.schedule(handler, str(preview.docs), recursive=True)


class Observer:
    """What watches the brief for the server: the system's own file events (watchdog's
    native observer: inotify on Linux), which tell of a save at once and cost nothing
    between saves; where they cannot be had (no inotify, too many folders for its
    limits, or `--poll`), MkDocs' polling observer. MkDocs' server calls schedule,
    unschedule, start, stop and join."""

    def __init__(self, polling_interval: float, poll: bool = False):
        import watchdog.observers
        import watchdog.observers.polling

        self.interval = polling_interval
        self._polling = watchdog.observers.polling.PollingObserver
        self.inner = (self._polling(timeout=polling_interval) if poll
                      else watchdog.observers.Observer())
        # [handler, path, recursive, the watch given out, (the watch, handler) now]
        self.scheduled: list[list] = []

    @property
    def polling(self) -> bool:
        return isinstance(self.inner, self._polling)

    def schedule(self, handler, path: str, recursive: bool = False):
        now = self._schedule(handler, path, recursive)
        self.scheduled.append([handler, path, recursive, now[0], now])
        return now[0]

    def _schedule(self, handler, path: str, recursive: bool) -> tuple:
        if self.polling:
            return self.inner.schedule(handler, path, recursive=recursive), handler
        import watchdog.events as ev

        # Changes only: the system also tells of files opened and closed, and the
        # builder opens every source to read it (which would start the next build).
        changes = [ev.FileCreatedEvent, ev.FileModifiedEvent, ev.FileMovedEvent,
                   ev.FileDeletedEvent, ev.DirCreatedEvent, ev.DirModifiedEvent,
                   ev.DirMovedEvent, ev.DirDeletedEvent]
        if os.path.isfile(path):
            # The system watches a file's inode, which an editor's save (a new file
            # renamed over the old one) replaces: watch its folder for that name instead.
            one = _OneFile(handler, path)
            return self.inner.schedule(one, os.path.dirname(path), recursive=False,
                                       event_filter=changes), one
        return self.inner.schedule(handler, path, recursive=recursive,
                                   event_filter=changes), handler

    def unschedule(self, watch) -> None:
        for entry in self.scheduled:
            if entry[3] is watch:
                self.scheduled.remove(entry)
                now, handler = entry[4]
                if any(e[4][0] == now for e in self.scheduled):  # a folder watched for
                    self.inner.remove_handler_for_watch(handler, now)  # two of its files
                else:
                    self.inner.unschedule(now)
                return
        self.inner.unschedule(watch)

    def start(self) -> None:
        try:
            self.inner.start()
        except OSError as exc:  # e.g. inotify's limit of watches or instances reached
            if self.polling:
                raise
            try:
                self.inner.stop()
            except Exception:  # noqa: BLE001 - half started: drop it anyway
                pass
            log.info(f"Cannot watch with the system's file events ({exc}): looking for "
                     f"changes every {self.interval} s instead")
            self.inner = self._polling(timeout=self.interval)
            for entry in self.scheduled:
                entry[4] = self._schedule(*entry[:3])
            self.inner.start()

    def stop(self) -> None:
        self.inner.stop()

    def join(self, timeout: float | None = None) -> None:
        self.inner.join(timeout)


class _OneFile:
    """A handler passing on only the events of one file (of the folder watched)."""

    def __init__(self, handler, path: str):
        self.handler, self.path = handler, os.path.abspath(path)

    def dispatch(self, event) -> None:
        paths = (event.src_path, getattr(event, "dest_path", "") or "")
        if self.path in {os.path.abspath(os.fsdecode(p)) for p in paths if p}:
            self.handler.dispatch(event)


# Polling (--poll, or where the system's file events cannot be had) looks at every
# watched file's time and size, twice a second by default (MkDocs' pace). A small
# brief is looked at ten times a second, so an edit shows sooner; a large one at
# MkDocs' pace, so that looking costs no noticeable CPU.
POLL_FAST, POLL_DEFAULT, POLL_FAST_FILES = 0.1, 0.5, 2000


def polling_interval(root: Path) -> float:
    n = 0
    for folder in (root / "sources", root / "docs", root / "templates"):
        for _dirpath, _dirnames, filenames in os.walk(folder):
            n += len(filenames)
            if n >= POLL_FAST_FILES:
                return POLL_DEFAULT
    return POLL_FAST


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from mkdocs.livereload import LiveReloadServer, _serve_url

    from .publish import THEME_OVERRIDES
    from .render import DEFAULT_TEMPLATES

    _setup_logging()
    root = args.brief.resolve()
    if not root.is_dir():
        print(f"error: {root} is not a folder", file=sys.stderr)
        return 2
    config_file = args.config.resolve() if args.config else None
    if config_file and not config_file.is_file():
        print(f"error: {config_file} not found", file=sys.stderr)
        return 2
    from .siteconfig import SiteConfigError, trust_options

    preview = Preview(root, config_file, args.dev_addr, trust_options(args))
    # Stop cleanly on SIGTERM too (the temporary site is removed, plugins shut down).
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if not preview.regenerate():
            if not (preview.docs / MANIFEST).is_file():
                print("serve: nothing to serve yet: fix the errors above, then run serve again",
                      file=sys.stderr)
                return 1
            # Serve what the last good build generated, and keep watching.
            from .write import read_manifest
            preview.generated = set(read_manifest(preview.docs))
        config = preview.get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        preview.serve_url = config.site_url = _serve_url(host, port, mount_path)

        interval = polling_interval(root)
        server = LiveReloadServer(builder=preview.build, host=host, port=port,
                                  root=str(preview.served), mount_path=mount_path,
                                  polling_interval=interval)
        server.observer = Observer(interval, poll=args.poll)  # before anything is watched
        # MkDocs builds once no change came for build_delay (its default: 0.1 s). The
        # system tells of a save's few changes (a new file, renamed over the old) within
        # a millisecond.
        server.build_delay = 0.02

        def error_handler(code: int) -> bytes | None:
            page = preview.served / f"{code}.html"
            return page.read_bytes() if code in (404, 500) and page.is_file() else None

        server.error_handler = error_handler
        _show_errors_in_pages(server, preview)
        try:
            if not preview.build(config):
                return 1
            watched = [root / "sources", root / "templates", root / "brief.yml",
                       config_file or root / "mkdocs.yml", DEFAULT_TEMPLATES, THEME_OVERRIDES]
            for path in dict.fromkeys(p.resolve() for p in watched if p.exists()):
                server.watch(str(path))
            _watch_docs(server, preview)
            server = config.plugins.on_serve(server, config=config, builder=preview.build)
            for item in config.watch:
                server.watch(item)
            try:
                server.server_bind()  # (what serve() does first; fails if the port is taken)
            except OSError as exc:
                print(f"error: cannot serve on {host}:{port}: {exc.strerror or exc}",
                      file=sys.stderr)
                print("hint: another server may be running there; choose another port "
                      "with --dev-addr 127.0.0.1:8001", file=sys.stderr)
                server.observer.stop()
                server.server_close()
                return 1
            server.server_bind = lambda: None  # bound already
            try:
                server.serve(open_in_browser=args.open)
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
        return 0
    except SiteConfigError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        preview.close()
