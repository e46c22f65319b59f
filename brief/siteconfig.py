"""The MkDocs configuration of a brief: the generator's, plus the brief's optional extras.

A brief needs no `mkdocs.yml`. The generator owns what its pages depend on (the Material
theme with no web fonts, the Markdown extensions footnotes, attr_list, toc and tables,
strict validation, the sanitiser, its theme overrides and the small fixed menu); the
site's name, description, language and address come from `brief.yml`. A brief may add
a `mkdocs.yml` with extra settings (more menu entries, extra CSS, a palette, ...): it is
merged over the generator's (`merge_settings`).

A brief's `mkdocs.yml` is read as data (the trust boundary, README "Security"):
* a safe YAML loader: no `!!python/...` tag, no other tag; `!ENV` only with
  `allow_env` (`--allow-env`), as it would publish an environment variable;
* settings that run code from the brief (`hooks:`, `plugins:` other than search,
  `theme.custom_dir`, `extra_javascript`, Markdown extensions outside Python-Markdown's
  and pymdownx's, or pymdownx.snippets, which reads files) need `allow_plugins`
  (`--allow-plugins`);
* switching off or changing what the generated pages depend on is an error at its line.
Every problem is reported as `mkdocs.yml:LINE:COL: error: ...`, all at once.
"""
from __future__ import annotations

import argparse

import copy
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from markupsafe import Markup

from . import i18n
from .i18n import N_
from .paths import package_dir
from .problems import Problem, Problems

CONFIG_FILE = "mkdocs.yml"

# The fixed, small menu: per-year, per-source and per-entity pages are reached from their
# index pages, so the menu rendered on every page does not grow with the brief.
MENU = [  # (titles in the brief's language: brief/i18n.py)
    {N_("Overview"): "index.md"},
    {N_("Timeline"): "timeline/index.md"},
    {N_("FAQ"): "faq.md"},
    {N_("Sources"): "sources/index.md"},
    {N_("Who's who"): "entities/index.md"},
    {N_("Tags"): "tags/index.md"},
    {N_("Data"): "data.md"},
]
MORE = N_("More")  # the menu section listing hand-written pages
NOT_IN_NAV = "/timeline/*.md\n/sources/*.md\n/entities/*.md\n/tags/*.md\n/faq/*.md\n"

# What the generated pages depend on: always applied, never switched off.
EXTENSIONS: dict[str, dict] = {
    "toc": {"permalink": True},
    "footnotes": {},
    "attr_list": {},
    # align="right", not a style attribute (the sanitiser drops style)
    "tables": {"use_align_attribute": True},
}
THEME: dict[str, Any] = {
    "name": "material",
    "font": False,  # no Google Fonts: nothing is fetched when a page loads
    "features": ["content.footnote.tooltips", "navigation.top", "navigation.prune",
                 "search.highlight", "toc.follow"],
    "palette": [
        {"media": "(prefers-color-scheme: light)", "scheme": "default",
         "toggle": {"icon": "material/weather-night", "name": N_("Switch to dark mode")}},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
         "toggle": {"icon": "material/weather-sunny", "name": N_("Switch to light mode")}},
    ],
}
VALIDATION = {"omitted_files": "warn", "absolute_links": "warn",
              "unrecognized_links": "warn", "anchors": "warn"}
EXTRA_CSS = ["assets/brief.css", "assets/print.css"]  # print.css is all inside @media print

# Settings the brief takes from brief.yml (one place each): mkdocs.yml key -> brief.yml field.
FROM_BRIEF_YML = {"site_name": "title", "site_description": "description",
                  "site_url": "site_url"}
# Settings whose value the generator fixes.
FIXED = {"docs_dir": "docs", "site_dir": "site", "strict": True, "use_directory_urls": True}
# Keys of the brief's mkdocs.yml that load code from the brief.
CODE_KEYS = {"hooks", "extra_javascript"}
# Python-Markdown's own extensions and pymdownx's are installed code, and render text only;
# pymdownx.snippets reads files (any file, with base_path), so it is code too.
_MARKDOWN_BUILTIN = {"abbr", "admonition", "attr_list", "codehilite", "def_list", "extra",
                     "fenced_code", "footnotes", "legacy_attrs", "legacy_em", "md_in_html",
                     "meta", "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks"}
_READS_FILES = {"pymdownx.snippets"}


THEME_OVERRIDES = package_dir("overrides")


@dataclass(frozen=True)
class Options:
    """What the person running the build allows a brief's mkdocs.yml (command-line opt-ins)."""

    allow_plugins: bool = False  # --allow-plugins: hooks, plugins, custom_dir, extra_javascript
    allow_env: bool = False  # --allow-env: !ENV tags


class SiteConfigError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.format().splitlines()[0] for p in problems))
        self.problems = problems


# -- reading a brief's mkdocs.yml safely, with the line of every key --------------------

_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in (
    "str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
MAX_NODES = 20_000  # aliases can multiply a small file ("billion laughs")


class _Reader:
    def __init__(self, path: str, text: str, options: Options, problems: Problems):
        self.path, self.options, self.problems = path, options, problems
        self.lines: dict[tuple, tuple[int, int]] = {}  # key path -> (line, col)
        self.nodes = 0
        self.ok = True
        problems.lines.setdefault(path, text.splitlines())
        self._constructor = yaml.SafeLoader("")

    def error(self, where, message: str, hint: str = "") -> None:
        line, col = where if isinstance(where, tuple) else (where.line + 1, where.column + 1)
        self.problems.add(self.path, line, col, message, hint)
        self.ok = False

    def value(self, node: yaml.Node, at: tuple) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            if self.nodes == MAX_NODES + 1:
                self.error(node.start_mark, f"more than {MAX_NODES} values",
                           hint="aliases (*name) repeat values; write the settings out")
            return None
        mark = node.start_mark
        self.lines.setdefault(at, (mark.line + 1, mark.column + 1))
        if node.tag == "!ENV":
            return self.env(node)
        if node.tag not in _STANDARD_TAGS:
            self.error(mark, f"tag '{node.tag}' is not allowed in a brief's {CONFIG_FILE}",
                       hint="a brief's settings are data: no tag may construct an object or "
                            "run code (!!python/... never; !ENV only with --allow-env)")
            return None
        if isinstance(node, yaml.MappingNode):
            out = {}
            for knode, vnode in node.value:
                key = self.value(knode, at + ("<key>",))
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    self.error(knode.start_mark, "a key must be plain text")
                    continue
                key = str(key)
                if key in out:
                    self.error(knode.start_mark, f"duplicate key '{key}'",
                               hint="keep one of them")
                self.lines[at + (key,)] = (knode.start_mark.line + 1,
                                           knode.start_mark.column + 1)
                out[key] = self.value(vnode, at + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.value(n, at + (i,)) for i, n in enumerate(node.value)]
        return self._constructor.construct_object(node, deep=True)

    def env(self, node: yaml.Node) -> Any:
        """`!ENV NAME` or `!ENV [NAME, ..., default]`, as MkDocs reads it (pyyaml_env_tag)."""
        if not self.options.allow_env:
            self.error(node.start_mark, "!ENV is not allowed without --allow-env",
                       hint="it would publish an environment variable in the site; write the "
                            "value itself, or build with --allow-env if that is what you want")
            return None
        if isinstance(node, yaml.ScalarNode):
            names, default = [node.value], None
        elif isinstance(node, yaml.SequenceNode) and node.value and all(
                isinstance(n, yaml.ScalarNode) for n in node.value):
            names = [n.value for n in node.value]
            default = yaml.safe_load(names.pop()) if len(names) > 1 else None
        else:
            self.error(node.start_mark, "!ENV takes a variable name or a list of names")
            return None
        for name in names:
            if name in os.environ:
                return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
        return default


def read_config(path: Path, rel: str, options: Options, problems: Problems,
                root: Path, depth: int = 0) -> tuple[dict, dict[tuple, tuple[int, int]]]:
    """A brief's mkdocs.yml as a dict, and the (line, col) of each key path."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(rel, 1, 1, f"not UTF-8 text ({exc.reason})")
        return {}, {}
    reader = _Reader(rel, text, options, problems)
    try:
        docs = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        problems.add(rel, (m.line + 1) if m else 1, (m.column + 1) if m else 1,
                     f"YAML syntax: {exc.problem or exc.context or 'invalid YAML'}")
        return {}, {}
    except (yaml.YAMLError, RecursionError) as exc:
        problems.add(rel, 1, 1, f"YAML syntax: {exc}".splitlines()[0])
        return {}, {}
    if not docs or docs[0] is None:
        return {}, {}
    if len(docs) > 1:
        problems.add(rel, 1, 1, "a second YAML document ('---') is not allowed")
        return {}, {}
    data = reader.value(docs[0], ())
    if not reader.ok:
        return {}, {}
    if not isinstance(data, dict):
        problems.add(rel, 1, 1, f"expected settings (key: value), not {type(data).__name__}")
        return {}, {}
    if "INHERIT" in data:  # MkDocs' own inheritance, read with the same care
        line, col = reader.lines[("INHERIT",)]
        parent = (path.parent / str(data.pop("INHERIT"))).resolve()
        if not parent.is_relative_to(root.resolve()) or not parent.is_file() or depth > 5:
            problems.add(rel, line, col, "INHERIT must name a settings file inside the brief",
                         hint=f"{parent} is outside the brief's folder or does not exist")
            return {}, {}
        prel = parent.relative_to(root.resolve()).as_posix()
        base, base_lines = read_config(parent, prel, options, problems, root, depth + 1)
        # Lines of inherited keys point into the parent file.
        lines = {k: v for k, v in reader.lines.items()}
        data = _deep_merge(base, data)
        merged_lines = {k: (prel, *v) for k, v in base_lines.items()}
        merged_lines.update({k: (rel, *v) for k, v in lines.items()})
        return data, merged_lines
    return data, {k: (rel, *v) for k, v in reader.lines.items()}


def _deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(
            out.get(k), dict) else v
    return out


# -- the generator's settings and the merge --------------------------------------------

def material_language(language: str) -> str:
    """The Material theme's language for a BCP 47 tag: itself, else its primary subtag,
    else English (Material sets <html lang> from it)."""
    langs = _material_languages()
    for cand in (language, language.split("-")[0]):
        if cand in langs:
            return cand
    return "en"


def _material_languages() -> set[str]:
    try:
        import material
    except ImportError:  # pragma: no cover - pinned
        return {"en"}
    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return {p.stem for p in folder.glob("*.html")}


def default_settings(brief_settings) -> dict:
    """The generator's MkDocs settings for a brief (its `Settings` from brief.yml)."""
    language = getattr(brief_settings, "language", "en") or "en"
    with i18n.using(language):
        nav = [{i18n._(k): v for k, v in item.items()} for item in MENU]
        # The generator's words in the theme override (overrides/main.html, a11y.js);
        # English is the override's own.
        strings = {"on_this_page": i18n._("On this page"), "footnote": i18n._("Footnote")}
        theme = copy.deepcopy(THEME)
        for scheme in theme["palette"]:
            scheme["toggle"]["name"] = i18n._(scheme["toggle"]["name"])
    # brief.yml is data, but the theme prints site_name and site_description unescaped
    # (MkDocs' Jinja does not autoescape): escaped here, as Markup so that the theme's
    # own `| e` does not escape them twice.
    out: dict[str, Any] = {
        "site_name": Markup.escape(getattr(brief_settings, "title", "") or "Brief"),
        "site_description": Markup.escape(getattr(brief_settings, "description", "")) or None,
        "docs_dir": "docs", "site_dir": "site", "strict": True, "use_directory_urls": True,
        "nav": nav,
        "not_in_nav": NOT_IN_NAV,
        "theme": {**theme, "language": material_language(language)},
        "extra_css": list(EXTRA_CSS),
        "plugins": ["search"],
        "markdown_extensions": [{k: dict(v)} if v else k for k, v in EXTENSIONS.items()],
        "validation": dict(VALIDATION),
    }
    if i18n.catalogue_tag(language) != "en":
        out["extra"] = {"brief_strings": strings}
        with i18n.using(language):  # the headings' permalinks (toc)
            toc = next(e for e in out["markdown_extensions"] if isinstance(e, dict) and "toc" in e)
            toc["toc"]["permalink_title"] = i18n._("Permanent link")
    if getattr(brief_settings, "site_url", ""):
        out["site_url"] = brief_settings.site_url
    if getattr(brief_settings, "palette", ""):
        for scheme in out["theme"]["palette"]:
            scheme["primary"] = brief_settings.palette
    return out


def _ext_items(value) -> list[tuple[str, Any, tuple]]:
    """(name, its settings, key path of the entry) of a list or mapping of extensions."""
    if isinstance(value, dict):
        return [(k, v, (k,)) for k, v in value.items()]
    out = []
    for i, item in enumerate(value or []):
        if isinstance(item, dict) and len(item) == 1:
            out.extend((k, v, (i, k)) for k, v in item.items())
        else:
            out.append((item, None, (i,)))
    return out


def _nav_files(nav) -> set[str]:
    out: set[str] = set()
    if isinstance(nav, str):
        out.add(nav)
    elif isinstance(nav, list):
        for item in nav:
            out |= _nav_files(item)
    elif isinstance(nav, dict):
        for v in nav.values():
            out |= _nav_files(v)
    return out


def merge_settings(defaults: dict, brief: dict, lines: dict, options: Options,
                   problems: Problems, brief_settings=None, root: Path | None = None) -> dict:
    """The brief's settings merged over the generator's; each refusal is a problem at its line."""
    out = copy.deepcopy(defaults)

    def at(*keys):
        for n in range(len(keys), 0, -1):
            if keys[:n] in lines:
                return lines[keys[:n]]
        return (CONFIG_FILE, 1, 1)

    def err(keys: tuple, message: str, hint: str = "") -> None:
        path, line, col = at(*keys)
        problems.add(path, line, col, message, hint)

    code_hint = ("it runs code from the brief during the build; build with --allow-plugins if "
                 "you trust this brief's settings (see the README, Security)")
    for key, value in brief.items():
        if key in FROM_BRIEF_YML:
            field = FROM_BRIEF_YML[key]
            mine = getattr(brief_settings, field, "") if brief_settings else ""
            if value not in (None, "") and str(value) != str(mine or ""):  # (ours is used)
                err((key,), f"{key} is set in brief.yml ({field}), not in {CONFIG_FILE}",
                    hint=f"remove it here and set '{field}' in brief.yml (one place each)")
        elif key in FIXED:
            if value != FIXED[key]:
                err((key,), f"{key} cannot be changed: the generator needs {key}: "
                            f"{str(FIXED[key]).lower() if isinstance(FIXED[key], bool) else FIXED[key]}",
                    hint="remove the line")
        elif key in CODE_KEYS:
            if value and not options.allow_plugins:
                err((key,), f"{key}: in a brief's {CONFIG_FILE} needs --allow-plugins",
                    hint=code_hint)
            elif value:
                out[key] = list(out.get(key) or []) + list(value)
        elif key == "plugins":
            for name, conf, where in _ext_items(value):
                if name == "search":
                    if isinstance(conf, dict) and conf.get("enabled") is False:
                        err((key, *where), "the search plugin cannot be switched off here",
                            hint="the generated pages' search box needs it")
                    elif isinstance(conf, dict):
                        out["plugins"] = [p for p in out["plugins"] if p != "search"] + [
                            {"search": conf}]
                    continue
                if not options.allow_plugins:
                    err((key, *where), f"plugin '{name}' in a brief's {CONFIG_FILE} needs "
                                "--allow-plugins", hint=code_hint)
                else:
                    out["plugins"].append({name: conf} if conf else name)
        elif key == "markdown_extensions":
            _merge_extensions(out, value, err, options, code_hint)
        elif key == "theme":
            _merge_theme(out, value, err, options, code_hint, brief_settings)
        elif key == "validation":
            if not isinstance(value, dict):
                err((key,), "validation: expected settings (key: value)")
                continue
            for k, v in value.items():
                if VALIDATION.get(k) and v != VALIDATION[k]:
                    err((key, k), f"validation {k} cannot be lowered: broken links and "
                                  "anchors must fail the build", hint="remove the line")
                elif k not in VALIDATION:
                    out["validation"][k] = v
        elif key == "not_in_nav":
            out["not_in_nav"] = NOT_IN_NAV + str(value or "")
        elif key == "extra_css":
            for i, css in enumerate(value or []):
                if "://" in str(css) or str(css).startswith("//"):
                    err((key, i), f"extra_css '{css}' is loaded from another site",
                        hint="copy it into docs/ and name it by its path: no request may "
                             "leave the site")
                elif css not in out["extra_css"]:
                    out["extra_css"].append(css)
        else:
            out[key] = _deep_merge(out[key], value) if isinstance(value, dict) and isinstance(
                out.get(key), dict) else value
    for i, js in enumerate(out.get("extra_javascript") or []):
        if "://" in str(js) or str(js).startswith("//"):
            err(("extra_javascript", i), f"extra_javascript '{js}' is loaded from another site",
                hint="copy it into docs/: no request may leave the site")
    return out


def _merge_extensions(out: dict, value, err, options: Options, code_hint: str) -> None:
    key = "markdown_extensions"
    mine = {name: conf for name, conf, _ in _ext_items(out[key])}
    for name, conf, where in _ext_items(value):
        short = str(name).removeprefix("markdown.extensions.")
        if short in EXTENSIONS:
            if conf is not None and not isinstance(conf, dict):
                err((key, *where), f"markdown extension {short} cannot be switched off: the "
                            "generated pages depend on it", hint="remove the line")
                continue
            for k, v in (conf or {}).items():
                if k in EXTENSIONS[short] and v != EXTENSIONS[short][k]:
                    err((key, *where), f"markdown extension {short}: {k} cannot be changed: the "
                                "generated pages depend on it", hint="remove the option")
                    break
            else:
                mine[short] = {**(mine.get(short) or {}), **(conf or {})} or None
            continue
        if not options.allow_plugins and (
                short in _READS_FILES or not (short in _MARKDOWN_BUILTIN
                                              or short.startswith("pymdownx."))):
            err((key, *where), f"markdown extension '{name}' in a brief's {CONFIG_FILE} needs "
                        "--allow-plugins",
                hint="only Python-Markdown's own extensions and pymdownx's (but snippets, "
                     "which reads files) are allowed without it; " + code_hint)
            continue
        mine[name] = conf
    out[key] = [{k: v} if v else k for k, v in mine.items()]


def _merge_theme(out: dict, value, err, options: Options, code_hint: str,
                 brief_settings) -> None:
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        err(("theme",), "theme: expected settings (key: value)")
        return
    theme = out["theme"]
    for k, v in value.items():
        if k == "name" and v != "material":
            err(("theme", k), f"theme '{v}' cannot be used: the generated pages need the "
                              "Material theme", hint="remove the line")
        elif k == "font" and v is not False:
            err(("theme", k), "theme.font must stay false: web fonts are loaded from Google",
                hint="remove the line: no request may leave the site")
        elif k == "language":
            lang = material_language(getattr(brief_settings, "language", "en") or "en")
            if v != lang:
                err(("theme", k), "the language is set in brief.yml (language), not in "
                                  "theme.language", hint="remove the line")
        elif k == "custom_dir":
            if not options.allow_plugins:
                err(("theme", k), "theme.custom_dir in a brief's mkdocs.yml needs "
                                  "--allow-plugins",
                    hint="theme templates are unsandboxed code; " + code_hint)
            else:
                theme[k] = v
        elif k == "features":
            theme[k] = list(dict.fromkeys(list(theme[k]) + list(v or [])))
        else:
            theme[k] = _deep_merge(theme[k], v) if isinstance(v, dict) and isinstance(
                theme.get(k), dict) else v


def hand_written_pages(docs_dir: Path, generated: set[str]) -> list[str]:
    """Markdown pages in docs/ that the generator did not write, in path order."""
    out = []
    if not docs_dir.is_dir():
        return out
    for p in sorted(docs_dir.rglob("*.md")):
        rel = p.relative_to(docs_dir).as_posix()
        if rel in generated or any(part.startswith(".") for part in PurePosixPath(rel).parts):
            continue
        out.append(rel)
    return out


def site_settings(root: Path, config_file: Path | None = None, options: Options = Options(),
                  hand_written: list[str] = ()) -> dict:
    """The merged settings as a plain dict (paths not yet resolved); raises SiteConfigError."""
    from .data import load_settings

    problems = Problems()
    brief_settings = load_settings(root, Problems())
    settings = default_settings(brief_settings)
    path = config_file or root / CONFIG_FILE
    if path.is_file():
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = str(path)
        data, lines = read_config(path, rel, options, problems, root)
        settings = merge_settings(settings, data, lines, options, problems, brief_settings, root)
    elif config_file is not None:
        problems.add(str(config_file), 0, 0, "the MkDocs settings file given with --config "
                                             "does not exist")
    if problems.errors:
        raise SiteConfigError(problems.sorted())
    listed = _nav_files(settings.get("nav"))
    more = [p for p in hand_written if p not in listed]
    if more:
        with i18n.using(getattr(brief_settings, "language", "en") or "en"):
            settings["nav"] = list(settings.get("nav") or []) + [{i18n._(MORE): more}]
    return settings


def check_config(root: Path, config_file: Path | None, options: Options,
                 problems: Problems) -> None:
    """Report the problems of a brief's mkdocs.yml (for --check and before a build)."""
    try:
        site_settings(root, config_file, options)
    except SiteConfigError as exc:
        problems.items.extend(exc.problems)


def load_site_config(root: Path, docs_dir: Path, site_dir: Path, *,
                     config_file: Path | None = None, options: Options = Options(),
                     generated: set[str] | None = None, **overrides):
    """The MkDocsConfig to build the brief with: validated, with the generator's theme
    overrides and sanitiser. Raises SiteConfigError, or mkdocs' Abort on a MkDocs error."""
    import logging

    from mkdocs import exceptions
    from mkdocs.config.defaults import MkDocsConfig

    hand = hand_written_pages(docs_dir, generated) if generated is not None else []
    settings = site_settings(root, config_file, options, hand)
    settings.update(docs_dir=str(docs_dir), site_dir=str(site_dir), **overrides)
    path = (config_file or root / CONFIG_FILE).resolve()
    cfg = MkDocsConfig(config_file_path=str(path))
    cfg.load_dict(settings)
    errors, warnings = cfg.validate()
    log = logging.getLogger("mkdocs")
    for name, warning in warnings:
        log.warning(f"Config value '{name}': {warning}")
    for name, error in errors:
        log.error(f"Config value '{name}': {error}")
    if errors:
        raise exceptions.Abort("Aborted with a configuration error!")
    if warnings:
        raise exceptions.Abort(
            f"Aborted with {len(warnings)} configuration warnings in 'strict' mode!")
    add_theme_overrides(cfg)
    add_sanitizer(cfg)
    add_search_landing(cfg)
    return cfg


def add_theme_overrides(cfg) -> None:
    """The generator's theme overrides: after the brief's own `theme.custom_dir`, if any,
    before the theme."""
    dirs = cfg.theme.dirs
    if THEME_OVERRIDES.is_dir() and not any(Path(d).resolve() == THEME_OVERRIDES for d in dirs):
        dirs.insert(1 if cfg.theme.custom_dir else 0, str(THEME_OVERRIDES))


def add_sanitizer(cfg) -> None:
    """Sanitise every page's content HTML (brief/sanitize.py) for every brief; never twice."""
    from . import sanitize
    if not any(getattr(p, "BRIEF_SANITIZER", False) for p in cfg.plugins.values()):
        cfg.plugins["brief-sanitize"] = sanitize


def add_search_landing(cfg) -> None:
    """Search results that land on the citing section and on source paragraphs
    (brief/search_landing.py), for every brief; never twice."""
    from . import search_landing
    if not any(getattr(p, "BRIEF_SEARCH_LANDING", False) for p in cfg.plugins.values()):
        cfg.plugins["brief-search-landing"] = search_landing


# -- `build.py config [BRIEF]`: the settings as one MkDocs file -------------------------

def standalone_settings(root: Path, config_file: Path | None = None,
                        options: Options = Options()) -> dict:
    """The settings a build uses, as a self-contained MkDocs configuration (absolute
    paths, the sanitiser as a hook, the theme overrides as custom_dir), for running plain
    `mkdocs serve -f FILE` or another engine on the generated docs/."""
    from .write import read_manifest

    docs = root / "docs"
    settings = site_settings(root, config_file, options,
                             hand_written_pages(docs, set(read_manifest(docs))))
    settings = {k: str(v) if isinstance(v, Markup) else v for k, v in settings.items()}
    settings.update(docs_dir=str(docs.resolve()), site_dir=str((root / "site").resolve()))
    base = (config_file or root / CONFIG_FILE).resolve().parent
    hooks = [str((base / h).resolve()) for h in settings.get("hooks", [])]
    settings["hooks"] = hooks + [str(_PACKAGE_DIR / "sanitize.py"),
                                 str(_PACKAGE_DIR / "search_landing.py")]
    if THEME_OVERRIDES.is_dir() and not settings["theme"].get("custom_dir"):
        settings["theme"]["custom_dir"] = str(THEME_OVERRIDES)
    return settings


_PACKAGE_DIR = Path(__file__).resolve().parent


# -- the opt-ins on the command line (build.py, serve, config, dossier) --------------------

def add_trust_arguments(p: argparse.ArgumentParser) -> None:
    """The opt-ins that let a brief's mkdocs.yml do more than data can (README, Security)."""
    p.add_argument("--allow-plugins", action="store_true",
                   help="allow the brief's mkdocs.yml to run code: hooks, plugins other than "
                        "search, theme.custom_dir, extra_javascript, other Markdown extensions")
    p.add_argument("--allow-env", action="store_true",
                   help="allow !ENV in the brief's mkdocs.yml (publishes environment variables)")


def trust_options(args: argparse.Namespace) -> "Options":
    return Options(allow_plugins=args.allow_plugins, allow_env=args.allow_env)


def add_arguments(p) -> None:
    p.add_argument("brief", nargs="?", default=".", type=Path,
                   help="the brief's folder (default: the current folder)")
    p.add_argument("--config", type=Path, default=None,
                   help="extra MkDocs settings (default: BRIEF/mkdocs.yml, if there is one)")
    add_trust_arguments(p)


def run(args) -> int:
    import sys

    root = args.brief.resolve()
    if not root.is_dir():
        print(f"error: {root} is not a folder", file=sys.stderr)
        return 2
    try:
        settings = standalone_settings(root, args.config, trust_options(args))
    except SiteConfigError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        return 1
    print("# The MkDocs settings `build.py` uses for this brief (written by `build.py config`);"
          "\n# for plain `mkdocs serve -f FILE` after a build. Edit brief.yml or mkdocs.yml, "
          "not this.")
    print(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), end="")
    return 0
