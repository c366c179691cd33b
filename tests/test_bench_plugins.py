"""Citation speed-ups: same output, less work.

* ``pybtex_plugins``: each entry-point query is scanned once;
* ``bibtex_index``: bibliography filtering indexes the citations once.
"""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pybtex.plugin
import pytest
from conftest import REPO
from sphinx.application import Sphinx

from idcpc_book import ext
from idcpc_book.bench import generate
from idcpc_book.ext.upstream import pybtex_plugins

EXTENSION = "idcpc_book.ext.upstream.pybtex_plugins"
INDEX = "idcpc_book.ext.upstream.bibtex_index"
MEMO = "idcpc_book.ext.upstream.bibtex_memo"  # sets up INDEX itself


@pytest.fixture
def scans(monkeypatch):
    """Every query that reaches ``importlib.metadata`` from pybtex.plugin, in order."""
    calls: list[dict[str, str]] = []
    original = pybtex.plugin.entry_points
    base = getattr(original, "idcpc_memo_of", original)

    def counting(**params: str):
        calls.append(params)
        return base(**params)

    monkeypatch.setattr(pybtex.plugin, "entry_points", counting)
    pybtex_plugins.clear()
    yield calls
    pybtex_plugins.clear()


def _build(docs: Path, out: Path, without: tuple[str, ...] = (), strict: bool = True) -> Sphinx:
    """An in-process HTML build with the real conf.py, less the extensions ``without``."""
    overrides = {}
    if without:
        conf: dict = {}
        exec(
            (REPO / "conf.py").read_text(encoding="utf-8"),
            {"__file__": str(REPO / "conf.py")},
            conf,
        )
        overrides["extensions"] = ext.without(conf["extensions"], without)
    app = Sphinx(
        str(docs), str(REPO), str(out), str(out / ".doctrees"), "html",
        confoverrides=overrides, status=None, warning=sys.stderr, freshenv=True,
        warningiserror=strict,
    )  # fmt: skip
    app.build(force_all=True)
    return app


def _outputs(out: Path) -> dict[str, str]:
    files = [*out.rglob("*.html"), out / "needs.json"]
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in files}


@pytest.mark.slow  # the generated book built twice
def test_output_identical_and_each_query_scanned_once(tmp_path, scans) -> None:
    docs = generate.write_book(tmp_path / "book", 20)  # 30 citations, a bibliography

    _build(docs, tmp_path / "plain", without=(EXTENSION, INDEX, MEMO))  # upstream's domain
    plain_scans = len(scans)
    scans.clear()
    _build(docs, tmp_path / "memo")

    assert _outputs(tmp_path / "plain") == _outputs(tmp_path / "memo")
    distinct = {tuple(sorted(c.items())) for c in scans}
    assert len(scans) == len(distinct)  # with the memo, no query is scanned twice
    assert plain_scans >= 30  # without it, at least one scan per citation
    assert len(scans) < plain_scans / 5


def test_memo_answers_like_the_lookup_for_any_arguments(scans) -> None:
    lookup = pybtex_plugins.memoised(importlib.metadata.entry_points)
    queries = [
        {"group": "pybtex.backends", "name": "docutils"},
        {"group": "pybtex.backends", "name": "plaintext"},
        {"group": "pybtex.style.names", "name": "plain"},
        {"group": "pybtex.backends", "name": "no-such-plugin"},
        {"group": "pybtex.backends"},
    ]
    for params in queries * 2:
        assert list(lookup(**params)) == list(importlib.metadata.entry_points(**params))
    assert next(iter(lookup(group="pybtex.backends", name="docutils"))).name == "docutils"
    assert not lookup(group="pybtex.backends", name="no-such-plugin")


def test_memo_is_keyed_by_sys_path(monkeypatch, scans) -> None:
    pybtex_plugins.install()
    pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
    pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
    assert len(scans) == 1
    monkeypatch.setattr(sys, "path", [*sys.path, "/nonexistent"])
    pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
    assert len(scans) == 2


def test_runtime_plugins_still_win_over_memoised_entry_points(monkeypatch, scans) -> None:
    pybtex_plugins.install()
    found = pybtex.plugin.find_plugin("pybtex.style.labels", "alpha")
    assert found.__name__ == "LabelStyle"

    class Override(pybtex.plugin.Plugin):
        pass

    monkeypatch.setitem(pybtex.plugin._RUNTIME_PLUGINS, "pybtex.style.labels", {"alpha": Override})
    assert pybtex.plugin.find_plugin("pybtex.style.labels", "alpha") is Override


def test_install_is_idempotent(scans) -> None:
    pybtex_plugins.install()
    once = pybtex.plugin.entry_points
    pybtex_plugins.install()
    assert pybtex.plugin.entry_points is once


def test_indexed_bibliography_filter_selects_like_upstream(tmp_path) -> None:
    from sphinxcontrib.bibtex.domain import BibtexDomain

    from idcpc_book.ext.upstream.bibtex_index import IndexedBibtexDomain

    docs = generate.write_book(tmp_path / "book", 40)
    # a second bibliography, filtered by where entries are cited (the index's use)
    (docs / "cited.md").write_text(
        "# Cited in chapter 1\n\n```{bibliography}\n:filter: \"'chapter01' in docnames\"\n```\n",
        encoding="utf-8",
    )
    _edit = (
        (docs / "index.md")
        .read_text(encoding="utf-8")
        .replace("bibliography\n", "bibliography\ncited\n")
    )
    (docs / "index.md").write_text(_edit, encoding="utf-8")
    # non-strict: both bibliographies list the chapter-1 entries (duplicate-citation warnings)
    app = _build(docs, tmp_path / "out", strict=False)
    domain = app.env.get_domain("cite")
    assert isinstance(domain, IndexedBibtexDomain)
    selected = {}
    for key in domain.bibliographies:
        ours = list(domain.get_filtered_entries(key))
        assert ours == list(BibtexDomain.get_filtered_entries(domain, key))
        selected[key.docname] = [k for k, _ in ours]
    assert len(selected["bibliography"]) == 20
    chapter1 = {c.key for c in generate.claims(40) if c.chapter == 1}
    assert set(selected["cited"]) == chapter1


def test_style_formats_an_entry_once_for_bibliography_and_tooltip() -> None:
    from pybtex.database import parse_string

    from idcpc_book.ext.book.bibstyle import BookStyle

    bib = parse_string(generate._bib_entry(1) + generate._bib_entry(2), "bibtex")
    one, two = bib.entries["bench00001"], bib.entries["bench00002"]
    style = BookStyle()
    first = style.format_entry("Wire 2001", one)
    assert style.format_entry("Wire 2001", one) is first  # the tooltip's call
    fresh = BookStyle().format_entry("Wire 2001", one)
    assert first.text.render_as("text") == fresh.text.render_as("text")
    assert first.label == fresh.label == "Wire 2001"
    assert style.format_entry("Wire 2002", two) is not first
    assert style.format_entry("Wire 2001b", one).label == "Wire 2001b"  # another label
