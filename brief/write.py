"""The only module that writes into docs/.

Only files whose content changed are written (so `mkdocs serve` is not sent into a
rebuild loop, mkdocs issue 3433); each write is atomic (temporary file in the same
folder, then os.replace, like pip's adjacent_tmp_file); generated files that are no
longer produced are removed; hand-written files are never touched. What was
generated is recorded in a manifest, `docs/.generated`, which MkDocs ignores.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .models import Page

MANIFEST = ".generated"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def safe_relpath(path: str) -> PurePosixPath:
    """Refuse any output path that could leave the output folder (defence in depth:
    paths are built only from validated ids)."""
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or not p.parts or any(
            part.startswith(".") for part in p.parts) or "\\" in path:
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return p


def inside(docs: Path, target: Path) -> bool:
    """Whether target's folder is within docs once symbolic links are followed: a linked
    folder in docs/ must not let a write or a removal land outside it."""
    base, where = docs.resolve(), target.parent.resolve()
    return where == base or base in where.parents


def check_pages(pages: list[Page]) -> None:
    seen: set[str] = set()
    for page in pages:
        safe_relpath(page.path)
        key = page.path.casefold()
        if key in seen:  # like Pelican's writer: never write one output path twice
            raise ValueError(f"two pages would be written to {page.path}")
        seen.add(key)


def atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_manifest(docs: Path) -> list[str]:
    m = docs / MANIFEST
    if not m.is_file():
        return []
    return [line for line in m.read_text("utf-8").splitlines() if line and not line.startswith("#")]


def _signature(target: Path) -> tuple | None:
    try:
        st = target.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def write_pages(docs: Path, pages: list[Page], known: dict | None = None) -> WriteReport:
    """`known`, kept by the caller between calls (the live preview): each file's content
    and signature (inode, size, times) as this function last left it. A page with that
    content whose file still has that signature is not read again to compare."""
    check_pages(pages)
    report = WriteReport()
    docs.mkdir(parents=True, exist_ok=True)
    new = {p.path for p in pages}
    old = set(read_manifest(docs))
    for page in pages:  # (handwritten.py reports these earlier, with their origin)
        if page.path not in old and (docs / page.path).exists():
            raise ValueError(f"refusing to overwrite docs/{page.path}: it is a hand-written "
                             f"file (not in docs/{MANIFEST})")
    checked: set[Path] = set()  # folders known to be inside docs (a few, however many pages)
    for page in pages:
        target = docs / page.path
        if target.parent not in checked:
            if not inside(docs, target):
                raise ValueError(f"refusing to write {page.path}: a symbolic link leads "
                                 "out of docs/")
            checked.add(target.parent)
        if known is not None:
            kept = known.get(page.path)
            if kept is not None and (kept[0] is page.content or kept[0] == page.content) \
                    and kept[1] == _signature(target):
                report.unchanged += 1
                continue
        if target.is_file() and target.read_bytes() == page.content:
            report.unchanged += 1
        else:
            atomic_write(target, page.content)
            report.written.append(page.path)
        if known is not None:
            known[page.path] = (page.content, _signature(target))
    for gone in (set(known) - new) if known is not None else ():
        del known[gone]
    for gone in sorted(old - new):
        try:
            rel = safe_relpath(gone)
        except ValueError:
            continue  # a tampered manifest must not make us delete outside docs/
        target = docs / rel
        if target.is_file() and inside(docs, target):
            target.unlink()
            report.removed.append(gone)
            parent = target.parent
            while parent != docs and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    manifest = ("# files generated by build.py; the rest of docs/ is hand-written\n"
                + "".join(f"{p}\n" for p in sorted(new))).encode()
    if not (docs / MANIFEST).is_file() or (docs / MANIFEST).read_bytes() != manifest:
        atomic_write(docs / MANIFEST, manifest)
    write_gitignore(docs, new)
    return report


GITIGNORE = ".gitignore"
_GITIGNORE_HEADER = b"# written by build.py: git ignores the generated files"


def write_gitignore(docs: Path, generated: set[str]) -> None:
    """docs/.gitignore lists the generated files, so git commits only the hand-written
    pages in docs/. A .gitignore written by hand is left alone."""
    target = docs / GITIGNORE
    if target.is_file() and not target.read_bytes().startswith(_GITIGNORE_HEADER):
        return

    def pattern(path: str) -> str:  # a literal path: escape gitignore's special characters
        return "/" + "".join("\\" + c if c in "*?[]\\!# " else c for c in path)

    data = (_GITIGNORE_HEADER + b" (docs/.generated); the rest of docs/ is hand-written\n"
            + "".join(f"{pattern(p)}\n" for p in sorted({MANIFEST, GITIGNORE} | generated))
            .encode("utf-8"))
    if not target.is_file() or target.read_bytes() != data:
        atomic_write(target, data)
