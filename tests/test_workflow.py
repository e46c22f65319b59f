"""The brief's CI: the GitHub Actions workflow and the pre-commit hooks.

The workflow is validated against the GitHub workflow schema that check-jsonschema
ships (offline); the hooks are run here as pre-commit would run them, on the
repository's tracked files.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from brief.cli import SUBCOMMANDS
from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"
CHECK_JSONSCHEMA = str(Path(sys.executable).parent / "check-jsonschema")


def load(path: Path):
    # BaseLoader: every scalar is text, so the key `on` stays "on" (not True)
    return yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)


def steps(job: dict) -> list[dict]:
    return job["steps"]


def test_workflow_validates_against_the_github_workflow_schema():
    proc = subprocess.run([CHECK_JSONSCHEMA, "--builtin-schema", "vendor.github-workflows",
                           str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_broken_workflow_fails_the_schema(tmp_path):
    broken = tmp_path / "site.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu"),
                      "utf-8")
    proc = subprocess.run([CHECK_JSONSCHEMA, "--builtin-schema", "vendor.github-workflows",
                           str(broken)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout


def test_workflow_validates_tests_builds_uploads_and_deploys():
    wf = load(WORKFLOW)
    assert {"push", "pull_request"} <= set(wf["on"])
    assert "concurrency" in wf
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    uses = {s["uses"].split("@")[0]: s for s in steps(build) if "uses" in s}
    assert "actions/checkout" in uses
    setup = uses["actions/setup-python"]["with"]
    assert setup["python-version"] == "3.11" and setup["cache"] == "pip"
    runs = [s["run"] for s in steps(build) if "run" in s]
    order = [next(i for i, r in enumerate(runs) if pattern.search(r)) for pattern in (
        re.compile(r"scripts/setup\.sh test"), re.compile(r"build\.py --check$"),
        re.compile(r"-m pytest"), re.compile(r"build\.py$"))]
    assert order == sorted(order), runs  # install, validate, test, build
    assert uses["actions/upload-artifact"]["with"]["path"] == "site/"
    pages = uses["actions/upload-pages-artifact"]
    assert pages["with"]["path"] == "site/" and "default_branch" in pages["if"]
    # deploy: only on the default branch, with the Pages permissions and environment
    assert deploy["needs"] == "build" and "default_branch" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"]["cancel-in-progress"] == "false"
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]


def test_workflow_commands_exist():
    for s in steps(load(WORKFLOW)["jobs"]["build"]):
        words = shlex.split(s.get("run", ""))
        if words[:1] == ["bash"]:
            assert (REPO / words[1]).is_file(), words
        if "build.py" in words:
            rest = words[words.index("build.py") + 1:]
            assert not rest or rest[0] == "--check" or rest[0] in SUBCOMMANDS, words


# -- pre-commit ----------------------------------------------------------------------

def hooks() -> list[dict]:
    config = load(PRE_COMMIT)
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    return repo["hooks"]


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True,
                         text=True, check=True).stdout
    return [p for p in out.split("\0") if p]


def test_pre_commit_hooks_reference_existing_commands_and_files():
    ids = [h["id"] for h in hooks()]
    assert len(ids) == len(set(ids))
    assert {"brief-check", "schema-events", "schema-faq", "schema-brief"} <= set(ids)
    for h in hooks():
        assert h["language"] == "system" and h["name"]
        words = shlex.split(h["entry"])
        assert (REPO / words[0]).is_file(), f"{h['id']}: {words[0]} does not exist"
        if "build.py" in words:
            sub = words[words.index("build.py") + 1]
            assert sub == "--check" or sub in SUBCOMMANDS, h["id"]
        if "--schemafile" in words:
            assert (REPO / words[words.index("--schemafile") + 1]).is_file(), h["id"]
        re.compile(h["files"])


def test_brief_check_hook_runs_on_staged_yaml_and_markdown_of_the_brief():
    pattern = re.compile(next(h for h in hooks() if h["id"] == "brief-check")["files"])
    for path in ("brief.yml", "sources/events/events.yml", "sources/faq/faq.yml",
                 "sources/entities.yml", "sources/articles/some-article.md"):
        assert pattern.search(path), path
    for path in ("docs/index.md", "mkdocs.yml", "README.md", "tests/fixtures/mini/brief.yml"):
        assert not pattern.search(path), path


def test_pre_commit_hooks_pass_on_the_repository():
    """Each hook as pre-commit runs it with --all-files: on the tracked files its
    `files` pattern selects (passed as arguments unless pass_filenames is false)."""
    files = tracked_files()
    ran = 0
    for h in hooks():
        selected = [f for f in files if re.search(h["files"], f)]
        if not selected:
            continue
        args = [] if h.get("pass_filenames") == "false" else selected
        proc = subprocess.run(shlex.split(h["entry"]) + args, cwd=REPO, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, f"{h['id']}:\n{proc.stdout}\n{proc.stderr}"
        ran += 1
    assert ran >= 4
