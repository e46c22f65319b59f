"""Publishing: MkDocs builds the site from the generated pages, atomically.

MkDocs' own `--strict` leaves a fully written site/ behind when it fails, and a
generator that wrote docs/ first would leave docs/ changed. So the build happens in
staging folders beside docs/ and site/; only when MkDocs succeeded are the changed
pages written into docs/ and the new site swapped in. A failure of any kind
(bad input, a warning under --strict, an exception, Ctrl-C) removes the staging
folders and leaves docs/ and site/ exactly as they were.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from .models import Page
# The generator's own MkDocs settings (THEME_OVERRIDES and add_* re-exported for callers)
from .siteconfig import (THEME_OVERRIDES, Options, SiteConfigError,  # noqa: F401
                         add_sanitizer, add_search_landing, add_theme_overrides)
from .write import write_pages

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")


class PublishError(Exception):
    pass


class _Printer(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        level = "error" if record.levelno >= logging.ERROR else "warning"
        print(f"mkdocs: {level}: {msg}", file=sys.stderr)


def source_date_epoch(root: Path) -> str:
    """Reproducible builds: honour SOURCE_DATE_EPOCH, else use the last commit's time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return out if out.isdigit() else "315532800"  # 1980-01-01, as zip and wheel tools use


def _link_tree(src: Path, dst: Path) -> None:
    """Stage a copy of docs/ cheaply: hard links where possible (pages are replaced,
    never edited in place, so the originals are never modified)."""
    def link(s, d):
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)
    if src.is_dir():
        shutil.copytree(src, dst, copy_function=link, symlinks=True)
    else:
        dst.mkdir(parents=True)


def run_mkdocs(root: Path, docs_dir: Path, site_dir: Path, config_file: Path | None = None,
               options: Options = Options(), generated: set[str] | None = None,
               build_options=None) -> None:
    """`options`: the brief's trust options (siteconfig.Options); `build_options`: how
    MkDocs runs (sitebuild.Options: --jobs, --shard, --merge; the default builds on every
    CPU, brief/sitebuild.py)."""
    from mkdocs import exceptions

    from .siteconfig import load_site_config

    from . import sitebuild

    logger = logging.getLogger("mkdocs")
    handler = _Printer(level=logging.WARNING)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        cfg = load_site_config(root, docs_dir, site_dir, config_file=config_file,
                               options=options, generated=generated)
        sitebuild.run(cfg, build_options)
    except (exceptions.MkDocsException, sitebuild.ShardError) as exc:
        raise PublishError(str(exc)) from None
    except SiteConfigError as exc:
        raise PublishError(str(exc)) from None
    finally:
        logger.removeHandler(handler)


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM (a CI timeout, `kill`) stops the build as Ctrl-C does, so the staging
    folders are removed and docs/ and site/ left as they were, instead of dying on the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _ctrl_c_deferred():
    """Hold Ctrl-C (SIGINT) and SIGTERM while docs/ and site/ are being swapped: a swap cut
    half-way would leave no site/ at all. The build is complete by then, so it finishes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: received.append(signum))
                for s in _STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if received:
            print("interrupt received while the new site was being put in place; "
                  "the build completed", file=sys.stderr)


def publish(root: Path, pages: list[Page], config_file: Path | None = None,
            options: Options = Options(), build_options=None) -> list[str]:
    """Build the site; on success update docs/ and swap in site/. Returns the docs/ files
    written. `build_options`: how MkDocs runs (sitebuild.Options)."""
    with _terminate_as_interrupt():
        return _publish(root, pages, config_file, options, build_options)


def _publish(root: Path, pages: list[Page], config_file: Path | None,
             options: Options, build_options=None) -> list[str]:
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(root)
    docs, site = root / "docs", root / "site"
    tag = f"{os.getpid()}"
    stage_docs, stage_site = root / f".docs.staging-{tag}", root / f".site.staging-{tag}"
    old_site = root / f".site.old-{tag}"
    try:
        for d in (stage_docs, stage_site):  # left by a killed run that had our pid
            shutil.rmtree(d, ignore_errors=True)
        _link_tree(docs, stage_docs)
        try:
            write_pages(stage_docs, pages)
        except ValueError as exc:  # an output path that would leave docs/
            raise PublishError(str(exc)) from None
        run_mkdocs(root, stage_docs, stage_site, config_file, options,
                   generated={p.path for p in pages}, build_options=build_options)
        with _ctrl_c_deferred():
            report = write_pages(docs, pages)
            if site.exists():
                site.rename(old_site)
            stage_site.rename(site)
        return report.written
    finally:
        if old_site.exists() and not site.exists():  # the swap failed half-way: put it back
            old_site.rename(site)
        for d in (stage_docs, stage_site, old_site):
            shutil.rmtree(d, ignore_errors=True)
        # Restore it, so a second build in the same process (tests) takes its own date.
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch
