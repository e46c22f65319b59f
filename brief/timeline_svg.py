"""The visual timeline: SVG drawn at build time, one per year page, plus an overview.

Pure: computes the geometry as plain data (`year_layout`, `overview_layout`) and
renders it through `templates/timeline_year.svg.j2` / `timeline_overview.svg.j2` in an
XML-escaping Jinja environment (`autoescape=True`, i.e. `markupsafe.escape`, the right
escaper for SVG/XML, not the Markdown one). The result is `Markup` that the Markdown
templates place as a raw HTML block (a `<div>` with no blank line inside).

Layout, chosen to stay readable at 390 px: a vertical axis of the twelve months with
each event's label beside it, so the drawing grows downwards, never sideways. A
day-precision event is a dot, a month-precision event a bar spanning its month, a
year-precision event a bar along the whole year: a mark never claims more precision
than the date has. Labels are pushed down so they never overlap, with a leader line
to their mark. Each mark and its label are one link to the event's anchor on the same
page (`#id`), so the links work under any URL scheme MkDocs uses.

Text alternative: the `<svg>` has `role="group"`, `aria-labelledby` naming its `<title>`
and `<desc>`; each link has an `aria-label` with the event's date and title; the axis
decoration is `aria-hidden`. (Not `role="img"`: an image's children are presentational,
so links inside it would be hidden from assistive technology.) The event list on the
same page is the full text version.

`SVG_ALLOWED` is every element and attribute the templates may produce; the HTML
sanitiser (`brief/sanitize.py`) imports it into its allowlist.
"""
from __future__ import annotations

import calendar
import posixpath
import textwrap
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup

from .catalogue import page_url
from .models import Event

_COMMON = {"id", "class", "aria-label", "aria-hidden"}
SVG_ALLOWED: dict[str, set[str]] = {
    "svg": _COMMON | {"viewBox", "width", "height", "role", "aria-labelledby"},
    "g": set(_COMMON),
    "title": set(_COMMON),
    "desc": set(_COMMON),
    "a": _COMMON | {"href"},
    "line": _COMMON | {"x1", "y1", "x2", "y2"},
    "circle": _COMMON | {"cx", "cy", "r"},
    "rect": _COMMON | {"x", "y", "width", "height"},
    "text": _COMMON | {"x", "y", "text-anchor"},
    "tspan": _COMMON | {"x", "y", "text-anchor"},
}

WIDTH = 400  # viewBox units; the SVG is width 100%, capped by CSS (brief.css)
TOP = 24
AXIS_X = 58
MONTH_H = 36
LABEL_X = 88
LINE_H = 18
WRAP = 34  # characters per title line at font-size 16 in 400 units
MAX_LINES = 3
ROW_H = 30  # overview: one row per year
OVERVIEW_TOP = 4
BAR_X = 64
BAR_MAX = 250
MONTHS_SHORT = [m[:3] for m in calendar.month_name[1:]]


def _y(month: int, day: int, year: int) -> float:
    days = calendar.monthrange(year, month)[1]
    return TOP + ((month - 1) + (day - 1) / days) * MONTH_H


def _title_lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, WRAP, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: WRAP - 1].rstrip() + "…"
    return lines


def relative_href(from_page: str, to_page: str, anchor: str = "") -> str:
    """A link from one docs/ page to another as the built site needs it in raw HTML,
    which MkDocs does not rewrite (use_directory_urls: true, as catalogue.page_url)."""
    frag = f"#{anchor}" if anchor else ""
    if from_page == to_page:
        return frag or "./"
    src = page_url(from_page).rstrip("/") or "."
    dst = page_url(to_page).rstrip("/") or "."
    return posixpath.relpath(dst, src) + "/" + frag


def year_layout(year: int, events: list[Event],
                href: Callable[[Event], str] | None = None) -> dict:
    """Geometry of one year's timeline, as plain data for the template. `href` gives
    each event's link (default: its anchor on the same page, `#id`)."""
    axis_end = TOP + 12 * MONTH_H
    months = [{"label": name, "y": round(TOP + i * MONTH_H, 1),
               "label_y": round(TOP + i * MONTH_H + MONTH_H / 2 + 5, 1)}
              for i, name in enumerate(MONTHS_SHORT)]
    marks, next_free = [], TOP - 12.0
    for e in events:
        d = e.date
        if d.precision == "day":
            y0 = y1 = _y(d.month, d.day, year)
        elif d.precision == "month":
            y0, y1 = TOP + (d.month - 1) * MONTH_H, TOP + d.month * MONTH_H
        else:
            y0, y1 = TOP, axis_end
        anchor_y = y0 if d.precision == "year" else (y0 + y1) / 2
        lines = _title_lines(e.title)
        label_y = max(anchor_y + 5, next_free + 14)  # baseline of the date line
        next_free = label_y + LINE_H * len(lines) + 10
        marks.append({
            "id": e.id, "href": href(e) if href else f"#{e.id}", "precision": d.precision,
            "label": f"{d.display()}: {e.title}", "date": d.display(),
            "lines": [{"text": t, "y": round(label_y + LINE_H * (i + 1), 1)}
                      for i, t in enumerate(lines)],
            "cx": AXIS_X, "cy": round(y0, 1), "r": 6,
            "x": AXIS_X - 5, "y": round(y0 + 1, 1), "w": 10, "h": round(max(y1 - y0 - 2, 2), 1),
            "leader": {"x1": AXIS_X + 8, "y1": round(anchor_y, 1), "x2": LABEL_X - 6,
                       "y2": round(label_y - 5, 1)},
            "label_x": LABEL_X, "label_y": round(label_y, 1),
        })
    height = max(axis_end + 16, next_free + 6)
    return {"year": year, "id": f"tl_{year}", "width": WIDTH, "height": round(height),
            "axis_x": AXIS_X, "top": TOP, "axis_end": axis_end, "months": months,
            "marks": marks, "count": len(events)}


def overview_layout(counts: dict[int, int]) -> dict:
    """A bar per year with its number of events, each linking to the year's section."""
    most = max(counts.values(), default=1) or 1
    rows = []
    for i, (year, n) in enumerate(counts.items()):
        y = OVERVIEW_TOP + i * ROW_H
        w = max(round(BAR_MAX * n / most), 4)
        rows.append({"year": year, "count": n, "href": f"#year-{year}", "y": y,
                     "text_y": y + ROW_H / 2 + 3, "bar_x": BAR_X, "bar_w": w,
                     "bar_h": ROW_H - 10, "bar_y": y + 5, "count_x": BAR_X + w + 8,
                     "label": f"{year}: {n} event{'' if n == 1 else 's'}"})
    return {"id": "tl_overview", "width": WIDTH, "height": OVERVIEW_TOP + len(rows) * ROW_H + 10,
            "rows": rows, "total": sum(counts.values())}


def make_xml_env(loader: jinja2.BaseLoader,
                 env_class: type[jinja2.Environment] = jinja2.Environment) -> jinja2.Environment:
    # (env_class: the sandbox when the brief has templates of its own, brief/sandbox.py)
    return env_class(loader=loader, undefined=jinja2.StrictUndefined, autoescape=True,
                     trim_blocks=True, lstrip_blocks=True)


def render_svg(env: jinja2.Environment, template: str, layout: dict) -> Markup:
    """Render an SVG template; blank lines are removed so Markdown keeps it one HTML block."""
    out = env.get_template(template).render(layout=layout)
    return Markup("\n".join(line for line in out.splitlines() if line.strip()))


def year_svg(env: jinja2.Environment, year: int, events: list[Event],
             href: Callable[[Event], str] | None = None) -> Markup:
    return render_svg(env, "timeline_year.svg.j2", year_layout(year, events, href))


def overview_svg(env: jinja2.Environment, counts: dict[int, int]) -> Markup:
    return render_svg(env, "timeline_overview.svg.j2", overview_layout(counts))


def default_loader(root: Path, defaults: Path) -> jinja2.BaseLoader:
    dirs = [root / "templates"] if (root / "templates").is_dir() else []
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in [*dirs, defaults]])
