"""The MkDocs step on every core (`--jobs N`) or across machines (`--shard K/N` + merge).

An extension of MkDocs' own build (`mkdocs.commands.build.build`), not a rewrite: it
calls the same public steps and plugin events in the same order, and only splits the
per-page work (reading, Markdown, the theme template) between worker processes.

    parent:  on_config, on_pre_build, clean site/, get_files, on_files, get_navigation,
             on_nav                        (exactly as MkDocs)
    parent:  reads and renders the navigation's pages (every page's menu shows their
             titles: the navigation is fixed and small by design)
    workers: each takes a slice of the pages (balanced by Markdown size); it reads and
             renders its slice, runs on_env, and builds its slice (on_page_context, the theme, on_post_page), writing the
             HTML into site/. It hands back, per page, the search-index entries, the
             anchors the page has and the anchors it links to.
    parent:  copies the static files (while the workers run), on_env, the theme's
             static templates (404.html, sitemap.xml), checks every anchor link across
             all pages, puts the search entries together in page order, on_post_build
             (the search plugin writes the index), and aborts on any warning (--strict).

The output is byte for byte that of MkDocs' serial build (tests/test_sitebuild.py).
Workers are forked (`os.fork`): they inherit the loaded config, files and navigation.

Supported plugins: the search plugin (Material's or MkDocs' own) and hooks or plugins
that only act on each page (`on_page_*`, `on_post_page`), which must say so with a
module or class attribute `BRIEF_PARALLEL_SAFE = True` (brief/sanitize.py does). With
any other plugin, with `--jobs 1`, without `os.fork` (Windows), with other threads
running (the live preview) or with fewer than two pages per worker, the build falls
back to MkDocs' own serial `build()`.

Sharding (`--shard K/N`): one machine builds slice K of N (the same deterministic
partition), writing its HTML and a `.brief-shard.json` (search entries and anchors of
its pages, and a fingerprint of docs/); shard 1 also writes the static files and
templates. `merge()` puts N such folders together, checks the anchors across all
pages and writes the search index: the result equals a one-machine build.
"""
from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import pickle
import selectors
import shutil
import struct
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .parallel import fork_with_pipe
from .progress import Progress

log = logging.getLogger("mkdocs.brief.sitebuild")

SHARD_FILE = ".brief-shard.json"
# Search plugins whose index this module knows how to fill (class path -> entries attribute).
_SEARCH_PLUGINS = {
    "material.plugins.search.plugin.SearchPlugin": "entries",
    "mkdocs.contrib.search.SearchPlugin": "_entries",
}



class ShardError(Exception):
    """Shards that do not fit together (other docs/, missing or repeated parts)."""


# Below this many pages per worker the workers' start costs more than it saves
# (the default --jobs then builds serially).
MIN_PAGES_PER_JOB = 50


def _count_pages(config) -> int:
    n = 0
    for _, _, names in os.walk(config.docs_dir):
        n += sum(1 for name in names if name.endswith(".md"))
    return n


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def parse_shard(text: str) -> tuple[int, int]:
    """'K/N' -> (K, N) with 1 <= K <= N; ValueError otherwise."""
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard expects K/N, such as 1/2, not {text!r}") from None
    if not 1 <= k <= n:
        raise ValueError(f"--shard {text}: K must be between 1 and N")
    return k, n


def _qualname(obj: Any) -> str:
    cls = obj if isinstance(obj, type) else type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def unsupported_plugins(config) -> list[str]:
    """The plugins and hooks the parallel build cannot split (see the docstring)."""
    bad = []
    for name, plugin in config.plugins.items():
        if _qualname(plugin) in _SEARCH_PLUGINS:
            continue
        if getattr(plugin, "BRIEF_PARALLEL_SAFE", False):
            continue
        bad.append(name)
    return bad


def _search_entries(config) -> list | None:
    for plugin in config.plugins.values():
        attr = _SEARCH_PLUGINS.get(_qualname(plugin))
        if attr and getattr(plugin, "config", {}).get("enabled", True) is not False:
            index = getattr(plugin, "search_index", None)
            if index is not None:
                return getattr(index, attr)
    return None


def partition(sizes: list[int], parts: int) -> list[list[int]]:
    """Indexes of `sizes` in `parts` bins of about equal total size (largest first into
    the lightest bin; deterministic, so every machine of a sharded build agrees)."""
    bins: list[list[int]] = [[] for _ in range(parts)]
    load = [0] * parts
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        b = min(range(parts), key=lambda b: (load[b], b))
        bins[b].append(i)
        load[b] += sizes[i] + 1
    return [sorted(b) for b in bins]


@dataclass
class _Build:
    """What the parent prepared and the workers inherit."""

    config: Any
    files: Any
    nav: Any
    env: Any
    doc_files: list
    nav_uris: set[str] = field(default_factory=set)


def _prepare(config) -> _Build:
    """MkDocs' build() up to the navigation, step for step."""
    from mkdocs import utils
    from mkdocs.structure.files import get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    log.info("Cleaning site directory")
    utils.clean_directory(config.site_dir)
    log.info(f"Building documentation to directory: {config.site_dir}")
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    doc_files = list(files.documentation_pages())
    for file in doc_files:
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
    b = _Build(config, files, nav, env, doc_files,
               {p.file.src_uri for p in nav.pages if p.file is not None})
    # The navigation's pages are read once, here, before the workers start: every page
    # shows their titles in the menu, and the workers inherit them.
    from mkdocs.commands.build import _populate_page
    for file in doc_files:
        if file.src_uri in b.nav_uris:
            _populate_page(file.page, config, files)
    return b


def _slices(b: _Build, parts: int) -> list[list[int]]:
    sizes = []
    for f in b.doc_files:
        try:
            sizes.append(os.path.getsize(f.abs_src_path))
        except (OSError, TypeError):
            sizes.append(0)
    return partition(sizes, parts)


def _count_warnings(attach: bool = True):
    """MkDocs' own way of counting warnings for --strict: a CountHandler on its logger
    (the caller removes it with `logging.getLogger("mkdocs").removeHandler`)."""
    from mkdocs import utils

    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if attach:
        logging.getLogger("mkdocs").addHandler(counter)
    return counter


def _work(b: _Build, build: list[int], tick: Callable[[int], None] | None = None) -> dict:
    """Read, render and build the slice (the navigation's pages are read already).

    Returns per page its search entries and anchors, plus the warnings counted."""
    from mkdocs.commands.build import _build_page, _populate_page

    config, files = b.config, b.files
    counter = _count_warnings()
    try:
        mine = {b.doc_files[i].src_uri for i in build}
        for file in b.doc_files:
            if file.src_uri in mine and file.src_uri not in b.nav_uris:
                _populate_page(file.page, config, files)
        env = config.plugins.on_env(b.env, config=config, files=files)
        entries = _search_entries(config)
        pages: dict[str, dict] = {}
        for n, i in enumerate(build, 1):
            file = b.doc_files[i]
            page = file.page
            start = len(entries) if entries is not None else 0
            _build_page(page, config, b.doc_files, b.nav, env)
            pages[file.src_uri] = {
                "state": _page_states(config, page),
                "search": entries[start:] if entries is not None else [],
                "anchors": sorted(page.present_anchor_ids or ()),
                "links": _links_by_path(page),
            }
            if tick:
                tick(n)
        return {"pages": pages,
                "warnings": sum(c for _, c in counter.get_counts())}
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)


def _page_states(config, page) -> dict:
    """What each plugin that keeps per-page state found on this page (a plugin marked
    BRIEF_PARALLEL_SAFE may define `brief_page_state(page)`, returning JSON-able data,
    and `brief_restore_state(page, state)`, which the parent calls before post_build)."""
    out = {}
    for name, plugin in config.plugins.items():
        get = getattr(plugin, "brief_page_state", None)
        if get is not None:
            state = get(page)
            if state is not None:
                out[name] = state
    return out


def _restore_page_states(config, page, states: dict) -> None:
    for name, state in states.items():
        config.plugins[name].brief_restore_state(page, state)


def _restore_states(b: _Build, pages: dict[str, dict]) -> None:
    for file in b.doc_files:
        _restore_page_states(b.config, file.page, pages.get(file.src_uri, {}).get("state", {}))


def _links_by_path(page) -> dict[str, dict]:
    """The page's links to anchors, as data another process can send: target path ->
    {anchor: link text} (MkDocs keys them by File)."""
    return {to.src_uri: dict(links) for to, links in (page.links_to_anchors or {}).items()}


def _links_to_files(files, links: dict[str, dict]) -> dict:
    """`_links_by_path`'s data keyed by this process's File objects again."""
    out = {}
    for uri, anchors in links.items():
        to = files.get_file_from_path(uri)
        if to is not None:
            out[to] = anchors
    return out


def _check_anchors(b: _Build, pages: dict[str, dict]) -> None:
    """MkDocs' anchor validation, across all pages, from what the workers found."""
    for file in b.doc_files:
        data = pages.get(file.src_uri)
        if data is not None:
            file.page.present_anchor_ids = set(data["anchors"])
    for file in b.doc_files:
        data = pages.get(file.src_uri)
        if data is None:
            continue
        file.page.links_to_anchors = _links_to_files(b.files, data["links"])
        file.page.validate_anchor_links(files=b.files,
                                        log_level=b.config.validation.links.anchors)


def _finish(b: _Build, pages: dict[str, dict], warnings: int, counter) -> None:
    """Anchors, search index, post_build, strict mode: the parent's end of the build."""
    from mkdocs.exceptions import Abort

    _check_anchors(b, pages)
    _restore_states(b, pages)
    entries = _search_entries(b.config)
    if entries is not None:
        entries[:] = [e for f in b.doc_files for e in pages[f.src_uri]["search"]]
    b.config.plugins.on_post_build(config=b.config)
    counts = dict(counter.get_counts())
    if warnings:
        counts["WARNING"] = counts.get("WARNING", 0) + warnings
    if b.config.strict and counts:
        msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts.items())
        raise Abort(f"Aborted with {msg} in strict mode!")


def _page_dests(b: _Build) -> set[str]:
    return {f.dest_uri for f in b.doc_files}


def _copy_static_files(b: _Build) -> None:
    """files.copy_static_files(), less what a page overwrites in the serial build (the
    workers write pages meanwhile; MkDocs writes static files first, pages last)."""
    pages = _page_dests(b)
    for file in b.files:
        if (not file.is_documentation_page() and file.inclusion.is_included()
                and file.dest_uri not in pages):
            file.copy_file(False)


def _static_templates(b: _Build) -> None:
    """The theme's static templates and the extra templates, less those a page
    overwrites in the serial build (e.g. docs/404.md)."""
    from mkdocs.commands.build import _build_extra_template, _build_theme_template

    pages = _page_dests(b)
    env = b.config.plugins.on_env(b.env, config=b.config, files=b.files)
    for template in b.config.theme.static_templates:
        if template not in pages:
            _build_theme_template(template, env, b.files, b.config, b.nav)
    for template in b.config.extra_templates:
        file = b.files.get_file_from_path(template)
        if file is None or file.dest_uri not in pages:
            _build_extra_template(template, b.files, b.config, b.nav)


# -- worker processes -----------------------------------------------------------------------

# CPU seconds of each worker of the last parallel build (for `build.py --timings`: on a
# loaded machine the workers' CPU time shows the split better than wall time).
WORKERS_CPU: list[float] = []


class _Worker:
    def __init__(self, b: _Build, index: int, build: list[int], counters: mmap.mmap):
        def tick(n: int) -> None:
            counters[8 * index:8 * index + 8] = struct.pack("q", n)

        def child() -> tuple[bytes, int]:  # build the slice, send the result
            try:
                return pickle.dumps(("ok", _work(b, build, tick)), pickle.HIGHEST_PROTOCOL), 0
            except BaseException as exc:  # noqa: BLE001 - everything goes to the parent
                return pickle.dumps(("error", _describe(exc))), 1

        pid, r = fork_with_pipe(child)
        self.pid, self.fd, self.data = pid, r, bytearray()

    def stop(self) -> None:
        for step in (lambda: os.kill(self.pid, 9), lambda: os.waitpid(self.pid, 0)):
            try:
                step()
            except OSError:
                pass


def _describe(exc: BaseException) -> tuple[str, str]:
    from mkdocs.exceptions import BuildError
    if isinstance(exc, KeyboardInterrupt):
        return ("interrupt", "")
    if isinstance(exc, (BuildError, SystemExit)):
        return ("build", str(exc))
    return ("bug", "".join(traceback.format_exception(exc)))


def _raise(kind: str, message: str) -> None:
    from mkdocs.exceptions import Abort, BuildError
    if kind == "interrupt":
        raise KeyboardInterrupt
    if kind == "build":
        raise (Abort if message.startswith("Aborted") else BuildError)(message)
    raise RuntimeError(f"a build worker failed:\n{message}")


def _run_workers(b: _Build, slices: list[list[int]], progress: Callable[[int, int], None] | None,
                 while_waiting: Callable[[], None]) -> list[dict]:
    total = sum(len(s) for s in slices)
    counters = mmap.mmap(-1, 8 * len(slices))
    workers: list[_Worker] = []
    try:
        for i, s in enumerate(slices):
            workers.append(_Worker(b, i, s, counters))
        while_waiting()
        sel = selectors.DefaultSelector()
        for w in workers:
            sel.register(w.fd, selectors.EVENT_READ, w)
        open_ = len(workers)
        while open_:
            for key, _ in sel.select(timeout=0.25):
                w = key.data
                chunk = os.read(w.fd, 1 << 20)
                if chunk:
                    w.data += chunk
                else:
                    sel.unregister(w.fd)
                    os.close(w.fd)
                    open_ -= 1
            if progress:
                done = sum(struct.unpack_from("q", counters, 8 * i)[0] for i in range(len(slices)))
                progress(done, total)
        sel.close()
        results = []
        WORKERS_CPU.clear()
        for w in workers:
            _, _, usage = os.wait4(w.pid, 0)
            WORKERS_CPU.append(usage.ru_utime + usage.ru_stime)
            w.pid = 0
            try:
                status, value = pickle.loads(bytes(w.data))
            except Exception:  # noqa: BLE001 - the worker died before it could say why
                raise RuntimeError("a build worker died before it finished") from None
            if status != "ok":
                _raise(*value)
            results.append(value)
        return results
    finally:
        for w in workers:
            if w.pid:
                w.stop()
        counters.close()


# -- the entry points -------------------------------------------------------------------------

def _stage(progress: Progress | None, name: str, total: int | None = None):
    import contextlib
    return progress.stage(name, total) if progress else contextlib.nullcontext()


class _Counter:
    """Counts the pages MkDocs' serial build has written (a plugin acting per page)."""

    BRIEF_PARALLEL_SAFE = True

    def __init__(self, stage):
        self.stage, self.n = stage, 0

    def on_files(self, files, **kwargs):
        self.stage.update(0, len(files.documentation_pages()))
        return files

    def on_post_page(self, output, **kwargs):
        self.n += 1
        self.stage.update(self.n)
        return output

def can_split(config, jobs: int) -> str | None:
    """None if the build can be split into `jobs` workers, else why not."""
    if jobs <= 1:
        return "--jobs 1"
    bad = unsupported_plugins(config)
    if bad:
        return f"plugin(s) not known to be safe in parallel: {', '.join(bad)}"
    if not hasattr(os, "fork"):
        return "no os.fork on this system"
    if threading.active_count() > 1:
        return "other threads are running"
    return None


def build(config, jobs: int | None = None, progress: Progress | None = None) -> None:
    """Build the site like `mkdocs.commands.build.build(config)`, on `jobs` processes."""
    from mkdocs.commands.build import build as serial_build
    from mkdocs.exceptions import BuildError

    if jobs is None:  # every CPU, for a brief big enough to gain from it
        jobs = default_jobs() if _count_pages(config) >= MIN_PAGES_PER_JOB * 2 else 1
    why = can_split(config, jobs)
    if why:
        if jobs > 1:
            log.info(f"Building on one process: {why}")
        with _stage(progress, "pages") as stage:
            if stage is not None:
                config.plugins["brief-progress"] = _Counter(stage)
            return serial_build(config)
    counter = _count_warnings(attach=config.strict)
    logger = logging.getLogger("mkdocs")
    try:
        start = time.monotonic()
        b = _prepare(config)
        jobs = min(jobs, max(1, len(b.doc_files) // 2))
        slices = _slices(b, jobs)
        with _stage(progress, "pages", len(b.doc_files)) as stage:
            results = _run_workers(b, slices, stage and stage.update,
                                   lambda: _copy_static_files(b))
        with _stage(progress, "search index and site"):
            pages = {k: v for r in results for k, v in r["pages"].items()}
            _static_templates(b)
            _finish(b, pages, sum(r["warnings"] for r in results), counter)
        log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds "
                 f"on {jobs} processes")
    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            from mkdocs.exceptions import Abort
            log.error(str(e))
            raise Abort("Aborted with a BuildError!")
        raise
    finally:
        logger.removeHandler(counter)


def docs_fingerprint(docs_dir: str | Path) -> str:
    """A hash of every file under docs/ (path and bytes): shards must share it."""
    h = hashlib.sha256()
    root = Path(docs_dir)
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def build_shard(config, k: int, n: int, jobs: int | None = None,
                progress: Progress | None = None) -> None:
    """Build part K of N of the site into site_dir, with its SHARD_FILE for merge()."""

    jobs = default_jobs() if jobs is None else jobs
    bad = unsupported_plugins(config)
    if bad:
        raise ShardError(f"cannot shard a build with the plugin(s) {', '.join(bad)}")
    counter = _count_warnings()
    logger = logging.getLogger("mkdocs")
    try:
        b = _prepare(config)
        mine = _slices(b, n)[k - 1]
        parts = min(jobs, max(1, len(mine) // 2))
        if can_split(config, parts) is None and parts > 1:
            sub = partition([0] * len(mine), parts)  # equal counts within a shard
            sub = [[mine[i] for i in s] for s in sub]
            with _stage(progress, "pages", len(mine)) as stage:
                results = _run_workers(b, sub, stage and stage.update,
                                       (lambda: _copy_static_files(b)) if k == 1
                                       else (lambda: None))
        else:
            if k == 1:
                _copy_static_files(b)
            results = [_work(b, mine)]
        if k == 1:
            _static_templates(b)
        warnings = sum(r["warnings"] for r in results) + sum(c for _, c in counter.get_counts())
        if config.strict and warnings:
            from mkdocs.exceptions import Abort
            raise Abort(f"Aborted with {warnings} warnings in strict mode!")
        data = {"shard": k, "of": n, "docs": docs_fingerprint(config.docs_dir),
                "pages": {key: v for r in results for key, v in r["pages"].items()}}
        Path(config.site_dir, SHARD_FILE).write_text(
            json.dumps(data, ensure_ascii=False, default=str), "utf-8")
    finally:
        logger.removeHandler(counter)


def merge(config, shard_dirs: list[Path]) -> None:
    """Assemble the site from the folders of N shards built from the same docs/."""

    shards: dict[int, dict] = {}
    fingerprint = docs_fingerprint(config.docs_dir)
    for d in shard_dirs:
        f = Path(d) / SHARD_FILE
        if not f.is_file():
            raise ShardError(f"{d}: not a shard's output (no {SHARD_FILE})")
        data = json.loads(f.read_text("utf-8"))
        if data["docs"] != fingerprint:
            raise ShardError(f"{d}: shard {data['shard']}/{data['of']} was built from other "
                             "docs/ than this build's: build every shard from the same commit")
        if data["shard"] in shards:
            raise ShardError(f"{d}: shard {data['shard']}/{data['of']} given twice")
        shards[data["shard"]] = {**data, "dir": Path(d)}
    ns = {s["of"] for s in shards.values()}
    if len(ns) != 1 or set(shards) != set(range(1, next(iter(ns)) + 1)):
        missing = sorted(set(range(1, max(ns) + 1)) - set(shards)) if ns else []
        raise ShardError(f"shards do not make a whole site: missing {missing or 'all'}")
    counter = _count_warnings()
    logger = logging.getLogger("mkdocs")
    try:
        b = _prepare(config)
        pages = {key: v for s in shards.values() for key, v in s["pages"].items()}
        missing = [f.src_uri for f in b.doc_files if f.src_uri not in pages]
        if missing:
            raise ShardError(f"no shard built {missing[0]} ({len(missing)} page(s) missing)")
        for k in sorted(shards):
            src = shards[k]["dir"]
            shutil.copytree(src, config.site_dir, dirs_exist_ok=True,
                            ignore=lambda d, names: [SHARD_FILE] if Path(d) == src else [])
        _finish(b, pages, 0, counter)
    finally:
        logger.removeHandler(counter)


@dataclass
class Options:
    """How build.py asks for the MkDocs step: `--jobs`, `--shard K/N`, `--merge DIR...`."""

    jobs: int | None = None  # None: every CPU this process may use
    shard: tuple[int, int] | None = None
    merge: list[Path] | None = None
    progress: Progress | None = None


def run(config, options: Options | None = None) -> None:
    """The MkDocs step of build.py for a loaded config (publish.run_mkdocs calls this)."""
    o = options or Options()
    if o.merge:
        return merge(config, o.merge)
    if o.shard:
        return build_shard(config, *o.shard, jobs=o.jobs, progress=o.progress)
    return build(config, o.jobs, o.progress)
