"""The library faults the book works around are still there.

Each workaround module in ``idcpc_book/ext/upstream/`` names, at its top, the upstream
version and fault it works around and what it saves (``perf/trial.py``). Each test here
shows that fault in the installed library, without the workaround, and fails once the
library no longer has it: the message says which module can then go (after a run of
``nox -s perf -- trial`` confirms it saves nothing). Where the fault is a scan that only
shows at scale, the test counts the work (iterations, calls) instead of timing it; where
counting would need a whole book, it pins the upstream code the workaround re-implements,
so a new release is looked at again.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import inspect
import textwrap
from types import SimpleNamespace

import pybtex.plugin
import pytest
from sphinxapp import GC_FREEZE, MEMO, docutils_registry, formatted, strict_app, strict_build  # noqa: F401
from sphinxcontrib.bibtex.directives import BibliographyKey
from sphinxcontrib.bibtex.domain import BibtexDomain
from sphinxcontrib.bibtex.transforms import BibliographyTransform

from idcpc_book.bench import generate

GONE = (
    "upstream fault gone: remove idcpc_book/ext/upstream/{} (measure first: nox -s perf -- trial)"
)


def test_pybtex_scans_the_installed_packages_at_every_plugin_lookup(monkeypatch) -> None:
    """pybtex 0.26.1: ``find_plugin`` asks ``importlib.metadata`` at every call."""
    lookup = getattr(pybtex.plugin.entry_points, "idcpc_memo_of", pybtex.plugin.entry_points)
    calls = []

    def counting(**params):
        calls.append(params)
        return lookup(**params)

    monkeypatch.setattr(pybtex.plugin, "entry_points", counting)
    for _ in range(3):
        pybtex.plugin.find_plugin("pybtex.backends", "html")
    assert len(calls) == 3, GONE.format("pybtex_plugins.py")


class _CountingList(list):
    """A list that counts how often it is iterated."""

    iterations = 0

    def __iter__(self):
        self.iterations += 1
        return super().__iter__()


def test_bibtex_scans_every_citation_for_every_entry() -> None:
    """sphinxcontrib-bibtex 2.7.0: ``get_filtered_entries`` scans all citations per entry."""
    entries = [SimpleNamespace(key=f"key{i}") for i in range(5)]
    refs = _CountingList(
        SimpleNamespace(docname="index", targets=[SimpleNamespace(key=f"key{i}")]) for i in range(5)
    )
    bibliography = SimpleNamespace(
        bibfiles=[], keyprefix="", filter_=ast.parse("cited", mode="eval").body, keys=[],
        line=1,
    )  # fmt: skip
    key = BibliographyKey(docname="bibliography", id_="bibliography-id0")
    domain = SimpleNamespace(
        bibliographies={key: bibliography}, get_entries=lambda bibfiles: entries,
        citation_refs=refs,
    )  # fmt: skip
    found = list(BibtexDomain.get_filtered_entries(domain, key))  # type: ignore[arg-type]
    assert [k for k, _ in found] == [e.key for e in entries]
    assert refs.iterations == len(entries), GONE.format("bibtex_index.py (the filter index)")


#: Upstream code that ``bibtex_index`` re-implements or hands a narrowed input, as in
#: sphinxcontrib-bibtex 2.7.0 (SHA-256 of the source, first 16 hex digits). Both scans
#: only show at scale (7500 references x 2500 entries); a new release is measured again.
PINNED = {
    "resolve_xref": (BibtexDomain.resolve_xref, "53e1f8c0f8f6a137"),
    "BibliographyTransform.run": (BibliographyTransform.run, "e5b6a10dbac7aaea"),
}


@pytest.mark.parametrize("name", PINNED)
def test_bibtex_code_the_index_narrows_is_unchanged(name) -> None:
    function, digest = PINNED[name]
    source = inspect.getsource(function)
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == digest, (
        f"sphinxcontrib-bibtex changed {name}: check whether it still scans every entry "
        "(or reference) per citation; if not, " + GONE.format("bibtex_index.py")
    )


@pytest.mark.slow
def test_bibtex_formats_the_whole_bibliography_again_on_a_rebuild(tmp_path, formatted) -> None:  # noqa: F811
    """sphinxcontrib-bibtex 2.7.0: a rebuild with nothing changed formats every entry."""
    docs = generate.write_book(tmp_path / "book", 20)  # 10 sources
    strict_build(docs, tmp_path / "out", without=(MEMO,))
    formatted.clear()
    strict_build(docs, tmp_path / "out", without=(MEMO,), fresh=False)
    assert sorted(formatted) == [generate.source_key(i) for i in range(10)], GONE.format(
        "bibtex_memo.py"
    )


@pytest.mark.slow
def test_sphinx_leaves_the_loaded_environment_to_full_collections(tmp_path) -> None:
    """Sphinx 9.0.4: nothing is frozen during a build, so every full collection scans the
    loaded environment and every need again."""
    docs = generate.write_book(tmp_path / "book", 20)
    strict_build(docs, tmp_path / "out", without=(GC_FREEZE,))
    generate.edit_chapter(docs)
    app = strict_app(docs, tmp_path / "out", (GC_FREEZE,), fresh=False)
    frozen: list[int] = []
    app.connect("env-updated", lambda app, env: frozen.append(gc.get_freeze_count()))
    app.build()
    assert frozen == [0], GONE.format("gc_freeze.py")


@pytest.mark.slow
def test_sphinx_needs_leaves_aggregating_pages_stale(tmp_path) -> None:
    """sphinx-needs 9.1.0 (issue 354): after a claim changes in one chapter, an incremental
    build leaves the claims index (a ``needtable`` on another page) as it was."""
    dependents = ("idcpc_book.ext.upstream.need_dependents",)
    docs = generate.write_book(tmp_path / "book", 20)
    strict_build(docs, tmp_path / "out", without=dependents)
    chapter = docs / "chapter01.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace(":status: verified", ":status: disputed", 1),
        encoding="utf-8",
    )
    strict_build(docs, tmp_path / "out", without=dependents, fresh=False)
    index = (tmp_path / "out" / "claims.html").read_text(encoding="utf-8")
    assert "disputed" not in index, GONE.format("need_dependents.py")


def test_simplepdf_prints_its_table_of_contents_fix_up(capsys) -> None:
    """sphinx-simplepdf 1.7.0: ``_toctree_fix`` prints to stdout (not through a logger)."""
    from sphinx_simplepdf.builders.simplepdf import SimplePdfBuilder

    html = (
        '<div class="sphinxsidebarwrapper"><ul><li class="toctree-l1">'
        '<a class="reference internal" href="#a">A</a></li></ul></div><section id="a"></section>'
    )
    builder = SimpleNamespace(app=SimpleNamespace(config=SimpleNamespace(root_doc="index")))
    SimplePdfBuilder._toctree_fix(builder, html)  # type: ignore[arg-type]
    printed = capsys.readouterr().out
    assert "found duplicate chapters" in printed, GONE.format("simplepdf_print.py")


def _plain_html_app(tmp_path, conf: str, status=None):
    """A Sphinx HTML application of a one-page book with ``conf`` (no book extension)."""
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(conf, encoding="utf-8")
    (src / "index.rst").write_text("Title\n=====\n", encoding="utf-8")
    return Sphinx(
        src, src, tmp_path / "out", tmp_path / "doctrees", "html", status=status, warning=None
    )


def test_sphinx_writes_a_priority_into_the_configured_files(tmp_path) -> None:
    """Sphinx 9.0.4: the HTML builder sets a priority in ``html_css_files``' own entries, so
    the pickled configuration differs from the next build's (a rebuild says it changed)."""
    app = _plain_html_app(tmp_path, "html_css_files = ['a.css']\nhtml_js_files = ['a.js']\n")
    assert app.config.html_css_files == [("a.css", {"priority": 800})], GONE.format(
        "config_stable.py"
    )
    assert app.config.html_js_files == [("a.js", {"priority": 800})], GONE.format(
        "config_stable.py"
    )


def test_furo_registers_its_option_after_the_configuration_is_compared(tmp_path) -> None:
    """furo 2025.12.19: ``pygments_dark_style`` is registered when the builder loads the
    theme, after the pickled configuration (which has it) is compared with the new one."""
    import io

    _plain_html_app(tmp_path, "html_theme = 'furo'\n").build()
    status = io.StringIO()
    _plain_html_app(tmp_path, "html_theme = 'furo'\n", status=status)
    assert "The configuration has changed (1 option: 'pygments_dark_style')" in status.getvalue(), (
        GONE.format("config_stable.py")
    )


def test_simplepdf_passes_no_options_to_weasyprint() -> None:
    """sphinx-simplepdf 1.7.0: ``finish`` calls ``write_pdf`` with ``target`` only, so no
    PDF variant (PDF/UA-1) can be asked for."""
    from sphinx_simplepdf.builders.simplepdf import SimplePdfBuilder

    tree = ast.parse(textwrap.dedent(inspect.getsource(SimplePdfBuilder.finish)))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "write_pdf"
    ]
    assert calls, "sphinx-simplepdf no longer calls write_pdf in finish: look at simplepdf_ua.py"
    keywords = {k.arg for call in calls for k in call.keywords}
    assert keywords == {"target"}, GONE.format("simplepdf_ua.py")


#: Two needs of one content each: the role counts which contents sphinx-needs parses.
_NEEDS_PAGE = """Title
=====

.. req:: Visible
   :id: R_VISIBLE

   A :counted:`R_VISIBLE` content.

.. req:: Hidden
   :id: R_HIDDEN
   :hide:

   A :counted:`R_HIDDEN` content.
"""


def test_sphinx_needs_parses_and_copies_a_visible_need_only(tmp_path) -> None:
    """sphinx-needs 9.1.0: a visible need's content is parsed into its node, which is deep
    copied into the needs' data (``_create_need_node``, ``set_need_node``), though the book
    draws its needs itself; a hidden need's is neither. The book's ``claim`` and ``source``
    directives (``ext/book/prose.py``, ``DrawnNeedDirective``) rely on both: they record
    a hidden need and parse its content once."""
    from docutils import nodes
    from sphinx_needs.data import SphinxNeedsData

    parsed: list[str] = []

    def counted(name, rawtext, text, lineno, inliner, options=None, content=None):
        parsed.append(text)
        return [nodes.Text(text)], []

    app = _plain_html_app(tmp_path, "extensions = ['sphinx_needs']\n")
    (tmp_path / "src" / "index.rst").write_text(_NEEDS_PAGE, encoding="utf-8")
    app.add_role("counted", counted)
    app.build()
    assert "R_HIDDEN" not in parsed, (
        "sphinx-needs parses a hidden need's content now: the book parses each claim twice; "
        "measure (nox -s perf -- layers) and revisit DrawnNeedDirective (ext/book/prose.py)"
    )
    copied = SphinxNeedsData(app.env).get_need_node("R_VISIBLE")
    assert parsed == ["R_VISIBLE"] and copied is not None, (
        "upstream fault gone: sphinx-needs' own directive may do for claims and sources "
        "(DrawnNeedDirective, ext/book/prose.py; measure first: nox -s perf -- layers)"
    )


def test_pydyf_rebuilds_the_page_references_at_every_read() -> None:
    """pydyf 0.13.0: ``PDF.page_references`` builds a new tuple of every page's reference at
    each read; WeasyPrint 70 reads it for every tagged element (``_build_box_tree``)."""
    import pydyf
    from weasyprint.pdf import tags

    from idcpc_book.ext.upstream.pydyf_pages import UPSTREAM

    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = UPSTREAM.fget(pdf)
    assert UPSTREAM.fget(pdf) is not first, GONE.format("pydyf_pages.py")
    source = inspect.getsource(tags._build_box_tree)
    assert "pdf.page_references[page_number]" in source, GONE.format("pydyf_pages.py")


def test_simplepdf_parses_a_page_it_leaves_unchanged(monkeypatch, capsys) -> None:
    """sphinx-simplepdf 1.7.0: ``_toctree_fix`` parses (and pretty-prints) the whole page
    even when there is nothing to fix."""
    import bs4
    from sphinx_simplepdf.builders import simplepdf

    parsed: list[str] = []

    class Counting(bs4.BeautifulSoup):
        def __init__(self, markup: str = "", *args, **kwargs) -> None:
            parsed.append(markup)
            super().__init__(markup, *args, **kwargs)

    monkeypatch.setattr(simplepdf, "BeautifulSoup", Counting)
    html = '<div class="sphinxsidebarwrapper"></div><section id="a"><h1>A</h1></section>'
    builder = SimpleNamespace(app=SimpleNamespace(config=SimpleNamespace(root_doc="index")))
    simplepdf.SimplePdfBuilder._toctree_fix(builder, html)  # type: ignore[arg-type]
    assert parsed == [html], GONE.format("simplepdf_toc.py")


def test_sphinx_autobuild_starts_a_new_interpreter_for_every_build(monkeypatch, capsys) -> None:
    """sphinx-autobuild 2025.08.25: ``Builder.__call__`` runs ``python -m sphinx build`` in a
    new process for every change, and ``main`` takes no builder of its own: it constructs
    the ``Builder`` named in its ``__main__`` module, which ``idcpc_book/live.py`` rebinds
    (``tests/test_live.py`` fails if that no longer takes effect)."""
    import subprocess
    import sys

    import sphinx_autobuild.__main__ as autobuild
    from sphinx_autobuild.build import Builder

    runs: list[list[str]] = []
    monkeypatch.setattr(subprocess, "run", lambda command, **options: runs.append(command))
    Builder(["-q", "docs", "out"], url_host="h", pre_build_commands=[], post_build_commands=[])(
        changed_paths=()
    )
    gone = "upstream fault gone: sphinx-autobuild {}; idcpc_book/live.py may go (measure first)"
    assert runs == [[sys.executable, "-m", "sphinx", "build", "-q", "docs", "out"]], gone.format(
        "builds without a new interpreter"
    )
    assert list(inspect.signature(autobuild.main).parameters) == ["argv"], gone.format(
        "main takes a builder"
    )
    assert autobuild.Builder is Builder
