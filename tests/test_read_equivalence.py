"""The fast paths of reading (issue 13) against the straightforward code they replaced.

The YAML tree is built from the C parser's events by a loop tuned for speed
(yamlfile._build), article text is split into blocks at C speed (sources._blocks), and
right values skip the general checks (validate._quick*). Here the code they replaced
(kept verbatim below as the reference) and the new code read the same inputs: the test
fixtures' files, and thousands of seeded random mutations of them (characters inserted,
deleted, swapped; YAML indicators such as '&', '*', '!', '#', '[', '"' among them), and
must give the same trees and the same problems (message, line, column, hint, order).
"""
from __future__ import annotations

import dataclasses
import random
import re
import unicodedata

import pytest
import yaml

from conftest import REPO

from brief import fields as F
from brief.problems import Problems
from brief.sources import split_blocks
from brief.text import forbidden_character
from brief.validate import Checker
from brief.yamlerrors import explain
from brief.yamlfile import MAX_DEPTH, Map, Node, Scalar, Seq, _BRACKET, _Loader, parse_yaml

# -- the reference: brief/yamlfile.py before issue 13 ------------------------------------

def ref_too_deep(text: str) -> tuple[int, int] | None:
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


def ref_comment_after(lines: list[str], end) -> int:
    """The 1-based column of a comment's '#' right after a plain scalar that ends at `end`."""
    if end is None or end.line >= len(lines):
        return 0
    rest = lines[end.line][end.column:]
    m = re.match(r"[ \t]+#", rest)
    return end.column + m.end() if m else 0


def ref_parse_yaml(text: str, path: str, problems: Problems) -> Node | None:
    """Parse already-decoded YAML text into a Node tree; report problems and return None on failure."""
    deep = ref_too_deep(text)
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
                comment = ref_comment_after(lines, ev.end_mark) if plain and value else 0
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



# -- the reference: brief/sources.py split_blocks before issue 13 --------------------------

_HEADING = re.compile(r"^#{1,6}\s+")


def ref_split_blocks(body: str, first_line: int) -> list[tuple]:
    blocks = []
    counts = {"p": 0, "h": 0}
    current: list[str] = []
    start = first_line

    def flush() -> None:
        if not current:
            return
        raw = " ".join(current)
        kind = "h" if _HEADING.match(raw) else "p"
        text = re.sub(r"\s+", " ", _HEADING.sub("", raw) if kind == "h" else raw).strip()
        if text:
            counts[kind] += 1
            blocks.append((kind, text, f"{kind}{counts[kind]}", start))
        current.clear()

    for n, line in enumerate(body.split("\n"), first_line):
        if line.strip():
            if not current:
                start = n
            current.append(line)
        else:
            flush()
    flush()
    return blocks


# -- inputs -------------------------------------------------------------------------------

FIXTURES = sorted(p for p in (REPO / "tests" / "fixtures").rglob("*")
                  if p.suffix in (".yml", ".yaml") and p.is_file())
NOISE = list("&*!#[]{}\"',:-? \n\t|>%@`") + ["\u202e", "\u00e9", "e\u0301", ": ", " #", "- ",
                                             "\\u202e", "\\0", "&a ", "*a", "!!str ", "---\n"]


def mutants(text: str, seed: int, count: int):
    rng = random.Random(seed)
    for _ in range(count):
        t = text
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(t) + 1)
            op = rng.random()
            if op < 0.5:
                t = t[:i] + rng.choice(NOISE) + t[i:]
            elif op < 0.8:
                t = t[:i] + t[i + rng.randint(1, 4):]
            else:
                j = rng.randrange(len(t) + 1)
                t = t[:i] + t[j:j + 5] + t[i:]
        yield t


def tree(node):
    """A node tree as plain data (dataclass equality would not compare the key nodes'
    places inside Map.pairs differently, but this is explicit)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return ("S", node.line, node.col, node.value, node.plain, node.comment_col,
                node.comment_line)
    if isinstance(node, Seq):
        return ("L", node.line, node.col, [tree(i) for i in node.items])
    return ("M", node.line, node.col,
            [(k, tree(kn), tree(vn)) for k, (kn, vn) in node.pairs.items()])


def both(text: str):
    old, new = Problems(), Problems()
    a = ref_parse_yaml(text, "f.yml", old)
    b = parse_yaml(text, "f.yml", new)
    return (tree(a), old.items), (tree(b), new.items)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO)))
def test_fixture_files_and_their_mutants_parse_as_before(path):
    text = path.read_text("utf-8")
    old, new = both(text)
    assert new == old
    assert new[0] is not None  # the fixtures themselves are valid
    for n, t in enumerate(mutants(text, seed=len(text), count=150)):
        old, new = both(t)
        assert new == old, (n, t)


@pytest.mark.parametrize("text", [
    "a: &x b\nc: *x\n", "a: !t b\n", "- !!str x\n", "a: ! x\n", "[a]: b\n", "{a: b}: c\n",
    "a: 1\na: 2\n", "a: \"\\u202e\"\n", "a: b\n---\nc: d\n", "a: Talks #1\n",
    "a:\n  - x #c\n  - 'y' #d\n", "- - - - x\n", "[" * 25 + "]" * 25, '["]", ' * 30 + "]" * 30,
    " " * 90 + "x: 1\n", "- " * 45 + "x\n", "a: b\tc\n", "a:\n\tb: c\n", "", "# only\n",
    "a: [b, {c: d}]\n", "? a\n: b\n", "a: |\n  x\n  # y\n", "a: \"x\" y\n", "\u2028a: b\n",
])
def test_awkward_yaml_parses_as_before(text):
    old, new = both(text)
    assert new == old


def test_article_blocks_split_as_before():
    rng = random.Random(11)
    parts = ["", " ", "\t", "word", "# Head", "## x", "#nospace", "  text  ", "\u2028", "\u00a0",
             "a b", "#", "###### h", "####### h7", "\x1c", "\r"]
    for _ in range(20000):
        body = "\n".join(rng.choice(parts) for _ in range(rng.randint(0, 12)))
        assert [dataclasses.astuple(b) for b in split_blocks(body, 5)] == \
            ref_split_blocks(body, 5), repr(body)


def test_right_values_give_what_the_general_path_gives():
    """validate's quick paths return a value only where the general path would return
    the same and report nothing: each value is checked both ways."""
    texts = ["Talks", "Talks #1", "unknown", "UNKNOWN", "Unknown ", "TODO", "todo", "todo-x",
             "fix it: TBD", "fixme", "a  b\n c", "", " ", "con", "lpt1", "ab-cd", "Ab", "a--b",
             "x" * 64, "x" * 65, "2025-02-30", "2025-06?", "[..2025]", "2025/..", "tbd:",
             "Todo: later", "m\u0131xme", "fıxme: x", "\u00e9t\u00e9", "a\n\n b", "a\n \nb"]
    kinds = ["text", "id", "tag", "prose", "edtf"]
    for record in (F.EVENT, F.SOURCE, F.FAQ):
        for text in texts:
            for comment in (0, 7):
                node = Scalar(3, 5, text, True, comment, 3 if comment else 0)
                for kind in kinds:
                    general, quick = Problems(), Problems()
                    fdef = next((f for f in record.fields if f.kind == kind), None)
                    want = Checker("f.yml", general)._general_value(node, kind, "[x]", fdef,
                                                                     record)
                    got = Checker("f.yml", quick).value(node, kind, "[x]", fdef, record)
                    assert (got, quick.items) == (want, general.items), (record.name, text,
                                                                         kind)


@pytest.mark.parametrize("path, record", [
    (REPO / "tests/fixtures/mini/sources/events/events.yml", F.EVENT),
    (REPO / "tests/fixtures/mini/sources/faq/faq.yml", F.FAQ),
    (REPO / "tests/fixtures/faro/sources/entities.yml", F.ENTITY),
])
def test_entries_and_their_mutants_check_as_before(path, record):
    """Checker.record's quick path against its general path, entry by entry, on the
    fixture's entries and on mutants of them (wrong values, unknown keys, placeholders)."""
    text = path.read_text("utf-8")
    checked = 0
    for t in [text, *mutants(text, seed=7, count=300)]:
        node = parse_yaml(t, "f.yml", Problems())
        if not isinstance(node, Seq):
            continue
        for item in node.items:
            general, quick = Problems(), Problems()
            want = Checker("f.yml", general)._general_record(item, record, "x")
            got = Checker("f.yml", quick).record(item, record, "x")
            assert (got, quick.items) == (want, general.items), t
            checked += 1
    assert checked > 300


def test_each_field_of_an_entry_with_an_awkward_value_checks_as_before():
    texts = ["unknown", "Unknown", "TODO", "todo", "tbd", "a #b", "", "  ", "x: y", "2025-13",
             "2025-06?", "a\n\nb", "[..2025]", "ab-cd", "Ab", "con", "x" * 65]
    for path, record in [(REPO / "tests/fixtures/mini/sources/events/events.yml", F.EVENT),
                         (REPO / "tests/fixtures/mini/sources/faq/faq.yml", F.FAQ)]:
        item = parse_yaml(path.read_text("utf-8"), "f.yml", Problems()).items[0]
        for key, (knode, vnode) in item.pairs.items():
            for text in texts:
                for comment in (0, 4):
                    pairs = dict(item.pairs)
                    pairs[key] = (knode, Scalar(vnode.line, vnode.col, text, True, comment,
                                                vnode.line if comment else 0))
                    node = Map(item.line, item.col, pairs)
                    general, quick = Problems(), Problems()
                    want = Checker("f.yml", general)._general_record(node, record, "x")
                    got = Checker("f.yml", quick).record(node, record, "x")
                    assert (got, quick.items) == (want, general.items), (key, text, comment)
