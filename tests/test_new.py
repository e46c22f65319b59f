"""`build.py new event|faq`: a skeleton with every required field, appended as text."""
from __future__ import annotations

import re

from brief import fields as F
from brief.schema import modeline
from conftest import make_brief, run_build

EVENTS = "sources/events/events.yml"


def placeholders(text: str) -> set[tuple[int, int]]:
    """(line, column) of every TODO value in a YAML text."""
    out = set()
    for n, line in enumerate(text.split("\n"), 1):
        m = re.search(r':\s+("?TODO)', line)
        if m:
            out.add((n, m.start(1) + 1))
    return out


def reported(stderr: str) -> dict[tuple[int, int], str]:
    return {(int(m.group(1)), int(m.group(2))): m.group(3) for m in re.finditer(
        r"^sources/events/events\.yml:(\d+):(\d+): error: (.*)$", stderr, re.M)}


def test_new_event_then_check_reports_exactly_the_placeholders_then_filled_it_builds(tmp_path):
    root = make_brief(tmp_path)
    before = (root / EVENTS).read_bytes()
    proc = run_build("new", "event", str(root))
    assert proc.returncode == 0, proc.stderr
    after = (root / EVENTS).read_bytes()
    assert after.startswith(before)  # appended; the file's own text is kept byte for byte
    first = before.count(b"\n") + 2  # after one blank line
    assert proc.stdout.startswith(f"{EVENTS}:{first}:1: added a new event skeleton")

    text = after.decode()
    todo = placeholders(text)
    required = [f for f in F.EVENT.fields if f.required]
    # every required field, and the citation's source and quote
    assert len(todo) == len(required) - 1 + 2  # source and quote

    check = run_build(str(root), "--check")
    assert check.returncode == 1
    errors = reported(check.stderr)
    assert set(errors) == todo, check.stderr
    assert all("is still a placeholder" in m for m in errors.values())
    assert re.search(rf"^{len(todo)} error\(s\)", check.stderr, re.M)

    filled = text.split("\n")
    values = {"id": "ferry-starts", "date": "2024-04", "title": "Ferry service starts",
              "summary": "A ferry links the two towns.", "source": "alpha-gazette",
              "quote": "In 2023 the two councils met twice without result."}
    for n, _ in todo:
        key = filled[n - 1].split(":")[0].strip(" -")
        filled[n - 1] = re.sub(r'"TODO.*$', values[key], filled[n - 1])
    (root / EVENTS).write_text("\n".join(filled), "utf-8")
    built = run_build(str(root))
    assert built.returncode == 0, built.stderr
    assert "Ferry service starts" in (root / "docs" / "timeline" / "2024.md").read_text()


def test_new_with_an_id_and_duplicate_ids(tmp_path):
    root = make_brief(tmp_path)
    proc = run_build("new", "faq", "--id", "who-pays", str(root))
    assert proc.returncode == 0, proc.stderr
    text = (root / "sources/faq/faq.yml").read_text()
    assert text.endswith('- id: who-pays\n  question: "TODO: The question"\n'
                         '  answer: "TODO: The answer in the brief\'s own words"\n'
                         '  citations:\n'
                         '    - source: "TODO: the id of the cited source (its file name without'
                         ' .md)"\n'
                         '      quote: "TODO: words copied exactly from one paragraph of the'
                         ' source, or delete this line"\n')
    again = run_build("new", "faq", "--id", "who-pays", str(root))
    assert again.returncode == 1 and "already has an entry with id 'who-pays'" in again.stderr
    bad = run_build("new", "event", "--id", "Who Pays", str(root))
    assert bad.returncode == 2 and "not a valid id" in bad.stderr


def test_new_event_goes_to_the_file_with_the_latest_dates(tmp_path):
    old = "- id: early\n  date: 2019\n"
    recent = "# recent events\n- id: late\n  date: 2024-03-15\n"
    root = make_brief(tmp_path, {EVENTS: None, "sources/events/a-recent.yml": recent,
                                 "sources/events/b-old.yml": old})
    proc = run_build("new", "event", str(root))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("sources/events/a-recent.yml:5:1:")
    assert (root / "sources/events/b-old.yml").read_text() == old
    assert (root / "sources/events/a-recent.yml").read_text().startswith(recent + "\n- id: ")


def test_new_creates_the_file_with_its_schema_line_when_there_is_none(tmp_path):
    root = make_brief(tmp_path, {"sources/faq/faq.yml": None})
    proc = run_build("new", "faq", str(root))
    assert proc.returncode == 0, proc.stderr
    path = root / "sources/faq/faq.yml"
    lines = path.read_text().split("\n")
    assert lines[0] == modeline(path, "faq")
    assert lines[1].startswith('- id: "TODO')
    check = run_build(str(root), "--check")
    assert check.returncode == 1
    assert {int(n) for n in re.findall(r"^sources/faq/faq\.yml:(\d+):", check.stderr, re.M)} == {
        2, 3, 4, 6, 7}


def test_new_keeps_the_indentation_and_line_endings_of_the_file(tmp_path):
    text = "  - id: early\r\n    date: 2019\r\n"
    root = make_brief(tmp_path, {EVENTS: text.encode()})
    assert run_build("new", "event", "--id", "later", str(root)).returncode == 0
    data = (root / EVENTS).read_bytes()
    assert data.startswith(text.encode()) and b"\r\n  - id: later\r\n    date: " in data
    assert b"\n" not in data.replace(b"\r\n", b"")
    check = run_build(str(root), "--check")
    assert "YAML syntax" not in check.stderr
    assert "is still a placeholder" in check.stderr


def test_new_refuses_files_the_build_does_not_read(tmp_path):
    root = make_brief(tmp_path)
    proc = run_build("new", "event", "--file", "sources/faq/faq.yml", str(root))
    assert proc.returncode == 2 and "entries go in sources/events/*.yml" in proc.stderr
    flow = make_brief(tmp_path / "b", {EVENTS: "[]\n"})
    proc = run_build("new", "event", str(flow))
    assert proc.returncode == 1 and "[brackets]" in proc.stderr
