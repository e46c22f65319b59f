"""Skipping the generate step when nothing it reads has changed.

A no-change rebuild (a second `python build.py`, CI on a commit that touched nothing
in the brief) would otherwise read, validate, verify and render the whole brief again:
about 4 s at 1,000 sources and 10,000 events. Instead the build hashes the *content* of
everything the generate step can read -- brief.yml, mkdocs.yml, every file under
sources/, the brief's templates/, and the generator's own templates/ and code -- and,
when the hash equals the one stored by the last successful build, reuses the pages that
build generated. Hashing content rather than trusting (path, mtime, size) costs a few
tens of milliseconds and cannot be fooled by an edit that keeps a file's size and time.

The cache is one file beside docs/, `.brief-cache`: a JSON header (key, page list,
warnings to print again) followed by the pages' bytes. It is never unpickled or
evaluated, only sliced. It is written atomically after a successful build; a missing,
stale or damaged cache only means a full run. Pages are then written and built exactly
as on a full run (docs/ rewrites only what changed, MkDocs builds the site).
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

from .models import Page
from .paths import package_dir
from .problems import Problem, Problems

CACHE_FILE = ".brief-cache"
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent
DEFAULT_TEMPLATES = package_dir("templates")  # as render.DEFAULT_TEMPLATES (not imported:
# a cache hit should not pay for importing the renderer)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _entries(folder: Path) -> list[Path]:
    """Every entry under folder, files or not: a folder named `old.yml` or a broken
    symbolic link is an error for --check, so it must change the key too (otherwise a
    cached build would hide it)."""
    return sorted(folder.rglob("*")) if folder.is_dir() else []


def _describe(p: Path) -> bytes:
    """What the readers see at p: a link's target and, for a file, its bytes."""
    out = b""
    if p.is_symlink():
        try:
            out += b"link:" + str(p.readlink()).encode("utf-8", "surrogateescape") + b"\0"
        except OSError:
            out += b"link:?\0"
    try:
        if p.is_dir():
            return out + b"dir"
        if p.is_file():
            return out + b"file:" + p.read_bytes()
    except OSError as exc:
        return out + f"unreadable:{exc.errno}".encode()
    return out + b"other"


def _library_versions() -> str:
    """The installed distributions beside the libraries that shape the pages (Jinja2,
    MarkupSafe, PyYAML): their dist-info folder names carry the versions, so installing
    or upgrading anything there changes the key. Cheaper than importing the libraries
    or asking importlib.metadata (tens of ms)."""
    import importlib.util
    import os

    out = []
    for folder in dict.fromkeys(
            Path(spec.origin).parent.parent for spec in map(importlib.util.find_spec,
                                                            ("jinja2", "markupsafe", "yaml"))
            if spec is not None and spec.origin):
        try:
            infos = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            infos = []
        out.append(f"{folder}: {' '.join(infos)}")
    return "\n".join(out)


def input_key(root: Path) -> str:
    """A hash of everything the generate step can read, and of the generator itself."""
    h = hashlib.blake2b(digest_size=20)

    def add(label: str, data: bytes) -> None:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)

    add("format", str(FORMAT).encode())
    add("python", sys.version.encode())
    add("libraries", _library_versions().encode())
    for label, files, base in (
            ("code", sorted(_PACKAGE.glob("*.py")), _PACKAGE),
            ("default-templates", _files(DEFAULT_TEMPLATES), DEFAULT_TEMPLATES)):
        for p in files:
            add(f"{label}:{p.relative_to(base).as_posix()}", p.read_bytes())
    for label in ("templates", "sources"):
        for p in _entries(root / label):
            add(f"{label}:{p.relative_to(root).as_posix()}", _describe(p))
    for name in ("brief.yml", "brief.yaml", "mkdocs.yml"):
        if (root / name).exists() or (root / name).is_symlink():
            add(name, _describe(root / name))
    return h.hexdigest()


def load(root: Path, key: str, problems: Problems) -> list[Page] | None:
    """The pages of the last successful build if its key is `key` (its warnings are
    added to `problems`), else None."""
    try:
        data = (root / CACHE_FILE).read_bytes()
        end = data.index(b"\n")
        header = json.loads(data[:end])
        if header.get("format") != FORMAT or header.get("key") != key:
            return None
        pages, pos = [], end + 1
        for path, size in header["pages"]:
            if not isinstance(path, str) or not isinstance(size, int) or size < 0:
                return None
            pages.append(Page(path, data[pos:pos + size]))
            pos += size
        if pos != len(data):
            return None
        warnings = [Problem(**p) for p in header["warnings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    problems.items.extend(warnings)
    return pages


def save(root: Path, key: str, pages: list[Page], problems: Problems) -> None:
    """Store the pages of a successful build (best effort: a failure only costs speed)."""
    from .write import atomic_write

    header = {"format": FORMAT, "key": key,
              "pages": [[p.path, len(p.content)] for p in pages],
              "warnings": [asdict(p) for p in problems.warnings]}
    try:
        atomic_write(root / CACHE_FILE, json.dumps(header).encode() + b"\n"
                     + b"".join(p.content for p in pages))
    except OSError:
        pass
