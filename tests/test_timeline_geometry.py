"""Issue 15, "a timeline you can trust at a glance": the SVG's geometry, checked from the
drawing itself. No two labels overlap; each label's date line is within MAX_LEADER of its
mark; leaders never cross; marks of overlapping dates are in separate lanes; a dense year
zooms; the overview spaces years to scale; every stroke and fill meets 3:1 contrast in
the light and the dark scheme.

Run on a fixture of 12 events between February and May of one year (two in the same
month, one range) and on the repository's own brief (China–Cuba)."""
from __future__ import annotations

import colorsys
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jinja2
import pytest

from brief import timeline_svg as T
from brief.citations import resolve_citations
from brief.data import load_brief
from brief.edtf import parse_edtf
from brief.problems import Problems
from brief.render import DEFAULT_TEMPLATES
from conftest import REPO

ENV = T.make_xml_env(jinja2.FileSystemLoader(str(DEFAULT_TEMPLATES)))
TOLERANCE = 0.5


class Ev:
    def __init__(self, eid: str, date: str, title: str):
        self.id, self.title = eid, title
        self.date = parse_edtf(date)[0]
        assert self.date is not None, date


DENSE = [
    Ev("a", "2024-02-03", "Talks open in the capital"),
    Ev("b", "2024-02-10", "A second round of talks, longer than the first and with more delegates"),
    Ev("c", "2024-02-14", "Ministers sign a memorandum"),
    Ev("d", "2024-02-27", "Delegation visits the port"),
    Ev("e", "2024-03/2024-04", "Joint exercise (a range of two months)"),
    Ev("f", "2024-03-05", "Statement by the foreign ministry"),
    Ev("g", "2024-03-18", "Trade figures published"),
    Ev("h", "2024-04", "Agreement on credit lines"),
    Ev("i", "2024-04", "Second agreement in the same month"),
    Ev("j", "2024-04-22", "Press conference"),
    Ev("k", "2024-05-02~", "About the start of May: a visit"),
    Ev("l", "2024-05-30", "Summit ends"),
]


def year_svg(year: int, events) -> tuple[dict, ET.Element]:
    """The layout and the rendered drawing (events in the brief's order)."""
    events = sorted(events, key=lambda e: (e.date.sort_key(), e.id)) if all(
        isinstance(e, Ev) for e in events) else events
    layout = T.year_layout(year, events)
    return layout, ET.fromstring(str(T.render_svg(ENV, "timeline_year.svg.j2", layout)))


def text_boxes(svg: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(text, box) of every line of text in the drawing, from its x, y, anchor and size
    (16 px labels, 12 px axis; a character's advance at most CHAR_W * size / 16)."""
    boxes = []
    for g in svg.iter():
        if g.tag != "text":
            continue
        axis = g.get("class", "").startswith("brief-tl-major") or "minor" in g.get("class", "")
        size = 12 if axis else 16
        anchor = g.get("text-anchor", "start")
        rows = list(g.iter("tspan")) or [g]
        for row in rows:
            text = (row.text or "").strip()
            if not text:
                continue
            x = float(row.get("x", g.get("x")))
            y = float(row.get("y", g.get("y")))
            bold = "brief-tl-date" in row.get("class", "")
            w = len(text) * T.CHAR_W * size / 16 * (1.06 if bold else 1.0)
            x0 = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
            boxes.append((text, (x0, y - size * 0.8, x0 + w, y + size * 0.25)))
    return boxes


def overlaps(a, b) -> bool:
    return (a[0] < b[2] - TOLERANCE and b[0] < a[2] - TOLERANCE
            and a[1] < b[3] - TOLERANCE and b[1] < a[3] - TOLERANCE)


def check_geometry(layout: dict, svg: ET.Element, leader_limit: bool = True) -> None:
    boxes = text_boxes(svg)
    for i, (ta, a) in enumerate(boxes):
        assert a[0] >= -TOLERANCE and a[2] <= layout["width"] + TOLERANCE, f"{ta!r} leaves the drawing"
        for tb, b in boxes[i + 1:]:
            assert not overlaps(a, b), f"labels overlap: {ta!r} {a} and {tb!r} {b}"
    leaders = []
    for a in svg.iter("a"):
        mark = [el for el in a if el.tag in ("circle", "rect")]
        assert len(mark) == 1
        m = mark[0]
        if m.tag == "circle":
            top = bottom = float(m.get("cy"))
        else:
            top, bottom = float(m.get("y")) - 1, float(m.get("y")) + float(m.get("height")) + 1
        text = a.find("text")
        date_mid = float(text.find("tspan").get("y")) - 5
        distance = max(0.0, top - date_mid, date_mid - bottom)
        if leader_limit:
            assert distance <= T.MAX_LEADER + 4 + TOLERANCE, (a.get("aria-label"), distance)
        (leader,) = [el for el in a if el.tag == "line" and el.get("class") == "brief-tl-leader"]
        x1, y1, x2, y2 = (float(leader.get(k)) for k in ("x1", "y1", "x2", "y2"))
        assert abs(x2 - x1) < 80
        assert abs(y2 - y1) <= T.MAX_LEADER + TOLERANCE + 4 or not leader_limit
        assert top - 1 <= y1 <= bottom + 1  # the leader starts at the mark
        leaders.append((x1, y1, x2, y2))
    for i, p in enumerate(leaders):
        for q in leaders[i + 1:]:
            assert not segments_cross(p, q), f"leaders cross: {p} {q}"
    marks = mark_boxes(svg)  # never drawn on top of each other
    ids = list(marks)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            assert not overlaps(marks[a], marks[b]), (a, b, marks[a], marks[b])


def segments_cross(p, q) -> bool:
    def orient(ax, ay, bx, by, cx, cy):
        v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        return 0 if abs(v) < 1e-9 else (1 if v > 0 else -1)
    a, b, c, d = p[:2], p[2:], q[:2], q[2:]
    o1, o2 = orient(*a, *b, *c), orient(*a, *b, *d)
    o3, o4 = orient(*c, *d, *a), orient(*c, *d, *b)
    if {a, b} & {c, d}:  # a shared end point (same label column) is not a crossing
        return False
    return o1 * o2 < 0 and o3 * o4 < 0


def mark_boxes(svg: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for a in svg.iter("a"):
        m = next(el for el in a if el.tag in ("circle", "rect"))
        if m.tag == "circle":
            cx, cy, r = (float(m.get(k)) for k in ("cx", "cy", "r"))
            out[a.get("href")[1:]] = (cx - r, cy - r, cx + r, cy + r)
        else:
            x, y, w, h = (float(m.get(k)) for k in ("x", "y", "width", "height"))
            out[a.get("href")[1:]] = (x, y, x + w, y + h)
    return out


# --- the dense fixture ---

def test_dense_year_zooms_and_keeps_labels_by_their_marks():
    layout, svg = year_svg(2024, DENSE)
    assert layout["zoomed"] and layout["span"] == "1 February 2024 to 31 May 2024"
    ticks = [t for t in layout["ticks"] if t["label"]]
    assert [t["label"] for t in ticks if t["major"]] == ["Feb", "Mar", "Apr", "May"]
    assert any(not t["major"] for t in ticks)  # weeks (or days) are ticked and labelled
    check_geometry(layout, svg)
    # the labels do not run on past the end of the axis
    assert max(m["label_top"] for m in layout["marks"]) <= layout["axis_end"]


def test_same_month_events_and_the_range_get_their_own_lanes():
    layout, svg = year_svg(2024, DENSE)
    boxes = mark_boxes(svg)
    for a, b in [("h", "i"), ("e", "f"), ("e", "h"), ("e", "i"), ("h", "j"), ("i", "j")]:
        assert not overlaps(boxes[a], boxes[b]), (a, b, boxes[a], boxes[b])
    lanes = {m["id"]: m["lane"] for m in layout["marks"]}
    assert lanes["h"] != lanes["i"]


def test_ranges_and_uncertain_ends_are_drawn_differently():
    events = [Ev("day", "2024-06-10", "A day"), Ev("month", "2024-07", "A month"),
              Ev("interval", "2024-03/2024-04", "Lasted"), Ev("unc", "2024-08?", "Uncertain"),
              Ev("open", "2024-09/..", "Open end"), Ev("before", "[..2024-05]", "On or before"),
              Ev("approx", "2024-10-02~", "About a day")]
    layout, svg = year_svg(2024, events)
    shapes = {m["id"]: m["shapes"] for m in layout["marks"]}
    cls = {k: [s["class"] for s in v] for k, v in shapes.items()}
    assert shapes["day"][0]["kind"] == "circle" and cls["day"] == ["brief-tl-mark"]
    assert cls["month"] == ["brief-tl-mark brief-tl-within"]  # hollow: one day within
    assert cls["interval"] == ["brief-tl-mark"]  # filled: it lasted
    assert cls["unc"] == ["brief-tl-mark brief-tl-uncertain brief-tl-within"]
    assert "brief-tl-uncertain" in cls["approx"][0] and shapes["approx"][0]["kind"] == "circle"
    assert cls["open"] == ["brief-tl-mark", "brief-tl-open"]
    assert shapes["open"][1]["y2"] == layout["axis_end"]  # runs on to the end of the axis
    assert cls["before"] == ["brief-tl-mark brief-tl-within", "brief-tl-open"]
    assert shapes["before"][1]["y1"] == layout["top"]  # from the start of the axis
    check_geometry(layout, svg)
    css = (DEFAULT_TEMPLATES / "brief.css").read_text("utf-8")
    assert re.search(r"\.brief-tl-uncertain \{[^}]*stroke-dasharray", css)
    assert re.search(r"\.brief-tl-open \{[^}]*stroke-dasharray", css)
    assert re.search(r"\.brief-tl-within \{[^}]*fill: transparent", css)


def test_a_sparse_year_shows_the_whole_year():
    layout, svg = year_svg(2024, DENSE[:3] + [Ev("z", "2024-11-20", "Late in the year")])
    assert not layout["zoomed"]
    assert [t["label"] for t in layout["ticks"] if t["major"]] == T.MONTHS_SHORT
    check_geometry(layout, svg)


def test_many_events_on_one_day_still_do_not_overlap():
    # More events on one day than fit beside it: the leaders grow, but labels still do
    # not overlap, leaders do not cross and each dot has its own lane.
    events = [Ev(f"s{i}", "2024-06-15", f"Event number {i} of the same day") for i in range(5)]
    layout, svg = year_svg(2024, events)
    check_geometry(layout, svg, leader_limit=False)
    assert len({m["lane"] for m in layout["marks"]}) == 5


# --- the overview ---

def test_overview_years_are_to_scale():
    layout = T.overview_layout({1960: 1, 2014: 2, 2024: 3, 2025: 7})
    svg = ET.fromstring(str(T.render_svg(ENV, "timeline_overview.svg.j2", layout)))
    xs = {r["year"]: r["cx"] for r in layout["rows"]}
    unit = (xs[2025] - xs[2024])
    assert unit > 0
    assert xs[2014] - xs[1960] == pytest.approx(54 * unit, rel=0.01)
    assert xs[2024] - xs[2014] == pytest.approx(10 * unit, rel=0.01)
    assert "53 years without events between 1960 and 2014" in svg.find(".//desc").text
    boxes = text_boxes(svg)
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1:]:
            assert not overlaps(a, b), (ta, tb)
    bars = sorted((r["bar_x"], r["bar_x"] + r["bar_w"]) for r in layout["rows"])
    assert all(a[1] < b[0] for a, b in zip(bars, bars[1:]))  # adjacent years never touch
    heights = {r["year"]: r["bar_h"] for r in layout["rows"]}
    assert heights[2025] > heights[2024] > heights[2014] > heights[1960]


# --- contrast ---

def hex_rgb(h: str) -> tuple[float, float, float]:
    h = h.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def luminance(rgb) -> float:
    def lin(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(lin, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Material's page backgrounds: white, and slate's hsla(225deg, 15%, 14%, 1).
BACKGROUNDS = {"light": (1.0, 1.0, 1.0), "dark": colorsys.hls_to_rgb(225 / 360, 0.14, 0.15)}


def timeline_colours() -> dict[str, dict[str, str]]:
    css = (DEFAULT_TEMPLATES / "brief.css").read_text("utf-8")
    light = re.search(r"^\.brief-timeline \{([^}]*)\}", css, re.M)[1]
    dark = re.search(r'^\[data-md-color-scheme="slate"\] \.brief-timeline \{([^}]*)\}', css, re.M)[1]

    def props(block):
        return dict(re.findall(r"(--brief-tl-[a-z]+):\s*(#[0-9a-fA-F]{6})", block))
    return {"light": props(light), "dark": props(dark)}


def test_every_stroke_and_fill_meets_3_to_1_in_both_schemes():
    css = (DEFAULT_TEMPLATES / "brief.css").read_text("utf-8")
    colours = timeline_colours()
    assert set(colours["light"]) == set(colours["dark"]) == {"--brief-tl-ink", "--brief-tl-line"}
    for scheme, props in colours.items():
        for name, value in props.items():
            ratio = contrast(hex_rgb(value), BACKGROUNDS[scheme])
            assert ratio >= 3.0, f"{name} {value} on {scheme}: {ratio:.2f}:1"
    # every stroke and fill of a mark, line or axis uses those colours (or none at all)
    rules = re.findall(r"(\.brief-timeline[^{]*)\{([^}]*)\}", css)
    painted = 0
    for selector, body in rules:
        if "hover" in selector or "focus" in selector:
            continue  # the accent colour on hover and focus, over the same shapes
        for prop, value in re.findall(r"\b(stroke|fill):\s*([^;]+);", body):
            if "text" in selector or "tl-date" in selector or "tl-title" in selector:
                continue  # text colours: the theme's own, checked by axe in the browser tests
            assert value.strip() in ("var(--brief-tl-ink)", "var(--brief-tl-line)",
                                     "transparent"), (selector, prop, value)
            painted += 1
    assert painted >= 5
    # and every drawn element of the year and overview drawings has one of those classes
    layout, svg = year_svg(2024, DENSE)
    overview = ET.fromstring(str(T.render_svg(ENV, "timeline_overview.svg.j2",
                                              T.overview_layout({2023: 1, 2024: 12}))))
    for drawing in (svg, overview):
        axis = drawing.find(".//g")
        for el in drawing.iter():
            if el.tag in ("circle", "rect"):
                assert "brief-tl-mark" in el.get("class", "")
            if el.tag == "line":
                assert el in list(axis) or el.get("class") in ("brief-tl-leader", "brief-tl-open")


# --- the China–Cuba brief ---

@pytest.fixture(scope="module")
def repo_brief():
    problems = Problems()
    brief = load_brief(REPO, problems)
    resolve_citations(brief, problems)
    assert not problems.errors, problems.items
    return brief


def test_geometry_of_every_year_of_the_repository_brief(repo_brief):
    years: dict[int, list] = {}
    for e in repo_brief.events:
        years.setdefault(e.date.year, []).append(e)
    assert years
    for year, events in years.items():
        layout, svg = year_svg(year, events)
        check_geometry(layout, svg)
        boxes = mark_boxes(svg)
        ids = list(boxes)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                assert not overlaps(boxes[a], boxes[b]), (year, a, b)
    layout = T.overview_layout({y: len(v) for y, v in years.items()})
    svg = ET.fromstring(str(T.render_svg(ENV, "timeline_overview.svg.j2", layout)))
    assert len(list(svg.iter("a"))) == len(years)


# -- the labels' fast wrapping is textwrap's --------------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet="ab cd-e\u2014\t\n\u3000\u00a0\u200bé中", max_size=60),
       st.integers(min_value=1, max_value=30))
def test_label_wrapping_equals_textwrap(text, width):
    import textwrap

    from brief.timeline_svg import _wrap
    assert _wrap(text, width) == textwrap.wrap(text, width, break_long_words=True)
