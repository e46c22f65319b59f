"""Reading YAML strictly: every scalar stays the text that was typed.

PyYAML's loaders convert ``NO`` to False, ``0755`` to 493 and ``2025-08-08`` to a
date, keep the last of two duplicate keys, expand aliases ("billion laughs") and
construct Python objects from tags. We build our own small tree from the parser's
events instead, so each of those is either impossible or reported at its line.
The C parser is used where available (about 8x faster on large files); deep
nesting is rejected by a scan before parsing, because libyaml recurses.
"""
from __future__ import annotations

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


@dataclass
class Node:
    line: int  # 1-based
    col: int  # 1-based


@dataclass
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


@dataclass
class Seq(Node):
    items: list[Node] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "list"


@dataclass
class Map(Node):
    pairs: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "mapping"


def _too_deep(text: str) -> tuple[int, int] | None:
    """Find the first place where flow brackets or indentation nest beyond MAX_DEPTH."""
    depth = 0
    for m in _BRACKET.finditer(text):  # only the brackets, not every character
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                i = m.start()
                return text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i)
        else:
            depth = max(depth - 1, 0)
    for n, raw in enumerate(text.split("\n"), 1):
        stripped = raw.lstrip(" -")
        if stripped and (len(raw) - len(stripped)) > 2 * MAX_DEPTH * 2:
            return n, 1
    return None


def _comment_after(lines: list[str], end) -> int:
    """The 1-based column of a comment's '#' right after a plain scalar that ends at `end`."""
    if end is None or end.line >= len(lines):
        return 0
    rest = lines[end.line][end.column:]
    m = re.match(r"[ \t]+#", rest)
    return end.column + m.end() if m else 0


def parse_yaml(text: str, path: str, problems: Problems) -> Node | None:
    """Parse already-decoded YAML text into a Node tree; report problems and return None on failure."""
    deep = _too_deep(text)
    if deep:
        problems.add(path, deep[0], deep[1], f"nested more than {MAX_DEPTH} levels deep",
                     hint="brief files need only a few levels; check for unbalanced brackets")
        return None
    lines = text.split("\n")
    stack: list[tuple[Node, Scalar | None]] = []  # container, pending key (for maps)
    root: Node | None = None
    documents = 0
    ok = True

    def attach(node: Node) -> None:
        nonlocal root, ok
        if not stack:
            root = node
            return
        parent, key = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
        elif key is None:
            if not isinstance(node, Scalar):
                problems.add(path, node.line, node.col, "a key must be plain text",
                             hint="a field's name is a word followed by ':'; put a value that "
                                  "starts with '[' or '{' in double quotes")
                ok = False
                stack[-1] = (parent, Scalar(node.line, node.col, "?"))
                return
            stack[-1] = (parent, node)
        else:
            assert isinstance(parent, Map)
            if key.value in parent.pairs:
                first = parent.pairs[key.value][0]
                problems.add(path, key.line, key.col, f"duplicate key '{key.value}'",
                             hint=f"it is already set on line {first.line}; keep one of them")
                ok = False
            else:
                parent.pairs[key.value] = (key, node)
            stack[-1] = (parent, None)

    try:
        for ev in yaml.parse(text, Loader=_Loader):
            mark = ev.start_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problems.add(path, line, col, "a second YAML document ('---') is not allowed",
                                 hint="keep one document per file")
                    return None
                continue
            if isinstance(ev, yaml.AliasEvent):
                problems.add(path, line, col, f"alias '*{ev.anchor}' is not allowed",
                             hint="write the value out in full")
                return None
            if isinstance(ev, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if ev.anchor is not None:
                    problems.add(path, line, col, f"anchor '&{ev.anchor}' is not allowed",
                                 hint="write the value out in full")
                    return None
                implicit = ev.implicit[0] if isinstance(ev, yaml.ScalarEvent) else ev.implicit
                if ev.tag is not None and not implicit and ev.tag != "!":
                    problems.add(path, line, col, f"tag '{ev.tag}' is not allowed",
                                 hint="remove the tag; values are read as plain text")
                    return None
            if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) \
                    and len(stack) >= MAX_DEPTH:
                # The scan above cannot see brackets hidden in quoted text ('["]", ' repeated);
                # libyaml's work grows with depth squared, so stop here, not at the end.
                problems.add(path, line, col, f"nested more than {MAX_DEPTH} levels deep",
                             hint="brief files need only a few levels; check for unbalanced brackets")
                return None
            if isinstance(ev, yaml.ScalarEvent):
                value = ev.value
                if ev.style == '"':  # only double-quoted text has escapes: "\u202e", "\0"
                    bad = forbidden_character(value)
                    if bad:
                        problems.add(path, line, col,
                                     f"{bad} (written as an escape) is not allowed",
                                     hint="delete the escape; it is invisible and can disguise "
                                          "what the text says")
                        ok = False
                    value = unicodedata.normalize("NFC", value)  # "e\u0301" is "\u00e9"
                plain = ev.style in (None, "")
                comment = _comment_after(lines, ev.end_mark) if plain and value else 0
                attach(Scalar(line, col, value, plain=plain, comment_col=comment,
                              comment_line=ev.end_mark.line + 1 if comment else 0))
            elif isinstance(ev, yaml.SequenceStartEvent):
                node = Seq(line, col)
                attach(node)
                stack.append((node, None))
            elif isinstance(ev, yaml.MappingStartEvent):
                node = Map(line, col)
                attach(node)
                stack.append((node, None))
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
    except yaml.MarkedYAMLError as exc:
        why = explain(exc, text)
        message = why.message if why.message.startswith("YAML syntax") else f"YAML syntax: {why.message}"
        problems.add(path, why.line, why.col, message, hint=why.hint)
        return None
    except (yaml.YAMLError, RecursionError) as exc:  # reader errors carry no mark
        problems.add(path, 1, 1, f"YAML syntax: {exc}".splitlines()[0],
                     hint="save the file as plain UTF-8 text and check it for stray symbols")
        return None
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
