"""The README's "Starting a new brief" is followed word for word, and its template
reference names everything the templates use (issue 10)."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import jinja2
from jinja2 import meta

from conftest import PYTHON, REPO
from test_new_brief import fresh_clone

README = (REPO / "README.md").read_text("utf-8")


def section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.M | re.S)
    assert m, title
    return m.group(1)


def test_starting_a_new_brief_is_followed_word_for_word(tmp_path):
    block = re.search(r"```sh\n(.*?)```", section("Starting a new brief"), re.S).group(1)
    assert block.startswith("python build.py init ../my-brief")
    clone = fresh_clone(str(tmp_path))  # "from this repository's folder"
    bin_dir = tmp_path / "bin"  # `python` is the project's .venv/bin/python
    bin_dir.mkdir()
    wrapper = bin_dir / "python"  # (a symbolic link would lose the virtualenv)
    wrapper.write_text(f'#!/bin/sh\nexec "{PYTHON}" "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(["bash", "-e", "-c", block], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    brief = tmp_path / "my-brief"
    assert (brief / "site/index.html").is_file() and not (brief / "mkdocs.yml").exists()
    assert "About this brief" in (brief / "site/about/index.html").read_text("utf-8")
    status = proc.stdout.splitlines()
    assert "A  docs/about.md" in status, proc.stdout
    assert not [line for line in status if line[3:].startswith("docs/") and
                line[3:] != "docs/about.md"], proc.stdout  # no generated page committed
    assert "A  brief.yml" in status and "A  .github/workflows/site.yml" in status
    # What init wrote is what the README lists.
    listed = re.search(r"`init` creates.*?```\n(.*?)```", section("Starting a new brief"),
                       re.S).group(1)
    for line in listed.splitlines():
        name = line.split()[0]
        if "*" in name:
            assert list(brief.glob(name)), name
        else:
            assert (brief / name).is_file(), name


COMMON = {"brief", "settings", "page", "res", "examples"}
I18N = {"_", "gettext", "ngettext"}  # the generator's words (README: "Languages")


def test_every_name_a_template_uses_is_documented():
    reference = section("Templates: what each one receives")
    rows = {m.group(1): m.group(2) for m in re.finditer(
        r"^\| `([^`]+)`(?:, `[^`]+`)? \| [^|]+ \| (.*) \|$", reference, re.M)}
    for row in re.finditer(r"^\| `([^`]+)`, `([^`]+)` \| [^|]+ \| (.*) \|$", reference, re.M):
        rows[row.group(2)] = row.group(3)
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])  # {% trans %} (brief/i18n.py)
    # The generator's filters (brief/render.py, brief/i18n.py), each documented in the README.
    filters = ("md", "external_url", "lang", "language_name", "source_type", "entity_kind")
    env.filters.update({name: str for name in filters})
    for name in filters:
        assert f"`{name}`" in README, name
    templates = sorted(p for p in (REPO / "templates").iterdir() if p.suffix == ".j2")
    assert len(templates) > 10
    for path in templates:
        assert path.name in rows, f"{path.name} is not in the README's template table"
        used = meta.find_undeclared_variables(env.parse(path.read_text("utf-8")))
        missing = {name for name in used - COMMON - {"range", "loop"} - I18N
                   if f"`{name}`" not in rows[path.name]}
        assert not missing, f"{path.name}: {sorted(missing)} not documented"
    for name in COMMON:
        assert re.search(rf"^\| `{name}` \|", reference, re.M), name
    for name in I18N:
        assert f"`{name}" in reference, name
    for sheet in ("brief.css", "print.css"):
        assert f"`{sheet}`" in reference
    assert Path(REPO / "templates/brief.css").is_file()
