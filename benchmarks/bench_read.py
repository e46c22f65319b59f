#!/usr/bin/env python3
"""Timings of reading a brief: load_brief + check_page_paths + resolve_citations (issue 13).

    .venv/bin/python benchmarks/bench_read.py [--size large] [--repeat 5] [--root DIR]
        [--code DIR] [--one-cpu]

1. Full read: the three steps on a fresh process's first look at the brief (no cache),
   as `build.py` runs them (cyclic GC off, as brief/cli.py turns it off for the step).
2. Cached re-read: the live preview's case. A ReadCache is filled by one read; then,
   each time, one event's title in one events file is edited and the brief read again
   with the cache (brief/readcache.py).

The brief is synthesised by benchmarks/bench.py's `synthesise` (sizes as in its SIZES)
into a temporary folder, or read from --root (copied first: the edits must not touch it).
Prints the best and median of --repeat runs, wall and CPU seconds, and the load
average; not a test: the numbers depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench", bench)  # dataclasses look their module up there
_spec.loader.exec_module(bench)


def use_code(code: Path) -> None:
    """Import brief/ from `code` (a checkout, or `git archive REV brief | tar -x -C DIR`)."""
    sys.path.insert(0, str(code))
    global Problems, ReadCache, load_brief, check_page_paths, resolve_citations
    from brief.citations import resolve_citations
    from brief.data import load_brief
    from brief.pagepaths import check_page_paths
    from brief.problems import Problems
    try:
        from brief.readcache import ReadCache
    except ImportError:  # older code: no cached re-read to measure
        ReadCache = None


def read(root: Path, cache=None):
    problems = Problems()
    if cache is None:
        brief = load_brief(root, problems)
        check_page_paths(brief, problems)
        resolve_citations(brief, problems)
    else:
        brief = load_brief(root, problems, cache=cache)
        check_page_paths(brief, problems)
        resolve_citations(brief, problems, cache=cache)
    return problems


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def summary(label: str, runs: list[tuple[float, float]]) -> str:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    return (f"{label:16s} wall best {min(walls):.3f} s, median {statistics.median(walls):.3f} s; "
            f"CPU best {min(cpus):.3f} s, median {statistics.median(cpus):.3f} s "
            f"({len(runs)} runs)")


def edit_title(path: Path, n: int) -> None:
    """Change the first event title in `path` (a different text each time)."""
    text = path.read_text("utf-8")
    at = text.index("  title: ") + len("  title: ")
    at += text[at] in "\"'"  # inside the quotes of a quoted title
    if n:
        text = text[:at] + text[at:].replace(f"Edited{n - 1} ", "", 1)
    path.write_text(f"{text[:at]}Edited{n} {text[at:]}", "utf-8")


def measure(root: Path, repeat: int) -> list[str]:
    problems = read(root)  # warm the imports and the file system cache
    errors = len(problems.errors)
    full = [timed(lambda: read(root)) for _ in range(repeat)]
    if ReadCache is None:
        return [summary("full read", full), f"errors in the brief: {errors}"]
    cache = ReadCache()
    read(root, cache)
    events = sorted((root / "sources" / "events").glob("*.yml"))
    target = events[len(events) // 2]
    cached = []
    for n in range(repeat):
        edit_title(target, n)
        out: list[Problems] = []
        cached.append(timed(lambda: out.append(read(root, cache))))
        assert cache.misses == 1, (cache.hits, cache.misses)  # only the edited file
        assert len(out[0].errors) == errors, [p.format() for p in out[0].errors]
    return [summary("full read", full),
            summary("cached re-read", cached) + f"; edited {target.relative_to(root)}",
            f"errors in the brief: {errors}; files reused on a re-read: {cache.hits}"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="large", choices=sorted(bench.SIZES))
    ap.add_argument("--root", type=Path, help="read a copy of this brief instead")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--code", type=Path, default=REPO,
                    help="the folder holding the brief/ package to measure (default: this "
                         "checkout), e.g. an older revision's, to compare")
    ap.add_argument("--one-cpu", action="store_true",
                    help="read every events file in-process (no child on the second CPU)")
    args = ap.parse_args(argv)
    use_code(args.code)
    import brief
    import brief.data
    if args.one_cpu:
        brief.data.MIN_BYTES = float("inf")  # (parallelread.py forks only above it)
    print(f"code: {Path(brief.__file__).parent}" + (", one CPU" if args.one_cpu else ""))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "brief"
        if args.root:
            shutil.copytree(args.root, root, ignore=shutil.ignore_patterns("docs", "site"))
            what = str(args.root)
        else:
            counts = bench.SIZES[args.size]
            bench.synthesise(root, *counts)
            what = f"{args.size} ({counts[0]:,} sources, {counts[1]:,} events, {counts[2]:,} FAQ)"
        print(f"brief: {what}")
        print("load average %.2f %.2f %.2f before" % os.getloadavg())
        gc_enabled = gc.isenabled()
        gc.disable()  # as brief/cli.py does for the generate step
        try:
            lines = measure(root, args.repeat)
        finally:
            if gc_enabled:
                gc.enable()
        for line in lines:
            print(line)
        print("load average %.2f %.2f %.2f after" % os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
