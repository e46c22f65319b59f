"""Translated quotes (issue 11): a citation of a source in another language may carry
the brief's translation; the quote is still verified in the original, the footnote
shows both, and a translation where none can be is an error at its line."""
from __future__ import annotations

import re

from brief.cli import main
from brief.pipeline import generate
from brief.problems import Problems
from conftest import make_brief

LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$", re.M)

FRENCH = """\
---
title: Le port partagé
publisher: Gamma Matin
published: 2024-03-16
retrieved: 2024-04-01
language: fr
type: news-article
---
Les deux maires ont signé l'accord du port vendredi.

Les pêcheurs sont contents.
"""

ARABIC = """\
---
title: الميناء المشترك
publisher: Delta Daily
published: 2024-03-17
retrieved: 2024-04-01
language: ar
type: news-article
---
وقّع رئيسا البلديتين اتفاق الميناء.
"""


def event(citation: str) -> str:
    return ("- id: agreement-signed\n"
            "  date: 2024-03\n"
            "  title: Harbour agreement signed\n"
            "  summary: The mayors sign the harbour agreement.\n"
            "  citations:\n" + citation)


TRANSLATED = ("    - source: gamma-matin\n"
              "      quote: Les deux maires ont signé l'accord du port\n"
              "      translation: The two mayors signed the harbour agreement\n")


def brief(tmp_path, citation: str):
    return make_brief(tmp_path, {"sources/articles/gamma-matin.md": FRENCH,
                                 "sources/articles/delta-daily.md": ARABIC,
                                 "sources/events/events.yml": event(citation)})


def errors(root, capsys) -> list[tuple[str, int, int, str]]:
    status = main([str(root), "--check"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    found = [(m["path"], int(m["line"]), int(m["col"]), m["msg"]) for m in LINE.finditer(err)]
    assert (status == 1) == bool(found), err
    return found


def event_page(root) -> str:
    problems = Problems()
    pages = generate(root, problems)
    assert pages is not None, [p.format() for p in problems.items]
    by_path = {p.path: p.content.decode("utf-8") for p in pages}
    return by_path["timeline/2024.md"], by_path["dossier.html"]


def test_a_translated_quote_is_valid_and_its_footnote_shows_both(tmp_path, capsys):
    root = brief(tmp_path, TRANSLATED + "      translation_source: the Gamma Matin English edition\n"
                 "    - source: delta-daily\n      quote: وقّع رئيسا البلديتين\n"
                 "      translation: The two mayors signed\n")
    assert errors(root, capsys) == []
    page, dossier = event_page(root)
    note = next(line for line in page.splitlines() if "Le port partagé" in line)
    assert ('“<span lang="fr">Les deux maires ont signé l&#39;accord du port</span>” (translation '
            'by the Gamma Matin English edition: “The two mayors signed the harbour '
            'agreement”)') in note
    arabic = next(line for line in page.splitlines() if "Delta Daily" in line)
    assert ('“<span lang="ar" dir="rtl">وقّع رئيسا البلديتين</span>” (translation by this '
            'brief: “The two mayors signed”)') in arabic
    assert ('“<span lang="fr">Les deux maires ont signé l&#39;accord du port</span>” '
            '(translation by the Gamma Matin English edition: “The two mayors signed the '
            'harbour agreement”)') in dossier


def test_a_wrong_original_fails_whatever_the_translation_says(tmp_path, capsys):
    root = brief(tmp_path, TRANSLATED.replace("ont signé", "ont signe"))
    [(path, line, col, msg)] = errors(root, capsys)
    assert (path, line) == ("sources/events/events.yml", 7)
    assert msg.startswith("[quote] not found in source 'gamma-matin'")


def test_a_translation_without_a_quote_is_an_error_at_its_line(tmp_path, capsys):
    root = brief(tmp_path, "    - source: gamma-matin\n"
                           "      translation: The two mayors signed the harbour agreement\n")
    [(path, line, col, msg)] = errors(root, capsys)
    assert (path, line, col) == ("sources/events/events.yml", 7, 7)
    assert "[translation] a translation needs the quote it translates" in msg


def test_a_translation_source_without_a_translation_is_an_error(tmp_path, capsys):
    root = brief(tmp_path, "    - source: gamma-matin\n"
                           "      quote: Les pêcheurs sont contents\n"
                           "      translation_source: a machine\n")
    [(path, line, col, msg)] = errors(root, capsys)
    assert (path, line, col) == ("sources/events/events.yml", 8, 7)
    assert "[translation_source]" in msg


def test_a_translation_of_a_source_in_the_briefs_language_is_an_error(tmp_path, capsys):
    root = brief(tmp_path, "    - source: alpha-gazette\n"
                           "      quote: signed the harbour agreement\n"
                           "      translation: signed the harbour agreement\n")
    [(path, line, col, msg)] = errors(root, capsys)
    assert (path, line, col) == ("sources/events/events.yml", 8, 7)
    assert "[translation] source 'alpha-gazette' is already in the brief's language" in msg
    assert "(English, 'en')" in msg
