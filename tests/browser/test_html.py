"""The Nu HTML checker (node_modules/vnu-jar, run with Debian's Java) on every HTML page of
the built site. Errors are allowed only when they are in the Material theme's own markup
and are listed here, each with the reason (the README lists them too)."""
from __future__ import annotations

# (start of the message, a piece of the offending markup that pins it to the theme, why)
THEME_ERRORS = [
    ("Attribute “autocomplete” is only allowed when the input type is",
     'class="md-toggle"',
     "Material's hidden checkboxes that open the navigation drawer and the search "
     "(input.md-toggle, base.html) carry autocomplete=\"off\" so that Firefox does not "
     "restore them as checked on going back; HTML allows the attribute only on text-like "
     "inputs. Harmless: browsers ignore it elsewhere."),
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden",
     'for="__toc"',
     "Material's table of contents (partials/toc.html) always has a label for the "
     "__toc checkbox, which the theme only writes for pages listed in the navigation; "
     "per-year, per-source and other per-item pages are deliberately left out of the "
     "navigation (mkdocs.yml, not_in_nav). The label then toggles nothing."),
]


def allowed(message: dict) -> bool:
    return any(message.get("message", "").startswith(start) and piece in message.get("extract", "")
               for start, piece, _ in THEME_ERRORS)


def test_generated_pages_pass_the_nu_html_checker(site, nu_report):
    files = sorted(str(p) for p in site.site_dir.rglob("*.html"))
    assert files and nu_report.files == files
    messages = nu_report.messages
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert all(m.get("type") != "non-document-error" for m in errors), errors
    left = [f"{m['url'].split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}\n"
            f"    {m.get('extract', '').strip()}" for m in errors if not allowed(m)]
    assert not left, f"{len(left)} HTML error(s) outside the theme's listed ones:\n" + \
        "\n".join(left[:40])
    assert nu_report.returncode in (0, 1)
