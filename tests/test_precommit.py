"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, run by pre-commit on a throw-away
clone of the repository (offline: the hooks are ``system`` hooks, and the hook repository
is the clone itself); and the example workflow, which runs the README's test command.

The clone holds the last commit: uncommitted changes to the hooks are not tried.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import REPO

RECORD = "sources/thenews2024liulandsislamabad.txt"
HOOKS = {
    "check-citations": "check citations (needs build and citation checker)",
    "hash-sources": "archived texts match their SHA-256",
}


def _git(*args: str, cwd=None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def clone(tmp_path):
    """A clone of the repository whose pre-commit config uses the clone's own hooks; the
    book's dependencies are those of this interpreter (nox runs without installing)."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("the hooks are tried on a git clone: needs git and a git checkout")
    book = tmp_path / "book"
    _git("clone", "--quiet", str(REPO), str(book))
    config = {
        "repos": [
            {
                "repo": str(book),
                "rev": _git("rev-parse", "HEAD", cwd=book),
                "hooks": [
                    {"id": "check-citations", "args": ["--no-venv", "--no-install"]},
                    {"id": "hash-sources"},
                ],
            }
        ]
    }
    (book / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git("add", ".pre-commit-config.yaml", cwd=book)
    return book


def _pre_commit(book) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {
        "PRE_COMMIT_HOME": str(book.parent / "pre-commit-home"),
        # python3 (the hooks' entry) is this interpreter, with the book's dependencies
        "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{env.get('PATH', '')}",
        "PIP_NO_INDEX": "1",  # offline: any attempt to install fails
        "UV_OFFLINE": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=book, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def _status(output: str) -> dict[str, str]:
    """Hook name -> Passed/Failed, from pre-commit's dotted lines."""
    found = re.findall(r"^(.+?)\.{3,}(Passed|Failed)$", output, re.M)
    return dict(found)


@pytest.mark.slow  # the real check on a clone of the real book
def test_the_hooks_pass_on_the_book(clone) -> None:
    result = _pre_commit(clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _status(result.stdout) == {name: "Passed" for name in HOOKS.values()}


@pytest.mark.slow  # the real check on a clone of the real book
def test_the_hooks_fail_on_a_changed_archived_text(clone) -> None:
    with (clone / RECORD).open("a", encoding="utf-8") as record:
        record.write("A line added after the text was hashed.\n")
    result = _pre_commit(clone)
    assert result.returncode == 1
    assert _status(result.stdout) == {name: "Failed" for name in HOOKS.values()}
    lines = result.stdout.splitlines()
    assert (
        f"{RECORD}:4: SRC_THENEWS2024LIULANDSISLAMABAD: archived text does not match its "
        "'sha256' (changed since it was hashed; if the change is deliberate, run python "
        "scripts/hash_sources.py thenews2024liulandsislamabad)"
    ) in lines
    assert f"stale: {RECORD}" in lines


def test_the_hooks_file_exposes_both_checks() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"]: h["name"] for h in hooks} == HOOKS
    entries = {h["id"]: h["entry"] for h in hooks}
    assert entries == {
        "check-citations": "python3 -m nox -s check",
        "hash-sources": "python3 scripts/hash_sources.py --check",
    }


def _readme_test_command() -> str:
    quick_start = (REPO / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1]
    block = quick_start.split("```sh\n", 1)[1].split("```", 1)[0]
    return block.strip().splitlines()[-1]


def test_the_example_workflow_runs_the_readme_test_command() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "check.yml").read_text())
    runs = [step.get("run") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "bash .ci/run" in runs
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci_run[-1] == _readme_test_command() == "python3 -m nox -s check tests lint"
    assert "python3 -m nox -s check -- --format github" in runs
