"""YAML syntax errors, explained to someone who does not know YAML.

PyYAML describes its parser's state ("mapping values are not allowed in this
context", "did not find expected '-' indicator"); the person who edited the file
needs to know what to change, and where. `explain` looks at the text around the
parser's marks, moves the position to the real mistake where it can tell (a `-`
without a space after it several lines up, a quote opened and never closed), and
returns a message and a hint that say what to do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_KEY = re.compile(r"^(\s*)(?:-\s+)?([^\s:#][^:#]*?):(?:\s|$)")
_DASH_NO_SPACE = re.compile(r"^(\s*)-([^\s\-])")


@dataclass(frozen=True)
class Explained:
    line: int  # 1-based
    col: int  # 1-based
    message: str
    hint: str


def _mark(m) -> tuple[int, int]:
    return (m.line + 1, m.column + 1) if m else (1, 1)


def _quoted(line: str) -> str:
    """The line with its value in double quotes: `title: a: b` -> `title: "a: b"`."""
    m = re.match(r"^(\s*(?:-\s+)?[^\s:#][^:#]*?:\s+)(.*?)\s*$", line)
    if not m or not m.group(2):
        return ""
    value = m.group(2).replace("\\", "\\\\").replace('"', '\\"')
    return f'{m.group(1).strip()} "{value}"'


def explain(exc: yaml.MarkedYAMLError, text: str) -> Explained:
    lines = text.split("\n")
    problem = exc.problem or exc.context or "invalid YAML"
    line, col = _mark(exc.problem_mark or exc.context_mark)
    cline, ccol = _mark(exc.context_mark) if exc.context_mark else (line, col)
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    char = src[col - 1] if 0 < col <= len(src) else ""

    # A tab anywhere in the indentation: YAML forbids tabs there.
    if "tab" in problem or char == "\t":
        tab_line = next((n for n in range(min(line, len(lines)), 0, -1)
                         if "\t" in lines[n - 1][:len(lines[n - 1]) - len(lines[n - 1].lstrip())]),
                        line)
        tab_src = lines[tab_line - 1] if 0 < tab_line <= len(lines) else ""
        return Explained(tab_line, tab_src.find("\t") + 1 if "\t" in tab_src else col,
                         "a tab character is used for indentation",
                         "replace the tab with spaces (YAML indents with spaces only)")

    # `-source: x`: a list item needs a space after its dash; the parser notices later.
    indent = len(src) - len(src.lstrip())
    for n in range(min(line, len(lines)), max(min(cline, line - 10), 1) - 1, -1):
        here = lines[n - 1]
        if here.strip():
            m = _DASH_NO_SPACE.match(here)
            if m and ":" in here:
                return Explained(n, len(m.group(1)) + 1, "a '-' without a space after it",
                                 "put a space after the '-' that starts a list item: "
                                 f"'- {here.strip()[1:]}'")
            if n < line and len(here) - len(here.lstrip()) < indent:
                break

    if problem.startswith("found unexpected end of stream") and "quoted scalar" in (exc.context or ""):
        quote = lines[cline - 1][ccol - 1] if 0 < cline <= len(lines) and 0 < ccol <= len(lines[cline - 1]) else '"'
        return Explained(cline, ccol, f"the {quote} opened here is never closed",
                         f"add the closing {quote} at the end of the value")

    if "flow sequence" in (exc.context or "") or "flow mapping" in (exc.context or ""):
        opener = "[" if "sequence" in (exc.context or "") else "{"
        closer = "]" if opener == "[" else "}"
        return Explained(cline, ccol, f"the list opened with '{opener}' here is not closed",
                         f"close it with '{closer}' on the same line, separate items with ', ', "
                         "and put an item that contains a comma or a colon in double quotes")

    if problem == "mapping values are not allowed in this context":
        before = src[:col - 1]
        key = _KEY.match(src)
        if key and len(key.group(0).rstrip()) == col:
            # The first colon of the line: the line is read as the continuation of a value
            # above it because it is indented more than the field before.
            prev = next((n for n in range(line - 1, 0, -1)
                         if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")), 0)
            pkey = _KEY.match(lines[prev - 1]) if prev else None
            name = key.group(2).strip()
            if pkey:
                return Explained(line, len(key.group(1)) + 1,
                                 f"'{name}:' is indented differently from the fields above it",
                                 f"line up '{name}:' with '{pkey.group(2).strip()}:' on line "
                                 f"{prev}, or, if it belongs under it, put it after a line "
                                 "that ends with ':' only")
        quoted = _quoted(src)
        return Explained(line, col, "a value contains ': ' (a colon and a space)",
                         "put the whole value in double quotes"
                         + (f": {quoted}" if quoted and ":" in before else ""))

    if problem.startswith("found character that cannot start any token"):
        return Explained(line, col, f"a value cannot start with '{char}'",
                         "put the whole value in double quotes"
                         + (f": {_quoted(src)}" if _quoted(src) else ""))

    if problem == "did not find expected '-' indicator":
        key = _KEY.match(src)
        prev = next((n for n in range(line - 1, 0, -1) if lines[n - 1].strip()), 0)
        item = re.match(r"^(\s*)-\s+([^\s:#][^:#]*?):", lines[prev - 1]) if prev else None
        if key and item and len(key.group(1)) == len(item.group(1)):
            name, first = key.group(2).strip(), item.group(2).strip()
            return Explained(line, col, f"'{name}:' is not indented under '{first}:'",
                             f"indent '{name}:' under '{first}:' (line {prev}): add "
                             f"{len(item.group(0)) - len(item.group(2)) - 1 - len(item.group(1))}"
                             " spaces before it")
        return Explained(line, col, "this line breaks the list above it",
                         "each item of a list starts with '- ' at the same indentation as the "
                         "others; a field of an item is indented under its first field")

    if problem == "did not find expected key":
        if col > 1 and src[:col - 1].rstrip().endswith(('"', "'")):
            return Explained(line, col, "text after the closing quote",
                             "put the whole value inside the quotes")
        key = _KEY.match(src)
        prev = next((n for n in range(line - 1, 0, -1)
                     if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")), 0)
        pkey = _KEY.match(lines[prev - 1]) if prev else None
        if key and pkey and len(key.group(1)) != len(pkey.group(1)) \
                and not lines[prev - 1].rstrip().endswith(":"):
            name = key.group(2).strip()
            return Explained(line, len(key.group(1)) + 1,
                             f"'{name}:' is indented differently from the fields above it",
                             f"line up '{name}:' with '{pkey.group(2).strip()}:' on line {prev}")
        return Explained(line, col, "this line is not lined up with the fields around it",
                         "indent each field of an entry by the same number of spaces as the "
                         "field above it")

    if problem == "could not find expected ':'":
        # the parser notices on the line after the one that lacks its colon
        at = next((n for n in range(min(line, len(lines)), max(cline, 1) - 1, -1)
                   if lines[n - 1].strip() and not re.search(r":(\s|$)", lines[n - 1])), line)
        if at != line:
            line, col = at, len(lines[at - 1]) - len(lines[at - 1].lstrip()) + 1
        return Explained(line, col, "a line without 'name:'",
                         "write fields as 'name: value'; if the line continues the text "
                         "above it, indent it further than the field's name")

    return Explained(line, col, f"YAML syntax: {problem}",
                     "check the indentation, and put text that contains ': ' or ' #', or "
                     "starts with a symbol, in double quotes")
