"""What a reader does on the built site, in headless chromium: search, follow a citation,
open an FAQ anchor; and that no page load fetches anything from outside the site."""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

from playwright.sync_api import expect

OPEN_AT_ONCE = 6
WORD = re.compile(r"[^\W\d_]{5,}")


def without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=""))


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def search_word(site):
    """An event and a word of its summary that occurs as rarely as possible on the whole
    site (so the event's section is among the first results)."""
    b = site.brief
    counts = Counter()
    for s in b.sources.values():
        for block in s.blocks:
            counts.update(_words(block.text))
    for e in b.events:
        counts.update(_words(" ".join([e.title, *e.summary])))
    for q in b.faq:
        counts.update(_words(" ".join([q.question, *q.answer])))
    best = min(((counts[w], i, w) for i, e in enumerate(b.events)
                for w in _words(" ".join(e.summary))), default=None)
    assert best, "no event has a searchable word in its summary"
    return b.events[best[1]], best[2]


def test_search_finds_an_event_by_a_word_of_its_summary(site, page):
    event, word = search_word(site)
    page.goto(site.url(""))
    box = page.locator("input.md-search__input")
    box.click()  # at desktop width the search box is in the header
    expect(box).to_be_focused()
    box.press_sequentially(word, delay=20)
    results = page.locator("a.md-search-result__link")
    expect(results.first).to_be_visible(timeout=10_000)
    # Links carry ?h=WORD (search.highlight marks the word on the page it opens).
    hrefs = results.evaluate_all("els => els.map(e => e.href)")
    wanted = site.url(site.item_url("event", event))
    assert wanted in [without_query(h) for h in hrefs], \
        f"searching {word!r}: {wanted} not among {hrefs}"
    page.locator(f"a.md-search-result__link[href$='#{event.id}']").first.click()
    page.wait_for_url(lambda url: without_query(url) == wanted)
    expect(page.locator(f"[id='{event.id}']")).to_be_in_viewport()


def cited_passage(site):
    """The quoted citation of an event whose paragraph is furthest down its source page
    (so following it has to scroll)."""
    best = None
    for e in site.brief.events:
        for c in e.citations:
            t = site.res.targets.get(c)
            if c.quote and t:
                key = (int(t.anchor[1:]) if t.anchor[1:].isdigit() else 0, )
                if best is None or key > best[0]:
                    best = (key, e, c, t)
    assert best, "no event cites a quote"
    return best[1:]


def test_clicking_a_citation_lands_on_the_marked_source_paragraph(site, page):
    event, citation, target = cited_passage(site)
    page.goto(site.url(site.item_url("event", event)))
    local = f"sources/{citation.source}/#{target.anchor}"
    # The footnote that links to this paragraph, and the reference to it in the text.
    note = page.locator("div.footnote li").filter(
        has=page.locator(f"a[href$='{local}']")).first
    note_id = note.get_attribute("id")
    ref = page.locator(f"a.footnote-ref[href='#{note_id}']").first
    expect(ref).to_be_visible()
    ref.click()
    page.wait_for_url(f"**#{note_id}")
    link = note.locator(f"a[href$='{local}']")
    expect(link).to_be_in_viewport()
    link.click()
    page.wait_for_url(site.url(local))
    para = page.locator(f"[id='{target.anchor}']")
    expect(para).to_be_in_viewport()
    block = next(b for b in site.brief.sources[citation.source].blocks
                 if b.anchor == target.anchor)
    quoted = block.text[target.start:target.end]
    marks = para.locator("mark")
    expect(marks.first).to_be_visible()
    texts = [" ".join(t.split()) for t in marks.all_inner_texts()]
    assert any(quoted in t for t in texts), f"{quoted!r} not marked in {texts}"
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("transparent", "rgba(0, 0, 0, 0)"), "the mark is not highlighted"


def test_an_faq_anchor_opens_its_entry(site, page):
    entry = site.brief.faq[-1]  # the last one: the page has to scroll to it
    page.goto(site.url(site.item_url("faq", entry)))
    heading = page.locator(f"h2[id='{entry.id}']")
    expect(heading).to_be_in_viewport()
    expect(heading).to_contain_text(entry.question)


def test_no_request_leaves_the_site(site, context_factory):
    ctx = context_factory()
    requests: list[str] = []
    ctx.on("request", lambda r: requests.append(r.url))
    # Every page loads until the network is idle (no request for 500 ms), in tabs opened
    # OPEN_AT_ONCE at a time so that those idle waits overlap instead of adding up.
    for start in range(0, len(site.pages), OPEN_AT_ONCE):
        tabs = []
        for path in site.pages[start:start + OPEN_AT_ONCE]:
            tab = ctx.new_page()
            tab.goto(site.url(path), wait_until="commit")
            tabs.append(tab)
        for tab in tabs:
            tab.wait_for_load_state("networkidle")
            tab.close()
    outside = sorted({u for u in requests if not u.startswith(site.base)})
    assert requests and not outside, f"requests outside {site.base}: {outside}"
