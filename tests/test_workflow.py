"""The brief's CI: the GitHub Actions workflow and the pre-commit hooks.

The workflow is validated against the GitHub workflow schema that check-jsonschema
ships (offline); the hooks are run here as pre-commit would run them, on the
repository's tracked files.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from brief.cli import SUBCOMMANDS
from conftest import MINI, REPO

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


def all_steps(wf: dict) -> list[dict]:
    return [s for job in wf["jobs"].values() for s in job.get("steps", [])]


def test_workflow_checks_first_then_runs_the_readme_commands_uploads_and_deploys():
    wf = load(WORKFLOW)
    jobs = wf["jobs"]
    check, build, deploy = jobs["check"], jobs["build"], jobs["deploy"]
    # a fast job first: only build.py --check; everything else waits for it
    check_runs = "\n".join(s.get("run", "") for s in steps(check))
    assert re.search(r"build\.py --check$", check_runs, re.M)
    assert "pytest" not in check_runs and "test.sh" not in check_runs
    assert build["needs"] == "check" and deploy["needs"] == "build"
    # the README's two commands, through .ci/run (which runs scripts/test.sh, scripts/build.sh)
    runs = [s["run"] for s in steps(build) if "run" in s]
    assert "bash .ci/run" in runs
    ci_run = (REPO / ".ci" / "run").read_text("utf-8")
    assert ci_run.index("bash scripts/test.sh") < ci_run.index("bash scripts/build.sh")
    uses = {s["uses"].split("@")[0]: s for s in steps(build) if "uses" in s}
    assert uses["actions/upload-artifact"]["with"]["path"] == "site/"
    pages = uses["actions/upload-pages-artifact"]
    assert pages["with"]["path"] == "site/" and "default_branch" in pages["if"]
    assert "default_branch" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]


def test_a_deploy_is_never_cancelled_and_a_pull_request_runs_once():
    wf = load(WORKFLOW)
    # only pull-request runs are cancelled by a newer push; default-branch runs queue
    assert wf["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert wf["jobs"]["deploy"]["concurrency"]["cancel-in-progress"] == "false"
    # a push to a pull request's branch does not start a second run beside the PR's
    assert wf["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in wf["on"]


def test_workflow_caches_the_venv_and_npm_and_pins_node():
    wf = load(WORKFLOW)
    def venv_cache(job):
        (cache,) = [s for s in steps(wf["jobs"][job]) if s.get("uses", "").startswith("actions/cache@")]
        assert cache["with"]["path"] == ".venv" and "python-version" in cache["with"]["key"]
        return cache["with"]["key"]

    # two keys: the check job's venv lacks the test packages, and a cache entry is never
    # overwritten, so sharing one key would make every test job reinstall them
    assert "hashFiles('requirements.txt')" in venv_cache("check")
    assert "hashFiles('requirements.txt', 'requirements-dev.txt')" in venv_cache("build")
    assert venv_cache("check").split("-")[:2] != venv_cache("build").split("-")[:2]
    node = next(s for s in all_steps(wf) if s.get("uses", "").startswith("actions/setup-node@"))
    assert node["with"]["cache"] == "npm"
    assert node["with"]["node-version"] == "${{ env.NODE_VERSION }}"
    assert re.fullmatch(r"2[2-9]\.\d+\.\d+", wf["env"]["NODE_VERSION"])  # exact, >= 22


def test_actionlint_passes_on_the_workflow():
    actionlint = str(Path(sys.executable).parent / "actionlint")
    proc = subprocess.run([actionlint, "-no-color", str(WORKFLOW)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_fails_a_broken_workflow(tmp_path):
    actionlint = str(Path(sys.executable).parent / "actionlint")
    broken = tmp_path / "site.yml"
    broken.write_text(WORKFLOW.read_text("utf-8").replace(
        "needs: check", "needs: chekc"), "utf-8")
    proc = subprocess.run([actionlint, "-no-color", str(broken)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1 and "chekc" in proc.stdout, proc.stdout


def test_ci_run_skips_the_raw_article_comparison_without_shared(tmp_path):
    """On a plain checkout (GitHub) ../shared is absent: .ci/run says so and goes on."""
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    (repo / "scripts").mkdir()
    (repo / ".ci" / "run").write_text((REPO / ".ci" / "run").read_text("utf-8"), "utf-8")
    for name in ("test.sh", "build.sh"):  # stand-ins that record that they ran
        (repo / "scripts" / name).write_text(f"echo ran {name}\n", "utf-8")
    proc = subprocess.run(["bash", str(repo / ".ci" / "run")], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "skipping the comparison" in proc.stdout
    assert proc.stdout.index("ran test.sh") < proc.stdout.index("ran build.sh")


def test_workflow_commands_exist():
    for s in all_steps(load(WORKFLOW)):
        for line in s.get("run", "").splitlines():
            words = shlex.split(line)
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
    assert {"brief-check", "brief-schemas-current", "actionlint"} <= set(ids)
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
    # ... and on what --check renders the brief with (issue 14)
    for path in ("mkdocs.yml", "templates/faq.md.j2", "templates/brief.css",
                 "overrides/main.html"):
        assert pattern.search(path), path
    for path in ("docs/index.md", "README.md", "tests/fixtures/mini/brief.yml"):
        assert not pattern.search(path), path


PRE_COMMIT_BIN = str(Path(sys.executable).parent / "pre-commit")


def pre_commit(cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "GITHUB_ACTIONS": "", "NO_COLOR": "1"}
    return subprocess.run([PRE_COMMIT_BIN, "run", "--all-files", "--color", "never"], cwd=cwd,
                          capture_output=True, text=True, timeout=600, env=env)


def test_pre_commit_run_all_files_passes_on_the_repository(tmp_path):
    proc = pre_commit(REPO, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for h in hooks():
        assert re.search(re.escape(h["name"]) + r"\.+Passed$", proc.stdout, re.M), h["id"]


def test_pre_commit_prints_each_problem_once_in_the_builds_format(tmp_path):
    """A brief with a bad date, committed in a git repository of its own that uses this
    repository's hooks: the problem is printed once, as path:line:col: error:."""
    repo = tmp_path / "brief"
    shutil.copytree(MINI, repo, ignore=shutil.ignore_patterns("docs", "site"))
    events = repo / "sources" / "events" / "events.yml"
    events.write_text(events.read_text("utf-8").replace("date: 2024-03\n", "date: Aug 2025\n"),
                      "utf-8")
    shutil.copy(PRE_COMMIT, repo / ".pre-commit-config.yaml")
    (repo / "build.py").symlink_to(REPO / "build.py")
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)
    (repo / ".gitignore").write_text(".venv\n", "utf-8")
    for args in (["init", "-q"], ["add", "."]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    proc = pre_commit(repo, tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    line = next(n for n, text in enumerate(events.read_text("utf-8").splitlines(), 1)
                if text.strip() == "date: Aug 2025")
    shown = re.findall(r"^sources/events/events\.yml:(\d+):(\d+): error: .*Aug 2025.*$", out, re.M)
    assert shown == [(str(line), "9")], out
    assert out.count("Aug 2025") == 2, out  # the message and the line under it, once
    assert "hint: write '2025-08' (year-month)" in out
    assert "Traceback" not in out
