"""Paper and colour schemes: the print stylesheet (templates/print.css) and Material's
palette toggle."""
from __future__ import annotations

from playwright.sync_api import expect

HIDDEN_IN_PRINT = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary",
                   ".md-footer", ".md-search"]
AFTER = "a => getComputedStyle(a, '::after').content"


def test_print_keeps_text_footnotes_and_addresses_and_drops_navigation(site, page):
    with_url = [e for e in site.brief.events
                if any(site.brief.sources[c.source].url for c in e.citations)]
    event = (with_url or site.brief.events)[0]
    page.goto(site.url(site.item_url("event", event)))
    expect(page.locator(".md-header")).to_be_visible()
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator(f"[id='{event.id}']")).to_be_visible()
    notes = page.locator("div.footnote")
    expect(notes).to_be_visible()
    expect(notes.locator("li").first).to_be_visible()
    # A link to a page of the site is printed as it is.
    inside = notes.locator("a:not([href^='http'])").first
    assert inside.evaluate(AFTER) in ("none", "normal")
    # An outside link (the original of a cited source) is followed by its address. (The
    # mini fixture's sources have addresses; a brief whose sources have none has no
    # outside link in its footnotes.)
    outside = notes.locator("a[href^='http']")
    if not with_url:
        expect(outside).to_have_count(0)
    else:
        href = outside.first.get_attribute("href")
        assert href in outside.first.evaluate(AFTER), outside.first.evaluate(AFTER)


def test_print_does_not_repeat_an_address_shown_as_the_link_text(site, page):
    with_url = [s for s in site.brief.sources.values() if s.url]
    src = (with_url or list(site.brief.sources.values()))[0]
    page.goto(site.url(f"sources/{src.id}/"))
    page.emulate_media(media="print")
    link = page.locator("a.brief-bare-url")
    expect(link).to_have_count(1 if with_url else 0)
    if with_url:
        assert link.evaluate(AFTER) in ("none", "normal")
    expect(page.locator("mark").first).to_be_visible()


def test_the_palette_toggle_switches_scheme_and_is_remembered(site, context_factory):
    page = context_factory(color_scheme="light").new_page()
    page.goto(site.url(""))
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator("label[title='Switch to dark mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(site.url("faq/"))
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("label[title='Switch to light mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
