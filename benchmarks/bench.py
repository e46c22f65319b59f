#!/usr/bin/env python3
"""Benchmark the generator on briefs of growing size.

    .venv/bin/python benchmarks/bench.py --sizes real,small,large,p100,p2000

For each size it synthesises a brief (or copies the repository's own brief, `real`)
into benchmarks/out/, builds it twice with `build.py --timings` in a subprocess (the
second run changes nothing), and prints a Markdown table: the generate step (read,
validate, verify citations, render), the MkDocs step, pages, output sizes, the search
index, peak memory, and what the no-change run wrote. Not a test: timings depend on
the machine and its load, which the report prints.

The synthetic text is made of sentences drawn from a word list, in paragraphs with
subheadings; every citation quotes words copied from one paragraph of its source.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
PYTHON = sys.executable
# The generator the builds run: a snapshot of the repository's (see snapshot_code), so
# every size is built by the same code even while the working tree is being edited.
CODE = REPO

# name -> (sources, events, FAQ entries). p100 and p2000 keep the density of small and
# large (10 events and 0.5 FAQ entries per source) and aim at about 100 and 2,000 pages
# (a page per source, per year (36) and per tag (10), and about 7 index pages), to
# compare the MkDocs time per page.
SIZES: dict[str, tuple[int, int, int]] = {
    "tiny": (3, 10, 2),
    "p100": (47, 470, 24),
    "small": (100, 1_000, 50),
    "large": (1_000, 10_000, 500),
    "p2000": (1_947, 19_470, 974),
    "pages2000": (1_400, 14_000, 700),  # about 2,000 pages at the density of large
}
FIRST_YEAR, LAST_YEAR = 1990, 2025

WORDS = """
the a an of to in on for with by from at as about after before during under over between
against among into through without within across government ministry minister president
officials delegation agreement treaty trade investment loan credit debt port harbour
railway power plant grid oil sugar nickel tobacco rice vaccine hospital school students
scholarship visit meeting talks summit statement declaration memorandum cooperation
relations partnership support aid donation shipment cargo container vessel flight route
embassy ambassador consulate council assembly party congress committee bureau agency
company firm bank fund project programme plan contract tender deal phase stage site
said says announced reported confirmed denied signed agreed opened closed launched
delivered arrived left visited met discussed reviewed approved rejected expanded reduced
increased fell rose grew doubled halved promised planned expected estimated described
called noted added stressed warned welcomed praised criticised questioned urged claimed
new old first second third last next previous major minor large small long short high
low early late public private national local regional foreign domestic economic political
military technical financial commercial cultural scientific official unofficial joint
several many few some most all both each other another more less further recent annual
year years month months week weeks day days decade decades century time period season
million billion thousand hundred percent dollars tonnes barrels megawatts kilometres
people workers engineers doctors farmers experts analysts diplomats journalists
researchers residents families communities villages towns cities provinces islands
coast region country countries world market markets price prices exports imports
growth crisis shortage blackout storm hurricane drought harvest reform opening policy
law rule decision report study survey figures data record records account accounts
according because although while since until unless whether which that who whose where
when how why what not also still already only even just again later soon now then there
here this these those its their his her our they it he she we
""".split()
NAMES = """Northport Southport Eastbay Westmoor Riverton Lakeside Hillcrest Fairhaven
Stonebridge Ashford Brightwater Clearwater Redcliff Greenfield Oakdale Pinewood""".split()
PUBLISHERS = """Northport Gazette|Southport Herald|Eastbay Times|Westmoor Courier|Riverton
Post|Lakeside Observer|Hillcrest Review|Fairhaven Journal|Stonebridge Daily|Ashford
Chronicle|Brightwater News|Clearwater Monitor|Redcliff Tribune|Greenfield Ledger|Oakdale
Dispatch|Pinewood Bulletin|Regional Wire Service|Trade Weekly|Energy Report|Policy
Quarterly""".replace("\n", " ").split("|")
TAGS = ["diplomacy", "trade", "energy", "health", "education", "security", "finance",
        "transport", "agriculture", "culture"]
PLACES = NAMES + ["the capital", "the eastern provinces", "the port district"]


def slug(text: str, limit: int = 40) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:limit].strip("-") or "x"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class Text:
    """Varied English-like text from a word list, deterministic for a seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def words(self, lo: int, hi: int) -> list[str]:
        rng = self.rng
        out = rng.choices(WORDS, k=rng.randint(lo, hi))
        for _ in range(rng.randint(0, 2)):
            out.insert(rng.randrange(len(out) + 1), rng.choice(NAMES))
        if rng.random() < 0.3:
            out.insert(rng.randrange(len(out) + 1), f"{rng.randint(2, 950)}")
        if rng.random() < 0.15:  # a possessive with a curly apostrophe
            i = rng.randrange(len(out))
            out[i] += "\u2019s"
        return out

    def sentence(self, lo: int = 6, hi: int = 24, end: str = ".") -> str:
        w = self.words(lo, hi)
        if len(w) > 8 and self.rng.random() < 0.5:
            w[self.rng.randrange(3, len(w) - 2)] += ","
        if len(w) > 6 and self.rng.random() < 0.12:  # a phrase in curly double quotes
            i = self.rng.randrange(1, len(w) - 3)
            w[i], w[i + 2] = "\u201c" + w[i], w[i + 2].rstrip(",") + "\u201d"
        s = " ".join(w)
        return s[0].upper() + s[1:] + end

    def paragraph(self, lo: int = 2, hi: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def title(self, lo: int = 4, hi: int = 10) -> str:
        return self.sentence(lo, hi, end="").rstrip(",")


@dataclass
class SynthSource:
    id: str
    paragraphs: list[str]  # whitespace-collapsed text of each paragraph
    date: str


@dataclass
class Synth:
    """What was written, for checks: every citation as (source id, quote)."""

    root: Path
    sources: list[SynthSource] = field(default_factory=list)
    citations: list[tuple[str, str]] = field(default_factory=list)


def random_date(rng: random.Random, year: int) -> str:
    r = rng.random()
    if r < 0.15:
        return f"{year}"
    if r < 0.5:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def copy_mkdocs_config(dest: Path, site_name: str) -> None:
    """The repository's own mkdocs.yml (so the benchmark measures the real theme set-up),
    with this brief's name."""
    src = REPO / "mkdocs.yml"
    if not src.is_file():
        src = REPO / "tests" / "fixtures" / "mini" / "mkdocs.yml"
    text = src.read_text("utf-8")
    text = re.sub(r"(?m)^site_name:.*$", f"site_name: {q(site_name)}", text, count=1)
    text = re.sub(r"(?m)^site_description:.*$",
                  f"site_description: {q('A synthetic brief for benchmarks.')}", text, count=1)
    (dest / "mkdocs.yml").write_text(absolute_paths(text), "utf-8")


def absolute_paths(config: str) -> str:
    """Point the relative file paths of the repository's mkdocs.yml (hooks, custom_dir)
    at the generator's code, so the config works from a copy elsewhere."""
    out, in_hooks = [], False
    for line in config.split("\n"):
        m = re.match(r"^(\s*-\s+|\s*custom_dir:\s+)(\S+?)\s*$", line)
        if m and (in_hooks or "custom_dir" in m.group(1)) and (CODE / m.group(2)).exists():
            line = m.group(1) + str(CODE / m.group(2))
        if re.match(r"^\S", line):
            in_hooks = line.startswith("hooks:")
        out.append(line)
    return "\n".join(out)


def synthesise(root: Path, n_sources: int, n_events: int, n_faq: int, seed: int = 7) -> Synth:
    """Write a complete brief of this size into `root` (which must not exist)."""
    rng = random.Random(seed)
    tx = Text(rng)
    root.mkdir(parents=True)
    (root / "sources" / "articles").mkdir(parents=True)
    (root / "sources" / "events").mkdir()
    (root / "sources" / "faq").mkdir()
    synth = Synth(root)
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    # News grows over time: later years get more sources and events.
    year_weights = [1 + (y - FIRST_YEAR) for y in years]

    for i in range(n_sources):
        title = tx.title(5, 11)
        publisher = rng.choice(PUBLISHERS)
        sid = f"{slug(publisher, 20)}-{slug(title, 28)}-{i + 1}"
        year = rng.choices(years, year_weights)[0]
        date = random_date(rng, year)
        paragraphs: list[str] = []
        body: list[str] = []
        for n in range(rng.randint(6, 18)):
            if n and n % rng.randint(4, 7) == 0:
                body.append("## " + tx.title(2, 6))
            para = tx.paragraph()
            paragraphs.append(para)
            # Some stored texts keep one line per paragraph, some are wrapped.
            body.append(textwrap.fill(para, 88) if i % 2 else para)
        meta = [f"title: {q(title)}", f"publisher: {q(publisher)}"]
        if rng.random() < 0.7:
            meta.append(f"author: {q(rng.choice(NAMES) + ' ' + rng.choice(NAMES))}")
        if rng.random() < 0.8:
            meta.append(f"url: https://example.org/{slug(publisher, 20)}/{sid}")
        meta += [f"published: {date}", "retrieved: 2025-10-01", "language: en"]
        (root / "sources" / "articles" / f"{sid}.md").write_text(
            "---\n" + "\n".join(meta) + "\n---\n" + "\n\n".join(body) + "\n", "utf-8")
        synth.sources.append(SynthSource(sid, paragraphs, date))

    # A few sources are cited far more than the rest, as in a real brief.
    weights = [1 / (r + 1) ** 0.7 for r in range(n_sources)]

    def citations(lo: int, hi: int, indent: str) -> list[str]:
        lines = []
        for src in rng.choices(synth.sources, weights, k=rng.randint(lo, hi)):
            lines.append(f"{indent}- source: {src.id}")
            if rng.random() < 0.9:
                words = rng.choice(src.paragraphs).split(" ")
                n = min(rng.randint(4, 18), len(words))
                start = rng.randint(0, len(words) - n)
                quote = " ".join(words[start:start + n])
                synth.citations.append((src.id, quote))
                if rng.random() < 0.3:  # typed with straight quotes: the build must match
                    quote = quote.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
                lines.append(f"{indent}  quote: {q(quote)}")
            else:
                synth.citations.append((src.id, ""))
        return lines

    def prose(paras: list[str], indent: str) -> str:
        return "|\n" + f"\n\n".join(textwrap.fill(p, 88, initial_indent=indent,
                                                  subsequent_indent=indent) for p in paras)

    by_year: dict[int, list[str]] = {}
    for i in range(n_events):
        year = rng.choices(years, year_weights)[0]
        title = tx.title(4, 10)
        lines = [f"- id: {slug(title, 40)}-{i + 1}", f"  date: {random_date(rng, year)}",
                 f"  title: {q(title)}",
                 "  summary: " + prose([tx.paragraph(1, 3) for _ in range(rng.randint(1, 2))],
                                       "    ")]
        if rng.random() < 0.6:
            lines.append(f"  tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]")
        if rng.random() < 0.5:
            lines.append(f"  place: {q(rng.choice(PLACES))}")
        if rng.random() < 0.05:
            lines.append(f"  date_note: {q('Dated by ' + rng.choice(PUBLISHERS) + ' report.')}")
        lines.append("  citations:")
        lines += citations(1, 3, "    ")
        by_year.setdefault(year, []).append("\n".join(lines))
    for year, items in sorted(by_year.items()):
        (root / "sources" / "events" / f"{year}.yml").write_text("\n".join(items) + "\n", "utf-8")
    if not by_year:
        (root / "sources" / "events" / "events.yml").write_text("[]\n", "utf-8")

    faq = []
    for i in range(n_faq):
        question = tx.sentence(6, 14, end="?")
        lines = [f"- id: {slug(question, 40)}-{i + 1}", f"  question: {q(question)}",
                 "  answer: " + prose([tx.paragraph(2, 4) for _ in range(rng.randint(1, 3))],
                                      "    "),
                 "  citations:"]
        lines += citations(1, 4, "    ")
        faq.append("\n".join(lines))
    (root / "sources" / "faq" / "faq.yml").write_text(
        ("\n".join(faq) if faq else "[]") + "\n", "utf-8")

    settings = [
        f"title: {q(f'Synthetic brief: {n_sources} sources, {n_events} events')}",
        f"description: {q('A synthetic brief generated by benchmarks/bench.py.')}",
        "lede: " + prose([tx.paragraph(2, 4), tx.paragraph(2, 4)], "  "),
        "key_points:",
    ]
    for _ in range(min(5, n_sources)):
        settings.append(f"  - text: {q(tx.sentence())}")
        settings.append("    citations:")
        settings += citations(1, 2, "      ")
    settings.append(f"sources_note: {q(tx.sentence())}")
    (root / "brief.yml").write_text("\n".join(settings) + "\n", "utf-8")
    copy_mkdocs_config(root, f"Synthetic brief ({n_sources} sources)")
    return synth


def copy_real_brief(dest: Path) -> bool:
    """Copy the repository's own brief (if it has one) without its generated output."""
    if not (REPO / "brief.yml").is_file():
        return False
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "brief.yml", dest / "brief.yml")
    (dest / "mkdocs.yml").write_text(absolute_paths((REPO / "mkdocs.yml").read_text("utf-8")),
                                     "utf-8")
    # Not templates/ or overrides/: in the repository they are the generator's own, used
    # for every brief wherever it lives.
    for name in ("sources", "docs"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
    manifest = dest / "docs" / ".generated"
    if manifest.is_file():  # start from a cold docs/: remove what build.py generated
        for line in manifest.read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                (dest / "docs" / line).unlink(missing_ok=True)
        manifest.unlink()
    return True


# -- running and measuring ---------------------------------------------------

@dataclass
class Run:
    wall: float
    cpu: float  # user + system CPU seconds of the process
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run(cmd: list[str], cwd: Path, timeout: float = 3600) -> Run:
    """Run a command; return its wall time and its own peak RSS (os.wait4 rusage)."""
    out, err = cwd / ".bench.stdout", cwd / ".bench.stderr"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with open(out, "w") as fo, open(err, "w") as fe:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=fo, stderr=fe, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    r = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode,
            out.read_text(), err.read_text())
    out.unlink()
    err.unlink()
    return r


_TIMINGS = re.compile(r"timings: generate: ([\d.]+)s( \(cached\))?, mkdocs: ([\d.]+)s, peak memory: "
                      r"generate (\d+) MB, whole build (\d+) MB")
_BUILT = re.compile(r"from (\d+) generated pages \((\d+) changed in docs/\)")


def full_config(root: Path) -> Path:
    """The MkDocs settings `build.py` uses for this brief (`build.py config`), for the
    bare `mkdocs build` of the same docs/: a brief's own mkdocs.yml holds only what it
    changes (brief/siteconfig.py)."""
    r = run([PYTHON, str(CODE / "build.py"), "config", str(root)], cwd=root)
    if r.returncode != 0:
        raise SystemExit(f"build.py config failed:\n{r.stderr[-2000:]}")
    path = root / ".bench-mkdocs.yml"
    path.write_text(r.stdout, "utf-8")
    return path


def build(root: Path) -> tuple[Run, dict]:
    r = run([PYTHON, str(CODE / "build.py"), str(root), "--timings"], cwd=root)
    if r.returncode != 0:
        raise SystemExit(f"build of {root} failed ({r.returncode}):\n{r.stderr[-4000:]}")
    m, b = _TIMINGS.search(r.stdout), _BUILT.search(r.stdout)
    if not m or not b:
        raise SystemExit(f"unexpected build.py output:\n{r.stdout}")
    return r, {"generate": float(m.group(1)), "cached": bool(m.group(2)),
               "mkdocs": float(m.group(3)),
               "peak_generate_mb": int(m.group(4)), "peak_mb": int(m.group(5)),
               "changed": int(b.group(2))}


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {p.relative_to(folder).as_posix(): (st.st_mtime_ns, st.st_size, st.st_ino)
            for p in folder.rglob("*") if p.is_file() for st in [p.stat()]}


def measure(name: str, root: Path, counts: tuple[int, int, int] | None, bare: bool) -> dict:
    first, t1 = build(root)
    docs, site = root / "docs", root / "site"
    before = snapshot(docs)
    second, t2 = build(root)
    after = snapshot(docs)
    rewritten = sorted(p for p in after if before.get(p) != after[p])
    removed = sorted(set(before) - set(after))

    manifest = [line for line in (docs / ".generated").read_text("utf-8").splitlines()
                if line and not line.startswith("#")]
    md_pages = [p for p in manifest if p.endswith(".md")]
    html = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    html.pop("404.html", None)
    largest = max(html.items(), key=lambda kv: kv[1]) if html else ("", 0)

    def page_html(md: str) -> int:
        stem = md[:-3]
        rel = "index.html" if stem == "index" else (
            f"{stem[:-len('index')]}index.html" if stem.endswith("/index") else f"{stem}/index.html")
        return html.get(rel, 0)

    year_pages = [p for p in md_pages if re.fullmatch(r"timeline/\d{4}\.md", p)]
    source_pages = [p for p in md_pages if p.startswith("sources/") and p != "sources/index.md"]
    result = {
        "name": name,
        "sources": counts[0] if counts else len(source_pages),
        "events": counts[1] if counts else None,
        "faq": counts[2] if counts else None,
        "pages": len(md_pages),
        "generate": t1["generate"],
        "mkdocs": t1["mkdocs"],
        "wall": first.wall,
        "cpu": first.cpu,
        "peak_generate_mb": t1["peak_generate_mb"],
        "peak_mb": first.maxrss_mb,
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6,
        "html_mb": sum(html.values()) / 1e6,
        "largest_page": largest[0],
        "largest_kb": largest[1] / 1e3,
        "pages_over_1mb": sorted(p for p, s in html.items() if s > 1_000_000),
        "search_index_mb": (site / "search" / "search_index.json").stat().st_size / 1e6
        if (site / "search" / "search_index.json").is_file() else 0.0,
        "search_index_gzip_mb": len(gzip.compress(
            (site / "search" / "search_index.json").read_bytes(), 6)) / 1e6
        if (site / "search" / "search_index.json").is_file() else 0.0,
        "largest_page_gzip_kb": len(gzip.compress((site / largest[0]).read_bytes(), 6)) / 1e3
        if largest[0] else 0.0,
        "faq_kb": page_html("faq.md") / 1e3,
        "sources_index_kb": page_html("sources/index.md") / 1e3,
        "timeline_index_kb": page_html("timeline/index.md") / 1e3,
        "largest_year_kb": max((page_html(p) for p in year_pages), default=0) / 1e3,
        "largest_source_kb": max((page_html(p) for p in source_pages), default=0) / 1e3,
        "second_generate": t2["generate"],
        "second_cached": t2["cached"],
        "second_mkdocs": t2["mkdocs"],
        "second_reported_changed": t2["changed"],
        "second_rewritten": rewritten,
        "second_removed": removed,
    }
    if bare:
        # The same docs/ built by MkDocs alone, for the overhead of build.py: best of
        # three, alternating with full `build.py --no-cache` runs (which regenerate every
        # page, as after an edit), so both see the same load and warm caches.
        bare_site = root / ".bench-bare-site"
        bare_times, full_times = [], []
        config = full_config(root)
        for _ in range(3):
            b = run([PYTHON, "-m", "mkdocs", "build", "--strict", "--quiet", "-f",
                     str(config), "-d", str(bare_site)], cwd=root)
            shutil.rmtree(bare_site, ignore_errors=True)
            if b.returncode != 0:
                print(f"note: bare mkdocs build failed for {name}:\n{b.stderr[-2000:]}",
                      file=sys.stderr)
                break
            bare_times.append(b.wall)
            f = run([PYTHON, str(CODE / "build.py"), str(root), "--no-cache"], cwd=root)
            if f.returncode == 0:
                full_times.append(f.wall)
        if bare_times and full_times:
            result["bare_mkdocs"] = min(bare_times)
            result["full_build_best"] = min(full_times)
    return result


# -- issue 13: parallel build, preview, generate share, side by side in one run --------------

def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError):
        return ""


def preview_times(root: Path, edits: int, timeout: float = 3600) -> dict:
    """Start `build.py serve`, then edit one event's title `edits` times; for each, the
    seconds from the save until the served page shows it (polled every 20 ms)."""
    events = sorted((root / "sources" / "events").glob("*.yml"))[-1]
    text = events.read_text("utf-8")
    m = re.search(r"^- id: (\S+)\n(?:  .*\n)*?  title: (.*)$", text, re.M)
    event_id, title_line = m.group(1), m.group(0).splitlines()[-1]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(root / ".bench-serve.log", "wb")
    started = time.perf_counter()
    proc = subprocess.Popen([PYTHON, str(CODE / "build.py"), "serve", str(root), "--dev-addr",
                             f"127.0.0.1:{port}"], cwd=root, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    out: dict = {"edits": []}
    try:
        while not _get(base + "/"):
            if proc.poll() is not None or time.perf_counter() - started > timeout:
                raise SystemExit(f"serve did not start:\n{(root / '.bench-serve.log').read_text()}")
            time.sleep(0.1)
        out["start"] = time.perf_counter() - started
        page = next((p for p in sorted((root / "docs").rglob("*.md"))
                     if f'id="{event_id}"' in p.read_text("utf-8")
                     or f"#{event_id}" in p.read_text("utf-8")), None)
        # the event's own page: where its anchor is (a month or year page of the timeline)
        rel = page.relative_to(root / "docs").as_posix()[:-3] if page else "timeline/index"
        url = base + "/" + (rel[:-5] if rel.endswith("index") else rel + "/")
        for n in range(1, edits + 1):
            marker = f"Zqxedit{n}"
            current = events.read_text("utf-8")
            new_title = title_line.rstrip('"') + f' {marker}"' if title_line.endswith('"') \
                else title_line + f" {marker}"
            tmp = events.with_name("." + events.name + ".tmp")
            tmp.write_text(current.replace(title_line, new_title, 1), "utf-8")
            t0 = time.perf_counter()
            os.replace(tmp, events)
            title_line = new_title
            while marker not in _get(url):
                if time.perf_counter() - t0 > timeout or proc.poll() is not None:
                    raise SystemExit("the edit never showed")
                time.sleep(0.02)
            out["edits"].append(time.perf_counter() - t0)
            time.sleep(1.0)  # let the server settle (no build in flight) before the next edit
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    return out


def compare(name: str, root: Path, repeat: int, edits: int, progress: bool) -> dict:
    """Bare single-process `mkdocs build`, `build.py --jobs 1`, `build.py` on every core,
    alternating `repeat` times (best of each), then the preview; one brief, one run."""
    first, t = build(root)  # generates docs/ (and warms the caches)
    bare_site = root / ".bench-bare-site"
    times: dict[str, list[float]] = {"bare": [], "jobs1": [], "all": [], "all_noprogress": []}
    cpu: dict[str, list[float]] = {"bare": [], "jobs1": [], "all_path": []}
    gen: list[float] = []
    sites = {}
    env_plain = {**os.environ}
    config = full_config(root)
    for _ in range(repeat):
        b = run([PYTHON, "-m", "mkdocs", "build", "--strict", "--quiet", "-f",
                 str(config), "-d", str(bare_site)], cwd=root)
        if b.returncode != 0:
            raise SystemExit(f"bare mkdocs build failed:\n{b.stderr[-2000:]}")
        times["bare"].append(b.wall)
        cpu["bare"].append(b.cpu)
        for key, extra in (("jobs1", ["--jobs", "1"]), ("all", [])):
            r = run([PYTHON, str(CODE / "build.py"), str(root), "--no-cache", "--timings", *extra],
                    cwd=root)
            if r.returncode != 0:
                raise SystemExit(f"build.py {extra} failed:\n{r.stderr[-2000:]}")
            times[key].append(r.wall)
            workers = [float(x) for x in re.findall(r"([\d.]+)s", r.stdout.split(
                "workers CPU:", 1)[1])] if "workers CPU:" in r.stdout else []
            if key == "jobs1":
                cpu["jobs1"].append(r.cpu)
            else:  # CPU on the critical path: all but the workers, plus the slowest worker
                cpu["all_path"].append(r.cpu - sum(workers) + max(workers, default=0))
                gen.append(float(_TIMINGS.search(r.stdout).group(1)))
            sites[key] = _files(root / "site")
        if progress:  # the same with progress output off, to see that it costs nothing
            os.environ["BRIEF_PROGRESS"] = "0"
            try:
                r = run([PYTHON, str(CODE / "build.py"), str(root), "--no-cache"], cwd=root)
            finally:
                os.environ.clear()
                os.environ.update(env_plain)
            times["all_noprogress"].append(r.wall)
    shutil.rmtree(bare_site, ignore_errors=True)
    identical = sites["jobs1"] == sites["all"]
    differing = [k for k in sites["jobs1"] if sites["all"].get(k) != sites["jobs1"][k]]
    best = {k: min(v) for k, v in times.items() if v}
    best.update({f"cpu_{k}": min(v) for k, v in cpu.items() if v})
    result = {"name": name, "pages": len([p for p in sites["all"] if p.endswith(".html")]),
              **best, "generate": min(gen), "identical": identical, "differing": differing[:5],
              "load": os.getloadavg()[0]}
    if edits:
        pv = preview_times(root, edits)
        result["preview_start"] = pv["start"]
        result["preview_edits"] = pv["edits"]
    return result


def compare_table(results: list[dict]) -> str:
    rows = ["| size | HTML files | bare `mkdocs build` s | `build.py --jobs 1` s | `build.py` (all CPUs) s "
            "| jobs 1 / bare | all / bare | all / jobs 1 | generate s (share of bare) "
            "| preview: start s; edit → visible s (median) | edit / full build | site identical "
            "| no progress output s | CPU s: bare / jobs 1 / all (critical path) | load |",
            "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- | --: | --: "
            "| --: |"]
    for r in results:
        edits = r.get("preview_edits") or []
        med = sorted(edits)[len(edits) // 2] if edits else None
        rows.append(
            f"| {r['name']} | {r['pages']:,} | {r['bare']:.1f} | {r['jobs1']:.1f} | {r['all']:.1f} "
            f"| {r['jobs1'] / r['bare']:.2f} | {r['all'] / r['bare']:.2f} "
            f"| {r['all'] / r['jobs1']:.2f} | {r['generate']:.2f} ({100 * r['generate'] / r['bare']:.1f}%) "
            f"| {r.get('preview_start', 0):.1f}; "
            f"{', '.join(format(e, '.2f') for e in edits) or '–'} "
            f"({'–' if med is None else format(med, '.2f')}) "
            f"| {'–' if med is None else format(med / r['all'], '.3f')} "
            f"| {'yes' if r['identical'] else 'NO: ' + ', '.join(r['differing'])} "
            f"| {r.get('all_noprogress', float('nan')):.1f} "
            f"| {r['cpu_bare']:.1f} / {r['cpu_jobs1']:.1f} / {r['cpu_all_path']:.1f} "
            f"| {r['load']:.1f} |")
    return "\n".join(rows)


def snapshot_code(dest: Path) -> Path:
    """Copy the generator (build.py, brief/, templates/, overrides/, schemas/) so that
    edits to the working tree during a long run neither mix code versions between sizes
    nor invalidate the no-change run's cache (its key covers the generator's code)."""
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "build.py", dest / "build.py")
    for name in ("brief", "templates", "overrides", "schemas"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    mem = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines()
                      if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    import mkdocs
    import material
    return (f"{os.cpu_count()} CPUs ({model}){mem}; load average {load}; "
            f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, "
            f"Material {getattr(material, '__version__', '?')}")


def table(results: list[dict]) -> str:
    def f(x, spec=".2f"):
        return "–" if x is None else format(x, spec)

    rows = ["| size | sources / events / FAQ | pages | generate s | MkDocs s | whole build s (CPU s) "
            "| MkDocs ms/page | peak MB (generate / whole) | site MB | largest page KB "
            "| search index MB (gzip) | 2nd run: files written / generate s |",
            "| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |"]
    for r in results:
        counts = f"{r['sources']:,} / {f(r['events'], ',')} / {f(r['faq'], ',')}"
        rows.append(
            f"| {r['name']} | {counts} | {r['pages']:,} | {r['generate']:.2f} | {r['mkdocs']:.1f} "
            f"| {r['wall']:.1f} ({r['cpu']:.1f}) | {1000 * r['mkdocs'] / max(r['pages'], 1):.1f} "
            f"| {r['peak_generate_mb']:.0f} / {r['peak_mb']:.0f} | {r['site_mb']:.1f} "
            f"| {r['largest_kb']:.0f} ({r['largest_page']}) | {r['search_index_mb']:.1f} "
            f"({r['search_index_gzip_mb']:.1f}) "
            f"| {len(r['second_rewritten'])} / {r['second_generate']:.2f}"
            f"{' (cached)' if r.get('second_cached') else ' (not cached)'} |")
    rows += ["", "| size | faq.md KB | sources/index.md KB | timeline/index.md KB "
             "| largest year page KB | largest source page KB | pages over 1 MB "
             "| HTML MB | largest page gzip KB | bare `mkdocs build` s vs `build.py --no-cache` s |",
             "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |"]
    for r in results:
        rows.append(
            f"| {r['name']} | {r['faq_kb']:.0f} | {r['sources_index_kb']:.0f} "
            f"| {r['timeline_index_kb']:.0f} | {r['largest_year_kb']:.0f} "
            f"| {r['largest_source_kb']:.0f} | {len(r['pages_over_1mb'])} | {r['html_mb']:.1f} "
            f"| {r.get('largest_page_gzip_kb', 0):.0f} "
            f"| {f(r.get('bare_mkdocs'), '.2f')} vs {f(r.get('full_build_best'), '.2f')} |")
    return "\n".join(rows)


def targets(results: list[dict]) -> str:
    by = {r["name"]: r for r in results}
    out = []

    def line(ok: bool, text: str) -> None:
        out.append(f"- {'met' if ok else 'MISSED'}: {text}")

    if "large" in by:
        r = by["large"]
        line(r["generate"] <= 5, f"large: generate {r['generate']:.2f} s (target ≤ 5 s)")
        line(r["peak_generate_mb"] <= 500,
             f"large: peak memory of generate {r['peak_generate_mb']:.0f} MB (target ≤ 500 MB; "
             f"whole build incl. MkDocs {r['peak_mb']:.0f} MB)")
        line(r["wall"] <= 90, f"large: whole site {r['wall']:.1f} s (target ≤ 90 s)")
    if "p100" in by and "p2000" in by:
        a, b = by["p100"], by["p2000"]
        pa, pb = a["mkdocs"] / a["pages"], b["mkdocs"] / b["pages"]
        line(pb <= 1.5 * pa, f"MkDocs per page: {1000 * pb:.1f} ms at {b['pages']} pages vs "
                             f"{1000 * pa:.1f} ms at {a['pages']} pages = {pb / pa:.2f}× "
                             "(target ≤ 1.5×)")
    for r in results:
        line(not r["pages_over_1mb"], f"{r['name']}: largest page {r['largest_kb']:.0f} KB "
                                      f"({r['largest_page']}; target ≤ 1,000 KB)")
        line(not r["second_rewritten"] and not r["second_removed"],
             f"{r['name']}: no-change rebuild wrote {len(r['second_rewritten'])} and removed "
             f"{len(r['second_removed'])} files in docs/ (target 0)")
        line(r["second_generate"] < r["generate"] / 10,
             f"{r['name']}: no-change generate {r['second_generate']:.3f} s vs first "
             f"{r['generate']:.3f} s (target < 1/10)")
    if "real" in by and by["real"].get("bare_mkdocs"):
        r = by["real"]
        full, bare = r["full_build_best"], r["bare_mkdocs"]
        line(full <= 1.3 * bare,
             f"real: `python build.py --no-cache` {full:.2f} s vs bare `mkdocs build` "
             f"{bare:.2f} s = {full / bare:.2f}× (best of 3 each, alternating; target ≤ 1.3×; "
             f"first cold build.py run: {r['wall']:.2f} s)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="real,small,large,p100,p2000",
                   help=f"comma-separated: real, {', '.join(SIZES)} or S/E/F "
                        "(sources/events/FAQ), e.g. 500/5000/250")
    p.add_argument("--bare", action="store_true",
                   help="also time a bare `mkdocs build` of each docs/ (always done for real)")
    p.add_argument("--keep", action="store_true", help="keep the synthesised briefs")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", type=Path, help="also write the results as JSON here")
    p.add_argument("--compare", action="store_true",
                   help="issue 13: bare `mkdocs build`, `build.py --jobs 1` and `build.py` on "
                        "every CPU side by side, the preview's edit-to-visible time and the "
                        "generate step's share (instead of the size table)")
    p.add_argument("--repeat", type=int, default=1, help="--compare: builds of each kind (best)")
    p.add_argument("--edits", type=int, default=1,
                   help="--compare: preview edits timed per size (5 for real)")
    args = p.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    work = OUT / time.strftime("run-%Y%m%d-%H%M%S")
    work.mkdir()
    global CODE
    CODE = snapshot_code(work / "code")
    commit = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %s"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "brief",
                            "templates", "overrides", "build.py"],
                           capture_output=True, text=True).stdout.strip()
    print(f"machine: {machine()}", flush=True)
    print(f"code: {commit}{' (with uncommitted changes)' if dirty else ''}", flush=True)
    results = []
    for name in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        root = work / name.replace("/", "-")
        if name == "real":
            if not copy_real_brief(root):
                print("real: skipped (no brief.yml in the repository root)", flush=True)
                continue
            counts = None
        else:
            if name in SIZES:
                counts = SIZES[name]
            elif re.fullmatch(r"\d+/\d+/\d+", name):
                counts = tuple(int(x) for x in name.split("/"))
            else:
                p.error(f"unknown size {name!r}")
            t = time.perf_counter()
            synthesise(root, *counts, seed=args.seed)
            print(f"{name}: synthesised {counts[0]} sources, {counts[1]} events, {counts[2]} FAQ "
                  f"entries in {time.perf_counter() - t:.1f}s", flush=True)
        if args.compare:
            r = compare(name, root, args.repeat, 5 if name == "real" else args.edits, True)
            results.append(r)
            print(f"{name}: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                                          for k, v in r.items() if k != "name"), flush=True)
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
            continue
        r = measure(name, root, counts, bare=args.bare or name == "real")
        if counts is None:
            from brief.data import load_brief  # count the real brief's events and FAQ
            from brief.problems import Problems
            b = load_brief(root, Problems())
            if b is not None:
                r["events"], r["faq"] = len(b.events), len(b.faq)
        results.append(r)
        print(f"{name}: {r['pages']} pages, generate {r['generate']:.2f}s, mkdocs "
              f"{r['mkdocs']:.1f}s, whole {r['wall']:.1f}s, load {os.getloadavg()[0]:.2f}",
              flush=True)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print()
    if args.compare:
        print(compare_table(results))
    else:
        print(table(results))
        print()
        print(targets(results))
    print(f"\nmachine after the run: {machine()}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=1))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
