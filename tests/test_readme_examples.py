"""The README's contributor examples work as written: "Adding a source" (its refs.bib entry
and record, hashed with the script it names), "Adding a claim" (built in a tiny book and
checked with no problem) and "Correcting a claim" (an entry the corrections log reads)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, sphinx_build

from idcpc_book import corrections, sphinxbuild
from idcpc_book.checker.cli import main
from idcpc_book.inputs import glossary
from idcpc_book.inputs.records import read_record, split_record

README = (REPO / "README.md").read_text(encoding="utf-8")
KEY, OTHER = "thenews2024liulandsislamabad", "dailypakistan2024arrives"


def _section(heading: str) -> str:
    start = README.index(f"\n{heading}\n")
    following = re.search(r"\n#{2,3} ", README[start + len(heading) + 2 :])
    return README[start : start + len(heading) + 2 + following.start()]


def _blocks(section: str, language: str) -> list[str]:
    """The fenced blocks of ``language`` in ``section``, their indentation removed."""
    found = re.findall(rf"\n( *)```{language}\n(.*?)\n\1```", section, flags=re.S)
    return [re.sub(rf"(?m)^{indent}", "", body) + "\n" for indent, body in found]


def _bib_entry(key: str) -> str:
    text = (REPO / "refs.bib").read_text(encoding="utf-8")
    return re.search(rf"(?ms)^@online\{{{key},.*?^\}}\n", text).group(0)


def _book(tmp_path: Path, claim: str) -> Path:
    """A book made by following the README: its bib entry and record template (filled with
    the archived text), hashed by scripts/hash_sources.py, the second source as archived."""
    source = _section("## Adding a source")
    (bib,) = _blocks(source, "bibtex")
    template = _blocks(source, "text")[0]
    root = tmp_path / "book"
    (root / "docs").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "refs.bib").write_text(bib + "\n" + _bib_entry(OTHER), encoding="utf-8")
    _, archived = split_record((REPO / "sources" / f"{KEY}.txt").read_text(encoding="utf-8"))
    record = template.replace("<verbatim text of the source>\n", archived)
    (root / "sources" / f"{KEY}.txt").write_text(record, encoding="utf-8")
    shutil.copy(REPO / "sources" / f"{OTHER}.txt", root / "sources")
    hashed = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "hash_sources.py"), "--root", str(root), KEY],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert hashed.returncode == 0, hashed.stderr
    assert read_record(root / "sources" / f"{KEY}.txt").sha256
    (root / "docs" / "index.md").write_text(
        "# Example\n\n" + claim + "\n## Sources\n\n```{source-records}\n```\n\n"
        "## References\n\n```{bibliography}\n```\n",
        encoding="utf-8",
    )
    return root


def _check(tmp_path: Path, root: Path, capsys) -> tuple[int, list[str]]:
    # as `nox -s check` does: the needs build leaves the verdict to the checker
    result = sphinx_build(
        root / "docs", tmp_path / "out", builder="needs", strict=True,
        options=sphinxbuild.VERDICT_OFF,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    capsys.readouterr()
    code = main(["--root", str(root), "--needs", str(tmp_path / "out" / "needs.json")])
    return code, capsys.readouterr().out.splitlines()


def _claim() -> str:
    (claim,) = _blocks(_section("## Adding a claim"), "text")
    return claim


def test_the_readme_claim_and_source_build_and_pass_the_check(tmp_path, capsys) -> None:
    claim = _claim()
    assert " || " in claim and ":event_date: 2024-06-20" in claim
    code, lines = _check(tmp_path, _book(tmp_path, claim), capsys)
    assert (code, lines[-1]) == (
        0,
        "claims: 1, sources: 2, citations: 2, prose coverage: 100.0 %, problems: 0",
    )


def test_the_readme_claim_with_one_source_fails_corroboration(tmp_path, capsys) -> None:
    """What the README's example was: a verified fact on one report."""
    claim = (
        _claim()
        .replace(", SRC_DAILYPAKISTAN2024ARRIVES", "")
        .replace(",dailypakistan2024arrives", "")
    )
    claim = re.sub(r" \|\| [^\n]*", "", claim)
    code, lines = _check(tmp_path, _book(tmp_path, claim), capsys)
    assert code == 1
    assert lines[0] == (
        "docs/index.md:3: CLM_VISIT_ARRIVAL: verified fact rests on one independent-media "
        "report (The News International); cite a second independent source or the actor's "
        "official record, or make it unverified or attributed"
    )


def test_the_readme_correction_entry_is_read_by_the_log(tmp_path) -> None:
    (entry,) = _blocks(_section("### Correcting a claim"), "toml")
    (tmp_path / corrections.FILE).write_text(entry, encoding="utf-8")
    (read,) = corrections.load(tmp_path)
    assert (read.id, read.type, list(read.claims)) == (
        "COR_VISIT_ARRIVAL_AIRPORT", "clarification", ["CLM_VISIT_ARRIVAL"]
    )  # fmt: skip


def test_the_corrections_log_points_to_a_readme_section_that_exists() -> None:
    text = (REPO / "corrections.toml").read_text(encoding="utf-8")
    name = re.search(r'README,\s*#?\s*"([^"]+)"', text).group(1)
    assert name == "Correcting a claim"
    assert "\n### Correcting a claim\n" in README


def test_glossary_example_is_an_entry_of_the_book_s_glossary(tmp_path) -> None:
    """ "Glossary": the example reads as a glossary, and is the book's own entry (whose
    names the glossary rule finds in their claims in every build)."""
    (block,) = _blocks(_section("## Glossary"), "toml")
    (tmp_path / "glossary.toml").write_text(block, encoding="utf-8")
    (example,) = glossary.load(tmp_path)
    (own,) = [term for term in glossary.load(REPO) if term.term == example.term]
    assert (example.expansion, example.claim) == (own.expansion, own.claim)
    assert {(v.form, v.claim) for v in example.variants} <= {
        (v.form, v.claim) for v in own.variants
    }
