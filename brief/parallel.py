"""Computing one independent part of the generate step on the second CPU.

The downloads (`exports.render_exports`: JSON, CSV, iCalendar, CSL-JSON, BibTeX of the
whole brief) take about a sixth of the generate step at 10,000 events and need nothing
the pages need, so a forked child computes them while the parent renders the pages
(benchmarks/RESULTS.md). The child only computes and sends its result back through a
pipe (pickled: it is our own process); it writes no file. Where forking is not safe or
useless, the work simply runs in-process when its result is asked for: no `os.fork`
(Windows), other threads running (live preview: a fork would copy their held locks),
or a single CPU. A failure in the child is raised in the parent.
"""
from __future__ import annotations

import os
import pickle
import threading
import traceback
import weakref
from typing import Any, Callable


def _reap(pid: int, fd: int) -> None:
    """Stop and collect a child whose result was never asked for (the parent failed)."""
    for step in (lambda: os.close(fd), lambda: os.kill(pid, 9), lambda: os.waitpid(pid, 0)):
        try:
            step()
        except OSError:
            pass


class Background:
    """`fn(*args)` computed in a forked child; `result()` waits for it and returns it."""

    def __init__(self, fn: Callable[..., Any], *args: Any):
        self.fn, self.args = fn, args
        self.pid: int | None = None
        if not (hasattr(os, "fork") and threading.active_count() == 1
                and (os.cpu_count() or 1) > 1):
            return
        try:
            read_fd, write_fd = os.pipe()
            pid = os.fork()
        except OSError:
            return
        if pid == 0:  # the child: compute, send, exit without running the parent's cleanup
            os.close(read_fd)
            code = 0
            try:
                data = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - everything goes back to the parent
                data, code = pickle.dumps(("error", traceback.format_exc())), 1
            try:
                with os.fdopen(write_fd, "wb") as f:
                    f.write(data)
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid, self._fd = pid, read_fd
        self._finalizer = weakref.finalize(self, _reap, pid, read_fd)

    def result(self) -> Any:
        if self.pid is None:
            return self.fn(*self.args)
        self._finalizer.detach()
        with os.fdopen(self._fd, "rb") as f:
            data = f.read()
        os.waitpid(self.pid, 0)
        try:
            status, value = pickle.loads(data)
        except Exception:  # the child died before sending (killed): compute here instead
            return self.fn(*self.args)
        if status != "ok":
            raise RuntimeError(f"computing {getattr(self.fn, '__name__', self.fn)} "
                               f"failed:\n{value}")
        return value
