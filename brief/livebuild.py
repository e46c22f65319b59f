"""The live preview's site build: a full MkDocs build once, then only the changed pages.

`LiveSite.full(config)` runs MkDocs' own `build(config, serve_url=...)` with a small
recording plugin that keeps what the build made in memory: the files, the navigation,
the theme's environment, every rendered page (Markdown, HTML, table of contents,
anchors) and each page's entries in the search index.

`LiveSite.update(changed)` then rebuilds only the pages whose Markdown changed: they
are read and rendered again (MkDocs' `_populate_page`, so every `on_page_*` plugin
event runs), their HTML is built through the theme exactly as `_build_page` does, the
anchor links are checked again where that can give another answer (the changed pages'
links, and every link into a changed page, whose anchors may have changed), their
search-index entries are replaced, and the index is written again in page order, by
joining each page's part of it, kept from the last build (brief/search_landing.py).
The changed pages are read and rendered on two CPUs (`parallel.split_run`: a forked
child takes pages from the back of the list); what a page's rendering sets on it that
later updates need (its anchors, links, title, the plugins' per-page state, its search
entries, the warnings counted) comes back as data and is put on the page here.
Other pages do not depend on a page's Markdown: links are rewritten from file paths,
and the menu only shows the titles of the navigation's pages; when one of
those titles changes, or a page is added or removed, or anything but Markdown changed
(mkdocs.yml, the theme overrides, an image in docs/), `update` returns False and the
caller runs a full build. The result equals a clean full build byte for byte
(tests/test_serve.py).
"""
from __future__ import annotations

import functools
import json
import logging
import os
import shutil
from pathlib import Path

from mkdocs.plugins import event_priority

from . import parallel

log = logging.getLogger("brief.serve")


class _Recorder:
    """A plugin recording the build's state; runs after every other plugin."""

    BRIEF_PARALLEL_SAFE = True

    def __init__(self, site: "LiveSite"):
        self.site = site

    @event_priority(-100)
    def on_nav(self, nav, *, config, files):
        self.site.nav, self.site.files = nav, files
        return nav

    @event_priority(-100)
    def on_env(self, env, *, config, files):
        self.site.env = env
        return env

    @event_priority(-100)
    def on_page_context(self, context, *, page, config, nav):
        entries = self.site.search_entries()
        end = len(entries) if entries is not None else 0
        self.site.entries[page.file.src_uri] = (self.site._last_end, end)
        self.site._last_end = end
        return context


class LiveSite:
    def __init__(self):
        self.config = None
        self.files = self.nav = self.env = None
        self.entries: dict[str, tuple[int, int]] = {}  # page -> its slice of the index
        self._last_end = 0
        self.served: Path | None = None  # where the site was moved after the full build
        # Each page's part of the search index as JSON texts (search_landing's
        # brief_index_parts), and the index's config: the index is written by joining
        # them. None: it is written whole again (another search plugin or rewrite).
        self.index_parts: dict[str, tuple[bytes, bytes]] | None = None
        self.index_config = None
        # Which pages link to an anchor of each page, and the reverse (made at the first
        # update, then kept up to date with each rebuilt page's links); None: not made.
        self._linked_from: dict | None = None
        self._links_of: dict = {}

    # -- state ----------------------------------------------------------------------
    def search_plugin(self):
        from .sitebuild import _SEARCH_PLUGINS, _qualname
        for plugin in (self.config.plugins.values() if self.config else ()):
            if _qualname(plugin) in _SEARCH_PLUGINS and getattr(plugin, "search_index", None):
                return plugin
        return None

    def search_entries(self) -> list | None:
        from .sitebuild import _search_entries
        return _search_entries(self.config)

    def forget(self) -> None:
        self.config = None
        self._linked_from = None

    @property
    def ready(self) -> bool:
        return self.config is not None and self.files is not None

    # -- builds ---------------------------------------------------------------------
    def full(self, config, serve_url: str | None) -> None:
        """MkDocs' own full build, recorded. Raises as mkdocs' build() does."""
        from mkdocs.commands.build import build

        self.forget()
        self.config, self.entries, self._last_end = config, {}, 0
        self.index_parts = self.index_config = None
        config.plugins["brief-live"] = _Recorder(self)
        try:
            build(config, serve_url=serve_url)
        except BaseException:
            self.forget()
            raise
        try:
            self._keep_index_parts(Path(config.site_dir) / "search" / "search_index.json")
        except Exception as exc:  # noqa: BLE001 - only a shortcut: written whole instead
            self.index_parts = self.index_config = None
            log.debug(f"The search index is written whole after each edit: {exc}")

    # -- the search index -------------------------------------------------------------
    def _index_hook(self):
        """The hook that gives each page's part of the index (brief/search_landing.py)."""
        for plugin in self.config.plugins.values():
            if callable(getattr(plugin, "brief_index_parts", None)) and \
                    callable(getattr(plugin, "brief_index_text", None)):
                return plugin
        return None

    def _keep_index_parts(self, path: Path) -> None:
        """Keep each page's part of the index the full build wrote, if joining them gives
        that index byte for byte (checked here, once: otherwise each edit writes the
        index whole again, as before)."""
        hook, entries = self._index_hook(), self.search_entries()
        if hook is None or entries is None or not path.is_file():
            return
        data = path.read_bytes()
        parts = {}
        for file in self._doc_files():
            start, end = self.entries.get(file.src_uri, (0, 0))
            parts[file.src_uri] = _joined(hook.brief_index_parts(file.page.url,
                                                                 entries[start:end]))
        try:
            config = json.loads(data).get("config")
        except (ValueError, AttributeError):
            return
        if _index_text(hook, config, parts) == data:
            self.index_parts, self.index_config = parts, config
        else:
            log.debug("The search index is not the join of its pages' parts: it is "
                      "written whole after each edit")

    def _doc_files(self):
        from mkdocs.structure.files import InclusionLevel
        return self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)

    def update(self, changed: set[str], served: Path) -> bool | None:
        """Rebuild the pages of docs/ whose paths (relative, '/') are in `changed`, into
        the served folder. True: done; False: a full build is needed; None: the pages
        have errors (logged; the served site is untouched, the state is dropped)."""
        from mkdocs import utils

        if not self.ready:
            return False
        doc_files = self._doc_files()
        by_uri = {f.src_uri: f for f in doc_files}
        static = {}  # changed files copied as they are (the brief's downloads, images)
        for uri in changed:
            file = self.files.get_file_from_path(uri)
            if file is None:
                log.info(f"Full build: {uri} is new or gone")
                return False  # the files, hence the navigation and sitemap, change
            if not file.is_documentation_page():
                if uri in self.config.extra_templates or not file.inclusion.is_included():
                    log.info(f"Full build: {uri} is a template or not in the site")
                    return False
                static[file.dest_uri] = file.abs_src_path
        changed = {uri for uri in changed if uri in by_uri}
        nav_pages = {p.file.src_uri for p in self.nav.pages if p.file is not None}
        config = self.config
        from .sitebuild import _count_warnings

        counter = _count_warnings()
        logger = logging.getLogger("mkdocs")
        try:
            outputs: dict[str, bytes] = {}
            new_entries: dict[str, list] = {}
            # Each page is read and rendered on its own (nothing one page's HTML shows
            # comes from another page's Markdown, but the menu's titles, checked here):
            # on two CPUs at once, the other's results brought back (parallel.split_run),
            # the larger pages first on each.
            order = parallel.balanced(sorted(changed, key=list(by_uri).index),
                             lambda uri: _size(by_uri[uri].abs_src_path))
            rebuilt = parallel.split_run([functools.partial(
                self._rebuild, by_uri[uri], doc_files, uri in nav_pages) for uri in order])
            warnings = 0
            entries = self.search_entries()
            for uri, result in zip(order, rebuilt):
                if result is None:
                    self.forget()
                    log.info(f"Full build: the title of {uri} is in the menu of every page")
                    return False
                self._restore(by_uri[uri].page, result)
                outputs[by_uri[uri].dest_uri] = result["output"]
                new_entries[uri] = result["search"]
                warnings += result["warnings"]
            log.debug(f"Rebuilt {len(order)} page(s), "
                      f"{sum(r['pid'] != os.getpid() for r in rebuilt)} on the other CPU")
            self._validate_anchors(doc_files, {by_uri[uri] for uri in changed},
                                   config.validation.links.anchors)
            if config.strict and (warnings or counter.get_counts()):
                self.forget()
                return None
        except BaseException:
            self.forget()
            raise
        finally:
            logger.removeHandler(counter)
        # All pages built: put them in place, then the search index.
        for dest, src in static.items():
            os.makedirs(os.path.dirname(os.path.join(served, dest)), exist_ok=True)
            shutil.copyfile(src, os.path.join(served, dest))
        for dest, data in outputs.items():
            utils.write_file(data, os.path.join(served, dest))
        if entries is not None and self.index_parts is not None:
            self._replace_entries(doc_files, entries, new_entries)
            hook = self._index_hook()
            for uri, part in new_entries.items():
                self.index_parts[uri] = _joined(hook.brief_index_parts(by_uri[uri].page.url,
                                                                       part))
            _atomic_write(os.path.join(served, "search", "search_index.json"),
                          _index_text(hook, self.index_config, self.index_parts))
        elif entries is not None:
            self._replace_entries(doc_files, entries, new_entries)
            plugin = self.search_plugin()
            data = plugin.search_index.generate_search_index(None)
            index_path = os.path.join(served, "search", "search_index.json")
            utils.write_file(data.encode("utf-8"), index_path)
            for other in config.plugins.values():  # hooks that rework the index after it
                rewrite = getattr(other, "brief_rewrite_search_index", None)  # is written
                if rewrite is not None:
                    rewrite(Path(index_path))
        return True

    # What rendering a page sets on it that later updates use (anchors, links, title)
    # or that a plugin reads: brought back from the process that rendered it.
    _PAGE_STATE = ("markdown", "meta", "content", "toc", "present_anchor_ids",
                   "_title_from_render")

    def _rebuild(self, file, doc_files, in_nav: bool) -> dict | None:
        """Read and render one page (MkDocs' _populate_page, then _build_page's HTML):
        what `update` needs of it, as data that can be sent from another process; None
        when it is a page of the menu whose title changed."""
        from mkdocs.commands.build import _populate_page
        from .sitebuild import _count_warnings, _links_by_path, _page_states

        page, config = file.page, self.config
        counter = _count_warnings()
        try:
            title = page.title if in_nav else None
            _populate_page(page, config, self.files)
            if in_nav and page.title != title:
                return None
            entries = self.search_entries()
            start = len(entries) if entries is not None else 0
            output = self._render(file, doc_files, self.env)
            search = entries[start:] if entries is not None else []
            if entries is not None:
                del entries[start:]
            return {"output": output, "search": search, "pid": os.getpid(),
                    "warnings": sum(c for _, c in counter.get_counts()),
                    "page": {k: getattr(page, k) for k in self._PAGE_STATE},
                    "links": _links_by_path(page), "states": _page_states(config, page)}
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)

    def _restore(self, page, result: dict) -> None:
        """Put what `_rebuild` found back on the page (a no-op where it ran here)."""
        from .sitebuild import _links_to_files, _restore_page_states

        for k, v in result["page"].items():
            setattr(page, k, v)
        page.links_to_anchors = _links_to_files(self.files, result["links"])
        _restore_page_states(self.config, page, result["states"])

    def _validate_anchors(self, doc_files, changed: set, level: int) -> None:
        """MkDocs' check of the anchor links, where its result can have changed: every
        link of a changed page, and the links of the other pages into a changed page
        (an unchanged page's links to an unchanged page were checked before, by the
        same rule, with the same anchors). In page order, as a full build checks."""
        linked_from = self._link_index(doc_files, changed)
        into_changed = {f for target in changed for f in linked_from.get(target, ())}
        for file in doc_files:
            if file not in changed and file not in into_changed:
                continue
            page = file.page
            if file in changed:
                page.validate_anchor_links(files=self.files, log_level=level)
                continue
            links = page.links_to_anchors
            page.links_to_anchors = {to: anchors for to, anchors in links.items()
                                     if to in changed}
            try:
                page.validate_anchor_links(files=self.files, log_level=level)
            finally:
                page.links_to_anchors = links

    def _link_index(self, doc_files, changed: set) -> dict:
        """Page -> the pages with a link to one of its anchors; made from every page
        once, then updated for the `changed` pages, whose links were just found again."""
        if self._linked_from is None:
            self._linked_from, self._links_of = {}, {}
            changed = doc_files
        for file in changed:
            for target in self._links_of.get(file, ()):
                self._linked_from[target].discard(file)
            targets = set(file.page.links_to_anchors or ())
            self._links_of[file] = targets
            for target in targets:
                self._linked_from.setdefault(target, set()).add(file)
        return self._linked_from

    def _render(self, file, doc_files, env) -> bytes:
        """MkDocs' _build_page, returning the bytes instead of writing them."""
        from mkdocs.commands.build import get_context

        config, page = self.config, file.page
        config._current_page = page
        try:
            page.active = True
            context = get_context(self.nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config,
                                                     nav=self.nav)
            if file.inclusion.is_excluded():
                page.content = ('<div class="mkdocs-draft-marker" title="This page will not be '
                                'included into the built site.">DRAFT</div>'
                                + (page.content or ""))
            output = template.render(context)
            output = config.plugins.on_post_page(output, page=page, config=config)
            return output.encode("utf-8", errors="xmlcharrefreplace")
        finally:
            page.active = False
            config._current_page = None

    def _replace_entries(self, doc_files, entries: list, new: dict[str, list]) -> None:
        """Put each changed page's entries where its old ones were (page order)."""
        merged, spans, pos = [], {}, 0
        for file in doc_files:
            uri = file.src_uri
            start, end = self.entries.get(uri, (pos, pos))
            part = new[uri] if uri in new else entries[start:end]
            spans[uri] = (len(merged), len(merged) + len(part))
            merged.extend(part)
            pos = end
        entries[:] = merged
        self.entries = spans


def _size(path: str | None) -> int:
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


def _joined(parts: tuple[list[str], list[str]]) -> tuple[bytes, bytes]:
    return ",".join(parts[0]).encode("utf-8"), ",".join(parts[1]).encode("utf-8")


def _index_text(hook, config, parts: dict[str, tuple[bytes, bytes]]) -> bytes:
    return hook.brief_index_text(config, [e for e, _ in parts.values() if e],
                                 [p for _, p in parts.values() if p])


def _atomic_write(path: str, data: bytes) -> None:
    """Replace the file at once: the server may be sending the old one meanwhile."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under folder: relative path -> (mtime_ns, size)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            p = os.path.join(dirpath, name)
            try:
                st = os.stat(p)
            except OSError:
                continue
            out[os.path.relpath(p, folder).replace(os.sep, "/")] = (st.st_mtime_ns, st.st_size)
    return out
