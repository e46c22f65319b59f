"""Problems found in a brief, reported to the person who edited it.

Every stage collects problems instead of raising, so one run reports all of them
(like mkdocs' ``Config.validate``). The CLI prints them and exits with status 1.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Invisible characters in what is printed become visible stand-ins, one for one so the
# caret still points at the column: C0 controls as their "control pictures" (U+2400...),
# C1 controls, bidirectional overrides and line separators as U+FFFD. Printed raw they
# would move the terminal's cursor, recolour it, reorder the line or break it in two.
_VISIBLE = str.maketrans(
    {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
    | {0x7F: "\u2421"}
    | {c: "\ufffd" for c in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                             0x2028, 0x2029)})


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the brief's root, '/'-separated
    line: int  # 1-based; 0 when the problem is about the whole file
    col: int  # 1-based
    message: str
    hint: str = ""
    source_line: str = ""  # the offending line, shown under the message
    severity: str = "error"  # or "warning"

    def format(self) -> str:
        # A problem about a whole file is shown at 1:1, which CI annotators accept (not 0:0)
        out = f"{self.path}:{max(self.line, 1)}:{max(self.col, 1)}: {self.severity}: {self.message}"
        out = out.replace("\n", "\u240a")  # one line, even for a file name with a newline
        if self.source_line:
            shown, caret = self.source_line.rstrip("\n").expandtabs(1), max(self.col - 1, 0)
            if len(shown) > 100:  # show a window around the column, not a huge line
                start = max(caret - 50, 0)
                shown, caret = shown[start:start + 100], caret - start
            out += f"\n    {shown}\n    {' ' * caret}^"
        if self.hint:
            out += f"\n    hint: {self.hint}"
        return out.translate(_VISIBLE)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.message)


@dataclass
class Problems:
    """A collector passed through the pure stages."""

    items: list[Problem] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)  # path -> text lines, for context

    def add(self, path: str, line: int, col: int, message: str, hint: str = "",
            severity: str = "error") -> None:
        text_lines = self.lines.get(path)
        src = text_lines[line - 1] if text_lines and 0 < line <= len(text_lines) else ""
        self.items.append(Problem(path, line, col, message, hint, src, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=Problem.sort_key)


class BriefError(Exception):
    """Raised by the CLI layer when problems stop a run."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
