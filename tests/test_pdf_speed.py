"""What makes the PDF build faster leaves the PDF as it was.

* ``upstream.pydyf_pages``: the pages' references, built once, are pydyf's own;
* ``upstream.simplepdf_toc``: sphinx-simplepdf's table-of-contents fix-up is skipped only
  on pages it leaves unchanged, and run on each kind of page it changes;
* ``formats.pdf_process``: the PDF is written in a child process, whose WeasyPrint
  messages and failures reach the build.

The real book's PDF (pages, tags, fonts, layout) is checked by ``test_print.py``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from types import SimpleNamespace

import pydyf
import pytest
from bs4 import BeautifulSoup
from sphinx_simplepdf.builders.simplepdf import SimplePdfBuilder

from idcpc_book.ext.formats import pdf_process
from idcpc_book.ext.upstream import pydyf_pages, simplepdf_toc


def _pdf(pages: int) -> pydyf.PDF:
    pdf = pydyf.PDF()
    for _ in range(pages):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    return pdf


def test_page_references_are_pydyfs_built_once_per_page_count() -> None:
    pdf = _pdf(3)
    first = pydyf_pages.page_references(pdf)
    assert first == pydyf_pages.UPSTREAM.fget(pdf)
    assert pydyf_pages.page_references(pdf) is first  # not built again
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pydyf_pages.page_references(pdf) == pydyf_pages.UPSTREAM.fget(pdf)
    assert len(pydyf_pages.page_references(pdf)) == 4


def test_page_references_replaced_for_the_pdf_builder_only(monkeypatch) -> None:
    monkeypatch.setattr(pydyf.PDF, "page_references", pydyf_pages.UPSTREAM)
    pydyf_pages.patch(SimpleNamespace(builder=SimpleNamespace(name="html")))  # type: ignore[arg-type]
    assert pydyf.PDF.page_references is pydyf_pages.UPSTREAM
    pydyf_pages.patch(SimpleNamespace(builder=SimpleNamespace(name="simplepdf")))  # type: ignore[arg-type]
    pdf = _pdf(2)
    assert pdf.page_references is pdf.page_references


_SIDEBAR = (
    '<div class="sphinxsidebarwrapper"><ul><li class="toctree-l1">'
    '<a class="reference internal" href="{href}">A</a></li></ul></div>'
)
#: A page the fix-up leaves as it was: links to "#a", one section "a", plain headings.
UNCHANGED = (
    _SIDEBAR.format(href="#a")
    + '<section id="a"><h1>A</h1><h2 class="x">B</h2>'
    + '<a class="reference internal" href="#a" title="see index.html">a</a></section>'
)
#: Pages the fix-up changes, one for each of its rewrites.
CHANGED = {
    "duplicate section ids": _SIDEBAR.format(href="#a")
    + '<section id="a"><h2><span class="section-number">1 </span>A</h2></section>'
    + '<section id="a"><h3><span class="section-number">1.1 </span>A</h3></section>',
    "the root document's file in a link": _SIDEBAR.format(href="index.html#a")
    + '<section id="a"></section>',
    "a link not to an anchor": _SIDEBAR.format(href="other.html") + '<section id="a"></section>',
    "a heading with an empty class": '<section id="a"><h1 class="">A</h1></section>',
}


def _builder() -> SimpleNamespace:
    config = SimpleNamespace(root_doc="index")
    return SimpleNamespace(app=SimpleNamespace(config=config), config=config)


def _upstream_fix(html: str) -> str:
    return SimplePdfBuilder._toctree_fix(_builder(), html)  # type: ignore[arg-type]


def _dom(html: str) -> str:
    return str(BeautifulSoup(html, "html.parser"))


def test_toctree_fix_skipped_on_a_page_it_leaves_unchanged(capsys) -> None:
    assert not simplepdf_toc.would_change(UNCHANGED, "index")
    assert _dom(_upstream_fix(UNCHANGED)) == _dom(UNCHANGED)  # the fix-up agrees
    builder = _builder()
    builder._toctree_fix = lambda html: pytest.fail("the fix-up ran")  # type: ignore[attr-defined]
    assert simplepdf_toc.toctree_fix(builder, UNCHANGED) is UNCHANGED


@pytest.mark.parametrize("case", sorted(CHANGED))
def test_toctree_fix_run_on_a_page_it_changes(case, capsys) -> None:
    html = CHANGED[case]
    try:
        assert _dom(_upstream_fix(html)) != _dom(html)  # the fix-up does change it
    except IndexError:  # or fails on it (a link not to an anchor): the build fails as before
        assert case == "a link not to an anchor"
    assert simplepdf_toc.would_change(html, "index")
    builder = _builder()
    builder._toctree_fix = lambda page: "fixed"  # type: ignore[attr-defined]
    assert simplepdf_toc.toctree_fix(builder, html) == "fixed"


linux_only = pytest.mark.skipif(not pdf_process.FORK, reason="the child process is Linux's")


@linux_only
def test_pdf_written_in_a_child_process(tmp_path) -> None:
    target = tmp_path / "pid"
    created: list[object] = []

    def write() -> None:
        created.append(object())  # garbage of the writer, left in its own process
        target.write_text(str(os.getpid()), encoding="utf-8")

    pdf_process.run_apart(write)
    assert int(target.read_text(encoding="utf-8")) != os.getpid()
    assert created == []


def test_pdf_written_in_process_where_there_is_no_fork(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(pdf_process, "FORK", False)
    target = tmp_path / "pid"
    pdf_process.run_apart(lambda: target.write_text(str(os.getpid()), encoding="utf-8"))
    assert int(target.read_text(encoding="utf-8")) == os.getpid()


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname} {record.getMessage()}")


@linux_only
def test_child_messages_reach_the_weasyprint_logger_here(tmp_path) -> None:
    logger = logging.getLogger(pdf_process.LOGGER)
    keep = _Keep()
    logger.addHandler(keep)
    try:

        def write() -> None:
            logger.info("progress, below the level")
            logger.warning("Anchor defined twice: %s", "x")
            logging.getLogger("weasyprint.progress").error("a child logger's error")

        pdf_process.run_apart(write)
    finally:
        logger.removeHandler(keep)
    assert keep.messages == ["WARNING Anchor defined twice: x", "ERROR a child logger's error"]


@linux_only
def test_child_failure_raised_with_its_traceback() -> None:
    def write() -> None:
        raise ValueError("no such font")

    with pytest.raises(pdf_process.ChildFailed, match=r"(?s)Traceback.*ValueError: no such font"):
        pdf_process.run_apart(write)


@linux_only
def test_child_that_dies_is_a_failure(tmp_path: Path) -> None:
    with pytest.raises(pdf_process.ChildFailed, match="no result"):
        pdf_process.run_apart(lambda: os._exit(3))


_STRICT_CONF = """
extensions = ["sphinx_simplepdf", "idcpc_book.ext.formats.pdf", "idcpc_book.ext.upstream.simplepdf_ua"]
simplepdf_use_weasyprint_api = True
simplepdf_file_name = "t.pdf"
"""
_BROKEN_ANCHOR = """Title
=====

.. raw:: html

   <a href="#nowhere">a link to no anchor</a>
"""


@linux_only
def test_weasyprint_warning_in_the_child_fails_a_strict_build(tmp_path) -> None:
    from conftest import sphinx_build

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(_STRICT_CONF, encoding="utf-8")
    (src / "index.rst").write_text(_BROKEN_ANCHOR, encoding="utf-8")
    run = sphinx_build(src, tmp_path / "out", "simplepdf", strict=True, conf_dir=None)
    assert run.returncode != 0
    assert "WeasyPrint: No anchor #nowhere" in run.stderr
    assert (tmp_path / "out" / "t.pdf").is_file()  # written by the child all the same
