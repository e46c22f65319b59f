"""The one-file dossier (issue 15): the whole brief as one self-contained HTML file, and
the same as PDF where Chromium is available.

`render_dossier` is pure, like the rest of rendering: overview, timeline (with the SVG
drawings), FAQ, who's who, numbered notes, and an appendix holding every cited paragraph
of every source, so that each citation links to its paragraph inside the file. The file
makes no request: its CSS (templates/dossier.css plus the site's brief.css) and SVG are
inline, and it has no script, image or font. Every build of a brief of up to
EVERY_BUILD_MAX_ITEMS events and questions writes it as `dossier.html`; `python build.py
dossier [BRIEF]` always does, and adds `dossier.pdf`, printed from that HTML by Chromium
(`print_pdf`), with page numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import timeline_svg
from .citations import Resolution, Target
from .i18n import _
from .languages import add_language_filters, brief_language
from .markdown import external_url
from .models import Brief, Citation, Source
from .passages import stance_segments

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HTML_PATH = "dossier.html"
PDF_PATH = "dossier.pdf"
# Beyond this many events and questions the file would run to megabytes and slow every
# build (benchmarks/): it is then written only by `build.py dossier`.
EVERY_BUILD_MAX_ITEMS = 500


def in_every_build(brief: Brief) -> bool:
    return len(brief.events) + len(brief.faq) <= EVERY_BUILD_MAX_ITEMS


@dataclass
class DossierNote:
    number: int
    source: Source
    quote: str
    target: Target | None
    original: str  # the original's address with a text fragment, or ""
    translation: str = ""  # the quote in the brief's language (issue 11), or ""
    translation_source: str = ""  # who translated it, "" when the brief itself

    @property
    def anchor(self) -> str:
        """The cited paragraph's id in the appendix, or the source's when the whole source is cited."""
        return paragraph_id(self.source.id, self.target.anchor if self.target else "")

    @property
    def paragraph(self) -> str:
        if not self.target:
            return ""
        kind, number = self.target.anchor[0], self.target.anchor[1:]
        return f"¶{number}" if kind == "p" else _("heading %(number)s", number=number)


def paragraph_id(source_id: str, anchor: str = "") -> str:
    return f"src-{source_id}" + (f"-{anchor}" if anchor else "")


@dataclass
class Notes:
    """Numbers the citations of the whole file (one number per source and quote) and
    gives the templates the references and the list of notes."""

    brief: Brief
    res: Resolution
    notes: list[DossierNote] = field(default_factory=list)
    _numbers: dict[tuple[str, str, str, str], int] = field(default_factory=dict)

    def cite(self, citations: list[Citation]) -> Markup:
        refs = []
        for c in citations:
            key = (c.source, c.quote, c.translation, c.translation_source)
            if key not in self._numbers:
                src = self.brief.sources[c.source]
                self._numbers[key] = len(self._numbers) + 1
                self.notes.append(DossierNote(
                    self._numbers[key], src, c.quote, self.res.targets.get(c),
                    external_url(src.url, c.quote) if src.url else "", c.translation,
                    c.translation_source))
            refs.append(Markup('<a href="#note-{0}">{0}</a>').format(self._numbers[key]))
        # The same comma as on the site's pages: "1, 2", never "12".
        return Markup('<sup class="refs">') + Markup(", ").join(refs) + Markup("</sup>")


def cited_paragraphs(brief: Brief, res: Resolution, notes: list[DossierNote]) -> list[dict]:
    """The appendix: each cited source with every cited block (in the source's order),
    cited passages marked."""
    anchors: dict[str, set[str]] = {}
    for n in notes:
        anchors.setdefault(n.source.id, set())
        if n.target:
            anchors[n.source.id].add(n.target.anchor)
    out = []
    for src in brief.sources.values():
        if src.id not in anchors:
            continue
        marks = res.marks.get(src.id, {})
        blocks = [{"id": paragraph_id(src.id, b.anchor), "anchor": b.anchor,
                   "label": (f"¶{b.anchor[1:]}" if b.kind == "p"
                             else _("heading %(number)s", number=b.anchor[1:])),
                   "segments": stance_segments(b.text, marks.get(b.anchor, []))}
                  for b in src.blocks if b.anchor in anchors[src.id]]
        out.append({"source": src, "id": paragraph_id(src.id), "blocks": blocks})
    return out


def make_html_env(loader: jinja2.BaseLoader,
                  env_class: type[jinja2.Environment] = jinja2.Environment) -> jinja2.Environment:
    # (env_class: the sandbox when the brief has templates of its own, brief/sandbox.py)
    return env_class(loader=loader, undefined=jinja2.StrictUndefined, autoescape=True,
                     trim_blocks=True, lstrip_blocks=True)


def render_dossier(brief: Brief, res: Resolution, loader: jinja2.BaseLoader,
                   env_class: type[jinja2.Environment] = jinja2.Environment) -> str:
    """The dossier's HTML (the PDF is printed from the same HTML)."""
    env = make_html_env(loader, env_class)
    add_language_filters(env, brief_language(brief), html=True)
    from . import i18n
    i18n.install(env, html=True)
    svg_env = timeline_svg.make_xml_env(loader, env_class)
    notes = Notes(brief, res)
    years: dict[int, list] = {}
    for e in brief.events:
        years.setdefault(e.date.year, []).append(e)
    drawings = {year: timeline_svg.year_svg(svg_env, year, events,
                                            href=lambda e: f"#event-{e.id}")
                for year, events in years.items()}
    overview = timeline_svg.overview_svg(svg_env, {y: len(v) for y, v in years.items()}) \
        if years else Markup("")
    css = env.loader.get_source(env, "dossier.css")[0] + "\n" + \
        env.loader.get_source(env, "brief.css")[0]
    entities = sorted(brief.entities.values(), key=lambda x: (x.kind, x.name.casefold()))
    # The body is rendered first: it numbers the notes the appendix then lists.
    body = env.get_template("dossier.html.j2").render(
        brief=brief, settings=brief.settings, years=years, drawings=drawings,
        overview=_in_file_overview(overview), entities=entities, cite=notes.cite,
        notes=notes.notes, appendix=lambda: cited_paragraphs(brief, res, notes.notes),
        css=Markup(css.replace("</", "<\\/")))
    return body


def _in_file_overview(svg: Markup) -> Markup:
    """The overview drawing links each year to `#year-YYYY` of the timeline page; in the
    file the year sections carry the same ids, so only a page part is dropped."""
    return Markup(re.sub(r'href="[^"#]*#', 'href="#', str(svg)))


def chromium_available() -> bool:
    if not Path(CHROMIUM).is_file():
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def print_pdf(html: str) -> bytes:
    """The dossier printed by Chromium on A4, with page numbers at the foot of each page.
    The HTML is loaded as it is (set_content) and every request is refused, so printing
    fetches nothing."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            page.emulate_media(media="print")
            footer = ('<div style="font-size:8px;width:100%;text-align:center;color:#333">'
                      '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
            return page.pdf(format="A4", print_background=False, display_header_footer=True,
                            header_template="<span></span>", footer_template=footer,
                            margin={"top": "18mm", "bottom": "18mm", "left": "16mm",
                                    "right": "16mm"},
                            outline=True, tagged=True)
        finally:
            browser.close()
