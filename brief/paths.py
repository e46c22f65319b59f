"""Where the generator's data folders are: templates, theme overrides, schemas.

Inside the installed package (`pip install .` ships them as package data, see
pyproject.toml), or at the top of this repository when run from a checkout.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def package_dir(name: str) -> Path:
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name
