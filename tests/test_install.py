"""`pip install .` gives a working `brief` command (issue 10). SLOW: about 20 s (a fresh
virtualenv and a wheel build).

Offline, as every test here: a fresh virtualenv (`python -m venv`), made to see the
pinned packages of this checkout's environment through a .pth file instead of
downloading them, then `pip install --no-index --no-deps --no-build-isolation` of a
fresh clone of this repository. The command it installs then creates and builds a brief
in a folder outside the checkout, from the installed package alone (templates, theme
overrides, schemas and the new-brief skeleton are package data). With network access,
`pip install .` into a bare virtualenv does the same with the dependencies from PyPI.
"""
from __future__ import annotations

import re
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import REPO

BASE_PYTHON = Path(getattr(sys, "_base_executable", sys.executable))


def run(*args, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("install")
    run("git", "clone", "-q", REPO, tmp / "generator", cwd=tmp)
    venv = tmp / "venv"
    run(BASE_PYTHON, "-m", "venv", venv, cwd=tmp)
    purelib = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip())
    ours = [p for p in site.getsitepackages() if Path(p).is_dir()] or [
        sysconfig.get_paths()["purelib"]]
    (purelib / "zz-pinned-packages.pth").write_text("\n".join(ours) + "\n")
    run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-index", "--no-deps",
        "--no-build-isolation", tmp / "generator", cwd=tmp)
    return venv


def test_pip_install_gives_a_brief_command_that_builds_a_brief_elsewhere(installed, tmp_path):
    brief = installed / "bin" / "brief"
    assert brief.is_file()
    where = run(installed / "bin" / "python", "-c", "import brief; print(brief.__file__)",
                cwd=tmp_path).stdout.strip()
    assert where.startswith(str(installed)), where  # the installed package, not the checkout
    run(brief, "init", "elsewhere", "--title", "A brief elsewhere", cwd=tmp_path)
    built = run(brief, "elsewhere", cwd=tmp_path)
    assert "built" in built.stdout
    site_dir = tmp_path / "elsewhere" / "site"
    home = (site_dir / "index.html").read_text("utf-8")
    assert "md-header" in home and "A brief elsewhere" in home
    assert (site_dir / "assets" / "brief" / "a11y.js").is_file()  # the theme overrides
    assert 'class="footnote-ref"' in next(site_dir.glob("timeline/2*/index.html")).read_text()
    # The schemas the YAML files name are in the brief itself, current with the package's.
    modeline = (tmp_path / "elsewhere/brief.yml").read_text("utf-8").splitlines()[0]
    target = re.search(r"\$schema=(\S+)", modeline).group(1)
    assert (tmp_path / "elsewhere" / target).is_file()
    run(brief, "schema", cwd=tmp_path)  # the package's schemas match its fields
    help_ = run(brief, "--help", cwd=tmp_path).stdout
    assert "init" in help_ and "--allow-plugins" in help_


def test_pyproject_pins_the_same_versions_as_requirements_txt():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    pins = sorted(line.split("#")[0].strip().lower() for line in
                  (REPO / "requirements.txt").read_text("utf-8").splitlines()
                  if line.split("#")[0].strip())
    assert sorted(d.lower() for d in project["dependencies"]) == pins
