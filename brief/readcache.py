"""Reading a brief again in the same process, re-reading only the files that changed.

The live preview (`build.py serve`) reads the whole brief after every save; at the
benchmark's `large` size (1,000 articles, 10,000 events) that is some 17 MB of input.
With a `ReadCache` passed to `load_brief` and `resolve_citations`, what one file gives
(its parsed and checked entries, or its Source, and the problems found in it) is kept
with the file's bytes and reused while the bytes are the same: the bytes, not the
modification time or size, so an edit that keeps both is still seen. Every file is
still opened and read (that is how a change is seen), and everything that looks across
files (duplicate ids, unknown sources and entities, page paths, every citation) still
runs on the whole brief each time, so a cached read reports exactly what a fresh one
does, in the same order.

    cache = ReadCache()
    brief = load_brief(root, problems, cache=cache)
    res = resolve_citations(brief, problems, cache=cache)

The results handed out are shared between reads, so nothing downstream may change
them (nothing does: the models are read, never written, after reading).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from .problems import Problem, Problems

T = TypeVar("T")


@dataclass
class _Entry:
    data: bytes
    result: object
    problems: tuple[Problem, ...]
    lines: list[str] | None  # the file's lines as the problems hold them (Problems.lines)


class ReadCache:
    """What each input file gave, keyed by its path and bytes; and one citation index
    per source, which remembers the quotes it has looked up."""

    def __init__(self) -> None:
        self._files: dict[tuple[str, str], _Entry] = {}
        self._used: set[tuple[str, str]] = set()
        self._indexes: dict[int, tuple[object, object]] = {}
        self.hits = 0  # files reused / read, for tests and benchmarks
        self.misses = 0

    def start(self) -> None:
        """A new read of the brief begins: files not read again by `finish` are dropped."""
        self._used = set()
        self.hits = self.misses = 0

    def finish(self) -> None:
        for key in set(self._files) - self._used:
            del self._files[key]

    def read(self, kind: str, path: str, data: bytes, problems: Problems,
             compute: Callable[[], T]) -> T:
        """`compute()` (which reads `data`, the bytes of `path`, reporting to `problems`),
        or what it gave for the same bytes last time, with its problems reported again."""
        key = (kind, path)
        self._used.add(key)
        entry = self._files.get(key)
        if entry is not None and entry.data == data:
            self.hits += 1
            problems.items.extend(entry.problems)
            if entry.lines is not None:
                problems.lines[path] = entry.lines
            return entry.result  # type: ignore[return-value]
        self.misses += 1
        before = len(problems.items)
        result = compute()
        self._files[key] = _Entry(data, result, tuple(problems.items[before:]),
                                  problems.lines.get(path))
        return result

    def index(self, source, make: Callable[[object], T]) -> T:
        """The index `make(source)` of this Source object, made once while it is in use."""
        entry = self._indexes.get(id(source))
        if entry is None or entry[0] is not source:
            entry = (source, make(source))
            self._indexes[id(source)] = entry
        return entry[1]  # type: ignore[return-value]

    def keep_indexes(self, sources) -> None:
        """Forget the indexes of Source objects no longer in the brief."""
        keep = {id(s) for s in sources}
        self._indexes = {k: v for k, v in self._indexes.items() if k in keep}
