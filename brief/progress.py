"""Progress of a long build, stage by stage (generate, pages built, search index).

On a terminal: a progress bar per stage (tqdm) with the time left, shown only once a
stage has run for DELAY seconds, so a quick build prints nothing more. Elsewhere (CI,
a pipe, a log file): one line per stage on stderr with its time, `build: pages: 1515
in 41.2s`, and nothing while it runs; a stage quicker than DELAY prints nothing either way. Updates are throttled by tqdm (at most ten
redraws a second), so a bar costs nothing measurable; `BRIEF_PROGRESS=0` turns it all off.
"""
from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import Iterator, TextIO

DELAY = float(os.environ.get("BRIEF_PROGRESS_DELAY", "2"))  # seconds before a bar shows


class Stage:
    def __init__(self, name: str, total: int | None, stream: TextIO, tty: bool):
        self.name, self.total, self.stream, self.tty = name, total, stream, tty
        self.done = 0
        self.started = time.perf_counter()
        self.bar = None
        if tty:
            from tqdm import tqdm
            # A terminal that reports no size (0 x 0: some CI and `script` ptys) would hide
            # the bar: assume 80 x 24 there.
            try:
                size = os.get_terminal_size(stream.fileno())
                sized = size.columns > 0 and size.lines > 0
            except (OSError, ValueError, AttributeError):
                sized = False
            self.bar = tqdm(total=total, desc=name, unit=" pages", file=stream, delay=DELAY,
                            leave=False, dynamic_ncols=sized, ncols=None if sized else 80,
                            nrows=None if sized else 24,
                            bar_format=None if total else "{desc}: {elapsed}")

    def update(self, done: int, total: int | None = None) -> None:
        """`done` items of `total` so far (absolute, not an increment)."""
        if total is not None and total != self.total:
            self.total = total
            if self.bar is not None:
                self.bar.total = total
                self.bar.bar_format = None  # from elapsed time only to a bar
        if self.bar is not None and done > self.done:
            self.bar.update(done - self.done)
        self.done = max(done, self.done)

    def close(self, ok: bool) -> None:
        took = time.perf_counter() - self.started
        if self.bar is not None:
            self.bar.close()
        if ok and took >= DELAY:
            count = f"{self.done} " if self.total else ""
            print(f"build: {self.name}: {count}in {took:.1f}s", file=self.stream, flush=True)


class Progress:
    """`with progress.stage("pages", total) as s: s.update(n)` for each stage."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = os.environ.get("BRIEF_PROGRESS", "1") != "0"
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Stage | None]:
        if not self.enabled:
            yield None
            return
        s = Stage(name, total, self.stream, self.tty)
        ok = False
        try:
            yield s
            ok = True
        finally:
            s.close(ok)
