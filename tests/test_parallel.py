"""brief/parallel.py: a forked computation gives the same result, or its error."""
from __future__ import annotations

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
