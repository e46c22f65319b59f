"""Opening a brief's input files: only regular files inside the brief are read.

A brief is untrusted data. A symbolic link in it could make the build publish, or
print in an error message, a file from elsewhere on the machine (`sources/articles/
x.md -> ~/.ssh/id_rsa`); a folder or a broken link where a file is expected must be
an error at its path, not an internal error. Every reader goes through `read_input`.
"""
from __future__ import annotations

from pathlib import Path

from .problems import Problems


def _inside(root: Path, target: Path) -> bool:
    base = root.resolve()
    return target == base or base in target.parents


def read_input(root: Path, path: Path, rel: str, problems: Problems) -> bytes | None:
    """The bytes of `path` (shown as `rel`), or None after reporting why it cannot be read.
    Nothing of a refused file is read, so nothing of it can be printed."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            problems.add(rel, 1, 1, "this is a broken symbolic link (its target does not exist)",
                         hint="replace the link with the file itself, or delete it")
            return None
        if not _inside(root, target):
            problems.add(rel, 1, 1, "this is a symbolic link to a file outside the brief; it is "
                                    "not read", hint="copy the file into the brief instead of "
                                                     "linking to it")
            return None
    if path.is_dir():
        problems.add(rel, 1, 1, "this is a folder, but a file is expected here",
                     hint="rename the folder (a name ending in .yml or .md is read as a file), "
                          "or move it out of sources/")
        return None
    if not path.is_file():
        problems.add(rel, 1, 1, "this is not a regular file", hint="replace it with a text file")
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        problems.add(rel, 1, 1, f"the file cannot be read ({exc.strerror or exc})",
                     hint="check the file's permissions")
        return None
