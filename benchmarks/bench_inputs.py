#!/usr/bin/env python3
"""Timings of the build's worst inputs (not tests: the numbers depend on the machine).

    .venv/bin/python benchmarks/bench_inputs.py [closest] [yaml]

1. A quote missing from a large article: the "closest passage" hint
   (brief/citations.py) must come within 2 s even at 5 MB of article text.
2. Hostile YAML (deeply nested, huge, billion laughs: the CRASH_CASES of
   tests/test_bad_input.py): `build.py` must fail with a message within 2 s.

Prints one line per case with its time and the machine's load average.
"""
from __future__ import annotations

import importlib.util
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

_spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench", bench)
_spec.loader.exec_module(bench)

LIMIT = 2.0


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def article(size: int, seed: int = 3) -> str:
    tx = bench.Text(random.Random(seed))
    paras, total = [], 0
    while total < size - 1000:
        p = tx.paragraph(3, 8)
        paras.append(p)
        total += len(p.encode("utf-8")) + 2
    return "\n\n".join(paras)


def closest_passage(sizes=(50_000, 250_000, 1_000_000, 4_990_000)):
    """Sizes up to the largest article a brief accepts (5,000,000 bytes, front matter
    included)."""
    return _closest_passage(sizes)


def _closest_passage(sizes) -> bool:
    from brief.citations import normalise, resolve_citations
    from brief.data import load_brief
    from brief.problems import Problems

    ok = True
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "brief"
            bench.synthesise(root, 1, 1, 0, seed=1)
            text = article(size)
            paras = text.split("\n\n")
            words = paras[len(paras) * 2 // 3].split()[5:17]
            words[4] = words[4] + "x"  # one mistyped word: the quote is not in the text
            quote = " ".join(words)
            src = next((root / "sources" / "articles").glob("*.md"))
            head = src.read_text("utf-8").split("\n---\n", 1)[0]
            src.write_text(head + "\n---\n" + text + "\n", "utf-8")
            events = next((root / "sources" / "events").glob("*.yml"))
            lines = events.read_text("utf-8").splitlines()
            lines = [ln for ln in lines if "quote:" not in ln]
            i = next(k for k, ln in enumerate(lines) if "- source:" in ln)
            lines.insert(i + 1, lines[i].split("-")[0] + f"  quote: {bench.q(quote)}")
            events.write_text("\n".join(lines) + "\n", "utf-8")
            problems = Problems()
            brief = load_brief(root, problems)
            started = time.perf_counter()
            resolve_citations(brief, problems)
            took = time.perf_counter() - started
            hints = [p.hint for p in problems.errors if "closest passage" in (p.hint or "")]
            useful = bool(hints) and normalise(" ".join(words[:4])) in hints[0]
            if not useful:
                print([p.format() for p in problems.sorted()][:3])
            ok &= useful and took < LIMIT
            print(f"closest passage, {size / 1e6:.2f} MB article: {took:.2f}s "
                  f"(hint {'found the passage' if useful else 'MISSED'}; {load()})", flush=True)
    return ok


def hostile_yaml() -> bool:
    import test_bad_input as t
    from conftest import MINI, make_brief, run_build

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        good = make_brief(Path(tmp))
        for n, case in enumerate(t.CRASH_CASES):
            root = t.copy_with((good,), Path(tmp) / f"c{n}", case.files)
            started = time.perf_counter()
            result = run_build(str(root), timeout=60)
            took = time.perf_counter() - started
            ok &= result.returncode == 1 and took < LIMIT
            print(f"hostile YAML {case.name}: exit {result.returncode} in {took:.2f}s ({load()})",
                  flush=True)
    return ok


if __name__ == "__main__":
    which = sys.argv[1:] or ["closest", "yaml"]
    results = [closest_passage() if "closest" in which else True,
               hostile_yaml() if "yaml" in which else True]
    print("all within 2 s" if all(results) else "some case took 2 s or more (or missed)")
