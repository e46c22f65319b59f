"""The generator's words in the brief's language (issue 11): catalogues complete and
in step with the strings the code and templates use, English as the fallback, dates in
words from CLDR, and English output as it was."""
from __future__ import annotations

import re
import shutil

import pytest
from babel.messages.pofile import read_po

from brief import i18n
from brief.edtf import parse_edtf
from brief.messages import extract
from brief.pipeline import generate
from brief.problems import Problems
from conftest import MINI

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalogue(tag):
    with open(i18n.LOCALE_DIR / i18n.CATALOGUES[tag], "rb") as f:
        return read_po(f, locale=tag.replace("-", "_"))


@pytest.fixture(scope="module")
def used():
    return {m.id for m in extract() if m.id}


@pytest.mark.parametrize("tag", sorted(i18n.CATALOGUES))
def test_every_catalogue_translates_every_string_the_generator_uses(tag, used):
    cat = catalogue(tag)
    have = {m.id: m for m in cat if m.id}
    missing = sorted(str(u) for u in used if u not in have or not all(
        have[u].string if isinstance(have[u].string, tuple) else [have[u].string]))
    assert not missing, f"{tag}: untranslated: {missing[:5]} (python -m brief.messages, then translate)"
    stale = sorted(str(k) for k in have if k not in used)
    assert not stale, f"{tag}: no longer used: {stale[:5]} (python -m brief.messages)"
    assert not [m.id for m in cat if m.id and m.fuzzy]
    for m in have.values():  # a translation fills the same blanks as the English
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        allowed = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) <= allowed, (tag, m.id, form)
            needed = set(PLACEHOLDER.findall(ids[-1])) - {"num", "count"}
            assert needed <= set(PLACEHOLDER.findall(form)), (tag, m.id, form)


def test_a_string_missing_from_a_catalogue_falls_back_to_english(tmp_path, monkeypatch):
    text = (i18n.LOCALE_DIR / "es.po").read_text("utf-8")
    text = text.replace('msgid "Key points"\nmsgstr "Puntos clave"', 'msgid "Key points"\nmsgstr ""')
    (tmp_path / "es.po").write_text(text, "utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        with i18n.using("es"):
            assert i18n._("Key points") == "Key points"
            assert i18n._("About the sources") == "Sobre las fuentes"
            assert i18n._("A string no catalogue has") == "A string no catalogue has"
    finally:
        i18n.translations.cache_clear()


def test_catalogue_choice():
    assert i18n.catalogue_tag("es-CU") == "es" and i18n.catalogue_tag("fr-CA") == "fr"
    assert i18n.catalogue_tag("zh") == "zh-Hans" and i18n.catalogue_tag("zh-CN") == "zh-Hans"
    assert i18n.catalogue_tag("zh-Hans-CN") == "zh-Hans"
    assert i18n.catalogue_tag("zh-Hant") == "en"  # no catalogue: the English of the code
    assert i18n.catalogue_tag("de") == "en" and i18n.catalogue_tag("en-GB") == "en"


def words(edtf: str, lang: str) -> str:
    w, reason, _ = parse_edtf(edtf)
    assert w is not None, reason
    with i18n.using(lang):
        return w.display()


def test_english_dates_are_as_they_were():
    assert [words(d, "en") for d in ("2025-08-08", "2025-08", "2025")] == [
        "8 August 2025", "August 2025", "2025"]
    assert words("2025-06~", "en") == "about June 2025"
    assert words("2025-06?", "en") == "probably June 2025"
    assert words("2025-06%", "en") == "about June 2025 (uncertain)"
    assert words("[2025-09..2025-12]", "en") == "between September and December 2025"
    assert words("[..2025-06]", "en") == "June 2025 or earlier"
    assert words("2025-06/..", "en") == "from June 2025 onwards"
    assert words("2025-06/2025-09", "en") == "June to September 2025"


def test_dates_in_words_from_cldr():
    assert words("2025-08-08", "es") == "8 de agosto de 2025"
    assert words("2025-08", "es") == "agosto de 2025"
    assert words("[2025-09..2025-12]", "es") == "entre septiembre y diciembre de 2025"
    assert words("2025-06~", "es") == "hacia junio de 2025"
    assert words("2025-08-08", "fr") == "8 août 2025"
    assert words("2025-08-08", "zh-Hans") == "2025年8月8日"
    assert words("2025-08", "zh-Hans") == "2025年8月"
    assert words("2025", "zh-Hans") == "2025年"


ENGLISH = ("Key points", "The story so far", "Most recent events", "About the sources",
           "In this brief", "Frequently asked questions", "Read it in the source", "Cited by",
           "Who's who", "Timeline", "Sources", "events", "March 2024", "publisher unknown",
           "Link to this paragraph", "Take the brief's data away", " of <cite>")


def test_a_spanish_brief_has_no_english_generated_text(tmp_path):
    root = tmp_path / "brief"
    shutil.copytree(MINI, root)
    yml = root / "brief.yml"
    yml.write_text(yml.read_text("utf-8").replace("title: The harbour dispute",
                                                  "title: The harbour dispute\nlanguage: es"))
    problems = Problems()
    pages = generate(root, problems)
    assert pages is not None, [p.format() for p in problems.items]
    # The brief's own text is English here: only the generator's words are checked.
    own = re.compile(r"Harbour|harbour|Northport|Southport|towns|Towns|Gazette|Herald|"
                     r"Fishermen|mayors|pier|Critics|papers|dispute|Councils|agreement")
    checked = 0
    for page in pages:
        if not page.path.endswith(".md"):
            continue
        text = page.content.decode("utf-8")
        for line in text.splitlines():
            if own.search(line) or line.startswith(("<!--", "brief_")):
                continue
            for word in ENGLISH:  # (a word, not part of a file name or an anchor)
                assert not re.search(rf"(?<![\w#.`-]){re.escape(word)}(?![\w.`])", line), \
                    f"{page.path}: {word!r} in {line!r}"
        checked += 1
    assert checked > 10
    home = next(p for p in pages if p.path == "index.md").content.decode("utf-8")
    assert "## Puntos clave" in home and "marzo de 2024" in home


def test_a_plural_trans_block_counts_with_its_first_variable():
    """Jinja2 chooses the plural form by the first variable a {% trans %} names: a
    block with {% pluralize %} must name its number first (count=...)."""
    from brief.paths import package_dir
    blocks = 0
    for path in sorted(package_dir("templates").glob("*.j2")):
        for m in re.finditer(r"\{%-? trans (.*?)%\}(.*?)\{%-? endtrans", path.read_text("utf-8"),
                             re.S):
            if "{% pluralize" in m[2]:
                blocks += 1
                assert m[1].strip().startswith("count="), f"{path.name}: {m[0][:80]}"
    assert blocks >= 10
