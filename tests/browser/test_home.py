"""The home page as a briefing's front page (issue 15): under the key points, the overview
drawing of the timeline (each year linking to its place on the timeline page) and the
newest events, newest first, each linking to its anchor."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from htmltools import read_page, resolve  # noqa: E402

from brief.render import HOME_RECENT  # noqa: E402


def test_home_shows_the_overview_drawing_and_the_newest_events(site, page):
    home = site.site_dir / "index.html"
    html = home.read_text(encoding="utf-8")
    svg = re.search(r'<svg[^>]*class="brief-timeline-svg".*?</svg>', html, re.S)
    assert svg, "no timeline drawing on the home page"
    years = sorted({e.date.year for e in site.brief.events})
    hrefs = re.findall(r'<a href="([^"]+)"', svg.group(0))
    assert len(hrefs) >= len(years)
    for href in hrefs:  # each year's bar lands on that year of the timeline page
        target, anchor = resolve(site.site_dir, home, href)
        assert target.is_file(), href
        assert anchor in read_page(target).by_id, href
    # The newest events, newest first, after the key points.
    newest = site.brief.events[::-1][:HOME_RECENT]
    positions = [html.find(f'#{e.id}"') for e in newest]
    assert all(p > 0 for p in positions), [e.id for e, p in zip(newest, positions) if p <= 0]
    assert positions == sorted(positions)
    assert html.find('id="key-points"') < html.find('id="at-a-glance"') < positions[0]
    page.goto(site.url(""))
    expect(page.locator("#at-a-glance ~ .brief-timeline svg").first).to_be_visible()
    page.locator(f"a[href$='#{newest[0].id}']").first.click()
    expect(page.locator(f"[id='{newest[0].id}']")).to_be_in_viewport()
