"""Lighthouse mobile scores of a built site, offline (issue 15).

    python benchmarks/lighthouse.py [SITE_DIR] [--runs 3] [--pages "" faq/ ...]

Serves SITE_DIR (default: site/) on 127.0.0.1 (a free port; text gzipped, as static hosts
do, unless --no-gzip) and runs the `lighthouse`
command line (npm; set LIGHTHOUSE to its path, default `lighthouse` on PATH) with
Debian's Chromium (CHROME_PATH, default /usr/bin/chromium), mobile form factor and its
default simulated throttling, performance only, RUNS times per page. Prints, per page,
the median score and metrics (first and largest contentful paint, total blocking time,
bytes transferred). Nothing leaves the machine: the site has no outside request.
Numbers depend on the machine's load: they are indicative, never a test.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import io
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

GZIP = True
PAGES = ["", "timeline/", "timeline/2025/", "faq/", "sources/xi-65th-anniversary-message/"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host does: text compressed with gzip when the browser
    accepts it (GitHub Pages, Netlify and nginx with gzip on all do)."""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in (".html", ".css", ".js", ".json", ".xml", ".svg")
                or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not path.is_file() or not GZIP):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def run_once(lighthouse: str, url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
        subprocess.run([lighthouse, url, "--quiet", "--only-categories=performance",
                        "--output=json", f"--output-path={out}",
                        "--chrome-flags=--headless --no-sandbox --disable-gpu "
                        "--disable-background-networking"],
                       check=True, env=env, timeout=300, capture_output=True)
        r = json.loads(out.read_text(encoding="utf-8"))
    a = r["audits"]
    return {"score": round(r["categories"]["performance"]["score"] * 100),
            "fcp": a["first-contentful-paint"]["numericValue"] / 1000,
            "lcp": a["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt": a["total-blocking-time"]["numericValue"],
            "kb": a["total-byte-weight"]["numericValue"] / 1024}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("site", nargs="?", default="site", type=Path)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--pages", nargs="*", default=PAGES)
    p.add_argument("--no-gzip", action="store_true", help="serve files uncompressed")
    args = p.parse_args()
    global GZIP
    GZIP = not args.no_gzip
    lighthouse = os.environ.get("LIGHTHOUSE", "lighthouse")
    handler = functools.partial(_Quiet, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print("| Page | Score | FCP (s) | LCP (s) | TBT (ms) | Transferred (KB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    try:
        for page in args.pages:
            runs = [run_once(lighthouse, base + page) for _ in range(args.runs)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"| /{page} | {med['score']:.0f} ({', '.join(str(r['score']) for r in runs)}) "
                  f"| {med['fcp']:.1f} | {med['lcp']:.1f} | {med['tbt']:.0f} | {med['kb']:.0f} |",
                  flush=True)
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
