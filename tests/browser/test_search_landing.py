"""Search lands on the right place (issue 15, brief/search_landing.py): a word of a quote
finds the event that cites it (not the page's last section, where the footnotes are); a
word of a source paragraph lands on that paragraph's anchor (#pN), in view; an entity's
name finds its page."""
from __future__ import annotations

import re
from collections import Counter

from playwright.sync_api import expect

from .test_reader import without_query

WORD = re.compile(r"[^\W\d_]{6,}")


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def all_text_counts(site) -> Counter:
    """In how many places (source paragraphs, events, questions, entities) each word occurs."""
    b = site.brief
    counts: Counter = Counter()
    for s in b.sources.values():
        for block in s.blocks:
            counts.update(words(block.text))
        counts.update(words(s.title))
    for e in b.events:
        counts.update(words(" ".join([e.title, *e.summary])))
        counts.update(words(" ".join(c.quote for c in e.citations)))
    for q in b.faq:
        counts.update(words(" ".join([q.question, *q.answer])))
        counts.update(words(" ".join(c.quote for c in q.citations)))
    for ent in b.entities.values():
        counts.update(words(" ".join([ent.name, ent.role])))
    return counts


def search(page, site, text: str) -> list[str]:
    page.goto(site.url(""))
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(text, delay=15)
    results = page.locator("a.md-search-result__link")
    expect(results.first).to_be_visible(timeout=10_000)
    page.wait_for_timeout(300)  # the worker answers each keystroke; let the last one land
    return [without_query(h) for h in results.evaluate_all("els => els.map(e => e.href)")]


def test_a_word_of_a_quote_finds_the_event_citing_it_first_on_its_page(site, page):
    counts = all_text_counts(site)
    b = site.brief
    # A word of an event's quote that is in no event's or question's own text: it can
    # only be found through the footnote.
    own = set()
    for e in b.events:
        own |= words(" ".join([e.title, *e.summary]))
    for q in b.faq:
        own |= words(" ".join([q.question, *q.answer]))
    choice = min(((counts[w], e.id, w) for e in b.events for c in e.citations
                  for w in words(c.quote) - own), default=None)
    assert choice, "no event cites a quote with a word of its own"
    _, event_id, word = choice
    event = next(e for e in b.events if e.id == event_id)
    wanted = site.url(site.item_url("event", event))
    hrefs = search(page, site, word)
    # Each page's group of results opens with the page itself, then its sections.
    same_page = [h for h in hrefs if h.split("#")[0] == wanted.split("#")[0] and "#" in h]
    assert same_page and same_page[0] == wanted, \
        f"searching {word!r}: first result on {wanted.split('#')[0]} is not {wanted}: {hrefs}"
    page.locator(f"a.md-search-result__link[href*='#{event.id}']").first.click()
    page.wait_for_url(lambda url: without_query(url) == wanted)
    expect(page.locator(f"[id='{event.id}']")).to_be_in_viewport()


def test_a_word_of_a_source_paragraph_lands_on_that_paragraph(site, page):
    counts = all_text_counts(site)
    b = site.brief
    # The rarest word of a paragraph as far down its source as possible.
    choice = min(((counts[w], -i, s.id, block.anchor, w) for s in b.sources.values()
                  for i, block in enumerate(s.blocks) if block.kind == "p"
                  for w in words(block.text)), default=None)
    assert choice
    _, _, source_id, anchor, word = choice
    wanted = site.url(f"sources/{source_id}/#{anchor}")
    hrefs = search(page, site, word)
    assert wanted in hrefs, f"searching {word!r}: {wanted} not among {hrefs}"
    page.locator(f"a.md-search-result__link[href*='sources/{source_id}/'][href$='#{anchor}']") \
        .first.click()
    page.wait_for_url(lambda url: without_query(url) == wanted)
    paragraph = page.locator(f"[id='{anchor}']")
    expect(paragraph).to_be_in_viewport()
    assert word in paragraph.inner_text().lower()


def test_an_entity_name_finds_its_page(site, page):
    b = site.brief
    if not b.entities:  # the mini fixture has none: its index page says so
        page.goto(site.url("entities/"))
        expect(page.locator("article")).to_contain_text(re.compile(r"no people", re.I))
        return
    counts = all_text_counts(site)
    ent = min(b.entities.values(), key=lambda x: (sum(counts[w] for w in words(x.name)) or 99,
                                                  x.id))
    hrefs = search(page, site, ent.name)
    wanted = site.url(f"entities/{ent.id}/")
    assert any(h.split("#")[0] == wanted for h in hrefs[:5]), \
        f"searching {ent.name!r}: {wanted} not among the first results {hrefs[:5]}"
    page.locator(f"a.md-search-result__link[href*='entities/{ent.id}/']").first.click()
    page.wait_for_url(lambda url: without_query(url).split("#")[0] == wanted)
    expect(page.locator("h1")).to_contain_text(ent.name)
