"""benchmarks/bench_read.py runs and measures what it says: a full read, then re-reads
with a ReadCache where only the edited events file is parsed again (it asserts that).
Not a timed test: only that the script works, at the tiny size."""
from __future__ import annotations

import importlib.util
import re
import sys

from conftest import REPO

_spec = importlib.util.spec_from_file_location("bench_read", REPO / "benchmarks" / "bench_read.py")
bench_read = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench_read", bench_read)
_spec.loader.exec_module(bench_read)


def test_bench_read_prints_both_timings_at_the_tiny_size(capsys):
    assert bench_read.main(["--size", "tiny", "--repeat", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^full read +wall best \d+\.\d{3} s", out, re.M), out
    assert re.search(r"^cached re-read +wall best \d+\.\d{3} s.*edited sources/events/", out, re.M)
    assert "errors in the brief: 0" in out
    reused = int(re.search(r"files reused on a re-read: (\d+)", out).group(1))
    assert reused >= 3  # the tiny brief's 3 articles at least, all but the edited file
