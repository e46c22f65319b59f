"""Language of parts (issue 11, WCAG 3.1.2): text in another language than the
brief's is marked with lang (and dir for a right-to-left script) on the built site
(through the sanitiser), in footnotes, in the dossier and in the exports; language
names are given in the brief's language."""
from __future__ import annotations

import json
import re

from brief.languages import is_rtl, lang_attrs, language_name, same_language
from conftest import make_brief, run_build
from test_translation import ARABIC, FRENCH, TRANSLATED, event


def test_language_helpers():
    assert same_language("en", "en-GB") and not same_language("zh-Hans", "zh-Hant")
    assert not same_language("fr", "en")
    assert is_rtl("ar") and is_rtl("he") and is_rtl("az-Arab") and not is_rtl("fr")
    assert lang_attrs("fr", "en") == ' lang="fr"'
    assert lang_attrs("ar", "es") == ' lang="ar" dir="rtl"'
    assert lang_attrs("en-GB", "en") == "" and lang_attrs("", "en") == ""
    assert lang_attrs("en", "ar") == ' lang="en" dir="ltr"'
    assert language_name("fr", "en") == "French"
    assert language_name("fr", "es") == "francés"
    assert language_name("zh-Hans", "es") == "chino (simplificado)"
    assert language_name("qqq", "en") == "qqq"  # unknown to CLDR: the code


def test_a_built_site_marks_every_part_in_another_language(tmp_path):
    root = make_brief(tmp_path, {
        "sources/articles/gamma-matin.md": FRENCH,
        "sources/articles/delta-daily.md": ARABIC,
        "sources/events/events.yml": event(TRANSLATED + "    - source: delta-daily\n"
                                           "      quote: وقّع رئيسا البلديتين\n"
                                           "      translation: The two mayors signed\n")})
    result = run_build(str(root))
    assert result.returncode == 0, result.stderr
    site = root / "site"
    page = (site / "sources/gamma-matin/index.html").read_text("utf-8")
    assert '<html lang="en"' in page
    assert re.search(r'<h1[^>]* lang="fr"[^>]*>Le port partagé', page), page
    assert re.search(r"<td>Language</td>\s*<td>French</td>", page)
    assert '<span lang="fr">Les pêcheurs sont contents.</span>' in page
    arabic = (site / "sources/delta-daily/index.html").read_text("utf-8")
    assert re.search(r'<h1 dir="rtl" id="[^"]*" lang="ar">الميناء المشترك', arabic), arabic
    assert re.search(r'<span (lang="ar" dir="rtl"|dir="rtl" lang="ar")><mark[^>]*>وقّع', arabic)
    # The English sources are not marked: they are in the brief's language.
    alpha = (site / "sources/alpha-gazette/index.html").read_text("utf-8")
    assert 'lang="en"' not in alpha.split("<body", 1)[1]
    # Footnotes (and so Material's tooltips, which copy them) keep the marks.
    year = (site / "timeline/2024/index.html").read_text("utf-8")
    assert re.search(r'<em><span lang="fr">Le port partagé</span></em>', year)
    assert re.search(r'“<span lang="fr">Les deux maires ont signé l(&#39;|\'|’)accord du port'
                     r'</span>” \(translation by this brief: “The two mayors signed the '
                     r'harbour agreement”\)', year), year
    assert re.search(r'“<span (lang="ar" dir="rtl"|dir="rtl" lang="ar")>وقّع رئيسا البلديتين'
                     r'</span>”', year)
    register = (site / "sources/index.html").read_text("utf-8")
    assert '<span lang="fr">Le port partagé</span>' in register
    dossier = (site / "dossier.html").read_text("utf-8")
    assert '<h3 id="src-gamma-matin-h" lang="fr">Le port partagé</h3>' in dossier
    # Exports: CSL-JSON language, BibTeX langid.
    csl = {i["id"]: i for i in json.loads((site / "data/sources.json").read_text("utf-8"))}
    assert csl["gamma-matin"]["language"] == "fr" and csl["delta-daily"]["language"] == "ar"
    bib = (site / "data/sources.bib").read_text("utf-8")
    assert re.search(r"@\w+\{gamma-matin,[^@]*langid = \{fr\}", bib)
