"""Reading YAML strictly: every scalar stays the text that was typed.

PyYAML's loaders convert ``NO`` to False, ``0755`` to 493 and ``2025-08-08`` to a
date, keep the last of two duplicate keys, expand aliases ("billion laughs") and
construct Python objects from tags. We build our own small tree from the parser's
events instead, so each of those is either impossible or reported at its line.
The C parser is used where available (about 8x faster on large files); deep
nesting is rejected by a scan before parsing, because libyaml recurses.
"""
from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from .problems import Problems
from .text import decode_text, forbidden_character
from .yamlerrors import explain

MAX_DEPTH = 20
_BRACKET = re.compile(r"[\[\]{}]")

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


@dataclass(slots=True)
class Node:
    line: int  # 1-based
    col: int  # 1-based


@dataclass(slots=True)
class Scalar(Node):
    value: str = ""
    plain: bool = True  # unquoted
    # A ' #' after a plain value starts a YAML comment, so `title: Talks #1` reads as
    # "Talks": the column of that '#' (1-based; 0 when there is none). Text fields
    # report it (validate.py); in ids and dates a comment is harmless.
    comment_col: int = 0
    comment_line: int = 0

    @property
    def kind(self) -> str:
        return "text"


@dataclass(slots=True)
class Seq(Node):
    items: list[Node] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "list"


@dataclass(slots=True)
class Map(Node):
    pairs: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "mapping"


def _too_deep(text: str, lines: list[str] | None = None) -> tuple[int, int] | None:
    """Find the first place where flow brackets or indentation nest beyond MAX_DEPTH."""
    brackets = "".join(_BRACKET.findall(text))
    if not brackets.replace("[]", "").replace("{}", ""):
        # (what is left is "[]", "{}" and "{[]}": at most two levels; most files with
        # brackets are lists such as `tags: [a, b]`, and this skips the loop below)
        brackets = ""
    depth = 0
    for m in _BRACKET.finditer(text) if brackets else ():  # only the brackets
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                i = m.start()
                return text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i)
        else:
            depth = max(depth - 1, 0)
    limit = 2 * MAX_DEPTH * 2
    lines = text.split("\n") if lines is None else lines
    # Only a line longer than the limit, with a space or '-' at the limit, can be indented
    # beyond it: find those at C speed (a third of an events file's lines are long quotes).
    long = list(itertools.compress(range(len(lines)), map(limit.__lt__, map(len, lines))))
    at_limit = map(operator.itemgetter(limit), map(lines.__getitem__, long))
    for i in itertools.compress(long, map(" -".__contains__, at_limit)):
        raw = lines[i]
        stripped = raw.lstrip(" -")
        if stripped and (len(raw) - len(stripped)) > limit:
            return i + 1, 1
    return None


_COMMENT = re.compile(r"[ \t]+#")


def _comment_after(lines: list[str], end) -> int:
    """The 1-based column of a comment's '#' right after a plain scalar that ends at `end`."""
    if end is None or end.line >= len(lines):
        return 0
    here = lines[end.line]
    if "#" not in here:  # (most lines: no regular expression needed)
        return 0
    m = _COMMENT.match(here, end.column)
    return m.end() if m else 0


_DEPTH = ("nested more than {} levels deep".format(MAX_DEPTH),
          "brief files need only a few levels; check for unbalanced brackets")


def parse_yaml(text: str, path: str, problems: Problems) -> Node | None:
    """Parse already-decoded YAML text into a Node tree; report problems and return None on failure."""
    lines = text.split("\n")
    deep = _too_deep(text, lines)
    if deep:
        problems.add(path, deep[0], deep[1], *_DEPTH)
        return None
    try:
        return _build(text, lines, path, problems)
    except yaml.MarkedYAMLError as exc:
        why = explain(exc, text)
        message = why.message if why.message.startswith("YAML syntax") else f"YAML syntax: {why.message}"
        problems.add(path, why.line, why.col, message, hint=why.hint)
        return None
    except (yaml.YAMLError, RecursionError) as exc:  # reader errors carry no mark
        problems.add(path, 1, 1, f"YAML syntax: {exc}".splitlines()[0],
                     hint="save the file as plain UTF-8 text and check it for stray symbols")
        return None


_ScalarEvent, _SeqStart, _MapStart = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
_SeqEnd, _MapEnd, _DocStart, _Alias = (yaml.SequenceEndEvent, yaml.MappingEndEvent,
                                       yaml.DocumentStartEvent, yaml.AliasEvent)


def _build(text: str, lines: list[str], path: str, problems: Problems) -> Node | None:
    """The tree from the parser's events. This loop runs once per scalar of every input
    file (some 300,000 at the benchmark's `large` size, issue 13), so it dispatches on
    the event's exact type and asks the C parser for events directly, instead of through
    yaml.parse's generator and a chain of isinstance tests."""
    # The containers open around the current event, and for each mapping the key that
    # waits for its value (None when the next scalar is a key).
    stack: list[Node] = []
    keys: list[Scalar | None] = []
    root: Node | None = None
    documents = 0
    ok = True
    nlines = len(lines)
    loader = _Loader(text)
    try:
        for ev in iter(loader.get_event, None):
            kind = type(ev)
            if kind is _ScalarEvent:
                mark = ev.start_mark
                if ev.anchor is not None:
                    problems.add(path, mark.line + 1, mark.column + 1,
                                 f"anchor '&{ev.anchor}' is not allowed",
                                 hint="write the value out in full")
                    return None
                tag = ev.tag
                if tag is not None and not ev.implicit[0] and tag != "!":
                    problems.add(path, mark.line + 1, mark.column + 1, f"tag '{tag}' is not allowed",
                                 hint="remove the tag; values are read as plain text")
                    return None
                value = ev.value
                style = ev.style
                if style == '"':  # only double-quoted text has escapes: "\u202e", "\0"
                    bad = forbidden_character(value)
                    if bad:
                        problems.add(path, mark.line + 1, mark.column + 1,
                                     f"{bad} (written as an escape) is not allowed",
                                     hint="delete the escape; it is invisible and can disguise "
                                          "what the text says")
                        ok = False
                    value = unicodedata.normalize("NFC", value)  # "e\u0301" is "\u00e9"
                if not style and value:  # plain (unquoted): a ' #' after it is a comment
                    end = ev.end_mark
                    # (_comment_after, inlined up to its first test: most lines have no '#')
                    if end.line < nlines and "#" in lines[end.line]:
                        comment = _comment_after(lines, end)
                        node = Scalar(mark.line + 1, mark.column + 1, value, True, comment,
                                      end.line + 1 if comment else 0)
                    else:
                        node = Scalar(mark.line + 1, mark.column + 1, value, True)
                else:
                    node = Scalar(mark.line + 1, mark.column + 1, value, not style)
            elif kind is _MapEnd or kind is _SeqEnd:
                stack.pop()
                keys.pop()
                continue
            elif kind is _MapStart or kind is _SeqStart:
                mark = ev.start_mark
                line, col = mark.line + 1, mark.column + 1
                if ev.anchor is not None:
                    problems.add(path, line, col, f"anchor '&{ev.anchor}' is not allowed",
                                 hint="write the value out in full")
                    return None
                if ev.tag is not None and not ev.implicit and ev.tag != "!":
                    problems.add(path, line, col, f"tag '{ev.tag}' is not allowed",
                                 hint="remove the tag; values are read as plain text")
                    return None
                if len(stack) >= MAX_DEPTH:
                    # The scan above cannot see brackets hidden in quoted text ('["]", '
                    # repeated); libyaml's work grows with depth squared, so stop here,
                    # not at the end.
                    problems.add(path, line, col, *_DEPTH)
                    return None
                node = Map(line, col) if kind is _MapStart else Seq(line, col)
            elif kind is _DocStart:
                documents += 1
                if documents > 1:
                    mark = ev.start_mark
                    problems.add(path, mark.line + 1, mark.column + 1,
                                 "a second YAML document ('---') is not allowed",
                                 hint="keep one document per file")
                    return None
                continue
            elif kind is _Alias:
                mark = ev.start_mark
                problems.add(path, mark.line + 1, mark.column + 1,
                             f"alias '*{ev.anchor}' is not allowed",
                             hint="write the value out in full")
                return None
            else:  # stream and document ends, stream start
                continue
            # Attach the new node to the container it is in.
            if not stack:
                root = node
            else:
                parent = stack[-1]
                if type(parent) is Seq:
                    parent.items.append(node)
                else:
                    key = keys[-1]
                    if key is None:
                        if type(node) is not Scalar:
                            problems.add(path, node.line, node.col, "a key must be plain text",
                                         hint="a field's name is a word followed by ':'; put a "
                                              "value that starts with '[' or '{' in double quotes")
                            ok = False
                            keys[-1] = Scalar(node.line, node.col, "?")
                        else:
                            keys[-1] = node
                    else:
                        pairs = parent.pairs
                        if key.value in pairs:
                            first = pairs[key.value][0]
                            problems.add(path, key.line, key.col, f"duplicate key '{key.value}'",
                                         hint=f"it is already set on line {first.line}; keep "
                                              "one of them")
                            ok = False
                        else:
                            pairs[key.value] = (key, node)
                        keys[-1] = None
            if kind is not _ScalarEvent:
                stack.append(node)
                keys.append(None)
    finally:
        loader.dispose()
    return root if ok else None


def read_yaml(data: bytes, path: str, problems: Problems, empty: str = "") -> Node | None:
    """Parse a file's bytes. With `empty`, a file with no content (0 bytes, or only
    comments) is an error at 1:1 with that message, instead of silently nothing."""
    text = decode_text(data, path, problems)
    if text is None:
        return None
    before = len(problems.errors)
    node = parse_yaml(text, path, problems)
    if node is None and empty and len(problems.errors) == before:
        problems.add(path, 1, 1, empty)
    return node
