"""`python build.py dossier [BRIEF]`: build the site with the one-file dossier, and its
PDF where Chromium is available (brief/dossier.py makes both). A command of its own, so
that the render stage (dossier.py) never imports the command line."""
from __future__ import annotations

import argparse
from pathlib import Path

from .cli import run_build
from .dossier import CHROMIUM, HTML_PATH, PDF_PATH, chromium_available
from .siteconfig import add_trust_arguments, trust_options


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("brief", nargs="?", default=".", type=Path,
                   help="the brief's folder (default: the current folder)")
    p.add_argument("--config", type=Path, default=None,
                   help="extra MkDocs settings, merged over the generator's "
                        "(default: BRIEF/mkdocs.yml, if there is one)")
    add_trust_arguments(p)


def run(args: argparse.Namespace) -> int:
    pdf = chromium_available()
    if not pdf:
        print(f"warning: {CHROMIUM} (with Playwright) is not available: the site gets "
              f"{HTML_PATH} but no {PDF_PATH}; `bash scripts/setup.sh test` installs it")
    code = run_build(args.brief.resolve(), False, args.config, cache=False,
                     options=trust_options(args), dossier_pdf=pdf)
    if code == 0:
        site = args.brief.resolve() / "site"
        print(f"dossier: {site / HTML_PATH}" + (f" and {site / PDF_PATH}" if pdf else ""))
    return code

