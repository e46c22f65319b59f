"""`build.py import`: turn a raw article text file into a source file.

Raw articles arrive as text copied off a web page, one paragraph per line. The
transformation (`import_article`: text in, source-file text out) is pure and
deterministic; `run` only reads the raw file and writes sources/articles/ID.md.

What the transformation does, in order:

1. Normalise: NFC, line endings, whitespace inside a line collapsed.
2. Remove page furniture: only the lines listed in `FURNITURE`, and only at the start
   or end of the text, where pages put them (the same words inside the article stay).
3. Classify each remaining line (see `classify_lines`): a short line without final
   punctuation is a subheading (`## `); from a subheading directly followed by a
   question on, the outlet's FAQ block, each short line ending in '?' is a question
   (`### `) and the lines after it its answer; every other line is a paragraph.
4. Write front matter from the options: a required field, author or url that was not
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

HEADING_MAX_WORDS = 12  # "Frequently asked questions about the relationship between China and Cuba"
QUESTION_MAX_WORDS = 25
_FINAL_PUNCTUATION = ".!?:;,…\"'”’»)]"
_SENTENCE_END_INSIDE = re.compile(r"[.!?]\s")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s")  # what sources.py would read as a subheading

# Front matter fields in the order written. Required ones, and author and url (which a
# reader always asks about), get a placeholder when not given; the notes are optional.
PLACEHOLDER_FIELDS = ("title", "publisher", "author", "url", "published", "retrieved", "language")
FIELD_ORDER = ("title", "title_kind", "type", "publisher", "author", "url", "published",
               "published_kind", "published_note", "retrieved", "language", "note")
_PLAIN_SCALAR = re.compile(r"[\w][\w .,'’()/–—-]*[\w.)’']|[\w]")


class ImportProblem(ValueError):
    """The raw text cannot be represented faithfully as a source file."""


@dataclass(frozen=True)
class Line:
    kind: str  # "h2" (subheading), "h3" (FAQ question), "p" (paragraph)
    text: str


def normalise_lines(text: str) -> list[str]:
    """The non-empty lines of the text, NFC, with whitespace collapsed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [s for s in (" ".join(line.split()) for line in text.split("\n")) if s]


def remove_furniture(lines: list[str]) -> tuple[list[str], list[str]]:
    """Strip the furniture lines at both ends; return (article lines, removed lines)."""
    start, end = 0, len(lines)
    removed_start: list[str] = []
    removed_end: list[str] = []
    changed = True
    while changed and start < end:
        changed = False
        for rule in FURNITURE:
            if rule.end == "start" and start < end and rule.pattern.fullmatch(lines[start]):
                removed_start.append(lines[start])
                start += 1
                changed = True
            elif rule.end == "end" and start < end and rule.pattern.fullmatch(lines[end - 1]):
                removed_end.insert(0, lines[end - 1])
                end -= 1
                changed = True
    return lines[start:end], removed_start + removed_end


def _words(line: str) -> int:
    return len(line.split())


def is_subheading(line: str) -> bool:
    return (_words(line) <= HEADING_MAX_WORDS and line[-1] not in _FINAL_PUNCTUATION
            and not _SENTENCE_END_INSIDE.search(line))


def is_question(line: str) -> bool:
    return (line.endswith("?") and _words(line) <= QUESTION_MAX_WORDS
            and not _SENTENCE_END_INSIDE.search(line))


def classify_lines(lines: list[str]) -> list[Line]:
    out: list[Line] = []
    in_faq = False
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if is_subheading(line):
            out.append(Line("h2", line))
            # An FAQ block is a subheading followed directly by a question.
            in_faq = bool(nxt) and is_question(nxt)
        elif in_faq and is_question(line):
            out.append(Line("h3", line))
        else:
            out.append(Line("p", line))
    return out


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


def render_body(blocks: list[Line]) -> str:
    prefix = {"h2": "## ", "h3": "### ", "p": ""}
    return "\n\n".join(prefix[b.kind] + b.text for b in blocks) + "\n"


def import_article(text: str, meta: dict[str, str]) -> tuple[str, list[str]]:
    """Turn a raw article's text into a source file's text.

    meta maps front matter fields to values (those missing get placeholders). Returns
    (source file text, furniture lines removed). Raises ImportProblem if the text
    cannot be stored faithfully."""
    lines, removed = remove_furniture(normalise_lines(text))
    if not lines:
        raise ImportProblem("the file holds no article text")
    for line in lines:
        if _MARKDOWN_HEADING.match(line):
            raise ImportProblem(f"a paragraph starts with '#' and would be read as a "
                                f"subheading: {line[:60]!r}")
    return front_matter(meta) + render_body(classify_lines(lines)), removed


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
        content, removed = import_article(text, meta)
    except ImportProblem as exc:
        print(f"{args.file.as_posix()}: error: {exc}", file=sys.stderr)
        return 1
    atomic_write(target, content.encode("utf-8"))
    for line in removed:
        print(f"removed furniture: {line!r}")
    todo = [name for name in PLACEHOLDER_FIELDS if name not in meta]
    print(f"wrote {rel}" + (f" (placeholders to fill in: {', '.join(todo)})" if todo else ""))
    return 0
