"""brief/parallel.py: a forked computation gives the same result, or its error."""
from __future__ import annotations

import os
import threading

import pytest

from brief.parallel import Background


def square_all(xs):
    return [x * x for x in xs]


def fail(_):
    raise ValueError("boom")


def test_result_is_the_function_result():
    bg = Background(square_all, range(1000))
    assert bg.result() == [x * x for x in range(1000)]


def test_large_results_come_back_whole():
    data = b"x" * 5_000_000  # far beyond a pipe's buffer
    assert Background(bytes, data).result() == data


def test_an_error_in_the_child_is_raised_in_the_parent():
    with pytest.raises((RuntimeError, ValueError), match="boom"):
        Background(fail, 1).result()


def test_no_fork_while_other_threads_run():
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        bg = Background(square_all, [3])
        assert bg.pid is None  # computed in-process instead
        assert bg.result() == [9]
    finally:
        stop.set()
        t.join()


def test_an_abandoned_child_is_reaped():
    bg = Background(square_all, range(10))
    pid = bg.pid
    del bg  # the parent failed before asking for the result
    if pid is not None:
        import os
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, 0)


# -- split_run: jobs on two processes, from both ends ---------------------------------
from brief.parallel import split_run  # noqa: E402


def test_split_run_gives_the_serial_results_in_order():
    import functools
    import time as _time

    def job(k):
        _time.sleep(0.02 if k % 7 == 0 else 0.005)  # uneven jobs: the two sides still meet
        # (sleeping, the parent leaves the CPU to the child even on a loaded machine)
        return (k, os.getpid(), b"x" * (k * 1000))

    results = split_run([functools.partial(job, k) for k in range(200)])
    assert [r[0] for r in results] == list(range(200))
    assert all(r[2] == b"x" * (r[0] * 1000) for r in results)
    assert len({r[1] for r in results}) == 2  # both processes did some of them


class Oops(Exception):
    pass


def test_split_run_returns_caught_errors_as_results():
    def job(k):
        if k == 150:
            raise Oops(k)
        return k

    results = split_run([lambda k=k: job(k) for k in range(200)], catch=(Oops,))
    assert isinstance(results[150], Oops) and results[150].args == (150,)
    assert results[:150] == list(range(150))


def test_split_run_raises_other_errors_here():
    def job(k):
        if k == 180:  # the child's end: the job is done again here, and raises here
            raise ValueError("boom")
        return k

    with pytest.raises(ValueError, match="boom"):
        split_run([lambda k=k: job(k) for k in range(200)])


def test_split_run_works_while_other_threads_run():
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        results = split_run([lambda k=k: (k, os.getpid()) for k in range(300)])
    finally:
        stop.set()
        t.join()
    assert [r[0] for r in results] == list(range(300))


def test_one_process_forks_nothing():
    """`build.py --jobs 1`: the generate step's helpers run in this process too."""
    from brief import parallel
    from brief.parallelread import cpu_to_spare

    with parallel.one_process():
        bg = Background(os.getpid)
        assert bg.pid is None and bg.result() == os.getpid()
        assert parallel.split_run([os.getpid] * 6) == [os.getpid()] * 6
        assert not cpu_to_spare()
    bg = Background(os.getpid)  # and afterwards, as before
    assert bg.pid is not None and bg.result() != os.getpid()


def test_jobs_1_builds_in_one_process(tmp_path, monkeypatch):
    """The whole of `build.py --jobs 1` runs in one process: no fork at all."""
    from conftest import make_brief
    from brief import cli

    root = make_brief(tmp_path)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    assert cli.main([str(root), "--jobs", "1", "--no-cache"]) == 0
    assert forks == []
    assert (root / "site" / "index.html").is_file()


def test_a_child_that_finishes_first_does_not_wait_for_the_parent_to_read():
    """Its bytes go into memory (a memfd), not through a 64 KB pipe: 5 MB of result,
    and the child has exited (a zombie until reaped) before anything is read."""
    import time

    data = b"y" * 5_000_000
    bg = Background(bytes, data)
    state = ""
    for _ in range(500):
        with open(f"/proc/{bg.pid}/stat", encoding="ascii") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        if state == "Z":
            break
        time.sleep(0.02)
    assert state == "Z"
    assert bg.result() == data


def test_a_child_whose_result_is_in_is_not_waited_for_but_collected_later(monkeypatch):
    """Its exit (the kernel freeing its copy of a large process) is not waited for: it is
    collected, without waiting, at the next fork, and no zombie is left."""
    import functools
    import time as _time

    from brief import parallel

    def job(k):
        _time.sleep(0.01)
        return os.getpid()

    waits = []
    real_waitpid = os.waitpid
    monkeypatch.setattr(os, "waitpid",
                        lambda pid, options: waits.append(options) or real_waitpid(pid, options))
    pids = set(split_run([functools.partial(job, k) for k in range(40)])) - {os.getpid()}
    bg = Background(square_all, [2])
    assert bg.result() == [4]
    assert len(pids) == 1 and bg.pid not in pids
    assert waits and all(options == os.WNOHANG for options in waits)  # never blocked
    child = pids.pop()
    for _ in range(500):  # each fork collects the children that have exited
        if child not in parallel._EXITING and bg.pid not in parallel._EXITING:
            break
        _time.sleep(0.01)
        Background(square_all, [1]).result()
    assert child not in parallel._EXITING and bg.pid not in parallel._EXITING
    assert not os.path.exists(f"/proc/{child}") and not os.path.exists(f"/proc/{bg.pid}")


def test_jobs_are_ordered_costliest_first_at_each_end():
    """split_run takes jobs from the front here and from the back in the child: the
    costliest job comes first, the next costliest last, and so on inwards (the live
    preview's changed pages)."""
    from brief.parallel import balanced

    cost = {"a": 5, "b": 40, "c": 10, "d": 30, "e": 1, "f": 10}
    assert balanced(list(cost), cost.get) == ["b", "c", "a", "e", "f", "d"]
    assert balanced(["x"], cost.get) == ["x"] and balanced([], cost.get) == []
