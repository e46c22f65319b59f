"""The generator owns the MkDocs configuration; a brief's mkdocs.yml is optional, read
as data and merged over it (brief/siteconfig.py). And the trust boundary: what a brief's
mkdocs.yml and templates may not do without an opt-in, or at all."""
from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from conftest import MINI, make_brief, run_build, snapshot


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


@pytest.fixture
def bare(tmp_path) -> Path:
    """The mini fixture without a mkdocs.yml."""
    return make_brief(tmp_path, {"mkdocs.yml": None})


def test_a_brief_without_mkdocs_yml_gets_the_generators_settings(bare):
    settings = (MINI / "brief.yml").read_text("utf-8")
    (bare / "brief.yml").write_text(
        settings.replace("title: The harbour dispute", "title: L'affaire du port")
        + "language: fr\nsite_url: https://example.org/port/\npalette: teal\n", "utf-8")
    result = run_build(str(bare))
    assert result.returncode == 0, result.stderr
    home = (bare / "site/index.html").read_text("utf-8")
    assert '<html lang="fr"' in home  # theme.language from brief.yml
    assert "<title>L&#39;affaire du port</title>" in home or "<title>L'affaire du port</title>" in home
    assert '<link rel="canonical" href="https://example.org/port/">' in home  # site_url once
    assert "<loc>https://example.org/port/timeline/</loc>" in (
        bare / "site/sitemap.xml").read_text("utf-8")
    assert 'content="A small test brief about a fictional harbour dispute."' in home
    assert 'data-md-color-primary="teal"' in home  # palette from brief.yml


def test_extra_settings_are_merged_over_the_generators(tmp_path):
    root = make_brief(tmp_path, {
        "mkdocs.yml": ("extra_css:\n  - extra.css\nnav:\n  - Home: index.md\n"
                       "  - Timeline: timeline/index.md\n  - FAQ: faq.md\n"
                       "  - Sources: sources/index.md\n  - Who's who: entities/index.md\n"
                       "  - Tags: tags/index.md\n  - Data: data.md\n  - About us: about.md\n"
                       "theme:\n  features: [navigation.tabs]\n  palette:\n"
                       "    scheme: slate\n    primary: teal\n"
                       "markdown_extensions:\n  - admonition\n  - toc:\n      toc_depth: 3\n"),
        "docs/extra.css": "body { color: black }\n",
        "docs/about.md": "# About us\n\n!!! note\n    An admonition.\n"})
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    home = (root / "site/index.html").read_text("utf-8")
    assert 'href="extra.css"' in home and 'href="assets/brief.css"' in home
    assert "md-tabs" in home and 'data-md-color-primary="teal"' in home
    about = (root / "site/about/index.html").read_text("utf-8")
    assert 'class="admonition note"' in about
    assert "About us" in home
    # The generator's extensions are still on: footnotes and permalinks.
    timeline = (root / "site/timeline/2024/index.html").read_text("utf-8")
    assert 'class="footnote-ref"' in timeline and 'class="headerlink"' in timeline


@pytest.mark.parametrize("yml, line, message", [
    ("theme:\n  name: readthedocs\n", 2,
     "theme 'readthedocs' cannot be used: the generated pages need the Material theme"),
    ("theme: mkdocs\n", 1,
     "theme 'mkdocs' cannot be used: the generated pages need the Material theme"),
    ("theme:\n  font:\n    text: Roboto\n", 2,
     "theme.font must stay false: web fonts are loaded from Google"),
    ("markdown_extensions:\n  - footnotes: false\n", 2,
     "markdown extension footnotes cannot be switched off: the generated pages depend on it"),
    ("markdown_extensions:\n  - toc:\n      permalink: false\n", 2,
     "markdown extension toc: permalink cannot be changed: the generated pages depend on it"),
    ("markdown_extensions:\n  - attr_list: ~\n  - tables: 0\n", 3,
     "markdown extension tables cannot be switched off: the generated pages depend on it"),
    ("plugins:\n  - search:\n      enabled: false\n", 2,
     "the search plugin cannot be switched off here"),
    ("strict: false\n", 1, "strict cannot be changed: the generator needs strict: true"),
    ("validation:\n  anchors: info\n", 2,
     "validation anchors cannot be lowered: broken links and anchors must fail the build"),
    ("site_url: https://elsewhere.example/\n", 1,
     "site_url is set in brief.yml (site_url), not in mkdocs.yml"),
    ("extra_css:\n  - https://cdn.example/x.css\n", 2,
     "extra_css 'https://cdn.example/x.css' is loaded from another site"),
], ids=["theme", "theme-string", "font", "footnotes", "toc-permalink", "tables", "search",
        "strict", "validation", "site_url", "cdn-css"])
def test_a_setting_the_generated_pages_depend_on_cannot_be_switched_off(tmp_path, yml, line,
                                                                        message):
    root = make_brief(tmp_path, {"mkdocs.yml": yml})
    result = run_build(str(root))
    assert result.returncode == 1
    assert errors(result)[0].startswith(f"mkdocs.yml:{line}:"), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and not (root / "site").exists()
    assert run_build(str(root), "--check").returncode == 1  # reported by --check too


def test_python_tags_are_an_error_at_their_line_and_run_nothing(tmp_path):
    marker = tmp_path / "pwned"
    root = make_brief(tmp_path, {"mkdocs.yml": (
        "extra:\n  x: 1\n"
        f'copyright: !!python/object/apply:os.system ["touch {marker}"]\n'
        f'site_author: !!python/object/apply:os.system ["touch {marker}"]\n')})
    result = run_build(str(root))
    assert result.returncode == 1
    assert errors(result) == [
        "mkdocs.yml:3:12: error: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
        "allowed in a brief's mkdocs.yml",
        "mkdocs.yml:4:14: error: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
        "allowed in a brief's mkdocs.yml"], result.stderr
    assert not marker.exists() and not Path("/tmp/pwned").exists()
    assert not (root / "site").exists() and not (root / "docs").exists()


def test_hooks_and_plugins_need_the_opt_in(tmp_path):
    marker = tmp_path / "hook-ran"
    hook = f"def on_config(config, **kwargs):\n    open({str(marker)!r}, 'w').close()\n"
    root = make_brief(tmp_path, {"mkdocs.yml": "hooks:\n  - myhook.py\nplugins:\n  - search\n"
                                               "  - tags\n", "myhook.py": hook})
    result = run_build(str(root))
    assert result.returncode == 1
    assert errors(result) == [
        "mkdocs.yml:1:1: error: hooks: in a brief's mkdocs.yml needs --allow-plugins",
        "mkdocs.yml:5:5: error: plugin 'tags' in a brief's mkdocs.yml needs --allow-plugins"]
    assert "hint: it runs code from the brief during the build" in result.stderr
    assert not marker.exists()
    allowed = run_build(str(root), "--allow-plugins")
    assert allowed.returncode == 0, allowed.stderr
    assert marker.exists()  # the person building opted in


@pytest.mark.parametrize("yml", ["theme:\n  custom_dir: overrides\n",
                                 "extra_javascript:\n  - x.js\n",
                                 "markdown_extensions:\n  - pymdownx.snippets\n",
                                 "markdown_extensions:\n  - mybriefext\n"],
                         ids=["custom_dir", "extra_javascript", "snippets", "own-extension"])
def test_other_settings_that_run_code_need_the_opt_in(tmp_path, yml):
    root = make_brief(tmp_path, {"mkdocs.yml": yml})
    result = run_build(str(root), "--check")
    assert result.returncode == 1
    assert "needs --allow-plugins" in errors(result)[0], result.stderr


def test_env_tags_need_the_opt_in(tmp_path):
    root = make_brief(tmp_path, {"mkdocs.yml": "copyright: !ENV BRIEF_TEST_SECRET\n"})
    env = {"BRIEF_TEST_SECRET": "the-secret-value"}
    import os
    result = run_build(str(root), env={**os.environ, **env})
    assert result.returncode == 1
    assert errors(result) == [
        "mkdocs.yml:1:12: error: !ENV is not allowed without --allow-env"], result.stderr
    assert not (root / "site").exists()
    allowed = run_build(str(root), "--allow-env", env={**os.environ, **env})
    assert allowed.returncode == 0, allowed.stderr
    assert "the-secret-value" in (root / "site/index.html").read_text("utf-8")


def test_inherit_must_stay_inside_the_brief(tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("copyright: from outside\n")
    root = make_brief(tmp_path, {"mkdocs.yml": f"INHERIT: {outside}\n"})
    result = run_build(str(root), "--check")
    assert result.returncode == 1
    assert errors(result)[0].startswith(
        "mkdocs.yml:1:1: error: INHERIT must name a settings file inside the brief")


def test_all_problems_of_mkdocs_yml_are_reported_at_once_and_nothing_changes(tmp_path):
    root = make_brief(tmp_path)
    assert run_build(str(root)).returncode == 0
    before = snapshot(root / "docs"), snapshot(root / "site")
    (root / "mkdocs.yml").write_text("theme:\n  name: mkdocs\nhooks: [x.py]\nstrict: false\n")
    result = run_build(str(root))
    assert result.returncode == 1
    assert [e.split(": error:")[0] for e in errors(result)] == [
        "mkdocs.yml:2:3", "mkdocs.yml:3:1", "mkdocs.yml:4:1"]
    assert (snapshot(root / "docs"), snapshot(root / "site")) == before


# -- brief templates: a sandbox that cannot read files -------------------------------

HOSTNAME = Path("/etc/hostname")


@pytest.mark.parametrize("template, line", [
    ('# Data\n\n{{ brief.root.joinpath("/etc/hostname").read_text() }}\n', 3),
    ('# Data\n\nText.\n{% include "/etc/hostname" %}\n', 4),
    ('# Data\n\n{% include "../../../../../../../../etc/hostname" %}\n', 3),
    ("# Data\n\n{{ page.__class__.__init__.__globals__ }}\n", 3),
    ("# Data\n\n{{ brief.root.__class__ }}\n", 3),
    ('# Data\n\n{% include "host.md.j2" %}\n', 3),  # a symbolic link out of templates/
], ids=["path-method", "include-absolute", "include-dotdot", "dunder", "path-class",
        "symlink"])
def test_a_brief_template_cannot_read_a_file_outside_the_brief(tmp_path, template, line):
    root = make_brief(tmp_path, {"templates/data.md.j2": template})
    (root / "templates" / "host.md.j2").symlink_to(HOSTNAME)
    result = run_build(str(root))
    assert result.returncode == 1
    assert errors(result)[0].startswith(f"templates/data.md.j2:{line}:1: error: template error:"), \
        result.stderr
    secret = HOSTNAME.read_text().strip() if HOSTNAME.is_file() else socket.gethostname()
    assert not (root / "docs").exists() and not (root / "site").exists()
    assert secret not in re.sub(r"templates/\S+", "", result.stderr) or len(secret) < 4


def test_a_brief_template_still_has_its_data_and_helpers(tmp_path):
    """The sandbox allows what the generator's own templates use (they run in it too)."""
    root = make_brief(tmp_path, {"templates/data.md.j2": (
        "# Data\n\n{{ brief.events|length }} events; first on "
        "{{ (brief.events|first).date.display() }}; "
        "[timeline]({{ page.link('timeline/index.md') }}).\n\n"
        "## Citations {: #citations }\n")})  # the Sources page links to this anchor
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    text = (root / "docs/data.md").read_text("utf-8")
    assert "3 events; first on 2019" in text and "[timeline](timeline/index.md)" in text


def test_a_brief_dossier_template_runs_in_the_sandbox_too(tmp_path):
    """The one-file dossier (issue 15) is rendered with the same environment class as the
    pages: a brief's own dossier.html.j2 cannot read a file either."""
    root = make_brief(tmp_path, {"templates/dossier.html.j2": (
        '<p>{{ brief.root.joinpath("/etc/hostname").read_text() }}</p>\n')})
    result = run_build(str(root))
    assert result.returncode == 1
    assert errors(result)[0].startswith("templates/dossier.html.j2:1:1: error: template error:"), \
        result.stderr
    assert not (root / "docs").exists() and not (root / "site").exists()
