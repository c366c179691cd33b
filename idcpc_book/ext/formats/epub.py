"""Make Sphinx's EPUB 3 output pass epubcheck.

Faults epubcheck reports, all upstream:

* ``toc.ncx`` gives ``epub_uid`` (the XML id of the identifier element) as ``dtb:uid``
  where the book's identifier belongs (NCX-001; sphinx-doc/sphinx#11184). The builder
  below writes the identifier.
* docutils gives each bibliography entry the ARIA role ``doc-biblioentry``, which
  DPUB-ARIA 1.1 deprecates (epubcheck RSC-017, a warning); the entries sit in a
  ``role="list"`` already, so they become list items.
* EPUB 3 metadata needs ``version``; the EPUB build takes it from ``release``. (Only
  there: a ``version`` changes the layout of sphinx-needs' ``needs.json``.)
* sphinx-needs' ``need_style.css`` holds a lone ``;`` between two declarations, which
  browsers skip but epubcheck's CSS parser rejects (CSS-008). The copy in the book is
  mended after the static files are copied.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.writers.html5 import HTML5Translator

from idcpc_book.ext import order

_LONE_SEMICOLON = re.compile(r"^\s*;\s*$\n", re.MULTILINE)


class BookEpubTranslator(HTML5Translator):
    """Bibliography entries as list items, not the deprecated ``doc-biblioentry``."""

    def visit_citation(self, node: nodes.citation) -> None:
        if not isinstance(node.previous_sibling(), nodes.citation):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


class BookEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with the faults above mended."""

    default_translator_class = BookEpubTranslator

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = self.config.epub_identifier
        return metadata

    def copy_static_files(self) -> None:
        super().copy_static_files()
        css = Path(self.outdir) / "_static" / "sphinx-needs" / "common_css" / "need_style.css"
        if css.is_file():
            css.write_text(_LONE_SEMICOLON.sub("", css.read_text(encoding="utf-8")), "utf-8")


def _version_from_release(app: Sphinx) -> None:
    if app.builder.name == "epub" and not app.config.version:
        app.config.version = app.config.release


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_builder(BookEpubBuilder, override=True)
    app.connect("builder-inited", _version_from_release, priority=order.EPUB_VERSION)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
