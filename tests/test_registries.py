"""The registries of the checker's rules, the figures and the exports, and the tables
read from them: the README's (kept in sync by scripts/registry_tables.py) and the
methodology page's (the ``registry`` directive)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import REPO, ROOTS, sphinx_build

from idcpc_book import archive, export_list, model, registry_tables
from idcpc_book.checker import rules
from idcpc_book.figures.registry import FIGURES

SCRIPT = REPO / "scripts" / "registry_tables.py"
STALE = "README.md: stale tables: {} (run python scripts/registry_tables.py)"


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_the_readme_tables_are_the_registries() -> None:
    result = _script("--check")
    assert (result.returncode, result.stdout) == (0, "")


def test_a_readme_table_that_differs_from_its_registry_names_the_command(tmp_path) -> None:
    readme = tmp_path / "README.md"
    text = (REPO / "README.md").read_text(encoding="utf-8")
    readme.write_text(text.replace("| 7 | `coverage` |", "| 8 | `coverage` |"), encoding="utf-8")
    result = _script("--check", "--readme", str(readme))
    assert (result.returncode, result.stdout) == (1, STALE.format("checker-rules") + "\n")
    assert _script("--readme", str(readme)).returncode == 0  # regenerated ...
    assert readme.read_text(encoding="utf-8") == text  # ... as the registry says


def test_a_readme_without_a_tables_markers_is_stale() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert registry_tables.stale(text) == []
    without = text.replace(registry_tables.END.format("exports"), "")
    assert registry_tables.stale(without) == ["exports"]
    with pytest.raises(ValueError, match="no markers for the table 'exports'"):
        registry_tables.sync(without)


def test_rules_are_numbered_from_one_and_each_module_is_registered() -> None:
    assert [r.number for r in rules.RULES] == list(range(1, len(rules.RULES) + 1))
    modules = {p.stem for p in (REPO / "idcpc_book/checker/rules").glob("[!_]*.py")}
    assert set(rules.names()) == modules
    assert rules.numbers("citations") == [1, 2, 3]
    assert rules.numbers("corroboration") == [12]
    assert rules.numbers("history") == [11]
    assert rules.numbers("superseded") == [13]
    assert rules.numbers("dated") == [14]
    assert rules.numbers("key_facts") == [15]


def test_figure_fields_are_claim_fields_and_each_module_is_drawn() -> None:
    known = set(model.needs_fields()) | set(model.needs_links())
    assert [(f.name, field) for f in FIGURES for field in f.fields if field not in known] == []
    helpers = {"registry", "reads"}  # the list of figures; what a figure read
    modules = {p.stem for p in (REPO / "idcpc_book/figures").glob("[!_]*.py")} - helpers
    assert len(FIGURES) == len(modules) == 5


def test_an_edition_archives_the_exports_marked_archived() -> None:
    assert archive.FILES == ("claims.json", "sources.json")
    assert [e.name for e in export_list.EXPORTS if e.archived] == list(archive.FILES)


def test_the_registry_directive_prints_each_registry(tmp_path) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    blocks = "".join(f"```{{registry}} {name}\n```\n\n" for name in registry_tables.TABLES)
    text = index.read_text(encoding="utf-8")
    # the rules' list links to the page's Corrections section
    blocks += "## Corrections\n\n"
    index.write_text(text.replace("## Sources", f"{blocks}## Sources"), encoding="utf-8")
    out = tmp_path / "html"
    result = sphinx_build(root / "docs", out, builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count('<ol class="arabic simple">') == 1
    assert "<li><p>a paragraph is neither in a claim nor marked editorial;</p></li>" in page
    assert page.count("<table") == 2
    for figure in FIGURES:
        assert f'<span class="pre">{figure.name}</span>' in page
    for export in export_list.EXPORTS:
        assert f'<span class="pre">{export.name}</span>' in page


def test_an_unknown_registry_is_a_located_error(tmp_path) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("## Sources", "```{registry} rules\n```\n\n## Sources"))
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 1
    line = index.read_text(encoding="utf-8").splitlines().index("```{registry} rules") + 1
    assert (
        f"{index}:{line}: ERROR: unknown registry 'rules'; expected one of checker-rules, "
        "figures, exports" in result.stderr
    )
