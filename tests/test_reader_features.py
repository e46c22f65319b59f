"""The reader's site (issue 4), on real builds of a small brief: the SVG timeline, who's
who, tags, feeds, downloads and structured data. Every file is parsed with a standard
parser (ElementTree, feedparser, icalendar, jsonschema, json, csv)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import pytest

from brief.timeline_svg import LINE_H, MAX_LINES, SVG_ALLOWED, WRAP, relative_href, year_layout
from conftest import make_brief, run_build, snapshot
from htmltools import read_page, resolve

SCHEMA = Path(__file__).parent / "data" / "csl-data.json"
NASTY = '"</svg><script>alert(1)</script> & co'

ARTICLE = """---
title: 'Braces {and} 100% & "quotes" </script> #1'
type: news-article
publisher: Gamma & Sons {Post}
author: Jane O'Brien
url: https://example.org/gamma?a=1&b={x}#frag
published: 2024-03-20
retrieved: 2024-04
language: en
---
The pier opened on 20 March 2024, a Wednesday.
"""

ENTITIES = """\
- id: northport
  name: Northport
  kind: place
  role: The town that built the new pier
  aliases: [North]
  citations:
    - source: alpha-gazette
      quote: The quarrel started when Northport built a new pier.
- id: southport
  name: Southport
  kind: place
  role: The town that objected to the pier
  citations:
    - source: alpha-gazette
      quote: Southport said the pier blocked its "fishing lanes"
- id: fishermen
  name: The fishermen <b>& co</b>
  kind: organisation
  role: Welcomed the agreement
  citations:
    - source: beta-herald
      quote: Fishermen welcomed the agreement.
"""

EVENTS = f"""\
- id: dispute-begins
  date: "2019"
  title: The harbour dispute begins
  summary: Northport builds a new pier; Southport objects, saying it blocks fishing lanes.
  tags: [harbour]
  entities: [northport, southport]
  citations:
    - source: alpha-gazette
      quote: The quarrel started when Northport built a new pier.
- id: councils-meet
  date: "2023"
  title: Councils meet twice without result
  summary: The two councils meet twice in 2023 but reach no agreement.
  citations:
    - source: alpha-gazette
      quote: In 2023 the two councils met twice without result.
- id: agreement-signed
  date: 2024-03
  title: Harbour agreement signed
  summary: The mayors sign the harbour agreement.
  tags: [harbour, agreement]
  entities: [northport, southport]
  citations:
    - source: alpha-gazette
      quote: signed the harbour agreement
- id: pier-opens
  date: 2024-03-20
  title: 'Pier opens {NASTY}, the longest title of all the events in this brief, and then some more words'
  summary: The pier opens; fishermen, it seems, welcome it at the Café Ørsted, ça va.
  tags: [harbour]
  entities: [fishermen]
  place: Northport, harbour side
  citations:
    - source: gamma-post
      quote: The pier opened on 20 March 2024
"""

FAQ = """\
- id: what-was-agreed
  question: What did the towns agree?
  answer: According to the Beta Herald, both towns get equal use of the pier.
  entities: [northport, southport]
  citations:
    - source: beta-herald
      quote: equal use of the pier
- id: breakout
  question: 'Is "</script><script>alert(1)</script>" escaped?'
  answer: It is.
  entities: [fishermen]
  citations:
    - source: beta-herald
"""

FILES = {"sources/articles/gamma-post.md": ARTICLE, "sources/entities.yml": ENTITIES,
         "sources/events/events.yml": EVENTS, "sources/faq/faq.yml": FAQ}
EVENT_IDS = ["dispute-begins", "councils-meet", "agreement-signed", "pier-opens"]


def _build(tmp: Path, files=FILES, fresh_python: bool = False) -> Path:
    root = make_brief(tmp, files)
    result = run_build(str(root), fresh_python=fresh_python)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("reader"))


@pytest.fixture(scope="module")
def site_again(tmp_path_factory) -> Path:
    """The same brief built again, in a new Python (a hash seed other than `site`'s,
    tests/forkbuild.py): the tests comparing the two see what set order changes."""
    return _build(tmp_path_factory.mktemp("reader-again"), fresh_python=True)


def timeline_svgs(html: str) -> list[str]:
    return re.findall(r'<svg[^>]*class="brief-timeline-svg".*?</svg>', html, re.S)


def json_ld(html: str) -> list[dict]:
    return [json.loads(s) for s in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


# --- the SVG timeline ---

def test_year_svgs_are_well_formed_and_every_mark_links_to_its_event(site):
    seen = []
    for year in ("2019", "2023", "2024"):
        page_file = site / "timeline" / year / "index.html"
        html = page_file.read_text("utf-8")
        svgs = timeline_svgs(html)
        assert len(svgs) == 1, year
        svg = ET.fromstring(svgs[0])  # well-formed XML
        assert re.fullmatch(r"0 0 \d+ \d+", svg.get("viewBox"))
        assert svg.get("width") == "100%"
        titles, descs = svg.findall("title"), svg.findall("desc")
        assert len(titles) == 1 and len(descs) == 1 and titles[0].text and descs[0].text
        assert svg.get("aria-labelledby").split() == [titles[0].get("id"), descs[0].get("id")]
        ids = read_page(page_file).by_id
        for a in svg.iter("a"):
            target, fragment = resolve(site, page_file, a.get("href"))
            assert target == page_file and fragment in ids and fragment in EVENT_IDS
            assert a.get("aria-label")
            seen.append(fragment)
        assert not {el.tag for el in svg.iter()} - set(SVG_ALLOWED)
    assert sorted(seen) == sorted(EVENT_IDS)


def test_svg_text_is_escaped_not_markup(site):
    html = (site / "timeline" / "2024" / "index.html").read_text("utf-8")
    svg = ET.fromstring(timeline_svgs(html)[0])
    assert svg.find(".//script") is None and "<script>alert" not in html
    link = next(a for a in svg.iter("a") if a.get("href") == "#pier-opens")
    assert NASTY in link.get("aria-label")
    shown = " ".join(t.text for t in link.iter("tspan") if t.get("class") == "brief-tl-title")
    assert shown.startswith("Pier opens " + NASTY.split()[0])


def test_svg_marks_keep_the_date_precision_and_labels_do_not_overlap(site):
    html = (site / "timeline" / "2024" / "index.html").read_text("utf-8")
    svg = ET.fromstring(timeline_svgs(html)[0])
    month = next(a for a in svg.iter("a") if a.get("href") == "#agreement-signed")
    day = next(a for a in svg.iter("a") if a.get("href") == "#pier-opens")
    assert month.find("rect") is not None and month.find("circle") is None
    assert float(month.find("rect").get("height")) > 30  # spans the month, not a point
    assert day.find("circle") is not None and day.find("rect") is None
    year = ET.fromstring(timeline_svgs(
        (site / "timeline" / "2019" / "index.html").read_text("utf-8"))[0])
    bar = next(year.iter("a")).find("rect")
    assert float(bar.get("height")) > 400  # the whole year
    # Narrow-screen layout: vertical, so it never grows sideways; wrapped, non-overlapping.
    layout = year_layout(2024, [type("E", (), {
        "id": f"e{i}", "title": "A fairly long event title that must wrap onto lines " * 2,
        "date": d})() for i, d in enumerate(_dates("2024-03-20", "2024-03-20", "2024-03",
                                                   "2024-12-31"))])
    bottom = 0.0
    for mark in layout["marks"]:
        assert mark["label_y"] > bottom
        assert len(mark["lines"]) <= MAX_LINES and all(len(x["text"]) <= WRAP
                                                        for x in mark["lines"])
        bottom = mark["lines"][-1]["y"]
        assert bottom <= layout["height"]
    assert layout["width"] == 400 and LINE_H * 3 < 100


def _dates(*texts):
    from brief.edtf import parse_edtf
    return [parse_edtf(t)[0] for t in texts]


def test_timeline_overview_links_each_year_to_its_section(site):
    page_file = site / "timeline" / "index.html"
    svg = ET.fromstring(timeline_svgs(page_file.read_text("utf-8"))[0])
    ids = read_page(page_file).by_id
    hrefs = [a.get("href") for a in svg.iter("a")]
    assert hrefs == ["#year-2019", "#year-2023", "#year-2024"]
    assert all(h[1:] in ids for h in hrefs)
    counts = [a.get("aria-label") for a in svg.iter("a")]
    assert counts == ["2019: 1 event", "2023: 1 event", "2024: 2 events"]


# --- who's who ---

def test_entity_pages_show_role_aliases_events_and_questions(site):
    page_file = site / "entities" / "northport" / "index.html"
    page = read_page(page_file)
    text = page_file.read_text("utf-8")
    assert "The town that built the new pier" in text and "North" in text
    targets = {resolve(site, page_file, link["href"]) for link in page.links}
    assert (site / "timeline" / "2019" / "index.html", "dispute-begins") in targets
    assert (site / "timeline" / "2024" / "index.html", "agreement-signed") in targets
    assert (site / "faq" / "index.html", "what-was-agreed") in targets
    assert any(link["href"].startswith("../../sources/alpha-gazette/#p") for link in page.links)
    fishermen = (site / "entities" / "fishermen" / "index.html").read_text("utf-8")
    assert "The fishermen &lt;b&gt;&amp; co&lt;/b&gt;" in fishermen and "<b>&" not in fishermen


def test_whos_who_index_and_links_from_timeline_and_faq(site):
    index_file = site / "entities" / "index.html"
    hrefs = {link["href"] for link in read_page(index_file).links}
    for eid in ("northport", "southport", "fishermen"):
        assert f"{eid}/" in hrefs
    for page_file, eid in ((site / "timeline" / "2024" / "index.html", "fishermen"),
                           (site / "faq" / "index.html", "southport")):
        targets = {resolve(site, page_file, link["href"])[0] for link in read_page(page_file).links}
        assert site / "entities" / eid / "index.html" in targets


def test_zero_entities_render_an_empty_whos_who(tmp_path):
    site = _build(tmp_path, {})
    text = (site / "entities" / "index.html").read_text("utf-8")
    assert "No people or organisations are described in this brief yet." in text


def test_unknown_entity_is_an_error_at_its_line_and_column(tmp_path):
    events = EVENTS.replace("entities: [fishermen]", "entities: [fishermen, fishermn]")
    root = make_brief(tmp_path, {**FILES, "sources/events/events.yml": events})
    result = run_build(str(root), "--check")
    assert result.returncode == 1
    line_no, line = next((i, x) for i, x in enumerate(events.splitlines(), 1) if "fishermn" in x)
    col = line.index("fishermn") + 1
    assert (f"sources/events/events.yml:{line_no}:{col}: error: [entities] unknown entity "
            "'fishermn'") in result.stderr
    assert "fishermen" in result.stderr  # did you mean


# --- tags ---

def test_tag_pages_list_their_events_and_the_timeline_links_them(site):
    page_file = site / "tags" / "harbour" / "index.html"
    targets = [resolve(site, page_file, link["href"]) for link in read_page(page_file).links]
    events = [frag for _, frag in targets if frag in EVENT_IDS]
    assert events == ["dispute-begins", "agreement-signed", "pier-opens"]
    assert (site / "tags" / "agreement" / "index.html").is_file()
    index_hrefs = {link["href"] for link in read_page(site / "tags" / "index.html").links}
    assert {"harbour/", "agreement/"} <= index_hrefs
    year_file = site / "timeline" / "2024" / "index.html"
    year_targets = {resolve(site, year_file, link["href"])[0] for link in read_page(year_file).links}
    assert page_file in year_targets


# --- feeds ---

def test_atom_feed_parses_newest_first_with_stable_ids(site, site_again):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    ids = [e.id for e in feed.entries]
    assert len(ids) == 4 and len(set(ids)) == 4 and all(i.startswith("urn:uuid:") for i in ids)
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)
    first = feed.entries[0]
    assert NASTY in first.title and first.link.endswith("timeline/2024/#pier-opens")
    again = feedparser.parse((site_again / "feed.xml").read_bytes())
    assert [e.id for e in again.entries] == ids
    assert (site / "feed.xml").read_bytes() == (site_again / "feed.xml").read_bytes()
    month = next(e for e in feed.entries if e.link.endswith("#agreement-signed"))
    assert month.published.startswith("2024-03-01T00:00:00")
    assert "Date: March 2024 (month precision)" in month.content[0].value


def test_json_feed_parses_and_matches_the_atom_ids(site, site_again):
    # feedparser 6.0 (the current release) reads no JSON Feed, so the JSON Feed 1.1
    # spec's requirements are checked directly: version, title, items with a string id,
    # content and RFC 3339 dates.
    raw = json.loads((site / "feed.json").read_text("utf-8"))
    assert raw["version"] == "https://jsonfeed.org/version/1.1" and raw["title"]
    for item in raw["items"]:
        assert isinstance(item["id"], str) and item["content_text"] and item["url"]
        assert dt.datetime.fromisoformat(item["date_published"]).tzinfo is not None
    dates = [item["date_published"] for item in raw["items"]]
    assert dates == sorted(dates, reverse=True)
    atom = feedparser.parse((site / "feed.xml").read_bytes())
    assert [i["id"] for i in raw["items"]] == [e.id for e in atom.entries]
    assert [i["_brief"]["event_id"] for i in raw["items"]] == list(reversed(EVENT_IDS))
    assert raw["items"][1]["_brief"] == {
        "event_id": "agreement-signed", "date": "2024-03", "precision": "month",
        "date_text": "March 2024", "qualifier": "", "start": "2024-03-01", "end": "2024-03-31",
        "date_note": ""}
    assert (site / "feed.json").read_bytes() == (site_again / "feed.json").read_bytes()


def test_pages_advertise_the_feeds(site):
    html = (site / "timeline" / "2024" / "index.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in html
    hrefs = re.findall(r'<link rel="alternate" type="[^"]+" title="[^"]*" href="([^"]+)"', html)
    for href in hrefs:
        assert resolve(site, site / "timeline" / "2024" / "index.html", href)[0].is_file()


# --- downloads ---

def test_ics_parses_with_all_day_events_spanning_their_precision(site):
    cal = icalendar.Calendar.from_ical((site / "data" / "events.ics").read_bytes())
    events = {str(e["X-BRIEF-DATE"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 4
    for e in events.values():
        assert type(e.decoded("DTSTART")) is dt.date and type(e.decoded("DTEND")) is dt.date
    assert (events["2024-03"].decoded("DTSTART"), events["2024-03"].decoded("DTEND")) == (
        dt.date(2024, 3, 1), dt.date(2024, 4, 1))
    assert str(events["2024-03"]["X-BRIEF-DATE-PRECISION"]) == "month"
    assert "month precision" in str(events["2024-03"]["DESCRIPTION"])
    assert (events["2019"].decoded("DTSTART"), events["2019"].decoded("DTEND")) == (
        dt.date(2019, 1, 1), dt.date(2020, 1, 1))
    assert (events["2024-03-20"].decoded("DTSTART"), events["2024-03-20"].decoded("DTEND")) == (
        dt.date(2024, 3, 20), dt.date(2024, 3, 21))
    day = events["2024-03-20"]
    assert NASTY in str(day["SUMMARY"]) and str(day["LOCATION"]) == "Northport, harbour side"
    assert "fishermen, it seems, welcome it at the Café Ørsted, ça va." in str(day["DESCRIPTION"])
    raw = (site / "data" / "events.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # folded (RFC 5545 3.1)
    assert max(len(line) for line in lines) == 75
    for line in lines:
        line.decode("utf-8")  # never folded inside a UTF-8 character


def test_events_json_and_csv(site):
    data = json.loads((site / "data" / "events.json").read_text("utf-8"))
    assert [e["id"] for e in data["events"]] == EVENT_IDS
    month = data["events"][2]
    assert (month["date"], month["precision"], month["start"], month["end"]) == (
        "2024-03", "month", "2024-03-01", "2024-03-31")
    assert month["citations"][0]["source"] == "alpha-gazette"
    rows = list(csv.DictReader(io.StringIO((site / "data" / "events.csv").read_text("utf-8"))))
    assert [r["id"] for r in rows] == EVENT_IDS
    assert rows[3]["place"] == "Northport, harbour side" and NASTY in rows[3]["title"]
    assert rows[0]["tags"] == "harbour" and rows[2]["tags"] == "harbour; agreement"
    assert rows[0]["entities"] == "northport; southport"


def test_csl_json_validates_against_the_schema_and_omits_unknowns(site):
    items = json.loads((site / "data" / "sources.json").read_text("utf-8"))
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.validators.validator_for(schema, default=jsonschema.Draft3Validator)(
        schema).validate(items)
    by_id = {i["id"]: i for i in items}
    assert set(by_id) == {"alpha-gazette", "beta-herald", "gamma-post"}
    assert "author" not in by_id["alpha-gazette"]  # "unknown" is left out
    assert "URL" not in by_id["beta-herald"] and "accessed" not in by_id["beta-herald"]
    assert by_id["beta-herald"]["issued"] == {"date-parts": [[2024, 3]]}
    assert by_id["gamma-post"]["author"] == [{"literal": "Jane O'Brien"}]
    # the schema is really enforced: a wrong type fails
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft3Validator(schema).validate([{**items[0], "type": "tweet"}])


def _balanced(text: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_has_one_balanced_entry_per_source(site):
    bib = (site / "data" / "sources.bib").read_text("utf-8")
    entries = re.split(r"\n(?=@)", bib.strip())[1:]
    assert [re.match(r"@article\{([a-z0-9-]+),", e).group(1) for e in entries] == [
        "alpha-gazette", "beta-herald", "gamma-post"]
    for e in entries:
        assert _balanced(e) and e.rstrip().endswith("}")
    gamma = entries[2]
    assert r"title = {{Braces \{and\} 100\% \& " in gamma
    assert "url = {https://example.org/gamma?a=1&b=%7Bx%7D#frag}" in gamma
    assert "author" not in entries[0] and "url" not in entries[1]


def test_data_page_links_every_download(site):
    page_file = site / "data" / "index.html"
    targets = {resolve(site, page_file, link["href"])[0] for link in read_page(page_file).links}
    for name in ("data/events.json", "data/events.csv", "data/events.ics", "data/sources.json",
                 "data/sources.bib", "feed.xml", "feed.json"):
        assert site / name in targets and (site / name).is_file(), name


# --- structured data ---

def test_faq_json_ld_is_a_faq_page_and_cannot_break_out_of_its_script(site):
    html = (site / "faq" / "index.html").read_text("utf-8")
    (data,) = json_ld(html)
    assert data["@type"] == "FAQPage"
    questions = [q["name"] for q in data["mainEntity"]]
    assert questions == ["What did the towns agree?",
                         'Is "</script><script>alert(1)</script>" escaped?']
    assert all(q["@type"] == "Question" and q["acceptedAnswer"]["@type"] == "Answer"
               for q in data["mainEntity"])
    head = html.split("</head>")[0]
    assert "<script>alert" not in head


def test_timeline_json_ld_lists_events_and_sources_carry_citation_meta(site):
    (data,) = json_ld((site / "timeline" / "2024" / "index.html").read_text("utf-8"))
    assert data["@type"] == "ItemList"
    items = [x["item"] for x in data["itemListElement"]]
    assert [i["@type"] for i in items] == ["Event", "Event"]
    assert [i["startDate"] for i in items] == ["2024-03", "2024-03-20"]
    html = (site / "sources" / "gamma-post" / "index.html").read_text("utf-8")
    (article,) = json_ld(html)
    assert article["@type"] == "NewsArticle" and article["datePublished"] == "2024-03-20"
    assert article["headline"] == 'Braces {and} 100% & "quotes" </script> #1'
    meta = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html))
    assert meta["citation_title"] == "Braces {and} 100% &amp; &#34;quotes&#34; &lt;/script&gt; #1"
    assert meta["citation_publisher"] == "Gamma &amp; Sons {Post}"
    assert meta["citation_publication_date"] == "2024/03/20"


def test_rebuild_gives_identical_downloads(site, site_again):
    a, b = snapshot(site / "data"), snapshot(site_again / "data")
    assert a and a == b


def test_site_url_makes_feed_and_calendar_links_absolute(tmp_path):
    from conftest import MINI
    settings = (MINI / "brief.yml").read_text("utf-8") + "site_url: https://example.org/harbour/\n"
    site = _build(tmp_path, {**FILES, "brief.yml": settings})
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.entries[0].link == "https://example.org/harbour/timeline/2024/#pier-opens"
    raw = json.loads((site / "feed.json").read_text("utf-8"))
    assert raw["feed_url"] == "https://example.org/harbour/feed.json"
    cal = icalendar.Calendar.from_ical((site / "data" / "events.ics").read_bytes())
    urls = sorted(str(e["URL"]) for e in cal.walk("VEVENT"))
    assert urls[0] == "https://example.org/harbour/timeline/2019/#dispute-begins"


def test_svg_links_to_other_pages_are_relative_to_the_built_page():
    # Raw HTML is not rewritten by MkDocs: hrefs must already be the site's URLs.
    assert relative_href("timeline/2025.md", "timeline/2025.md", "x") == "#x"
    assert relative_href("timeline/2025.md", "timeline/2025-03.md", "x") == "../2025-03/#x"
    assert relative_href("timeline/index.md", "timeline/2025.md", "x") == "2025/#x"
    assert relative_href("timeline/2025.md", "index.md") == "../../"
    layout = year_layout(2025, _dates_as_events("2025-03"), href=lambda e: f"../2025-03/#{e.id}")
    assert [m["href"] for m in layout["marks"]] == ["../2025-03/#e0"]


def _dates_as_events(*texts):
    return [type("E", (), {"id": f"e{i}", "title": "T", "date": d})()
            for i, d in enumerate(_dates(*texts))]


def test_crowded_year_marks_link_to_the_month_pages_holding_the_events(tmp_path):
    from brief.catalogue import MAX_PER_PAGE
    events = "".join(
        f"- id: e{i}\n  date: 2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n  title: Event {i}\n"
        f"  summary: Something happens.\n  citations:\n    - source: alpha-gazette\n"
        for i in range(MAX_PER_PAGE + 1))
    site = _build(tmp_path, {"sources/events/events.yml": events})
    page_file = site / "timeline" / "2024" / "index.html"
    svg = ET.fromstring(timeline_svgs(page_file.read_text("utf-8"))[0])
    hrefs = [a.get("href") for a in svg.iter("a")]
    assert len(hrefs) == MAX_PER_PAGE + 1
    for href in hrefs:
        target, fragment = resolve(site, page_file, href)
        assert target.parent.name.startswith("2024-"), href  # the month's page
        assert fragment in read_page(target).by_id, href


def test_csv_cells_cannot_run_as_spreadsheet_formulas():
    from brief.exports import csv_cell
    assert csv_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_cell("+1") == "'+1" and csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("-2") == "'-2"
    assert csv_cell("Harbour agreement signed") == "Harbour agreement signed"
    assert csv_cell("2024-03") == "2024-03"
