"""Computing independent parts of the generate step on the second CPU.

The downloads (`exports.render_exports`: JSON, CSV, iCalendar, CSL-JSON, BibTeX of the
whole brief) take about a sixth of the generate step at 10,000 events and need nothing
the pages need, so a forked child computes them while the parent renders the pages
(benchmarks/RESULTS.md). The child only computes and sends its result back through a
pipe (pickled: it is our own process); it writes no file. Where forking is not safe or
useless, the work simply runs in-process when its result is asked for: no `os.fork`
(Windows), other threads running (live preview: a fork would copy their held locks),
or a single CPU. A failure in the child is raised in the parent.

`split_run(jobs)` runs a list of independent jobs (the pages to render) on two
processes: this one takes them from the front, a forked child from the back, until they
meet, so the two finish together however uneven the jobs are. The two claim jobs through
two counters in shared memory; a job both claim at the same moment is simply done twice
(jobs are pure), and any job the child did not send back (it failed, was killed or got
stuck) is done here, so the result is always the serial result, in job order. Unlike
`Background`, it forks with other threads running (the live preview renders in a thread):
the child only runs the jobs and never touches the locks those threads use (printing,
the server); should it ever hang, it is stopped and its jobs are done here.
"""
from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import select
import struct
import time
import threading
import traceback
import weakref
from typing import Any, Callable


def _reap(pid: int, fd: int, spool: int | None = None, wait: bool = True) -> None:
    """Stop and collect a child whose result was never asked for (the parent failed).
    `wait=False`: a child whose result is in, or that is stopped, is left to exit on its
    own and collected later (`_let_exit`)."""
    for step in (lambda: os.close(fd), lambda: spool is not None and os.close(spool),
                 lambda: os.kill(pid, 9),
                 lambda: os.waitpid(pid, 0) if wait else _let_exit(pid)):
        try:
            step()
        except OSError:
            pass


# Children that have sent their result (or were stopped) and are exiting. A child's exit
# is the kernel freeing its copy of this process's memory: 30-60 ms for the live
# preview's 1.5 GB, twice per edit (issue 13), so nobody waits for it: each is collected
# at the next fork, without waiting (a zombie until then, which costs nothing).
_EXITING: set[int] = set()


def _let_exit(pid: int) -> None:
    _EXITING.add(pid)
    _collect_exited()


def _collect_exited() -> None:
    for pid in list(_EXITING):
        try:
            done = os.waitpid(pid, os.WNOHANG)[0]
        except ChildProcessError:  # collected already
            done = pid
        if done:
            _EXITING.discard(pid)


def fork_with_pipe(child: Callable[[], tuple[bytes, int]]) -> tuple[int, int]:
    """Fork. The child runs `child()`, which gives (bytes to send, exit status), writes
    the bytes into a pipe and exits without running the parent's clean-up; `child`
    must catch its own errors. Returns (the child's pid, the pipe's reading end) to the
    parent. Raises OSError when no child could be made."""
    _collect_exited()
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid == 0:
        os.close(read_fd)
        code = 1
        try:
            data, code = child()
            with os.fdopen(write_fd, "wb") as f:
                f.write(data)
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def fork_with_spool(child: Callable[[], tuple[bytes, int]]) -> tuple[int, int, int | None]:
    """fork_with_pipe, but the child's bytes go into an anonymous file in memory (Linux's
    memfd) and the pipe only says when it is done (end of file): a child that finishes
    first then exits at once, instead of waiting until the busy parent has read 30 MB
    through a 64 KB pipe. Returns (pid, the pipe's reading end, the spool or None: the
    bytes then come through the pipe); read them with `collect`."""
    try:
        spool = os.memfd_create("brief-result", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        return (*fork_with_pipe(child), None)

    def spooled() -> tuple[bytes, int]:
        data, code = child()
        view = memoryview(data)
        while view:
            view = view[os.write(spool, view):]
        return b"", code
    try:
        pid, read_fd = fork_with_pipe(spooled)
    except OSError:
        os.close(spool)
        raise
    return pid, read_fd, spool


def collect(piped: bytes, spool: int | None) -> bytes | mmap.mmap:
    """What the child sent: the pipe's bytes, or the spool's (its owner closes it),
    mapped, not copied (pickle reads it in place: 30 MB less to copy and fault in)."""
    if spool is None:
        return piped
    size = os.fstat(spool).st_size
    return mmap.mmap(spool, size, access=mmap.ACCESS_READ) if size else b""


class Background:
    """`fn(*args)` computed in a forked child; `result()` waits for it and returns it."""

    def __init__(self, fn: Callable[..., Any], *args: Any):
        self.fn, self.args = fn, args
        self.pid: int | None = None
        if not _can_fork(threads_ok=False):
            return

        def child() -> tuple[bytes, int]:  # compute and send
            try:
                return pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL), 0
            except BaseException:  # noqa: BLE001 - everything goes back to the parent
                return pickle.dumps(("error", traceback.format_exc())), 1

        try:
            pid, read_fd, spool = fork_with_spool(child)
        except OSError:
            return
        self.pid, self._fd, self._spool = pid, read_fd, spool
        self._finalizer = weakref.finalize(self, _reap, pid, read_fd, spool)

    def result(self) -> Any:
        if self.pid is None:
            return self.fn(*self.args)
        self._finalizer.detach()
        with os.fdopen(self._fd, "rb") as f:
            data = collect(f.read(), self._spool)
        if self._spool is not None:
            os.close(self._spool)
        _let_exit(self.pid)  # it has sent everything: not waited for
        try:
            status, value = pickle.loads(data)
        except Exception:  # the child died before sending (killed): compute here instead
            return self.fn(*self.args)
        if status != "ok":
            raise RuntimeError(f"computing {getattr(self.fn, '__name__', self.fn)} "
                               f"failed:\n{value}")
        return value


# `build.py --jobs 1`: everything in one process (one_process()), the generate step too.
_ONE_PROCESS = False


@contextlib.contextmanager
def one_process(on: bool = True):
    """Within it, nothing is computed in a forked child (Background, split_run)."""
    global _ONE_PROCESS
    before, _ONE_PROCESS = _ONE_PROCESS, on
    try:
        yield
    finally:
        _ONE_PROCESS = before


def in_one_process() -> bool:
    return _ONE_PROCESS


def _can_fork(threads_ok: bool) -> bool:
    return (not _ONE_PROCESS and hasattr(os, "fork")
            and (threads_ok or threading.active_count() == 1)
            and len(os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity")
                    else range(os.cpu_count() or 1)) > 1)


_SLOTS = struct.Struct("qq")  # the next job the parent takes; the last the child took


def split_run(jobs: list[Callable[[], Any]], catch: tuple[type[BaseException], ...] = ()
              ) -> list[Any]:
    """[job() for job in jobs], computed by this process and a forked child together.
    An exception of a type in `catch` is returned as the job's result (the caller
    raises the first one, as a serial run would); any other is raised here, from the
    job run again in this process."""
    n = len(jobs)
    if n < 2 or not _can_fork(threads_ok=True):
        return [_run(job, catch) for job in jobs]
    shared = mmap.mmap(-1, _SLOTS.size)
    _SLOTS.pack_into(shared, 0, 0, n)
    def child() -> tuple[bytes, int]:  # from the back, until it meets the parent
        done: dict[int, Any] = {}
        try:
            while True:
                front, back = _SLOTS.unpack_from(shared, 0)
                k = back - 1
                if k < front:
                    break
                struct.pack_into("q", shared, 8, k)
                done[k] = _run(jobs[k], catch)
        except BaseException:  # noqa: BLE001 - the parent redoes what is missing
            pass
        return pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL), 0

    try:
        pid, read_fd, spool = fork_with_spool(child)
    except OSError:
        return [_run(job, catch) for job in jobs]
    results: dict[int, Any] = {}
    started = time.monotonic()
    try:
        while True:  # this process: from the front, until it meets the child
            front, back = _SLOTS.unpack_from(shared, 0)
            if front >= back:
                break
            struct.pack_into("q", shared, 0, front + 1)
            results[front] = _run(jobs[front], catch)
        results.update(_receive(read_fd, spool,
                                patience=max(10.0, 3 * (time.monotonic() - started))))
    finally:
        _reap(pid, read_fd, spool, wait=False)
    return [results[k] if k in results else _run(jobs[k], catch) for k in range(n)]


def balanced(items: list, cost) -> list:
    """`items` in the order split_run shares them out best: it takes jobs from the
    front in this process and from the back in the other, so the costliest comes
    first, the next costliest last, and so on inwards (each process starts with the
    costliest left at its end). Of equal costs, the earlier item comes first."""
    ranked = sorted(items, key=cost, reverse=True)  # (stable: equal costs keep their order)
    return ranked[0::2] + ranked[1::2][::-1]


def _run(job: Callable[[], Any], catch: tuple[type[BaseException], ...]) -> Any:
    try:
        return job()
    except catch as exc:
        return exc


def _receive(fd: int, spool: int | None, patience: float) -> dict[int, Any]:
    """The child's results; {} when it sends nothing within `patience` seconds of
    silence (then it is stopped and the caller does its jobs)."""
    chunks = []
    while True:
        ready, _w, _x = select.select([fd], [], [], patience)
        if not ready:
            return {}
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    data = collect(b"".join(chunks), spool)
    try:
        return pickle.loads(data) if data else {}
    except Exception:  # noqa: BLE001 - a truncated message: redo its jobs here
        return {}
