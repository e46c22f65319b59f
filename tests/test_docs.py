"""The README is the user's manual: every input field and every command is in it."""
from __future__ import annotations

import re

import pytest

from brief import fields as F
from brief.cli import SUBCOMMANDS
from conftest import REPO

README = (REPO / "README.md").read_text("utf-8")
TABLE_FIELDS = set(re.findall(r"^\| `([a-z_]+)` \|", README, re.M))


@pytest.mark.parametrize("record", list(F.RECORDS.values()), ids=lambda r: r.name)
def test_every_field_is_in_a_readme_table(record):
    missing = [f.name for f in record.fields if f.name not in TABLE_FIELDS]
    assert not missing, f"{record.name}: fields not documented in README tables: {missing}"


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_subcommand_is_in_the_commands_table(name):
    assert re.search(rf"^\| `python build\.py {name}\b", README, re.M), name


def test_the_two_commands_are_near_the_top():
    top = README[:2500]
    assert "bash scripts/build.sh" in top and "bash scripts/test.sh" in top
    ci = (REPO / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in ci
