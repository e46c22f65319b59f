"""Rendering again only the pages whose inputs changed (the live preview, issue 13).

`build.py serve` validates and renders the whole brief on every save. At 10,000 events
rendering is most of that time, yet one edited event changes a handful of pages. A
`RenderMemo`, kept by the preview between saves, remembers each page's output under a
key made of *everything the page is rendered from*:

* per page, the data the page is given (its events, FAQ entries, source, entity, tag,
  the source's marked passages and the items citing it), by value: a digest of their
  pickled content (an event's id, date, title, summary, citations, tags, ... as read
  now), never an object identity or a file time. Equal content can at worst give
  another digest (pickle may share equal strings differently), which only means the
  page is rendered again; different content never gives the same one;
* for the whole brief (the "context"), what every page can reach besides its data: the
  settings, every source (titles and text: footnotes and quote anchors come from them),
  the entities (names in "Who:"), the years crowded enough for month pages (which
  sets the page each event is on, hence every link to it), the FAQ's order, the date examples, the
  language, and the text of every template. When the context changes, nothing is
  reused.

Pages that list the whole brief (home, timeline index, FAQ index, sources register,
data page, dossier, feeds) are always rendered again, and so is every page when the
brief has templates of its own (a template of the brief's may read anything, so no
key can be known to be complete). The downloads (events.json, .csv, .ics; sources.json,
.bib) are put together again from runs of about 64 events (or sources), each run's
bytes kept like a page (`RenderMemo.joined`). The result is the same pages a fresh render
gives (tests/test_rendermemo.py edits briefs in many ways and compares).
"""
from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any

from .models import Entity, Event, FaqEntry, Source

# The items many pages share: each is pickled once per rendering, and a page's key
# holds its digest.
_SHARED = (Event, FaqEntry, Source, Entity)


def _shared(digest: bytes) -> bytes:
    """What a shared item stands for in a key: its digest (never called)."""
    return digest


def _key_pickler(file, memo: "RenderMemo") -> pickle.Pickler:
    """A pickler writing each shared item as its digest. Through a dispatch table,
    looked up in C, so that the other objects cost no Python call."""
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)

    def reduce(obj):
        return (_shared, (memo._item_digest(obj),))

    pickler.dispatch_table = {cls: reduce for cls in _SHARED}
    return pickler


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


class RenderMemo:
    def __init__(self) -> None:
        self.context: bytes | None = None
        # page key -> its pages; (kind, items' digests) -> a run of a download's items
        self.pages: dict[Any, Any] = {}
        self._next: dict[Any, Any] = {}
        self._items: dict[int, tuple[Any, bytes]] = {}  # id -> (the object, its digest)
        self._used_items: dict[int, tuple[Any, bytes]] = {}  # those of this rendering
        self._runs: dict[int, tuple[list, list]] = {}  # id -> (a list, its runs)
        self.reused = self.rendered = 0

    # -- one rendering ----------------------------------------------------------------
    def begin(self, context: Any) -> None:
        """Start a rendering whose whole-brief inputs are `context`."""
        self._used_items = {}
        self._runs = {}
        key = self.key(context)
        if key is None or key != self.context:
            self.pages = {}
        self.context = key
        self._next = {}
        self.reused = self.rendered = 0

    def key(self, parts: Any) -> bytes | None:
        """The key of a page rendered from `parts`, or None when it cannot be made (a
        value that cannot be pickled: the page is simply rendered again)."""
        buf = io.BytesIO()
        try:
            _key_pickler(buf, self).dump(parts)
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        return _digest(buf.getvalue())

    def has(self, key: bytes) -> bool:
        return key in self.pages

    def get(self, key: bytes | None) -> Any:
        if key is None or key not in self.pages:
            return None
        self._next[key] = value = self.pages[key]
        self.reused += 1
        return value

    def put(self, key: bytes | None, value: Any) -> None:
        self.rendered += 1
        if key is not None:
            self._next[key] = value

    def joined(self, kind: str, items: list, part, sep: str) -> bytes:
        """`sep.join(part(x) for x in items)` in UTF-8 (exports._joined: a download's
        events or sources), put together from runs of items, each run's bytes kept
        under its items' digests, in the same context as the pages. A run ends after
        an item whose digest's first byte is a multiple of RUN, so that an item
        edited, added or removed changes the one run it is in, not those after it."""
        runs = self._runs.get(id(items))
        if runs is None or runs[0] is not items:  # (the events make three files)
            runs = (items, _runs(items, self._item_digest))
            self._runs[id(items)] = runs
        out = []
        for start, end, digests in runs[1]:
            key = (kind, digests)
            value = self.pages.get(key)
            if value is None:
                value = sep.join(map(part, items[start:end])).encode("utf-8")
            self._next[key] = value
            out.append(value)
        return sep.encode("utf-8").join(out)

    def end(self) -> None:
        """The rendering succeeded: keep what it used (and only that)."""
        self.pages, self._next = self._next, {}
        self._items, self._used_items = self._used_items, {}

    def abandon(self) -> None:
        """The rendering failed: keep the memo of the last good one."""
        self._next, self._used_items = {}, {}

    def _item_digest(self, obj: Any) -> bytes:
        # An unchanged file gives the very same objects again (data.ReadCache), and the
        # models are never changed after reading: their digests are kept between
        # renderings, with the objects themselves (so that no other object can take
        # their id).
        known = self._used_items.get(id(obj)) or self._items.get(id(obj))
        if known is None or known[0] is not obj:
            known = (obj, _digest(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)))
        self._used_items[id(obj)] = known
        return known[1]


# About one item in RUN ends a run (a power of two, at most 256): 64 makes about 160
# runs of 10,000 events, so an edit computes about 64 events' parts again.
RUN = 64


def _runs(items: list, digest) -> list[tuple[int, int, tuple[bytes, ...]]]:
    """(start, end, the items' digests) of each run of `items` (RenderMemo.joined)."""
    out, start, digests = [], 0, []
    for i, x in enumerate(items):
        d = digest(x)
        digests.append(d)
        if d[0] % RUN == 0:
            out.append((start, i + 1, tuple(digests)))
            start, digests = i + 1, []
    if digests:
        out.append((start, len(items), tuple(digests)))
    return out


def lazy_key(key: Any) -> Any:
    """What a value computed later (render.Lazy) stands for in a key."""
    return key


def digest_templates(loader, env) -> str:
    """A digest of the text of every template the environment can load."""
    h = hashlib.blake2b(digest_size=16)
    for name in sorted(loader.list_templates()):
        h.update(name.encode("utf-8") + b"\0")
        h.update(loader.get_source(env, name)[0].encode("utf-8") + b"\0")
    return h.hexdigest()
