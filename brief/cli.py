"""Command line: `python build.py [BRIEF] [--check]` and its subcommands.

A traceback is a bug: problems in the brief are printed one per line as
`path:line:col: error: message` and the exit status is 1; usage errors exit 2.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import time
from pathlib import Path

from .problems import Problems

# name -> (module in this package defining add_arguments(parser) and run(args) -> int, help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "import": ("importer", "turn a raw article text file into a source file"),
    "schema": ("schema", "write or check the JSON Schemas of the YAML files; add schema lines"),
    "serve": ("serve", "live preview: regenerate on every edit and serve the site"),
    "new": ("new", "append a new event or FAQ entry skeleton to the right file"),
    "init": ("init", "create a new, buildable brief in a new or empty folder"),
    "config": ("siteconfig", "print the MkDocs settings a build uses, for plain mkdocs -f"),
    "dossier": ("dossier_command", "build the site with the one-file dossier as PDF too (needs Chromium)"),
}


# Packages the generator needs (requirements.txt): a missing one is a set-up problem.
MISSING_HINTS = {"mkdocs", "material", "jinja2", "markupsafe", "yaml", "nh3", "markdown",
                 "watchdog", "pymdownx", "yaml_env_tag", "click"}


def _internal_error(exc: BaseException) -> int:
    """A bug, not the user's mistake: one line, never a traceback (BRIEF_DEBUG=1 shows it)."""
    print(f"error: internal error in build.py ({type(exc).__name__}: {exc}); "
          "docs/ and site/ are unchanged. This is a bug: run again with BRIEF_DEBUG=1 "
          "for the traceback and report it", file=sys.stderr)
    return 1


def report(problems: Problems, root: Path | None = None) -> None:
    from . import annotations

    for p in problems.sorted():
        print(p.format(), file=sys.stderr)
    if annotations.enabled():  # on GitHub: the same problems, shown on their lines in the PR
        prefix = annotations.prefix_for(root)
        for p in problems.sorted():
            print(annotations.annotation(p, prefix), flush=True)
    n_err, n_warn = len(problems.errors), len(problems.warnings)
    if n_err:
        print(f"{n_err} error(s), {n_warn} warning(s): nothing was written; "
              "docs/ and site/ are unchanged", file=sys.stderr)


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Unix
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _workers_cpu() -> str:
    from .sitebuild import WORKERS_CPU
    return (f", workers CPU: {' + '.join(f'{c:.2f}s' for c in WORKERS_CPU)}"
            if WORKERS_CPU else "")


def run_build(root: Path, check: bool, config: Path | None, timings: bool = False,
              cache: bool = True, options=None, dossier_pdf: bool = False,
              build_options=None) -> int:
    from .parallel import one_process
    try:  # --jobs 1: the generate step on one CPU too
        with one_process(getattr(build_options, "jobs", None) == 1):
            return _run_build(root, check, config, timings, cache, options, dossier_pdf,
                              build_options)
    finally:
        gc.unfreeze()  # (see below; a second build in the same process starts afresh)


def _run_build(root: Path, check: bool, config: Path | None, timings: bool,
               cache: bool, options, dossier_pdf: bool, build_options) -> int:
    from .pipeline import generate
    from .handwritten import check_hand_written
    from .siteconfig import Options, check_config

    options = options or Options()

    started = time.perf_counter()
    problems = Problems()
    if not root.is_dir():
        print(f"error: {root} is not a folder", file=sys.stderr)
        return 2
    from . import cache as cache_mod

    from .progress import Progress
    progress = Progress()
    if build_options is not None:
        build_options.progress = progress
    key = cache_mod.input_key(root) if cache and not check else ""
    pages = cache_mod.load(root, key, problems) if key else None  # unchanged since last build
    cached = pages is not None
    if not cached:
        # The generate step builds millions of small objects that all live until it ends;
        # the cyclic GC would scan them again and again for nothing (about 15% of the
        # step at 10,000 events, benchmarks/RESULTS.md). Off for the step, on for MkDocs.
        gc_enabled = gc.isenabled()
        gc.disable()
        try:
            with progress.stage("generate"):
                pages = generate(root, problems, dossier_pdf=dossier_pdf)
        finally:
            if gc_enabled:
                gc.enable()
    # What is alive now (the modules, the pages) lives to the end: out of the cyclic GC's
    # sight, so that MkDocs' collections do not scan it again and again, and the forked
    # workers of the parallel build do not copy the pages it touches (gc.freeze's use).
    gc.freeze()
    generated, generate_peak = time.perf_counter(), _peak_mb()
    check_config(root, config, options, problems)  # the brief's own mkdocs.yml, if any
    if pages is not None:
        check_hand_written(root, pages, problems)
    from .handwritten import check_docs

    check_docs(root, problems)  # not cached: docs/ is not an input of the generate step
    if problems.errors:
        pages = None
    report(problems, root)
    if pages is None:
        return 1
    if check:
        print(f"ok: {root} is valid ({len(pages)} pages would be generated)")
        return 0
    from .publish import PublishError, publish

    try:
        written = publish(root, pages, config, options, build_options)
    except PublishError as exc:
        print(f"error: the site build failed: {exc}", file=sys.stderr)
        print("docs/ and site/ are unchanged", file=sys.stderr)
        return 1
    if key and not cached:
        cache_mod.save(root, key, pages, problems)
    print(f"built {root / 'site'} from {len(pages)} generated pages "
          f"({len(written)} changed in docs/) in {time.perf_counter() - started:.1f}s")
    if timings:  # for benchmarks/bench.py; mkdocs = the publish step (MkDocs + writing docs/)
        print(f"timings: generate: {generated - started:.3f}s{' (cached)' if cached else ''}, "
              f"mkdocs: {time.perf_counter() - generated:.3f}s, "
              f"peak memory: generate {generate_peak:.0f} MB, whole build {_peak_mb():.0f} MB"
              + _workers_cpu())
    return 0


def _prog() -> str:
    """`brief` when run as the installed command, else `build.py`."""
    return "brief" if Path(sys.argv[0]).name == "brief" else "build.py"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            module, help_ = SUBCOMMANDS[argv[0]]
            mod = importlib.import_module(f"brief.{module}")
            p = argparse.ArgumentParser(prog=f"{_prog()} {argv[0]}", description=help_)
            mod.add_arguments(p)
            return mod.run(p.parse_args(argv[1:]))
        p = argparse.ArgumentParser(
            prog=_prog(),
            description="Validate a research brief, verify its citations, generate its pages "
                        "into docs/ and build the site into site/ with MkDocs (--strict).",
            epilog="subcommands: " + "; ".join(f"{k}: {v[1]}" for k, v in SUBCOMMANDS.items()))
        p.add_argument("brief", nargs="?", default=".", type=Path,
                       help="the brief's folder (default: the current folder)")
        p.add_argument("--check", action="store_true",
                       help="only validate and verify citations; write nothing")
        p.add_argument("--config", type=Path, default=None,
                       help="extra MkDocs settings, merged over the generator's "
                            "(default: BRIEF/mkdocs.yml, if there is one)")
        from .siteconfig import add_trust_arguments, trust_options

        add_trust_arguments(p)
        p.add_argument("--timings", action="store_true",
                       help="print how long generating and the MkDocs build took")
        p.add_argument("--no-cache", action="store_true",
                       help="generate every page even if no input changed since the last build "
                            "(the cache is BRIEF/.brief-cache)")
        p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                       help="MkDocs pages are built by N processes (default: every CPU this "
                            "process may use; 1: MkDocs' own serial build)")
        p.add_argument("--shard", default=None, metavar="K/N",
                       help="build only part K of N of the site (for a CI matrix); "
                            "assemble the parts with --merge")
        p.add_argument("--merge", nargs="+", type=Path, default=None, metavar="DIR",
                       help="assemble site/ from the site folders of every --shard K/N build")
        args = p.parse_args(argv)
        from .sitebuild import Options as BuildOptions
        from .sitebuild import parse_shard
        try:
            shard = parse_shard(args.shard) if args.shard else None
        except ValueError as exc:
            p.error(str(exc))
        if args.jobs is not None and args.jobs < 1:
            p.error("--jobs must be 1 or more")
        if shard and args.merge:
            p.error("--shard and --merge are two steps: run them separately")
        build_options = BuildOptions(jobs=args.jobs, shard=shard,
                                     merge=[d.resolve() for d in args.merge] if args.merge
                                     else None)
        return run_build(args.brief.resolve(), args.check, args.config, args.timings,
                         cache=not args.no_cache, options=trust_options(args),
                         build_options=build_options)
    except KeyboardInterrupt:
        print("interrupted: docs/ and site/ are unchanged", file=sys.stderr)
        return 130
    except ImportError as exc:  # run with a Python that lacks the pinned packages
        if exc.name and exc.name.split(".")[0] in MISSING_HINTS:
            print(f"error: the Python package '{exc.name.split('.')[0]}' is not installed in "
                  f"{sys.executable}", file=sys.stderr)
            print("hint: run `bash scripts/setup.sh` once and use .venv/bin/python build.py, or "
                  "install the generator with `pip install .` and run `brief`", file=sys.stderr)
            return 1
        if os.environ.get("BRIEF_DEBUG"):
            raise
        return _internal_error(exc)
    except Exception as exc:  # a bug, not the user's mistake: say so in one line
        if os.environ.get("BRIEF_DEBUG"):
            raise
        return _internal_error(exc)
