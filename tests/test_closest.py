"""The "closest passage" hint of a missed quote finds the right paragraph in a long source
(its search is bounded: benchmarks/bench_inputs.py times it at 5 MB; no timing here)."""
from __future__ import annotations

import importlib.util
import random
import sys

from brief.citations import SourceIndex
from brief.models import Source
from conftest import REPO

_spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench", bench)
_spec.loader.exec_module(bench)


class Block:
    def __init__(self, anchor, text):
        self.anchor, self.text = anchor, text


def index_of(paragraphs: list[str]) -> SourceIndex:
    src = Source.__new__(Source)
    object.__setattr__(src, "blocks", [Block(f"p{i + 1}", t) for i, t in enumerate(paragraphs)])
    return SourceIndex(src)


def test_a_mistyped_quote_points_at_its_paragraph_among_thousands():
    tx = bench.Text(random.Random(5))
    paragraphs = [" ".join(tx.paragraph().split()) for _ in range(3000)]
    target = 2077
    words = paragraphs[target].split()[3:15]
    words[5] = words[5] + "s"
    quote = " ".join(words).translate(str.maketrans({"\u2019": "'", "\u201c": '"', "\u201d": '"'}))
    idx = index_of(paragraphs)
    assert idx.find(quote) is None
    anchor, passage, diff = idx.closest(quote)
    assert anchor == f"p{target + 1}"
    assert passage.split()[:5] == quote.split()[:5]
    assert "differ at character" in diff


def test_the_hint_of_a_short_source_is_the_best_run_of_words():
    idx = index_of(["The mayors signed the harbour agreement on Monday.",
                    "Nothing else happened that week at all."])
    anchor, passage, diff = idx.closest("signed the harbor agreement")
    assert anchor == "p1"
    assert passage == "signed the harbour agreement"
    assert "'r agreement'" in diff and "'ur agreement'" in diff
