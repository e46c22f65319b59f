"""Rendering the brief into Markdown pages through the Jinja2 templates in templates/.

Pure: takes the resolved brief and returns `Page`s; writes nothing. Python hands the
templates plain data; the Markdown is in the templates. A brief's own templates run in
a sandbox (brief/sandbox.py); data is only ever printed (escaped), never evaluated.
"""
from __future__ import annotations

import functools
import pickle
import posixpath
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import jinja2
from markupsafe import Markup

from . import (catalogue, dossier, i18n, exports, feeds, metadata, parallel, rendermemo, sandbox,
               structured, timeline_svg)
from .rendermemo import RenderMemo
from .templatecontext import FastCallContext
from .examples import date_examples
from .passages import stance_segments
from .languages import add_language_filters, brief_language, lang_attrs
from .citations import Resolution, Target
from .i18n import N_, _, date_words
from .markdown import escape_md, external_url, url_path
from .models import Brief, Citation, Event, Page, Source
from .paths import package_dir
from .problems import Problem

DEFAULT_TEMPLATES = package_dir("templates")
GENERATOR = "build.py"
STANCES = ("supports", "reports", "disputes")
STANCE_WORDS = {"supports": N_("as evidence"), "reports": N_("as reported words"),
                "disputes": N_("as disputed claims")}
STANCE_TITLES = {"supports": N_("Cited as evidence"),
                 "reports": N_("Cited as reported words, not vouched for"),
                 "disputes": N_("Cited as a claim this brief disputes")}
SEARCH_SOURCE_TEXT = 1_000_000  # characters of source text kept in the search index
HOME_RECENT = 5  # the newest events listed on the home page


def item_location(kind: str, item, brief: Brief) -> tuple[str, str]:
    """(docs path, anchor) of anything that can cite a source."""
    if kind == "event":
        return catalogue.event_page(brief, item), item.id
    if kind == "faq":
        return catalogue.faq_page(brief, item), item.id
    if kind == "entity":
        return f"entities/{item.id}.md", ""
    return "index.md", "key-points"


# posixpath.relpath is slow (it makes both paths absolute) and pages link to the same
# few folders over and over: 80,000 links at 10,000 events.
_relpath = functools.lru_cache(maxsize=65536)(posixpath.relpath)


@functools.lru_cache(maxsize=65536)
def _link(target: str, folder: str, anchor: str) -> Markup:
    """A Markdown link target from a page in `folder` to `target` (a docs/ path)."""
    return Markup(url_path(_relpath(target, folder))
                  + (f"#{url_path(anchor)}" if anchor else ""))


# Between two footnote references, so "1, 2" never reads as footnote 12 (issue 15): a
# real comma in the text, which screen readers, search snippets, tooltips and print all keep.
FOOTNOTE_SEPARATOR = '<sup class="brief-fn-sep">,</sup>'


class Lazy:
    """A template value computed only when its page is rendered (on whichever CPU);
    `memo_key`: what it is computed from, for the memo (brief/rendermemo.py)."""

    def __init__(self, fn, memo_key=None):
        self.fn, self.memo_key = fn, memo_key

    def __call__(self):
        return self.fn()

    def __reduce__(self):  # in a memo key, it stands for what it is computed from
        if self.memo_key is None:
            raise pickle.PicklingError("a Lazy value without a memo key")
        return (rendermemo.lazy_key, (self.memo_key,))


@dataclass
class Note:
    label: int
    source: Source
    quote: str
    target: Target | None
    local: str  # link to the paragraph on the source page
    original: str  # link to the original with a text fragment, or ""
    via: str = ""  # name of whose words the source reports, or ""
    stance: str = "supports"  # supports | reports | disputes
    translation: str = ""  # the quote in the brief's language, or ""
    translation_source: str = ""  # who translated it, "" when the brief itself

    @property
    def paragraph(self) -> str:
        """Where in the source the quote stands, as print gives it: "¶5" (the fifth
        paragraph, anchor p5) or "heading 2"; "" for a citation of the whole source."""
        if not self.target:
            return ""
        kind, number = self.target.anchor[0], self.target.anchor[1:]
        return f"¶{number}" if kind == "p" else _("heading %(number)s", number=number)


@dataclass
class PageContext:
    """Per-page helpers given to templates: relative links and footnotes."""

    path: str
    brief: Brief
    res: Resolution
    notes: list[Note] = field(default_factory=list)
    _labels: dict[tuple[str, str], int] = field(default_factory=dict)
    # How footnotes name each source, rendered once per rendering (source_ref)
    env: jinja2.Environment | None = None
    refs: dict[str, Markup] = field(default_factory=dict)

    def link(self, target: str, anchor: str = "") -> Markup:
        return _link(target, posixpath.dirname(self.path) or ".", anchor)

    def link_item(self, kind: str, item) -> Markup:
        return self.link(*item_location(kind, item, self.brief))

    def source_ref(self, src: Source) -> Markup:
        """How a footnote names `src` (title, publisher, date): templates/_source_ref.md.j2,
        rendered once per source and rendering (thousands of footnotes name the same
        few sources), without its final line end."""
        ref = self.refs.get(src.id)
        if ref is None:
            text = self.env.get_template("_source_ref.md.j2").render(src=src)
            ref = self.refs[src.id] = Markup(text.removesuffix("\n"))
        return ref

    def cite(self, citations: list[Citation]) -> Markup:
        """Footnote references for these citations; the definitions come from `notes`."""
        refs = []
        for c in citations:
            key = (c.source, c.quote, c.via, c.stance, c.translation, c.translation_source)
            if key not in self._labels:
                src = self.brief.sources[c.source]
                target = self.res.targets.get(c)
                local = self.link(f"sources/{src.id}.md", target.anchor if target else "")
                original = external_url(src.url, c.quote) if src.url else ""
                self._labels[key] = len(self._labels) + 1
                via = self.brief.entities[c.via].name if c.via in self.brief.entities else c.via
                self.notes.append(Note(self._labels[key], src, c.quote, target, local,
                                       Markup(original), via, c.stance, c.translation,
                                       c.translation_source))
            refs.append(f"[^{self._labels[key]}]")
        return Markup(FOOTNOTE_SEPARATOR.join(refs))


class TemplateProblem(Exception):
    """A template failed (a brief's own template, or a bug in ours): reported as a
    Problem at the template's line, like any other mistake, not as a traceback."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem

    def __reduce__(self):  # sent back from the process that rendered the page
        return (type(self), (self.problem,))

    @classmethod
    def from_exception(cls, exc: jinja2.TemplateError, template: str, root: Path):
        filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None) or 0
        if not line:  # runtime errors: the template's own frame in the rewritten traceback
            for frame in traceback.extract_tb(exc.__traceback__):
                if frame.filename.endswith(".j2"):
                    filename, line = frame.filename, frame.lineno or 0
        path = f"templates/{Path(filename).name if filename else template}"
        if filename and Path(filename).resolve().is_relative_to(root.resolve()):
            path = Path(filename).resolve().relative_to(root.resolve()).as_posix()
        message = f"template error: {exc.message or exc}"
        if isinstance(exc, jinja2.TemplateNotFound):  # (brief/sandbox.py: never outside)
            message = (f"template error: no template '{exc.name}' in the brief's templates/ "
                       "or the generator's (a template can include only those)")
        return cls(Problem(path, line, 1, message,
                           hint="fix the template; data can be printed with {{ ... }} but "
                                "only fields that exist (see the README)"))


def make_env(root: Path, language: str = "en") -> jinja2.Environment:
    """Brief templates first, then the generator's; sandboxed when the brief has its own
    (brief/sandbox.py). `language`: the brief's, for the `lang` and `language_name`
    filters (a part in another language is marked, issue 11). Without templates of the
    brief's own, one environment per language serves every brief of this process, its
    templates compiled once (Jinja still reloads one whose file changed)."""
    own = root / "templates"
    if not own.is_dir():
        return _generator_env(language)
    return _new_env(own, language)


@functools.lru_cache(maxsize=8)
def _generator_env(language: str) -> jinja2.Environment:
    return _new_env(None, language)


@functools.lru_cache(maxsize=8)
def _svg_env(env: jinja2.Environment) -> jinja2.Environment:
    """The drawings' XML environment, with the same templates and sandbox as `env`."""
    return timeline_svg.make_xml_env(env.loader, type(env))


def _new_env(own: Path | None, language: str) -> jinja2.Environment:
    loaders = [sandbox.ConfinedLoader(str(own))] if own is not None else []
    loaders.append(sandbox.ConfinedLoader(str(DEFAULT_TEMPLATES)))
    env = (sandbox.environment_class(own) if own is not None else jinja2.Environment)(
        loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
        finalize=escape_md, autoescape=False, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.context_class = FastCallContext
    env.filters["md"] = escape_md
    env.filters["external_url"] = lambda url: Markup(external_url(url))
    add_language_filters(env, language)
    i18n.install(env)
    return env


def source_meta(src: Source, language: str) -> dict:
    """A source page's front matter; a headline in another language than the brief's
    also gives the theme's header its lang and dir (overrides/partials/header.html)."""
    meta = structured.source_meta(src)
    attrs = lang_attrs(src.title_language, language)
    if attrs:
        meta["brief_title_lang"] = src.title_language
        if 'dir="' in attrs:
            meta["brief_title_dir"] = "rtl" if 'dir="rtl"' in attrs else "ltr"
    return meta


def _marked_blocks(src: Source, marks: dict) -> list:
    """The source's blocks, each with its text split into passages by stance."""
    return [(b, stance_segments(b.text, marks.get(b.anchor, []))) for b in src.blocks]


def _run_jobs(jobs: list, keys: list, memo: RenderMemo | None) -> list:
    """Each job's pages: from the memo where its key is there, else rendered. Both
    (making a key is most of a kept page's cost: a tenth of a second for all pages at
    10,000 events) on two CPUs at once; the first template error is raised, as a serial
    run would."""
    if memo is None:
        done = parallel.split_run(jobs, catch=(TemplateProblem,))
    else:
        done = parallel.split_run([functools.partial(_memo_job, memo, job, parts)
                                   for job, parts in zip(jobs, keys)], catch=(TemplateProblem,))
    results = []
    for result in done:
        if isinstance(result, TemplateProblem):
            raise result
        # (the other process's memo is a copy: what it found is kept here; the digests
        # it made of items are not, every event's is made here again by the downloads)
        if memo is not None:
            key, result = result
            if result is None:
                result = memo.get(key)
            else:
                memo.put(key, result)
        results.append(result)
    return results


def _memo_job(memo: RenderMemo, job, parts) -> tuple[bytes | None, list | None]:
    """(the page's key, its pages; None when the memo has them under that key)."""
    key = memo.key(parts) if parts is not None else None
    if key is not None and memo.has(key):
        return key, None
    return key, job()


def _exports(brief: Brief) -> list[Page]:
    with i18n.using(brief_language(brief)):
        return exports.render_exports(brief)


def start_downloads(brief: Brief) -> parallel.Background:
    """The downloads (brief/exports.py) need only the brief, not the citations nor the
    pages: begun on the other CPU as soon as the brief is read."""
    return parallel.Background(_exports, brief)


def render_pages(brief: Brief, res: Resolution, dossier_pdf: bool = False,
                 memo: RenderMemo | None = None,
                 downloads: parallel.Background | None = None) -> list[Page]:
    """Every generated page; `dossier_pdf`: also print the one-file dossier to PDF
    (`build.py dossier`, needs Chromium). In the brief's language (brief/i18n.py).
    `memo`: pages of an earlier rendering to reuse where their inputs are unchanged
    (the live preview; brief/rendermemo.py). `downloads`: start_downloads(brief), if
    begun already."""
    with i18n.using(brief_language(brief)):
        return _render_pages(brief, res, dossier_pdf, memo, downloads)


def _render_pages(brief: Brief, res: Resolution, dossier_pdf: bool = False,
                  memo: RenderMemo | None = None,
                  downloads: parallel.Background | None = None) -> list[Page]:
    # The downloads need none of the pages: computed on the other CPU meanwhile (in the
    # live preview, here, from each event's part kept by the memo).
    if memo is not None and (brief.root / "templates").is_dir():
        memo = None  # a brief's own template may read anything: no key is complete
    if memo is None and downloads is None:
        downloads = start_downloads(brief)
    # (with the memo, the generator's environment: make_env keeps it, templates compiled
    # once, and Jinja reloads a template whose file changed)
    env = make_env(brief.root, brief_language(brief))
    examples = date_examples(brief)
    source_refs: dict[str, Markup] = {}  # (PageContext.source_ref)
    # Every page is a job (pages are independent): they are rendered on two CPUs at
    # once (parallel.split_run), and put together in this order. A job of a page
    # rendered only from its own data has a key for the memo; the others have None.
    jobs: list = []
    keys: list = []

    def render(template: str, path: str, origin: str, meta=None, memo_key=False,
               **data) -> None:
        jobs.append(functools.partial(render_page, template, path, origin, meta, data))
        if not (memo_key and memo):
            keys.append(None)
        elif memo_key is True:  # everything the page is given
            keys.append((template, path, origin, meta, data))
        else:  # what the generator's template uses of what it is given
            keys.append((template, path, origin, meta, memo_key))

    def render_page(template: str, path: str, origin: str, meta, data: dict) -> list[Page]:
        data = {k: v() if isinstance(v, Lazy) else v for k, v in data.items()}
        meta = meta() if isinstance(meta, Lazy) else meta
        ctx = PageContext(path, brief, res, env=env, refs=source_refs)
        try:
            body = env.get_template(template).render(
                brief=brief, settings=brief.settings, page=ctx, res=res, examples=examples,
                **data)
        except jinja2.TemplateError as exc:
            raise TemplateProblem.from_exception(exc, template, brief.root) from None
        header = (f"<!-- generated by {GENERATOR} from {origin} with templates/{template}; "
                  "edit those, not this file -->\n")
        # Front matter (structured data for the theme's <head>) must come first, then the
        # H1: MkDocs takes a page's title (<title>, header, search) from a leading H1 only.
        front = structured.front_matter(meta) if meta else ""
        title, sep, rest = body.partition("\n")
        if title.startswith("# ") and sep:
            body = f"{title}\n\n{header}{rest.lstrip(chr(10))}"
        else:
            body = header + body
        return [Page(path, (front + body).encode("utf-8"))]

    years: dict[int, list[Event]] = {}
    for e in brief.events:
        years.setdefault(e.date.year, []).append(e)

    svg_env = _svg_env(env)
    overview = timeline_svg.overview_svg(svg_env, {y: len(v) for y, v in years.items()})
    # The home page as a front page (issue 15): the overview drawing, its year links
    # pointing to the timeline page, and the newest events.
    home_overview = Markup(re.sub(
        r'href="#(year-\d+)"',
        lambda m: f'href="{timeline_svg.relative_href("index.md", "timeline/index.md", m[1])}"',
        str(overview)))
    render("home.md.j2", "index.md", "brief.yml", years=years, overview_svg=home_overview,
           recent=brief.events[::-1][:HOME_RECENT], coverage=catalogue.citation_coverage(brief))
    render("timeline.md.j2", "timeline/index.md", "sources/events/", years=years,
           overview_svg=overview)
    for year, events in years.items():
        # A crowded year: a page per month and one for the events dated only to the
        # year; the year's page lists them all, anchored (catalogue.MAX_PER_PAGE).
        # (attributes, not dict items: Jinja tries an attribute first, and a dict's
        # missing one costs an exception, 10,000 times on a crowded year's page)
        months: list[SimpleNamespace] = []
        full = events
        if catalogue.crowded_year(brief, year):
            by_month: dict[int, list[Event]] = {}
            for e in events:
                if e.date.month:
                    by_month.setdefault(e.date.month, []).append(e)
            months = [SimpleNamespace(name=date_words(year, m),
                                      path=f"timeline/{year}-{m:02d}.md", events=evs)
                      for m, evs in by_month.items()]
            year_only = [e for e in events if not e.date.month]
            if year_only:  # they sort first: a less precise date before those it contains
                months.insert(0, SimpleNamespace(
                    name=_("%(year)s, dated only to the year", year=year),
                    path=f"timeline/{year}-year.md", events=year_only))
            full = []
        render("timeline_year.md.j2", f"timeline/{year}.md", "sources/events/", year=year,
               events=full, years=list(years), months=months, memo_key=True,
               meta=Lazy(functools.partial(structured.year_meta, brief, year, full),
                         ("year_meta", year, full)),
               timeline_svg=Lazy(functools.partial(
                   timeline_svg.year_svg, svg_env, year, events,
                   href=lambda e, here=f"timeline/{year}.md":
                   timeline_svg.relative_href(here, catalogue.event_page(brief, e), e.id)),
                   ("year_svg", year, events)))
        for m in months:
            render("timeline_month.md.j2", m.path, "sources/events/", year=year,
                   month_name=m.name, months=months, events=m.events,
                   # of the other months, only their names and pages are shown
                   memo_key=(year, m.name, [(o.name, o.path) for o in months], m.events),
                   meta=Lazy(functools.partial(structured.year_meta, brief, year, m.events),
                             ("year_meta", year, m.events)))
    if catalogue.faq_split(brief):  # pages of catalogue.MAX_PER_PAGE; faq.md lists all
        n = catalogue.MAX_PER_PAGE
        parts = [SimpleNamespace(number=i // n + 1, path=f"faq/{i // n + 1}.md", first=i + 1,
                                 last=min(i + n, len(brief.faq)), entries=brief.faq[i:i + n])
                 for i in range(0, len(brief.faq), n)]
        render("faq_index.md.j2", "faq.md", "sources/faq/", parts=parts)
        for part in parts:
            render("faq.md.j2", part.path, "sources/faq/", entries=part.entries,
                   part=part.number, parts=parts, memo_key=True,
                   meta=structured.faq_meta(part.entries))
    else:
        render("faq.md.j2", "faq.md", "sources/faq/", entries=brief.faq,
               meta=structured.faq_meta(brief.faq))
    render("sources.md.j2", "sources/index.md", "sources/articles/")
    # The search index holds the sources' full text only while it stays small: beyond
    # SEARCH_SOURCE_TEXT characters it would be the heaviest download of the site
    # (benchmarks/RESULTS.md), so source paragraphs are left out of it (titles, headings
    # and everything the brief itself says, quotes included, stay searchable).
    search_text = sum(len(b.text) for s in brief.sources.values()
                      for b in s.blocks) <= SEARCH_SOURCE_TEXT
    stance_words = {k: _(v) for k, v in STANCE_WORDS.items()}
    stance_titles = {k: _(v) for k, v in STANCE_TITLES.items()}
    for src in brief.sources.values():
        marks = res.marks.get(src.id, {})
        blocks = Lazy(functools.partial(_marked_blocks, src, marks), ("blocks", src, marks))
        render("source.md.j2", f"sources/{src.id}.md", src.path, source=src, blocks=blocks,
               cited_by=res.cited_by.get(src.id, []),
               stances={st: n for st, n in sorted(res.stances.get(src.id, {}).items(),
                                                  key=lambda kv: STANCES.index(kv[0]))},
               via=res.via.get(src.id, {}),
               stance_words=stance_words, stance_titles=stance_titles, memo_key=True,
               meta=source_meta(src, brief_language(brief)), search_text=search_text)
    # Who's who, tags, the data page and the files it links (issue 4).
    mentions = catalogue.entity_mentions(brief)
    render("entities.md.j2", "entities/index.md", "sources/entities.yml", mentions=mentions,
           groups=catalogue.entities_by_kind(brief))
    for ent in brief.entities.values():
        render("entity.md.j2", f"entities/{ent.id}.md", ent.path, entity=ent,
               mentions=mentions[ent.id], memo_key=True)
    tags = catalogue.tag_index(brief)
    render("tags.md.j2", "tags/index.md", "sources/events/", tags=tags)
    for tag, tagged in tags.items():
        render("tag.md.j2", f"tags/{tag}.md", "sources/events/", tag=tag, events=tagged,
               memo_key=True)
    # The whole brief in one self-contained file (brief/dossier.py): in every build of a
    # brief of ordinary size, always with `build.py dossier` (which adds the PDF).
    with_dossier = dossier_pdf or dossier.in_every_build(brief)
    render("data.md.j2", "data.md", "sources/", source_types=metadata.TYPES,
           dossier_html=with_dossier, dossier_pdf=dossier_pdf)
    if with_dossier:
        def render_dossier() -> list[Page]:
            try:
                html = dossier.render_dossier(brief, res, env.loader, type(env))
            except jinja2.TemplateError as exc:
                raise TemplateProblem.from_exception(exc, "dossier.html.j2", brief.root) from None
            return [Page(dossier.HTML_PATH, html.encode("utf-8"))]
        jobs.append(render_dossier)
    jobs.append(lambda: feeds.render_feeds(brief))
    keys.extend([None] * (len(jobs) - len(keys)))
    if memo is None:
        results = _run_jobs(jobs, keys, None)
    else:
        memo.begin((
            brief.settings, brief.sources, brief.entities,
            [y for y in sorted(years) if catalogue.crowded_year(brief, y)],  # sets event_page
            [q.id for q in brief.faq], examples, brief_language(brief), search_text,
            rendermemo.digest_templates(env.loader, env)))
        try:
            results = _run_jobs(jobs, keys, memo)
            exported = exports.render_exports(brief, memo.joined)  # from kept runs of events
        except BaseException:
            memo.abandon()
            raise
        memo.end()
    pages: list[Page] = []
    for result in results:
        pages.extend(result)
    if dossier_pdf:  # Chromium prints it, from this process
        at = next(i for i, p in enumerate(pages) if p.path == dossier.HTML_PATH)
        pdf = dossier.print_pdf(pages[at].content.decode("utf-8"))
        pages.insert(at + 1, Page(dossier.PDF_PATH, pdf))
    pages.extend(downloads.result() if downloads is not None else exported)
    # The stylesheet is presentation too: it lives in templates/ and is copied as is.
    for sheet in ("brief.css", "print.css"):
        css = env.loader.get_source(env, sheet)[0]
        pages.append(Page(f"assets/{sheet}", css.encode("utf-8")))
    return pages
