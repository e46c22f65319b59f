"""`build.py init DIR` (or `brief init DIR`): a new brief that builds at once.

Writes, from the files in brief/skeleton/: brief.yml; one example source, event and FAQ
entry (a working example, marked EXAMPLE, to be replaced); the JSON Schemas in schemas/
with a schema line on each YAML file; a .gitignore that ignores only what the build
writes; a GitHub Actions workflow that builds and publishes the brief; requirements.txt
pinning the generator; a README for the brief's own repository. No mkdocs.yml: the
generator owns the MkDocs settings (brief/siteconfig.py). A folder that is not empty is
refused unless --force is given (then the files above replace those of the same name;
nothing else is touched).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from . import __version__
from .write import atomic_write

SKELETON = Path(__file__).resolve().parent / "skeleton"
PACKAGE = "research-brief"
# skeleton file -> where it goes in the new brief
FILES = {  # (".in": not taken for a brief's own files by the repository's checks)
    "brief.yml.in": "brief.yml",
    "sources/articles/example-source.md.in": "sources/articles/example-source.md",
    "sources/events/events.yml.in": "sources/events/events.yml",
    "sources/faq/faq.yml.in": "sources/faq/faq.yml",
    "gitignore": ".gitignore",
    "site.yml": ".github/workflows/site.yml",
    "requirements.txt": "requirements.txt",
    "README.md": "README.md",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, help="the new brief's folder (created if missing)")
    p.add_argument("--title", default=None,
                   help="the brief's title (default: from the folder's name)")
    p.add_argument("--generator", default=f"{PACKAGE}=={__version__}",
                   help="the generator requirement written to requirements.txt "
                        f"(default: {PACKAGE}=={__version__}; e.g. "
                        f"'{PACKAGE} @ git+https://github.com/OWNER/REPO@vX.Y.Z')")
    p.add_argument("--force", action="store_true",
                   help="write into a folder that is not empty (files of the same name "
                        "are replaced)")


def default_title(folder: Path) -> str:
    words = folder.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(words).capitalize() or "A new brief"


def skeleton_files(title: str, generator: str, year: int) -> dict[str, bytes]:
    """The new brief's files: path relative to the brief -> content."""
    out = {}
    for src, dst in FILES.items():
        text = (SKELETON / src).read_text("utf-8")
        text = (text.replace("@@TITLE@@", json.dumps(title, ensure_ascii=False))
                .replace("@@TITLE_TEXT@@", title).replace("@@YEAR@@", str(year))
                .replace("@@GENERATOR@@", generator))
        out[dst] = text.encode("utf-8")
    return out


def init_brief(root: Path, title: str, generator: str, force: bool = False) -> list[str]:
    """Create the brief; returns the files written. Raises FileExistsError if the folder
    is not empty and not `force`."""
    if root.exists() and not root.is_dir():
        raise FileExistsError(f"{root} exists and is not a folder")
    if root.is_dir() and any(root.iterdir()) and not force:
        raise FileExistsError(f"{root} is not empty")
    files = skeleton_files(title, generator, dt.date.today().year)
    for rel, data in files.items():
        atomic_write(root / rel, data)
    # The schemas go into the brief, so its editor set-up works in its own repository.
    from .schema import add_modeline, brief_yaml_files, write_schemas
    write_schemas(root / "schemas")
    for path, name in brief_yaml_files(root):
        add_modeline(path, name, root / "schemas")
    return sorted(files) + sorted(f"schemas/{p.name}" for p in (root / "schemas").iterdir())


def run(args: argparse.Namespace) -> int:
    root: Path = args.dir
    title = args.title or default_title(root)
    try:
        written = init_brief(root, title, args.generator, args.force)
    except FileExistsError as exc:
        print(f"error: {exc}: nothing was written", file=sys.stderr)
        print("hint: choose a new or empty folder, or add --force to write the brief's "
              "files into it (files of the same name are replaced)", file=sys.stderr)
        return 1
    for rel in written:
        print(f"wrote {(root / rel).as_posix()}")
    print(f"created the brief '{title}' in {root}: build it with `brief {root}` "
          f"(or `python build.py {root}`); its README.md says what to do next")
    return 0
