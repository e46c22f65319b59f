"""The visual timeline: SVG drawn at build time, one per year page, plus an overview.

Pure: computes the geometry as plain data (`year_layout`, `overview_layout`) and
renders it through `templates/timeline_year.svg.j2` / `timeline_overview.svg.j2` in an
XML-escaping Jinja environment (`autoescape=True`, i.e. `markupsafe.escape`, the right
escaper for SVG/XML, not the Markdown one). The result is `Markup` that the Markdown
templates place as a raw HTML block (a `<div>` with no blank line inside).

Layout (issue 15, "a timeline you can trust at a glance"), chosen to stay readable at
390 px: a vertical time axis with each event's label beside it, so the drawing grows
downwards, never sideways.

- Scale. Linear in days over a domain: the whole year when the year's events are
  sparse, or, when they are dense (at least `ZOOM_MIN_EVENTS` within at most
  `ZOOM_MAX_MONTHS` whole months), just the months they span. The scale (units per day)
  starts so that a year fills about 430 units and grows until every label is level with
  its mark (see below); ticks are months, and weeks or days when the scale leaves room
  for their labels.
- Marks never claim more than the date says. A day is a dot; a date that stands for
  one day somewhere in a span (a month, a year, `[2025-09..2025-12]`) is a hollow bar
  over the span; an interval (it lasted: `2025-06/2025-09`) a filled bar; an uncertain or
  approximate date (`?`, `~`, `%`) has a dashed outline; an open or unknown end is a
  dotted line running to the edge of the axis. Marks whose spans overlap get separate
  lanes, side by side, so two events of the same month or day are never drawn on top of
  each other.
- Labels. In the brief's order, each as close as possible to its mark: level with it
  (inside its span, or at its dot) unless neighbours push it, then joined by a leader
  no longer than `MAX_LEADER`; labels never overlap and leaders never cross (labels keep
  the order of their marks). Each mark and its label are one link to the event's anchor.
- Colours come from brief.css custom properties (`--brief-tl-ink`, `--brief-tl-line`),
  each at least 3:1 against the page in the light and the dark scheme (tests/test_timeline_geometry.py).

The overview draws the years on a horizontal axis to scale, a bar per year with events
(as tall as its number of events), so a gap of ten years looks like one.

Text alternative: the `<svg>` has `role="group"`, `aria-labelledby` naming its `<title>`
and `<desc>`; each link has an `aria-label` with the event's date in words and title;
the axis decoration is `aria-hidden`. (Not `role="img"`: an image's children are
presentational, so links inside it would be hidden from assistive technology.) The
event list on the same page is the full text version.

`SVG_ALLOWED` is every element and attribute the templates may produce; the HTML
sanitiser (`brief/sanitize.py`) imports it into its allowlist.
"""
from __future__ import annotations

import calendar
import datetime as dt
import itertools
import posixpath
import re
import textwrap
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup

from .catalogue import page_url
from .edtf import When, plain
from .i18n import _, date_words, month_name, ngettext
from .models import Event
from .templatecontext import FastCallContext

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
TOP = 28
AXIS_X = 56
LANE_X = AXIS_X + 12  # the first lane of marks
LANE_W = 14
MAX_LANES = 6  # beyond this many overlapping marks (a crowded year) lanes are shared
LINE_H = 18
FONT = 16  # label font size (brief.css)
CHAR_W = 9.0  # average advance of a character at 16 px, for wrapping and overlap tests
MAX_LINES = 3
LABEL_GAP = 8  # between two labels
MAX_LEADER = 40.0  # most a label's date line may sit above or below its mark
BASE_YEAR_H = 430.0  # a whole year at the starting scale
MAX_H = 6000.0  # the scale stops growing here (a crowded year)
ZOOM_MIN_EVENTS = 6
ZOOM_MAX_MONTHS = 6
TICK_LABEL_H = 14
# The overview
OV_LEFT, OV_RIGHT, OV_BASE, OV_BAR_MAX = 20, 380, 110, 80
MONTHS_SHORT = [m[:3] for m in calendar.month_name[1:]]
WRAP = int((WIDTH - LANE_X - LANE_W - 12) / CHAR_W)  # characters per line with one lane


class Data:
    """A piece of the layout: plain data (a dict's fields), read as `mk.href` in a
    template, or `mk["href"]`. Not a dict itself: Jinja tries an attribute before an
    item, and a dict's missing attribute costs an exception each time (about 40% of the
    drawings' template time at 10,000 events)."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, fields: dict):
        self.__dict__ = fields

    def __getitem__(self, key: str):
        return self.__dict__[key]

    def __setitem__(self, key: str, value) -> None:
        self.__dict__[key] = value

    def __eq__(self, other) -> bool:
        return isinstance(other, Data) and self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        return f"Data({self.__dict__!r})"


_NOT_SIMPLE = re.compile("[-\t\n\x0b\x0c\r]")  # what textwrap treats specially


def _wrap(text: str, width: int) -> list[str]:
    """textwrap.wrap(text, width, break_long_words=True), faster for the common case
    (20,000 labels at 10,000 events): words split by single spaces, none longer than
    the line and no hyphen (textwrap also breaks after hyphens), which greedy filling
    wraps exactly as textwrap does."""
    if (len(text) <= width and text.isprintable() and "  " not in text
            and text[:1] not in " -" and text[-1:] != " "):
        return [text]  # it fits: one line, as textwrap gives it (no space to change)
    words = text.split(" ")
    if (_NOT_SIMPLE.search(text) or text.split() != words  # other spaces
            or not all(0 < len(w) <= width for w in words)):
        return textwrap.wrap(text, width, break_long_words=True)
    lines, cur = [], words[0]
    for w in words[1:]:
        if len(cur) + 1 + len(w) <= width:
            cur += " " + w
        else:
            lines.append(cur)
            cur = w
    lines.append(cur)
    return lines


def _title_lines(title: str, width: int = WRAP) -> list[str]:
    lines = _wrap(title, width) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _label_rows(date_words: str, title: str, width: int) -> list[tuple[str, str]]:
    """The rows of a label: the date in words (bold, wrapped a little narrower), then
    the title."""
    date_rows = _wrap(date_words, int(width * 0.92)) or [""]
    return ([(t, "brief-tl-date") for t in date_rows]
            + [(t, "brief-tl-title") for t in _title_lines(title, width)])


def _height(rows: list) -> float:
    return LINE_H * len(rows) + 1  # from 9 above the date line's middle to the last descender


def relative_href(from_page: str, to_page: str, anchor: str = "") -> str:
    """A link from one docs/ page to another as the built site needs it in raw HTML,
    which MkDocs does not rewrite (use_directory_urls: true, as catalogue.page_url)."""
    frag = f"#{anchor}" if anchor else ""
    if from_page == to_page:
        return frag or "./"
    src = page_url(from_page).rstrip("/") or "."
    dst = page_url(to_page).rstrip("/") or "."
    return posixpath.relpath(dst, src) + "/" + frag


def _when(e) -> When:
    d = e.date
    return d if isinstance(d, When) else plain(d)


def _domain(year: int, spans: list[tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date, bool]:
    """The days the axis shows: the whole year, or the whole months the events span
    when they are dense (module docstring)."""
    y0, y1 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if len(spans) >= ZOOM_MIN_EVENTS:
        lo = max(min(a for a, _b in spans), y0)
        hi = min(max(b for _a, b in spans), y1)
        months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
        if months <= ZOOM_MAX_MONTHS:
            first = dt.date(lo.year, lo.month, 1)
            last = dt.date(hi.year, hi.month, calendar.monthrange(hi.year, hi.month)[1])
            return first, last, True
    return y0, y1, False


def _lanes(extents: list[tuple[float, float]], drift: list[float] | None = None,
           gap: float = 2) -> list[int]:
    """The lowest lane each mark can take without touching a mark already in it
    (greedy by start: as few lanes as the most marks that overlap). Among marks with
    the same span, the one whose label is furthest from it gets the lane furthest left,
    so that leaders fanning out from the same place never cross."""
    ends: list[float] = []  # lane -> bottom of its last mark
    out = [0] * len(extents)
    drift = drift or [0.0] * len(extents)
    for i in sorted(range(len(extents)), key=lambda i: (extents[i], -abs(drift[i]), i)):
        top, bottom = extents[i]
        lane = next((k for k, end in enumerate(ends) if top > end + gap), len(ends))
        if lane == MAX_LANES:  # a crowded year: share the lane that frees up first
            lane = min(range(MAX_LANES), key=ends.__getitem__)
        if lane == len(ends):
            ends.append(bottom)
        else:
            ends[lane] = max(ends[lane], bottom)
        out[i] = lane
    return out


def _place(targets: list[tuple[float, float]], heights: list[float], top: float) -> list[float]:
    """Positions for labels in order (the y of each label's date line), none
    overlapping the next, each as close as it can be to its target interval: labels that
    would overlap are moved as one block, placed where the largest distance of any of
    them from its target is smallest (inside all targets when it can be, then as high
    as allowed): the classic one-dimensional label placement, in linear time (a block
    keeps the bounds of its start, so merging two blocks is O(1))."""
    # each block: [first label, start, lo, hi, total height]; start is where its first
    # label goes, lo..hi the starts that keep every label of it level with its mark
    blocks: list[list[float]] = []
    for k, ((t0, t1), h) in enumerate(zip(targets, heights)):
        block = [k, 0.0, t0, t1, h + LABEL_GAP]
        block[1] = t0
        blocks.append(block)
        while len(blocks) > 1:
            prev, cur = blocks[-2], blocks[-1]
            if prev[1] + prev[4] <= cur[1]:
                break
            lo = max(prev[2], cur[2] - prev[4])
            hi = min(prev[3], cur[3] - prev[4])
            blocks[-2:] = [[prev[0], lo if lo <= hi else (lo + hi) / 2, lo, hi,
                            prev[4] + cur[4]]]
    pos: list[float] = []
    for i, block in enumerate(blocks):
        end = blocks[i + 1][0] if i + 1 < len(blocks) else len(targets)
        y = block[1]
        for k in range(int(block[0]), int(end)):
            pos.append(y)
            y += heights[k] + LABEL_GAP
    # no label above the top of the drawing: push labels down from the top if needed
    floor = top
    for k in range(len(pos)):
        pos[k] = max(pos[k], floor)
        floor = pos[k] + heights[k] + LABEL_GAP
    return pos


def _distance(p: float, target: tuple[float, float]) -> float:
    return max(0.0, target[0] - p, p - target[1])


def _mark_extents(spans, is_day: list[bool], d0: dt.date,
                  scale: float) -> list[tuple[float, float]]:
    """The vertical extent of each mark: its days (a day is [its start, the next day)),
    at least a dot's size around a day's middle."""
    out = []
    for (a, b), day in zip(spans, is_day):
        top, bottom = TOP + (a - d0).days * scale, TOP + ((b - d0).days + 1) * scale
        if day and bottom - top < 14:
            c = (top + bottom) / 2
            top, bottom = c - 7, c + 7
        out.append((top, bottom))
    return out


def _targets(extents, is_day: list[bool]) -> list[tuple[float, float]]:
    """Where each label's date line may sit to be level with its mark."""
    out = []
    for (top, bottom), day in zip(extents, is_day):
        if day:
            # a day is a band on the axis: its dot may sit anywhere within it
            c, half = (top + bottom) / 2, max(0.0, (bottom - top) / 2 - 7)
            out.append((c - half, c + half))
        else:
            out.append((top + 4, max(top + 4, bottom - 4)))
    return out


def year_layout(year: int, events: list[Event],
                href: Callable[[Event], str] | None = None) -> Data:
    """Geometry of one year's timeline, as plain data for the template. `href` gives
    each event's link (default: its anchor on the same page, `#id`)."""
    whens = [_when(e) for e in events]
    # the days each mark covers, clipped to the year; open ends run to the year's edge
    spans = []
    for w in whens:
        a, b = w.sort_key()
        spans.append((max(a, dt.date(year, 1, 1)), min(b, dt.date(year, 12, 31))))
    d0, d1, zoomed = _domain(year, spans)
    days = (d1 - d0).days + 1
    spans = [(max(a, d0), min(b, d1)) for a, b in spans]
    is_day = [w.precision == "day" and w.form == "single" for w in whens]
    displays = [w.display() for w in whens]  # the dates in words
    n_lanes, rows_for = 1, {}
    for _round in range(4):  # the lanes set the label column, which sets the scale: settle
        label_x = LANE_X + n_lanes * LANE_W + 10
        width_chars = int((WIDTH - label_x - 4) / CHAR_W)
        if width_chars not in rows_for:
            rows_for[width_chars] = [_label_rows(d, e.title, width_chars)
                                     for e, d in zip(events, displays)]
        lines = rows_for[width_chars]
        heights = [_height(ls) for ls in lines]
        scale = BASE_YEAR_H / 366 * (1.0 if not zoomed else 366 / days * 0.6)
        # A cheap lower bound of the worst distance at a scale: the k-th label's date line
        # is at least the labels before it (and their gaps) below TOP - 8, and its target
        # ends at most 4 below the end of its mark. A scale it rules out is not laid out.
        stack = list(itertools.accumulate((h + LABEL_GAP for h in heights), initial=0.0))
        ends = [(b - d0).days + 1 for _a, b in spans]
        while True:
            if (TOP + days * scale) < MAX_H and max(
                    (s - e * scale for s, e in zip(stack, ends)), default=0.0) - 12 \
                    > MAX_LEADER + 1:
                scale *= 1.25
                continue
            extents = _mark_extents(spans, is_day, d0, scale)
            targets = _targets(extents, is_day)
            pos = _place(targets, heights, TOP - 8)
            worst = max((_distance(p, t) for p, t in zip(pos, targets)), default=0.0)
            if worst <= MAX_LEADER or (TOP + days * scale) >= MAX_H:
                break
            scale *= 1.25
        lanes = _lanes(extents, [p - (t0 + t1) / 2 for p, (t0, t1) in zip(pos, targets)])
        if max(lanes, default=0) + 1 <= n_lanes:
            break
        n_lanes = max(lanes) + 1
    axis_end = TOP + days * scale
    marks = []
    for e, w, words, (top, bottom), lane, ls, p, target in zip(
            events, whens, displays, extents, lanes, lines, pos, targets):
        x = LANE_X + lane * LANE_W + LANE_W / 2
        dot_y = min(max(p, target[0]), target[1])  # within the day's band, level if it can
        shapes = _shapes(w, x, top, bottom, TOP, axis_end, year, dot_y)
        # the leader: from the mark, at the label's level where the label is level with
        # it, else from the nearest end of the mark, to the label
        ref = p  # the middle of the date line
        anchor_y = min(max(ref, target[0]), target[1])
        label_y = ref + 5  # the baseline of the date line
        marks.append(Data({
            "id": e.id, "href": href(e) if href else f"#{e.id}", "precision": w.precision,
            "form": w.form, "label": _("%(date)s: %(title)s", date=words, title=e.title),
            "date": words,
            "shapes": shapes, "lane": lane, "mark_x": round(x, 1),
            "mark_top": round(top, 1), "mark_bottom": round(bottom, 1),
            "rows": [Data({"text": t, "class": c, "y": round(label_y + LINE_H * i, 1)})
                     for i, (t, c) in enumerate(ls)],
            "lines": [Data({"text": t, "y": round(label_y + LINE_H * i, 1)})
                      for i, (t, c) in enumerate(ls) if c == "brief-tl-title"],
            "leader": Data({"x1": round(x + 7, 1), "y1": round(anchor_y, 1),
                       "x2": round(label_x - 4, 1), "y2": round(ref, 1)}),
            "label_x": label_x, "label_y": round(label_y, 1),
            "label_top": round(label_y - 14, 1),
            "label_bottom": round(label_y + LINE_H * (len(ls) - 1) + 5, 1),
            "distance": round(_distance(ref, target), 1),
        }))
    ticks = _ticks(d0, d1, scale, TOP)
    height = max(axis_end + 16, max((m["label_bottom"] for m in marks), default=0) + 8)
    span_words = (_("%(start)s to %(end)s", start=_day_words(d0), end=_day_words(d1))
                  if zoomed else _("%(start)s to %(end)s",
                                   start=date_words(year, 1, with_year=False),
                                   end=date_words(year, 12)))
    return Data({"year": year, "id": f"tl_{year}", "width": WIDTH, "height": round(height),
                 "axis_x": AXIS_X, "top": TOP, "axis_end": round(axis_end, 1), "ticks": ticks,
                 "marks": marks, "count": len(events), "zoomed": zoomed, "span": span_words,
                 "label_x": label_x, "max_leader": MAX_LEADER})


def _day_words(d: dt.date) -> str:
    return date_words(d.year, d.month, d.day)


def _shapes(w: When, x: float, top: float, bottom: float, axis_top: float, axis_end: float,
            year: int, dot_y: float) -> list[Data]:
    """What draws one mark (module docstring): dots, hollow or filled bars, dashes for
    uncertainty, dotted lines for open ends."""
    uncertain = bool(w.start.qualifier or w.end.qualifier)
    cls = "brief-tl-mark" + (" brief-tl-uncertain" if uncertain else "")
    shapes: list[Data] = []
    start_open = w.start.date is None or w.start.date.year < year
    end_open = w.end.date is None or w.end.date.year > year
    if w.form == "single" and w.precision == "day":
        shapes.append(Data({"kind": "circle", "cx": round(x, 1), "cy": round(dot_y, 1),
                            "r": 6, "class": cls + (" brief-tl-within" if uncertain else "")}))
        return shapes
    # For an open or unknown end, `top`..`bottom` is the known end's own period
    # (edtf.When.sort_key), and a dotted line runs on to the edge.
    filled = w.form == "interval"
    shapes.append(Data({"kind": "rect", "x": round(x - 5, 1), "y": round(top + 1, 1), "w": 10,
                        "h": round(max(bottom - top - 2, 4), 1),
                        "class": cls + ("" if filled else " brief-tl-within")}))
    if (w.start.date is None or (start_open and w.form != "single")) and top - axis_top > 2:
        shapes.append(Data({"kind": "line", "x1": round(x, 1), "y1": round(axis_top, 1),
                            "x2": round(x, 1), "y2": round(top, 1), "class": "brief-tl-open"}))
    if (w.end.date is None or (end_open and w.form != "single")) and axis_end - bottom > 2:
        shapes.append(Data({"kind": "line", "x1": round(x, 1), "y1": round(bottom, 1),
                            "x2": round(x, 1), "y2": round(axis_end, 1), "class": "brief-tl-open"}))
    return shapes


def _ticks(d0: dt.date, d1: dt.date, scale: float, top: float) -> list[Data]:
    """Month ticks, with labels; weeks (Mondays) or days when the scale leaves room for
    their labels; a label is left out where it would touch the one above it."""
    ticks = []
    day_step = 1 if scale >= TICK_LABEL_H + 4 else 7 if scale * 7 >= TICK_LABEL_H + 6 else 0
    d = d0
    last_label = -1e9
    while d <= d1:
        yy = top + (d - d0).days * scale
        month_start = d.day == 1
        minor = day_step and ((day_step == 7 and d.weekday() == 0) or day_step == 1)
        if month_start or minor:
            label = (month_name(d.month, "abbreviated") if month_start else str(d.day))
            show = yy - last_label >= TICK_LABEL_H + 2
            if month_start and not show and ticks and ticks[-1]["label"]:
                ticks[-1]["label"] = ""  # a month's name wins over the day above it
                show = True
            ticks.append(Data({"y": round(yy, 1), "major": month_start,
                               "label": label if show else "", "label_y": round(yy + 5, 1)}))
            if show:
                last_label = yy
        d += dt.timedelta(days=1)
    return ticks


def overview_layout(counts: dict[int, int]) -> Data:
    """The years to scale on a horizontal axis: a bar per year with events, as tall as
    its number of events, each linking to the year's section; gaps show as gaps."""
    years = sorted(counts)
    most = max(counts.values(), default=1) or 1
    first, last = (years[0], years[-1]) if years else (0, 0)
    span = last - first + 1
    unit = (OV_RIGHT - OV_LEFT) / span
    bar_w = max(min(unit * 0.8, 40), 1.5)  # never wider than a year: bars never touch
    rows = []
    for year in years:
        n = counts[year]
        cx = OV_LEFT + (year - first + 0.5) * unit
        h = max(OV_BAR_MAX * n / most, 4)
        rows.append(Data({"year": year, "count": n, "href": f"#year-{year}",
                          "bar_x": round(cx - bar_w / 2, 1), "bar_w": round(bar_w, 1),
                          "bar_y": round(OV_BASE - h, 1), "bar_h": round(h, 1), "cx": round(cx, 1),
                          "count_y": round(OV_BASE - h - 6, 1), "show_count": unit >= 24,
                          "label": ngettext("%(year)s: %(num)s event", "%(year)s: %(num)s events",
                                            n, year=year)}))
    # year ticks: every year if there is room, else a round step
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 10000)
                if s * unit >= 44)
    tick_years = sorted({y for y in range(first, last + 1) if y % step == 0} | {first, last})
    ticks, last_x = [], -1e9
    for ty in tick_years:
        x = OV_LEFT + (ty - first + 0.5) * unit
        if x - last_x >= 44 or ty == last:
            if ty == last and x - last_x < 44 and ticks:
                ticks.pop()  # the last year wins over the tick before it
            ticks.append(Data({"x": round(x, 1), "label": str(ty)}))
            last_x = x
    gaps = [(a, b) for a, b in zip(years, years[1:]) if b - a > 1]
    return Data({"id": "tl_overview", "width": WIDTH, "height": OV_BASE + 30, "rows": rows,
                 "ticks": ticks, "base": OV_BASE, "left": OV_LEFT, "right": OV_RIGHT,
                 "total": sum(counts.values()), "first": first, "last": last,
                 "gaps": [ngettext("%(num)s year without events between %(a)s and %(b)s",
                                   "%(num)s years without events between %(a)s and %(b)s",
                                   b - a - 1, a=a, b=b) for a, b in gaps]})


def make_xml_env(loader: jinja2.BaseLoader,
                 env_class: type[jinja2.Environment] = jinja2.Environment) -> jinja2.Environment:
    # (env_class: the sandbox when the brief has templates of its own, brief/sandbox.py)
    env = env_class(loader=loader, undefined=jinja2.StrictUndefined, autoescape=True,
                    trim_blocks=True, lstrip_blocks=True)
    from . import i18n
    env.context_class = FastCallContext
    i18n.install(env, html=True)
    return env


def render_svg(env: jinja2.Environment, template: str, layout: Data) -> Markup:
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
