"""`build.py import`: turn a raw article text file into a source file.

Raw articles arrive as text copied off a web page, one paragraph per line. The
transformation (`import_article`: text in, source-file text out) is pure and
deterministic; `run` only reads the raw file and writes sources/articles/ID.md.

What the transformation does, in order:

1. Normalise: NFC and line endings.
2. Paragraphs (brief/layout.py): by default one paragraph per non-empty line, whitespace
   inside it collapsed; with --unwrap, blank lines separate paragraphs and the lines of
   a paragraph are joined (list items and indented lines stay paragraphs of their own).
3. Remove page furniture: only the lines listed in `FURNITURE`, and only at the start
   or end of the text, where pages put them (the same words inside the article stay).
4. Headings (brief/layout.py, `--headings auto`, the default): a short line without
   final punctuation, that is not a list item, link, "key: value" line or code, is a
   subheading (`## `); from a subheading directly followed by a question on, the
   outlet's FAQ block, each short question is a question (`### `) and the lines after
   it its answer; every other line is a paragraph. `--headings none` makes none.
   Every heading made and every run of lines joined is reported.
5. Write front matter from the options: a required field, author or url that was not
   given gets a placeholder starting with TODO, which the build reports as an error
   until it is replaced; the two notes are written only when given.

Nothing else is changed: every sentence of the article is in the output, verbatim.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import fields as F
from .data import ARTICLES_DIR
from .dates import parse_date
from .layout import (Block, Decision, looks_hard_wrapped, mark_headings, split_lines,
                     unwrap_lines)
from .edtf import parse_edtf
from .problems import Problems
from .text import decode_text
from .write import atomic_write


@dataclass(frozen=True)
class Furniture:
    """A line of page furniture: text on the page that is not the article's."""

    end: str  # "start" or "end": the end of the text it is removed from
    pattern: re.Pattern  # must match the whole line
    what: str  # why it is not article text, for the README and the report


# The rules are few and explicit on purpose: the importer removes only what is listed
# here, so nothing of the article can disappear by accident. Add a rule when an outlet
# adds a new kind of furniture.
FURNITURE: tuple[Furniture, ...] = (
    Furniture("start", re.compile(r"Related videos:?", re.IGNORECASE),
              "the label of a video carousel above the article"),
    Furniture("end", re.compile(r"Filed under:.*", re.IGNORECASE),
              "the outlet's list of tags below the article"),
)

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s")  # what sources.py would read as a subheading

# Front matter fields in the order written. Required ones, and author and url (which a
# reader always asks about), get a placeholder when not given; the notes are optional.
PLACEHOLDER_FIELDS = ("title", "publisher", "author", "url", "published", "retrieved", "language")
FIELD_ORDER = ("title", "title_kind", "type", "publisher", "author", "url", "published",
               "published_kind", "published_note", "retrieved", "language", "note")
_PLAIN_SCALAR = re.compile(r"[\w][\w .,'’()/–—-]*[\w.)’']|[\w]")


class ImportProblem(ValueError):
    """The raw text cannot be represented faithfully as a source file."""


def normalise_text(text: str) -> str:
    """NFC and \\n line endings (indentation is kept: --unwrap reads it)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def remove_furniture(lines: list[Block]) -> tuple[list[Block], list[str]]:
    """Strip the furniture lines at both ends; return (article blocks, removed lines)."""
    start, end = 0, len(lines)
    removed_start: list[str] = []
    removed_end: list[str] = []
    changed = True
    while changed and start < end:
        changed = False
        for rule in FURNITURE:
            if rule.end == "start" and start < end and rule.pattern.fullmatch(lines[start].text):
                removed_start.append(lines[start].text)
                start += 1
                changed = True
            elif rule.end == "end" and start < end and rule.pattern.fullmatch(lines[end - 1].text):
                removed_end.insert(0, lines[end - 1].text)
                end -= 1
                changed = True
    return lines[start:end], removed_start + removed_end


def _yaml_value(value: str) -> str:
    """A YAML scalar the strict reader reads back as exactly `value`: plain where
    that is unambiguous, otherwise double-quoted (JSON escapes are valid YAML)."""
    if _PLAIN_SCALAR.fullmatch(value) and ": " not in value and " #" not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def front_matter(meta: dict[str, str]) -> str:
    lines = ["---"]
    for name in FIELD_ORDER:
        value = meta.get(name)
        if value is None and name in PLACEHOLDER_FIELDS:
            value = f"{F.PLACEHOLDER}: {name.replace('_', ' ')}"
        if value is not None:
            lines.append(f"{name}: {_yaml_value(' '.join(value.split()))}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def render_body(blocks: list[Block]) -> str:
    prefix = {"h2": "## ", "h3": "### ", "p": ""}
    return "\n\n".join(prefix[b.kind] + b.text for b in blocks) + "\n"


@dataclass(frozen=True)
class Imported:
    """What the importer made of a raw text, and every decision it took."""

    text: str  # the source file's text
    removed: list[str]  # furniture lines removed
    decisions: list[Decision]  # headings made, lines joined or kept apart
    looks_wrapped: bool  # one paragraph a line, but the lines look hard-wrapped


def import_text(text: str, meta: dict[str, str], *, headings: str = "auto",
                unwrap: bool = False) -> Imported:
    """Turn a raw article's text into a source file's text.

    meta maps front matter fields to values (those missing get placeholders).
    headings: "auto" (short lines without final punctuation become headings) or "none".
    unwrap: join hard-wrapped lines (blank lines separate paragraphs) instead of taking
    each line as a paragraph. Raises ImportProblem if the text cannot be stored faithfully."""
    text = normalise_text(text)
    decisions: list[Decision] = []
    if unwrap:
        blocks, decisions = unwrap_lines(text)
    else:
        blocks = split_lines(text)
    blocks, removed = remove_furniture(blocks)
    if not blocks:
        raise ImportProblem("the file holds no article text")
    for block in blocks:
        if _MARKDOWN_HEADING.match(block.text):
            raise ImportProblem(f"line {block.line}: a paragraph starts with '#' and would be "
                                f"read as a subheading: {block.text[:60]!r}")
    blocks, made = mark_headings(blocks, headings)
    decisions = sorted(decisions + made, key=lambda d: d.line)
    return Imported(front_matter(meta) + render_body(blocks), removed, decisions,
                    not unwrap and looks_hard_wrapped(blocks))


def import_article(text: str, meta: dict[str, str]) -> tuple[str, list[str]]:
    """(source file text, furniture removed) with the default options."""
    result = import_text(text, meta)
    return result.text, result.removed


# -- the command line ---------------------------------------------------------------

def _source_id(value: str) -> str:
    if len(value) > F.ID_MAX or not F.ID_RE.match(value):
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens, "
            f"at most {F.ID_MAX} characters")
    return value


def _date_or_unknown(value: str) -> str:
    if value != F.UNKNOWN:
        date, reason = parse_date(value)
        if date is None:
            raise argparse.ArgumentTypeError(f"{reason} or 'unknown'")
    return value


def _edtf_or_unknown(value: str) -> str:
    if value != F.UNKNOWN:
        when, reason, hint = parse_edtf(value)
        if when is None:
            raise argparse.ArgumentTypeError(f"{reason} or 'unknown' ({hint})")
    return value


def _choice(*allowed: str):
    def check(value: str) -> str:
        if value not in allowed:
            raise argparse.ArgumentTypeError(f"'{value}' is not one of: {', '.join(allowed)}")
        return value
    return check


def _url(value: str) -> str:
    if value != F.UNKNOWN and not re.match(F.URL_PATTERN, value):
        raise argparse.ArgumentTypeError(f"'{value}' is not an http(s) URL or 'unknown'")
    return value


def _lang(value: str) -> str:
    if not re.match(F.LANG_PATTERN, value):
        raise argparse.ArgumentTypeError(f"'{value}' is not a BCP 47 language code (en, es)")
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return value


OPTIONS = (  # (option, field, type, help)
    ("--title", "title", _text, "the headline, or a descriptive title"),
    ("--title-kind", "title_kind", _choice("headline", "descriptive"),
     "headline (the default) or descriptive (a title written for the brief)"),
    ("--type", "type", _choice(*F.SOURCE_TYPES), "what the source is, e.g. news-article"),
    ("--publisher", "publisher", _text, "the outlet, or 'unknown'"),
    ("--author", "author", _text, "the author(s), or 'unknown'"),
    ("--url", "url", _url, "where it was published, or 'unknown'"),
    ("--published", "published", _edtf_or_unknown,
     "YYYY, YYYY-MM, YYYY-MM-DD, an EDTF form such as 2025-08? or 2025-08/2025-09, or 'unknown'"),
    ("--published-kind", "published_kind", _choice("stated", "inferred"),
     "stated (the default) or inferred (the brief worked the date out)"),
    ("--published-note", "published_note", _text, "how the publication date was established"),
    ("--retrieved", "retrieved", _date_or_unknown, "when the text was collected, or 'unknown'"),
    ("--language", "language", _lang, "language of the text (BCP 47: en, es, zh-Hans)"),
    ("--note", "note", _text, "anything a reader should know about this source"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the raw article: UTF-8 text, one paragraph a line")
    parser.add_argument("--id", required=True, type=_source_id,
                        help="the source id; the file written is sources/articles/ID.md")
    for option, name, kind, help_ in OPTIONS:
        parser.add_argument(option, dest=name, type=kind, default=None,
                            help=help_ + (" (default: a TODO placeholder)"
                                          if name in PLACEHOLDER_FIELDS else ""))
    parser.add_argument("--brief", type=Path, default=Path("."),
                        help="the brief's folder (default: the current folder)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing source file")
    parser.add_argument("--headings", choices=("auto", "none"), default="auto",
                        help="auto: a short line without final punctuation becomes a heading "
                             "(default); none: every line is a paragraph")
    parser.add_argument("--unwrap", action="store_true",
                        help="the text is hard-wrapped: join the lines of each paragraph "
                             "(blank lines separate paragraphs)")


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 2
    if not args.brief.is_dir():
        print(f"error: {args.brief} is not a folder", file=sys.stderr)
        return 2
    rel = f"{ARTICLES_DIR}/{args.id}.md"  # the output path comes from the validated id only
    target = args.brief / rel
    if target.exists() and not args.force:
        print(f"error: {rel} already exists; use --force to overwrite it", file=sys.stderr)
        return 1
    problems = Problems()
    text = decode_text(args.file.read_bytes(), args.file.as_posix(), problems)
    if text is None:
        for p in problems.sorted():
            print(p.format(), file=sys.stderr)
        return 1
    meta = {name: getattr(args, name) for _, name, _, _ in OPTIONS
            if getattr(args, name) is not None}
    try:
        result = import_text(text, meta, headings=args.headings, unwrap=args.unwrap)
    except ImportProblem as exc:
        print(f"{args.file.as_posix()}: error: {exc}", file=sys.stderr)
        return 1
    atomic_write(target, result.text.encode("utf-8"))
    for line in result.removed:
        print(f"removed furniture: {line!r}")
    for decision in result.decisions:
        print(decision.format())
    if result.looks_wrapped:
        print("note: most lines stop mid-sentence and the next starts in lower case: if the "
              "text is hard-wrapped, import it again with --unwrap --force")
    todo = [name for name in PLACEHOLDER_FIELDS if name not in meta]
    print(f"wrote {rel}" + (f" (placeholders to fill in: {', '.join(todo)})" if todo else ""))
    return 0
