"""Events files read on the second CPU (brief/parallelread.py) give the same brief and the
same problems, in the same order, as reading them all in one process."""
from __future__ import annotations

import os
import threading

import pytest

from conftest import make_brief

import brief.data as data
from brief import parallelread
from brief.citations import resolve_citations
from brief.pagepaths import check_page_paths
from brief.problems import Problems

EVENT = """- id: {id}
  date: 2024-0{month}
  title: Event {id}
  summary: Something happened.
  citations:
    - source: alpha-gazette
      quote: signed the harbour agreement
"""


def read(root, monkeypatch, parallel: bool):
    forked = []
    if parallel:
        # every brief here is far below MIN_BYTES: make the child read half the files
        monkeypatch.setattr(data, "MIN_BYTES", 0)
        monkeypatch.setattr(data, "cpu_to_spare", lambda: True)  # whatever the load
        monkeypatch.setattr(data, "child_share", lambda sizes, articles: len(sizes) // 2)
        real = parallelread.Background

        def spy(*args):
            work = real(*args)
            forked.append(work.pid)
            return work
        monkeypatch.setattr(parallelread, "Background", spy)
    else:
        monkeypatch.setattr(data, "MIN_BYTES", 10 ** 15)
    problems = Problems()
    brief = data.load_brief(root, problems)
    check_page_paths(brief, problems)
    res = resolve_citations(brief, problems)
    monkeypatch.undo()
    return brief, res, problems, forked


def test_a_brief_with_problems_in_many_files_reads_the_same_on_two_cpus(tmp_path, monkeypatch):
    files = {f"sources/events/e{n}.yml": EVENT.format(id=f"event-{n}", month=n)
             for n in range(1, 7)}
    files["sources/events/e2.yml"] += "  place: Talks #1 in the harbour\n"  # a comment
    files["sources/events/e5.yml"] = files["sources/events/e5.yml"].replace(
        "date: 2024-05", "date: 2024-13")  # not a real date
    files["sources/events/e6.yml"] += EVENT.format(id="event-1", month=1)  # a duplicate id
    files["sources/events/e6.yml"] = files["sources/events/e6.yml"].replace(
        "quote: signed the harbour agreement", "quote: words not in the source", 1)
    files["sources/events/e4.yml"] = "- id: [broken\n"  # YAML syntax
    # The FAQ and the entities are read while the child reads: their problems still
    # come after the events' (and the entity reference checks see their lines)
    files["sources/faq/more.yml"] = ("- id: odd-question\n  question: Why?\n"
                                     "  answer: Because.\n  colour: blue\n")
    files["sources/entities.yml"] = ("- id: harbour-board\n  name: Harbour Board\n"
                                     "  kind: organisation\n  rank: high\n")
    files["sources/events/e3.yml"] += "  entities: [harbor-board]\n"  # unknown: did you mean
    root = make_brief(tmp_path, files)
    os.symlink("/etc/hostname", root / "sources/events/e7.yml")  # refused, in the child
    one = read(root, monkeypatch, parallel=False)
    two = read(root, monkeypatch, parallel=True)
    assert threading.active_count() > 1 or two[3] and two[3][0] is not None  # it forked
    assert [p.format() for p in two[2].items] == [p.format() for p in one[2].items]
    assert two[2].items == one[2].items and two[2].lines == one[2].lines
    assert two[0].events == one[0].events
    assert [(e.id.line, e.id.col) for e in two[0].events] == \
        [(e.id.line, e.id.col) for e in one[0].events]
    assert two[1] == one[1]
    messages = "\n".join(p.format() for p in one[2].items)
    for words in ("' #' starts a YAML comment", "month 13", "duplicate event id 'event-1'",
                  "[quote] not found", "YAML syntax", "symbolic link", "colour", "rank",
                  "unknown entity 'harbor-board'"):
        assert words in messages


def test_the_child_reads_the_last_files_so_both_cpus_finish_together():
    assert parallelread.child_share([10] * 36, 10 ** 7) == 0  # too little to read
    sizes = [100_000 + 10_000 * n for n in range(36)]  # later years are larger
    n = parallelread.child_share(sizes, 8_000_000)
    parent, child = sum(sizes[:-n]), sum(sizes[-n:])
    cost = parallelread
    parent_work = cost.ARTICLE_COST * 8_000_000 + cost.EVENTS_COST * parent
    child_work = (cost.EVENTS_COST + cost.SEND_COST) * child
    assert 0 < n < 36
    assert abs(parent_work - child_work) <= (cost.EVENTS_COST + cost.SEND_COST) * sizes[-1]
    # with no articles the child takes a little under half the bytes (it also sends them)
    n = parallelread.child_share(sizes, 0)
    assert abs(sum(sizes[-n:]) - sum(sizes) / (2 + cost.SEND_COST)) <= sizes[-1]


@pytest.mark.parametrize("sizes", [[3_000_000], [600_000, 600_000]])
def test_one_large_file_or_two_are_shared_sensibly(sizes):
    n = parallelread.child_share(sizes, 0)
    assert 0 <= n <= len(sizes)


def test_a_busy_machine_reads_on_one_cpu(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(parallelread, "_running_now", lambda: 1)  # only this process
    assert parallelread.cpu_to_spare()
    monkeypatch.setattr(parallelread, "_running_now", lambda: 2)
    assert not parallelread.cpu_to_spare()
    # without /proc/loadavg: the last minute's load average
    monkeypatch.setattr(parallelread, "_running_now", lambda: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.2, 1.0, 1.0))
    assert parallelread.cpu_to_spare()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.6, 1.0, 1.0))
    assert not parallelread.cpu_to_spare()
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    monkeypatch.setattr(parallelread, "_running_now", lambda: 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not parallelread.cpu_to_spare()


def test_the_running_count_is_read():
    n = parallelread._running_now()
    assert n is None or n >= 1  # this process is running while it reads
