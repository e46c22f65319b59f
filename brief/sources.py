"""Reading source articles: Markdown files with YAML front matter.

The body is the article's text, not Markdown to be interpreted: blocks are
separated by blank lines; a block that starts with '#' is a subheading, any other
block is a paragraph. Each block gets a stable anchor (p1, p2, ... and h1, h2, ...).
"""
from __future__ import annotations

import itertools
import operator
import re

from . import fields as F
from .models import Block, Source
from .problems import Problems
from .text import decode_text
from .validate import Checker, collapse
from .yamlfile import parse_yaml

_HEADING = re.compile(r"^#{1,6}\s+")


def split_blocks(body: str, first_line: int) -> list[Block]:
    return _blocks(body.split("\n"), first_line)


def _blocks(lines: list[str], first_line: int) -> list[Block]:
    """The blocks of these lines (the first is line `first_line` of the file): runs of
    lines that are not blank. The blank lines are found at C speed (map, compress), so
    Python code runs once per block, not once per line (issue 13)."""
    blocks: list[Block] = []
    counts = {"p": 0, "h": 0}
    blank = itertools.compress(range(len(lines)), map(operator.not_, map(str.strip, lines)))
    start = 0
    for stop in itertools.chain(blank, (len(lines),)):
        if stop > start:
            raw = " ".join(lines[start:stop])
            kind = "h" if _HEADING.match(raw) else "p"
            text = collapse(_HEADING.sub("", raw) if kind == "h" else raw)
            if text:
                counts[kind] += 1
                blocks.append(Block(kind, text, f"{kind}{counts[kind]}", first_line + start))
        start = stop + 1
    return blocks


def read_source(data: bytes, path: str, source_id: str, problems: Problems) -> Source | None:
    text = decode_text(data, path, problems)
    if text is None:
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, 1, "a source file must start with front matter between '---' lines",
                     hint="see 'Source articles' in the README for the format")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.add(path, 1, 1, "the front matter is not closed by a '---' line")
        return None
    # Keep line numbers: the YAML starts on line 2 of the file.
    before = len(problems.errors)
    node = parse_yaml("\n" + "\n".join(lines[1:end]), path, problems)
    if node is None:
        if len(problems.errors) == before:  # nothing between the '---' lines
            problems.add(path, 1, 1, "the front matter is empty",
                         hint="write the source's title, publisher, published, retrieved and "
                              "language between the '---' lines (see 'Source articles' in the "
                              "README)")
        return None
    meta = Checker(path, problems).record(node, F.SOURCE)
    blocks = _blocks(lines[end + 1:], end + 2)
    if not any(b.kind == "p" for b in blocks):
        problems.add(path, end + 1, 1, "the source has no text after its front matter",
                     hint="paste the article's text below the closing '---', one paragraph per block")
    # A source whose front matter has errors is still returned (the errors stop the
    # build anyway), so that citations of it are checked instead of reported as unknown.
    meta = meta or {}

    def date(v):
        return None if v in (None, F.UNKNOWN) else v

    return Source(
        id=source_id, path=path, title=meta.get("title", source_id),
        publisher=meta.get("publisher", F.UNKNOWN), published=date(meta.get("published")),
        retrieved=date(meta.get("retrieved")), language=meta.get("language", "en"), blocks=blocks, author=meta.get("author", ""),
        url=meta.get("url", ""), published_note=meta.get("published_note", ""),
        note=meta.get("note", ""), title_kind=meta.get("title_kind", "headline"),
        type=meta.get("type", F.UNKNOWN), published_kind=meta.get("published_kind", "stated"),
    )
