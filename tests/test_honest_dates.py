"""Issue 12 acceptance: uncertain dates, honest source metadata, attribution and stance,
and the home page's claim about citations, checked on a built site and its exports."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest

from brief.cli import main
from conftest import GOOD_EVENT, make_brief, run_build

DELTA = """---
title: Ministers meet in the capital
title_kind: descriptive
type: news-article
publisher: unknown
published: 2025-08/2025-09
published_kind: inferred
published_note: The text says "last Friday" of a meeting in August.
retrieved: unknown
language: en
---
Last Friday the ministers met, according to the official agency Xinhua, which said the talks were "fruitful and deep".

The outlet adds that the ministry plans to build a new naval base, without naming a source.
"""

ENTITIES = """\
- id: xinhua
  name: Xinhua
  kind: organisation
  role: The official news agency
  citations:
    - source: delta
      quote: the official agency Xinhua
"""


def ev(eid: str, date: str, extra: str = "", citation: str = "") -> str:
    return f"""\
- id: {eid}
  date: "{date}"
  title: Event {eid}
  summary: Something happened ({eid}).
{extra}  citations:
    - source: alpha-gazette
      quote: signed the harbour agreement
{citation}"""


EVENTS = "".join([
    ev("e-plain", "2025-06-12"),
    ev("e-uncertain", "2025-06?"),
    ev("e-approx", "2025-06~"),
    ev("e-interval", "2025-06/2025-09"),
    ev("e-open-start", "../2025-06"),
    ev("e-open-end", "2025-09/.."),
    ev("e-before", "[..2025-06]"),
    ev("e-after", "[2025-09..]"),
    ev("e-between", "[2025-09..2025-12]", "  sort_after: e-visit\n  date_note: After the visit.\n"),
    ev("e-visit", "2025-09-20", "", """\
    - source: delta
      quote: the talks were "fruitful and deep"
      via: xinhua
      stance: reports
    - source: delta
      quote: plans to build a new naval base
      stance: disputes
"""),
])

# brief order: first day, then last day, then id; e-between moved after e-visit
ORDER = ["e-approx", "e-before", "e-open-start", "e-uncertain", "e-interval", "e-plain",
         "e-after", "e-open-end", "e-visit", "e-between"]
WORDS = {
    "e-plain": "12 June 2025", "e-uncertain": "probably June 2025",
    "e-approx": "about June 2025", "e-interval": "June to September 2025",
    "e-open-start": "until June 2025", "e-open-end": "from September 2025 onwards",
    "e-before": "June 2025 or earlier", "e-after": "September 2025 or later",
    "e-between": "between September and December 2025", "e-visit": "20 September 2025",
}
# the days each date can stand for (None: an open end)
BOUNDS = {
    "e-plain": ("2025-06-12", "2025-06-12"), "e-uncertain": ("2025-06-01", "2025-06-30"),
    "e-interval": ("2025-06-01", "2025-09-30"), "e-open-start": (None, "2025-06-30"),
    "e-open-end": ("2025-09-01", None), "e-before": (None, "2025-06-30"),
    "e-between": ("2025-09-01", "2025-12-31"),
}

LEDE = """\
lede:
  - text: Two towns argue over a harbour.
    citations:
      - source: alpha-gazette
        quote: signed the harbour agreement
  - text: This brief follows what the papers reported.
    citations:
      - source: beta-herald
"""


def brief_yml(lede: str) -> str:
    from conftest import MINI
    text = (MINI / "brief.yml").read_text("utf-8")
    text = re.sub(r"^lede: \|\n(  .*\n)+", lede, text, flags=re.M)
    return text.replace(
        "sources_note: Both papers are local and take sides; the brief reports what they say.",
        "sources_note:\n  - text: Both papers are local.\n    citations:\n"
        "      - source: beta-herald\n")


FILES = {"sources/articles/delta.md": DELTA, "sources/entities.yml": ENTITIES,
         "sources/events/more.yml": EVENTS, "brief.yml": brief_yml(LEDE)}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_brief(tmp_path_factory.mktemp("honest"), FILES)
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    return root / "site"


def year_ids(events: list[dict]) -> list[str]:
    return [e["id"] for e in events if e["id"].startswith("e-")]


# --- dates: words, order, exports ---

def html_text(html: str) -> str:
    return html.replace("&#91;", "[").replace("&#93;", "]")


def test_each_form_is_shown_in_words_in_order_on_the_year_page(site):
    html = (site / "timeline" / "2025" / "index.html").read_text("utf-8")
    positions = [html.index(f'<h2 id="{eid}"') for eid in ORDER]
    assert positions == sorted(positions)
    for eid, words in WORDS.items():
        body = html[html.index(f'<h2 id="{eid}"'):]
        assert f"<strong>{words}</strong>" in body[:2000], (eid, words)
    assert "After the visit." in html
    overview = (site / "timeline" / "index.html").read_text("utf-8")
    assert "between September and December 2025: " in overview


def test_json_and_csv_carry_the_range_qualifier_and_order(site):
    data = json.loads((site / "data" / "events.json").read_text("utf-8"))["events"]
    assert year_ids(data) == ORDER
    by_id = {e["id"]: e for e in data}
    for eid, (start, end) in BOUNDS.items():
        assert (by_id[eid]["start"], by_id[eid]["end"]) == (start, end), eid
    assert by_id["e-between"]["date"] == "[2025-09..2025-12]"
    assert by_id["e-between"]["qualifier"] == "one day in a range"
    assert by_id["e-uncertain"]["qualifier"] == "uncertain"
    assert by_id["e-approx"]["qualifier"] == "approximate"
    assert by_id["e-open-end"]["qualifier"] == "interval; open end"
    assert by_id["e-between"]["date_note"] == "After the visit."
    assert by_id["e-between"]["sort_after"] == "e-visit"
    rows = list(csv.DictReader(io.StringIO((site / "data" / "events.csv").read_text("utf-8"))))
    assert [r["id"] for r in rows if r["id"].startswith("e-")] == ORDER
    row = {r["id"]: r for r in rows}
    assert (row["e-open-start"]["start"], row["e-open-start"]["end"]) == ("", "2025-06-30")
    assert row["e-between"]["date_text"] == "between September and December 2025"
    assert row["e-between"]["qualifier"] == "one day in a range"
    assert row["e-between"]["date_note"] == "After the visit."


def test_icalendar_spans_the_days_a_date_can_stand_for(site):
    cal = icalendar.Calendar.from_ical((site / "data" / "events.ics").read_bytes())
    events = {}
    order = []
    for ve in cal.walk("VEVENT"):
        uid_event = str(ve["X-BRIEF-DATE"])
        desc = str(ve["DESCRIPTION"])
        eid = re.search(r"\((e-[a-z-]+)\)", desc)
        if eid:
            events[eid.group(1)] = (ve.decoded("DTSTART").isoformat(),
                                    ve.decoded("DTEND").isoformat(), uid_event, desc, ve)
            order.append(eid.group(1))
    assert order == ORDER
    start, end, edtf, desc, ve = events["e-between"]
    assert (start, end, edtf) == ("2025-09-01", "2026-01-01", "[2025-09..2025-12]")
    assert desc.startswith("Date: between September and December 2025")
    assert "Date note: After the visit." in desc
    assert str(ve["X-BRIEF-DATE-QUALIFIER"]) == "one day in a range"
    assert events["e-open-end"][:2] == ("2025-09-01", "2025-10-01")  # the known end's period
    assert events["e-interval"][:2] == ("2025-06-01", "2025-10-01")
    assert events["e-plain"][:2] == ("2025-06-12", "2025-06-13")


def test_feeds_keep_the_order_and_say_the_date(site):
    feed = json.loads((site / "feed.json").read_text("utf-8"))
    ids = [i["_brief"]["event_id"] for i in feed["items"] if i["_brief"]["event_id"].startswith("e-")]
    assert ids == list(reversed(ORDER))
    dates = [i["date_published"] for i in feed["items"]]
    assert dates == sorted(dates, reverse=True)  # feed readers order by date: still ours
    item = next(i for i in feed["items"] if i["_brief"]["event_id"] == "e-between")
    assert item["content_text"].startswith("Date: between September and December 2025")
    assert "Date note: After the visit." in item["content_text"]
    assert item["_brief"]["start"] == "2025-09-01" and item["_brief"]["end"] == "2025-12-31"
    atom = ET.fromstring((site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.find("a:title", ns).text for e in atom.findall("a:entry", ns)]
    assert [t[6:] for t in titles if t.startswith("Event e-")] == list(reversed(ORDER))


def json_ld(html: str) -> list[dict]:
    return [json.loads(s) for s in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_json_ld_gives_start_and_end_only_where_known(site):
    (data,) = json_ld((site / "timeline" / "2025" / "index.html").read_text("utf-8"))
    items = {i["item"]["@id"][1:]: i["item"] for i in data["itemListElement"]}
    assert items["e-interval"]["startDate"] == "2025-06" and items["e-interval"]["endDate"] == "2025-09"
    assert "startDate" not in items["e-open-start"] and items["e-open-start"]["endDate"] == "2025-06"
    assert items["e-between"]["description"].startswith(
        "Date: between September and December 2025 (After the visit.)")
    assert items["e-plain"]["startDate"] == "2025-06-12"


def test_the_svg_draws_events_in_order_with_their_words(site):
    html = (site / "timeline" / "2025" / "index.html").read_text("utf-8")
    svg = ET.fromstring(re.search(r'<svg[^>]*class="brief-timeline-svg".*?</svg>', html, re.S)[0])
    labels = [a.get("aria-label") for a in svg.iter("a")]
    assert [lb.split(": ")[0] for lb in labels] == [WORDS[e] for e in ORDER if e in WORDS] or \
        [lb.split(": ", 1)[1] for lb in labels] == [f"Event {e}" for e in ORDER]
    for lb in labels:
        eid = lb.split("Event ")[1]
        assert lb.startswith(WORDS[eid] + ": ")


# --- honest source metadata ---

def test_descriptive_title_and_inferred_date_everywhere(site):
    html = (site / "timeline" / "2025" / "index.html").read_text("utf-8")
    assert "[Ministers meet in the capital], publisher unknown, August to September 2025 (inferred)." in \
        re.sub(r"<[^>]+>", "", html).replace("&#91;", "[").replace("&#93;", "]")
    assert "<em>Ministers meet in the capital</em>" not in html
    register = re.sub(r"<[^>]+>", "", (site / "sources" / "index.html").read_text("utf-8"))
    assert "[Ministers meet in the capital]" in register
    assert "August to September 2025 (inferred)" in register
    source_page = (site / "sources" / "delta" / "index.html").read_text("utf-8")
    assert re.search(r"<h1[^>]*>\[Ministers meet in the capital\]", html_text(source_page))
    bib = (site / "data" / "sources.bib").read_text("utf-8")
    entry = bib[bib.index("{delta,"):]
    assert "title = {{[Ministers meet in the capital]}}" in entry
    assert "date = {2025-08/2025-09}" in entry and "year =" not in entry.split("}\n\n")[0]
    assert "Publication date inferred: August to September 2025" in entry
    csl = {i["id"]: i for i in json.loads((site / "data" / "sources.json").read_text("utf-8"))}
    assert csl["delta"]["title"] == "[Ministers meet in the capital]"
    assert csl["delta"]["issued"] == {"date-parts": [[2025, 8], [2025, 9]]}
    assert csl["delta"]["note"].startswith("Publication date inferred: August to September 2025")
    (ld,) = json_ld(source_page)
    assert "headline" not in ld and ld["name"] == "[Ministers meet in the capital]"
    assert ld["description"].startswith("Publication date inferred")
    assert 'name="citation_publication_date"' not in source_page
    assert csl["alpha-gazette"]["type"] == "article-newspaper"


# --- attribution and stance ---

def test_via_and_stance_in_footnotes_source_page_register_and_exports(site):
    html = (site / "timeline" / "2025" / "index.html").read_text("utf-8")
    text = re.sub(r"<[^>]+>", "", html).replace("&#91;", "[").replace("&#93;", "]")
    assert "Xinhua, as reported by [Ministers meet in the capital]" in text
    assert "Reported, not vouched for by this brief: “the talks were" in text
    assert "A claim this brief disputes: “plans to build a new naval base”" in text
    src = (site / "sources" / "delta" / "index.html").read_text("utf-8")
    assert re.search(r'<mark class="brief-stance-reports"[^>]*>the talks were "fruitful and deep"</mark>', src.replace("&quot;", '"'))
    assert re.search(r'<mark class="brief-stance-disputes"[^>]*>plans to build a new naval base</mark>', src)
    assert re.search(r'<mark class="brief-stance-supports"[^>]*>the official agency Xinhua</mark>', src)
    assert 'class="brief-stance-legend"' in src  # the legend
    assert "Reports the words of" in src and "Xinhua (1)" in src
    reg_html = (site / "sources" / "index.html").read_text("utf-8")
    delta_row = re.search(r"<tr>(?:(?!</tr>).)*Ministers meet(?:(?!</tr>).)*</tr>", reg_html, re.S)[0]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", delta_row, re.S)]
    assert cells[-4:] == ["1", "1", "1", "1"]  # evidence, reported, disputed, via others
    data = json.loads((site / "data" / "events.json").read_text("utf-8"))["events"]
    cites = next(e for e in data if e["id"] == "e-visit")["citations"]
    assert cites[1] == {"source": "delta", "quote": 'the talks were "fruitful and deep"',
                        "source_title": "[Ministers meet in the capital]", "stance": "reports",
                        "via": "xinhua", "via_name": "Xinhua"}
    assert cites[2]["stance"] == "disputes" and "via" not in cites[2]
    assert cites[0]["stance"] == "supports"


# --- the home page's claim ---

def home_paragraphs(site: Path) -> tuple[str, list[str]]:
    html = (site / "index.html").read_text("utf-8")
    body = html[html.index("<h1"):html.index('id="contents"')]
    return html, re.findall(r"<p>(.*?)</p>", body, re.S)


def test_home_claims_every_statement_cited_only_when_true(site, tmp_path):
    html, paras = home_paragraphs(site)
    claim = "Every statement in this brief links to the paragraph of the source that supports it."
    assert claim in html
    # every paragraph before the contents (lede, note on sources) has a footnote
    assert paras and all('class="footnote-ref"' in p for p in paras), paras
    key_points = re.search(r'id="key-points".*?<ul>(.*?)</ul>', html, re.S)[1]
    assert all('class="footnote-ref"' in li for li in re.findall(r"<li>(.*?)</li>", key_points, re.S))
    # an uncited lede paragraph: the claim is gone, and the page says what is not cited
    root = make_brief(tmp_path, {**FILES, "brief.yml": brief_yml(
        LEDE + "  - text: A paragraph without a citation.\n")})
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    html2, paras2 = home_paragraphs(root / "site")
    assert claim not in html2
    assert "the opening paragraphs (1 of 3 paragraphs) cites no source" in html2
    assert any('class="footnote-ref"' not in p for p in paras2)


def test_plain_text_lede_still_valid(brief_factory, capsys):
    assert main([str(brief_factory()), "--check"]) == 0


# --- errors ---

@pytest.mark.parametrize("date, reason, hint", [
    ("2025-13?", "month 13 does not exist", "months are 01 to 12"),
    ("2025-09/2025-06", "the start comes after the end", "did you mean 2025-06/2025-09?"),
    ("２０２５-06", "not ASCII", "digits 0-9"),
])
def test_invalid_dates_are_errors_at_their_line_with_a_hint(brief_factory, capsys, date, reason,
                                                             hint):
    b = brief_factory({"sources/events/events.yml": GOOD_EVENT.replace(
        "date: 2024-03", f'date: "{date}"')})
    assert main([str(b), "--check"]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"^sources/events/events.yml:2:9: error: .*\[date\] .*{re.escape(reason)}",
                     err, re.M), err
    assert hint in err


@pytest.mark.parametrize("extra, message", [
    ("  sort_after: nope\n", "[sort_after] unknown event 'nope'"),
    ("  sort_after: agreement-signed\n", "cannot follow itself"),
])
def test_sort_after_errors(brief_factory, capsys, extra, message):
    b = brief_factory({"sources/events/events.yml": GOOD_EVENT.replace(
        "  title:", extra + "  title:", 1)})
    assert main([str(b), "--check"]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"^sources/events/events.yml:3:\d+: error: .*{re.escape(message)}", err, re.M), err


def test_sort_after_an_event_that_begins_later_is_an_error(brief_factory, capsys):
    two = GOOD_EVENT + GOOD_EVENT.replace("agreement-signed", "later-one").replace(
        "2024-03", "2024-05")
    b = brief_factory({"sources/events/events.yml": two.replace(
        "  title: Harbour agreement signed\n", "  sort_after: later-one\n  title: Harbour agreement signed\n", 1)})
    assert main([str(b), "--check"]) == 1
    assert "cannot follow 'later-one'" in capsys.readouterr().err


def test_via_must_name_an_entity(brief_factory, capsys):
    b = brief_factory({"sources/events/events.yml": GOOD_EVENT.replace(
        "      quote: signed the harbour agreement",
        "      quote: signed the harbour agreement\n      via: nobody")})
    assert main([str(b), "--check"]) == 1
    assert "[via] unknown entity 'nobody'" in capsys.readouterr().err


def test_the_schemas_accept_the_new_forms_and_refuse_a_malformed_date():
    import jsonschema
    import yaml

    from conftest import REPO
    brief = json.loads((REPO / "schemas" / "brief.schema.json").read_text("utf-8"))
    jsonschema.validate(yaml.safe_load(brief_yml(LEDE)), brief)
    events = json.loads((REPO / "schemas" / "events.schema.json").read_text("utf-8"))
    jsonschema.validate(yaml.safe_load(EVENTS), events)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**yaml.safe_load(EVENTS)[0], "date": "2025-6?"}], events)
    source = json.loads((REPO / "schemas" / "source.schema.json").read_text("utf-8"))
    jsonschema.validate(yaml.safe_load(DELTA.split("---")[1]), source)
