"""The SVG timeline on a phone: drawn within a 390 px wide screen, and every mark in it a
link to an event (or a year of events) that exists on the site.

With BROWSER_SCREENSHOTS=FOLDER set, the timeline pages are also saved as screenshots at
1280 px and 390 px (FOLDER/BRIEF-timeline-1280.png ...), to look at."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
SVG = ".md-typeset svg"  # drawings in the page's content (Material's icons are outside it)
LINKS = """svg => [...svg.querySelectorAll('a')].map(a =>
  a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))"""


def timeline_pages(site) -> list[str]:
    return [p for p in site.pages if p.startswith("timeline/")]


def test_the_timeline_svg_fits_a_phone_and_links_to_events(site, context_factory):
    page = context_factory(viewport=PHONE).new_page()
    events = {e.id: e for e in site.brief.events}
    years = sorted({e.date.year for e in site.brief.events})
    # The overview and each year's page have a drawing; other timeline pages may.
    required = {"timeline/", *(f"timeline/{y}/" for y in years)}
    assert required <= set(timeline_pages(site)), required - set(timeline_pages(site))
    targets: dict[str, set[str]] = {}  # page URL -> ids the drawings link to on it
    linked_events: set[str] = set()
    for path in timeline_pages(site):
        page.goto(site.url(path))
        drawings = page.locator(SVG)
        assert drawings.count() >= 1 or path not in required, f"/{path}: no SVG timeline"
        for i in range(drawings.count()):
            svg = drawings.nth(i)
            expect(svg).to_be_visible()
            box = svg.bounding_box()
            assert box and 0 < box["width"] <= PHONE["width"] and box["height"] > 0, \
                f"/{path}: SVG box {box} at {PHONE['width']} px"
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], \
                f"/{path}: SVG box {box} sticks out of the screen"
            name = svg.evaluate("s => (s.querySelector('title') || {}).textContent || ''")
            assert name.strip(), f"/{path}: the SVG has no <title> (text alternative)"
            hrefs = svg.evaluate(LINKS)
            assert hrefs and all(hrefs), f"/{path}: SVG marks without links: {hrefs}"
            for href in hrefs:
                url, frag = urldefrag(urljoin(page.url, href))
                targets.setdefault(url, set())
                if frag:
                    targets[url].add(frag)
                if path != "timeline/":  # a year's drawing: each mark is one event
                    assert frag in events, f"/{path}: mark links to {href}, not an event"
                    assert url + "#" + frag == site.url(site.item_url("event", events[frag])), \
                        f"/{path}: mark links to {href}, not to where the event is"
                    linked_events.add(frag)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], \
            f"/{path}: the page scrolls sideways at {PHONE['width']} px"
    assert linked_events == set(events), f"events without a mark: {set(events) - linked_events}"
    for url, ids in targets.items():
        response = page.goto(url)
        assert response and response.ok, f"{url}: {response and response.status}"
        for i in ids:
            assert page.locator(f"[id='{i}']").count() == 1, f"{url}#{i}: no such element"
    # A real tap on the last event's label in the drawing lands on that event. (The
    # middle of the link's box can be blank space between the mark and its label.)
    last = site.brief.events[-1]
    page.goto(site.url(f"timeline/{last.date.year}/"))
    page.locator(f"{SVG} a[href$='#{last.id}']").first \
        .locator("xpath=.//*[local-name()='text']").first.click()
    page.wait_for_url(site.url(site.item_url("event", last)))
    expect(page.locator(f"[id='{last.id}']")).to_be_in_viewport()


def test_timeline_screenshots(site, context_factory):
    """Saves screenshots when BROWSER_SCREENSHOTS names a folder; checks the page renders
    (the busiest year's drawing is on screen) either way."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    per_year = Counter(e.date.year for e in site.brief.events)
    first = max(per_year, key=lambda y: (per_year[y], -y))  # the busiest year
    for width in (1280, 390):
        page = context_factory(viewport={"width": width, "height": 900}).new_page()
        for path, label in (("timeline/", "timeline"), (f"timeline/{first}/", f"timeline-{first}")):
            page.goto(site.url(path))
            expect(page.locator(SVG).first).to_be_in_viewport()
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(folder) / f"{site.name}-{label}-{width}.png"))


def _rgba(css: str) -> tuple[float, float, float, float]:
    nums = [float(x) for x in css[css.index("(") + 1:css.index(")")].replace("/", ",").split(",")]
    return (*nums[:3], nums[3] if len(nums) > 3 else 1.0)


def _luminance(rgb) -> float:
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast of a CSS colour (maybe translucent) drawn on an opaque background."""
    *f, a = _rgba(fg)
    b = _rgba(bg)[:3]
    shown = [a * x + (1 - a) * y for x, y in zip(f, b)]
    hi, lo = sorted((_luminance(shown), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


TEXT_COLOURS = """() => [...document.querySelectorAll('.md-typeset svg text, .md-typeset svg tspan')]
  .filter(t => t.textContent.trim())
  .map(t => [t.textContent.trim().slice(0, 40), getComputedStyle(t).fill])"""


def test_the_timeline_svg_text_has_enough_contrast_in_both_schemes(site, context_factory):
    """axe-core does not measure the contrast of SVG text, so this does: every label of
    each year's drawing against the page background, 4.5:1 or more (WCAG AA)."""
    years = sorted({e.date.year for e in site.brief.events})
    low = []
    for scheme in ("light", "dark"):
        page = context_factory(color_scheme=scheme, viewport=PHONE).new_page()
        for path in ["timeline/", *(f"timeline/{y}/" for y in years)]:
            page.goto(site.url(path))
            bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
            texts = page.evaluate(TEXT_COLOURS)
            assert texts, f"/{path}: no text in the drawing"
            low += [f"{scheme} /{path}: {text!r} {fill} on {bg}: {contrast(fill, bg):.2f}"
                    for text, fill in texts if contrast(fill, bg) < 4.5]
    assert not low, "SVG text under 4.5:1:\n" + "\n".join(low)


MARK_COLOURS = """() => [...document.querySelectorAll(
    '.md-typeset svg circle, .md-typeset svg rect, .md-typeset svg line')]
  .map(el => [el.getAttribute('class') || el.parentNode.getAttribute('class') || el.tagName,
              getComputedStyle(el).stroke,
              el.tagName === 'line' ? 'none' : getComputedStyle(el).fill])"""  # a line has no area


def test_every_mark_and_line_has_3_to_1_contrast_in_both_schemes(site, context_factory):
    """Marks, bars, leaders and the axis (WCAG 1.4.11, non-text contrast): each painted
    stroke and fill 3:1 or more against the page, in the light and the dark scheme."""
    years = sorted({e.date.year for e in site.brief.events})
    low, checked = [], 0
    for scheme in ("light", "dark"):
        page = context_factory(color_scheme=scheme, viewport=PHONE).new_page()
        for path in ["timeline/", *(f"timeline/{y}/" for y in years)]:
            page.goto(site.url(path))
            bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
            for cls, stroke, fill in page.evaluate(MARK_COLOURS):
                for what, colour in (("stroke", stroke), ("fill", fill)):
                    if colour in ("none", "") or _rgba(colour)[3] == 0:
                        continue
                    checked += 1
                    if contrast(colour, bg) < 3.0:
                        low.append(f"{scheme} /{path}: {cls} {what} {colour} on {bg}: "
                                   f"{contrast(colour, bg):.2f}")
    assert checked, "no marks measured"
    assert not low, "SVG marks under 3:1:\n" + "\n".join(low)
