"""Printing to PDF (issue 15): Chromium prints the busiest timeline year and the FAQ, and
the PDF's own text (read with pypdf) must hold every footnote in full: its number, the
quote, and where the quote stands ("¶5 of [source title]"); nothing may be cut off at the
page's edge, and the timeline drawing is printed.

What is expected comes from the brief as read (the events and questions, their citations
and the paragraph each quote was found in), not from the built HTML."""
from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

WS = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text without any whitespace: the PDF breaks lines wherever the paper makes it."""
    return WS.sub("", text).replace("\u00ad", "")


def expected_notes(site, items) -> list[tuple[int, str, str, str, str]]:
    """(number, quote, paragraph, source title as shown, what the note starts with) of
    each footnote of a page that cites `items`' citations in order; a citation repeated
    on a page shares its number. A note starts with the source's title, or with whose
    words the source reports ("Xinhua, as reported by ...", issue 12)."""
    labels: dict[tuple[str, str], int] = {}
    out = []
    for item in items:
        for c in item.citations:
            key = (c.source, c.quote)
            if key in labels:
                continue
            labels[key] = len(labels) + 1
            target = site.res.targets.get(c)
            para = ""
            if target:
                para = ("¶" if target.anchor[0] == "p" else "heading ") + target.anchor[1:]
            title = site.brief.sources[c.source].display_title
            lead = site.brief.entities[c.via].name if getattr(c, "via", None) else title
            out.append((labels[key], c.quote, para, title, lead))
    return out


def print_pdf(site, page, path: str) -> tuple[str, list[tuple[float, float, str]], float]:
    """The page printed by Chromium on A4: its text, each text run's x position within
    the printable area and that area's width (PDF points)."""
    page.goto(site.url(path))
    page.wait_for_load_state("networkidle")
    reader = PdfReader(BytesIO(page.pdf(format="A4", print_background=False)))
    runs: list[tuple[float, float, str]] = []
    texts = []
    for pdf_page in reader.pages:
        width = float(pdf_page.mediabox.width)

        def visit(text, cm, tm, font, size):
            if text.strip():
                # Chromium draws the printable area from (cm[4], ...): what starts left
                # of it, or ends past its mirror on the right, lies in the clipped margin.
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                runs.append((x - cm[4], width - 2 * cm[4], text))

        texts.append(pdf_page.extract_text(visitor_text=visit))
    return "\n".join(texts), runs, width


def busiest_year(site) -> int:
    years: dict[int, int] = {}
    for e in site.brief.events:
        years[e.date.year] = years.get(e.date.year, 0) + 1
    return max(sorted(years), key=lambda y: years[y])


@pytest.mark.parametrize("which", ["timeline", "faq"])
def test_printed_pdf_holds_every_footnote_in_full(site, page, which):
    if which == "timeline":
        year = busiest_year(site)
        items = [e for e in site.brief.events if e.date.year == year]
        path = f"timeline/{year}/"
    else:
        items = site.brief.faq
        path = "faq/"
    notes = expected_notes(site, items)
    assert notes, f"{path} cites nothing"
    text, runs, width = print_pdf(site, page, path)
    flat = squeeze(text)
    missing = []
    for number, quote, para, title, lead in notes:
        head = squeeze(title)[:30]
        first_words = r"\s+".join(map(re.escape, lead.split()[:3]))
        if not re.search(rf"(?m)^\s*{number}\.\s*\W?{first_words}", text):
            missing.append(f"footnote {number}: its number before {lead!r}")
        if quote and squeeze(quote) not in flat:
            missing.append(f"footnote {number}: the quote {quote!r}")
        if para and not re.search(rf"{re.escape(squeeze(para))}of\W?{re.escape(head)}", flat):
            missing.append(f"footnote {number}: {para} of {title}")
    assert not missing, f"{path} printed without:\n" + "\n".join(missing)
    # Nothing is cut off at the paper's left or right edge (footnote numbers from 10 up
    # were: print.css removed the margin the list numbers sit in).
    outside = [t for x, w, t in runs if x < -0.5 or x > w - 2]
    assert not outside, f"{path}: text printed outside the paper: {outside[:5]}"
    # The notes are printed in their order: "9." before "10." before "11.".
    at = [re.search(rf"(?m)^\s*{n}\.\s", text) for n, *_ in notes]
    assert all(at) and [m.start() for m in at] == sorted(m.start() for m in at)


def test_the_timeline_drawing_is_printed_whole(site, page):
    year = busiest_year(site)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(site.url(f"timeline/{year}/"))
    page.emulate_media(media="print")
    svg = page.locator(".brief-timeline svg").first
    box = svg.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 794, box
    assert svg.evaluate("s => getComputedStyle(s).display") != "none"
    assert svg.evaluate("s => getComputedStyle(s).visibility") == "visible"
