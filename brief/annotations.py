"""GitHub Actions annotations: each problem also as an `::error file=...::` line.

On GitHub (`GITHUB_ACTIONS=true`) a workflow command printed on stdout puts the
message on the file's line in the pull request's "Files changed" view, where the
researcher who edited the YAML sees it. Paths are relative to the brief; GitHub
wants them relative to the repository's root (the working folder of the job), so a
brief in a subfolder gets that folder as a prefix.

Escaping follows the runner's rules (actions/toolkit, `command.ts`): in the message
`%`, CR and LF; in property values also `:` and `,`.
"""
from __future__ import annotations

import os
from pathlib import Path

from .problems import Problem


def enabled() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def prefix_for(root: Path | None, cwd: Path | None = None) -> str:
    """The brief's folder relative to the working folder ('' when it is the same)."""
    if root is None:
        return ""
    try:
        rel = Path(root).resolve().relative_to((cwd or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel + "/"


def annotation(problem: Problem, prefix: str = "") -> str:
    kind = "error" if problem.severity == "error" else "warning"
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    return (f"::{kind} file={_prop(prefix + problem.path)},line={max(problem.line, 1)},"
            f"col={max(problem.col, 1)},title={_prop('brief: ' + kind)}::{_data(message)}")
