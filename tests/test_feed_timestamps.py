"""brief/feeds.py: the feed's timestamps, computed for the newest events only, are the
ones the rule gives over the whole timeline (an event placed by `sort_after` takes
the later timestamp of the earlier event it follows, along the whole chain)."""
from __future__ import annotations

import dataclasses
import random

import pytest

from conftest import MINI
from brief import data, feeds
from brief.problems import Problems

pytestmark = pytest.mark.fast


def whole_timeline(brief) -> dict[str, str]:
    """The rule, event by event in the brief's order."""
    out: dict[str, str] = {}
    for e in brief.events:
        ts = feeds.timestamp(e.date)
        if e.sort_after in out:
            ts = max(ts, out[e.sort_after])
        out[e.id] = ts
    return out


def test_the_newest_events_timestamps_follow_their_chains_as_the_whole_timeline_does():
    brief = data.load_brief(MINI, Problems())
    base = brief.events
    # a longer timeline of the mini brief's dates, in its order
    events = [dataclasses.replace(base[i % len(base)], id=f"e{i}") for i in range(300)]
    rng = random.Random(7)
    chained = 0
    for trial in range(40):
        made = []
        for i, e in enumerate(events):
            r = rng.random()
            after = (events[rng.randrange(i)].id if r < 0.4 and i else  # an earlier event
                     events[rng.randrange(len(events))].id if r < 0.5 else  # any, later too
                     "missing" if r < 0.55 else "")
            chained += bool(after)
            made.append(dataclasses.replace(e, sort_after=after))
        b = dataclasses.replace(brief, events=made)
        want = whole_timeline(b)
        newest = made[::-1][:feeds.FEED_LIMIT]
        got = feeds.event_timestamps(b, newest)
        assert {e.id: got[e.id] for e in newest} == {e.id: want[e.id] for e in newest}
        assert feeds.event_timestamps(b) == want
    assert chained > 1000
    # and a chain through 200 events, each following the one before
    made = [dataclasses.replace(e, sort_after=events[i - 1].id if i else "")
            for i, e in enumerate(events)]
    b = dataclasses.replace(brief, events=made)
    assert feeds.event_timestamps(b, made[-1:])[made[-1].id] == whole_timeline(b)[made[-1].id]
