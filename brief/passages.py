"""A source paragraph split into the passages the brief cites, each with its stance
(issue 12), for the source pages (render.py) and the dossier's appendix (dossier.py)."""
from __future__ import annotations


def stance_segments(text: str, spans: list[tuple]) -> list[tuple[str, str]]:
    """Split text into (piece, stance) runs; stance "" for text nobody cites. Where
    passages cited with different stances overlap, the run shows the most cautious
    one (disputes, then reports, then supports), so evidence is never overstated."""
    rank = {"": 0, "supports": 1, "reports": 2, "disputes": 3}
    cuts = sorted({0, len(text), *(p for s in spans for p in s[:2])})
    out: list[tuple[str, str]] = []
    for a, b in zip(cuts, cuts[1:]):
        stance = max((sp[2] if len(sp) > 2 else "supports" for sp in spans
                      if sp[0] <= a and b <= sp[1]), key=rank.__getitem__, default="")
        if out and out[-1][1] == stance:
            out[-1] = (out[-1][0] + text[a:b], stance)
        elif b > a:
            out.append((text[a:b], stance))
    return out
