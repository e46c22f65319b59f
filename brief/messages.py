"""The generator's catalogues, kept in step with its strings (issue 11).

`python -m brief.messages` extracts every string marked for translation (`_()`, `N_()`,
`ngettext()` in brief/*.py; `{% trans %}`, `_()`, `ngettext()` in templates/*.j2) and
merges them into brief/locale/*.po: new strings come in untranslated (and fall back to
English until translated), strings no longer used are dropped. tests/test_i18n.py fails
while a catalogue lacks a translation of a string the generator uses.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import CATALOGUES, LOCALE_DIR
from .paths import package_dir

KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
JINJA_OPTIONS = {"extensions": "", "trimmed": "true", "newstyle_gettext": "true",
                 "trim_blocks": "true", "lstrip_blocks": "true", "silent": "false"}


def extract() -> Catalog:
    """Every string the generator marks for translation, with where it is used."""
    catalog = Catalog(project="brief", charset="utf-8")
    sources = [(Path(__file__).resolve().parent, [("*.py", "python")], {}),
               (package_dir("templates"), [("*.j2", "jinja2.ext:babel_extract")],
                {"*.j2": JINJA_OPTIONS})]
    for folder, method_map, options in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
                str(folder), method_map=method_map, options_map=options, keywords=KEYWORDS):
            catalog.add(message, None, [(f"{folder.name}/{filename}", lineno)],
                        auto_comments=comments, context=context)
    return catalog


def update() -> list[str]:
    """Merge the extracted strings into each catalogue; return what was written."""
    template = extract()
    written = []
    for tag, name in CATALOGUES.items():
        path = LOCALE_DIR / name
        if path.is_file():
            with open(path, "rb") as f:
                catalog = read_po(f, locale=tag.replace("-", "_"))
        else:
            catalog = Catalog(locale=tag.replace("-", "_"), project="brief", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with open(path, "wb") as f:
            write_po(f, catalog, width=100, omit_header=False, sort_output=False,
                     include_previous=False, include_lineno=False)
        written.append(str(path))
    return written


if __name__ == "__main__":
    for p in update():
        print(f"updated {p}")
    sys.exit(0)
