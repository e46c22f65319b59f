"""Brief templates run in a sandbox: they may print data, never open files or run code.

A brief's own templates (its `templates/` folder) are code the generator runs, but they
come with the brief, so they are held to what a template needs (README, Security):
* Jinja's SandboxedEnvironment: no `_private` or dunder attributes, no unsafe callables;
  on top of it, no attribute or method of a path, a module or a class (`brief.root` is a
  path: `brief.root.read_text()` would read a file);
* the loader (`ConfinedLoader`) finds templates only inside the templates folders: `..`
  and absolute names are not found, and a symbolic link leading out of the folder is
  refused.
A violation fails the build with an error at the template's line. The generator's own
templates need nothing more, and run unsandboxed when a brief has no templates/ (faster).
"""
from __future__ import annotations

import os
import types
from pathlib import Path, PurePath

import jinja2
from jinja2.sandbox import SandboxedEnvironment


class BriefSandbox(SandboxedEnvironment):
    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if isinstance(obj, (PurePath, os.PathLike, types.ModuleType, type)):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj) -> bool:
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, (PurePath, os.PathLike, types.ModuleType, type)):
            return False
        return super().is_safe_callable(obj)


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that never returns a file outside its folders, even through a
    symbolic link."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(p).resolve()) for p in self.searchpath):
            raise jinja2.TemplateNotFound(
                template, f"{template} leads out of the templates folder (a symbolic link)")
        return source, filename, uptodate


def environment_class(brief_templates: Path) -> type[jinja2.Environment]:
    """The sandbox when the brief has templates of its own, else the plain environment."""
    return BriefSandbox if brief_templates.is_dir() else jinja2.Environment
