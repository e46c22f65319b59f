"""Reading some of a brief's events files on the second CPU while the first reads the rest.

At the benchmark's `large` size (issue 13) parsing and checking the events files is about
three fifths of reading the brief, and nothing about one file depends on another until
the cross-file checks that follow. So `load_brief` hands the last events files (by name;
the later years are the larger ones) to a forked child (parallel.Background) and reads
the articles and the first events files itself. The child reads each of its files
exactly as the parent would, each with a Problems of its own, and sends back, per file,
the entries and the problems found in it (with the file's lines, which problems show);
`replay` adds them in file order, so the problems come out in the same order as a
reading on one CPU. Without a second CPU, or with other threads running (the live
preview), Background reads them in the parent when `replay` asks, in the same order.

A fork costs a few milliseconds and sending the entries back about a sixth of reading
them, so it is done only when there is enough to read (MIN_BYTES), and only when a CPU
looks idle (cpu_to_spare): on a machine busy with other work the child waits for a CPU
while the parent waits for the child, and reading on one CPU was measured faster there
(benchmarks/RESULTS.md). Either way the brief and the problems are the same.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from .parallel import Background, in_one_process
from .problems import Problems

# Events bytes below which everything is read in-process (about 0.1 s of work).
MIN_BYTES = 1_000_000
# Relative cost per byte of reading an events file (parse, check, build the entries)
# against an article, and of sending an events file's entries back through the pipe
# (measured at `large`: 0.124 s/MB, 0.039 s/MB, 0.022 s/MB).
EVENTS_COST, ARTICLE_COST, SEND_COST = 1.0, 0.31, 0.18


def cpu_to_spare() -> bool:
    """Whether another CPU is likely idle: fewer processes running right now (Linux's
    /proc/loadavg, this one included) than CPUs; elsewhere, the load average of the
    last minute under the number of CPUs less a half. (The load average alone lags: a
    build started right after another would see the first one's load.)"""
    cpus = os.cpu_count() or 1
    if cpus < 2 or in_one_process():  # (build.py --jobs 1)
        return False
    running = _running_now()
    if running is not None:
        return running < cpus
    try:
        return os.getloadavg()[0] < cpus - 0.5
    except OSError:  # (no load average: Windows has no fork either)
        return False


def _running_now() -> int | None:
    """Processes running or ready to run now, this one included (Linux), else None."""
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return int(f.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None


def child_share(sizes: list[int], article_bytes: int) -> int:
    """How many of the events files (the last ones) the child should read, so that both
    CPUs finish together; 0 when it does not pay."""
    total = sum(sizes)
    if total < MIN_BYTES:
        return 0
    # parent: articles + the first files; child: the last files + sending them back
    want = (ARTICLE_COST * article_bytes + EVENTS_COST * total) / (
        2 * EVENTS_COST + SEND_COST)
    n, got = 0, 0
    for size in reversed(sizes):
        if got + size / 2 > want:
            break
        got += size
        n += 1
    return n


def _read_all(read_one: Callable[[Path, Problems], list], paths: list[Path]) -> list:
    out = []
    for path in paths:
        problems = Problems()
        entries = read_one(path, problems)
        out.append((entries, problems.items, problems.lines))
    return out


class BackgroundReads:
    """`read_one(path, problems)` of each path, computed in a forked child."""

    def __init__(self, read_one: Callable[[Path, Problems], list], paths: list[Path]):
        self._work = Background(_read_all, read_one, list(paths))

    def replay(self, problems: Problems) -> list:
        """The entries of every file, in order; their problems are added to `problems`."""
        entries: list = []
        for found, items, lines in self._work.result():
            problems.items.extend(items)
            problems.lines.update(lines)
            entries += found
        return entries
