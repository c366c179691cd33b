"""Write the PDF as PDF/UA-1: tagged, marked, its language set, for screen readers.

Works around sphinx-simplepdf 1.7.0: with ``simplepdf_use_weasyprint_api`` its
``SimplePdfBuilder.finish`` calls ``weasyprint.HTML(index).write_pdf(target=...)`` with no
other option, so there is no way to ask WeasyPrint (70) for a tagged PDF, which it writes
when called as ``write_pdf(pdf_variant="pdf/ua-1")`` (structure tags, ``/MarkInfo``,
``/Lang`` from the page's ``lang``, PDF/UA metadata). The builder below does what
``finish`` does on that path (the single page written, its table of contents fixed, the
PDF written) with the variant given; it always takes the API path, which the book's
``conf.py`` chooses (``simplepdf_use_weasyprint_api = True``). Remove it when
``test_simplepdf_passes_no_options_to_weasyprint`` fails (sphinx-simplepdf then takes
WeasyPrint options) and set the option in ``conf.py`` instead.

Two more differences from ``finish``, both for speed (they leave the PDF as it was): the
table-of-contents fix-up runs only on a page it would change
(:mod:`idcpc_book.ext.upstream.simplepdf_toc`), and WeasyPrint runs in a child process
(:mod:`idcpc_book.ext.formats.pdf_process`).

The builder is defined and registered only when a build asks for ``simplepdf``: Sphinx
then loads sphinx-simplepdf's builder module from its entry point (which imports
WeasyPrint, about 0.5 s) before ``config-inited``, and the handler below puts this
builder in its place. Every other build (HTML, EPUB, a live preview) imports neither.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.config import Config

from idcpc_book.ext.formats.pdf_process import run_apart
from idcpc_book.ext.upstream.simplepdf_toc import toctree_fix

#: WeasyPrint's name for PDF/UA-1 (ISO 14289-1).
PDF_VARIANT = "pdf/ua-1"
#: sphinx-simplepdf's builder name.
BUILDER = "simplepdf"


@functools.cache
def accessible_pdf_builder() -> type[Builder]:
    """sphinx-simplepdf's builder, writing a tagged PDF/UA-1 file (imports WeasyPrint)."""
    import weasyprint
    from sphinx_simplepdf.builders.simplepdf import SimplePdfBuilder

    class AccessiblePdfBuilder(SimplePdfBuilder):  # type: ignore[misc]
        def finish(self) -> None:
            SingleFileHTMLBuilder.finish(self)
            index = Path(self.outdir) / f"{self.config.root_doc}.html"
            html = index.read_text(encoding="utf-8")
            fixed = toctree_fix(self, html)
            if fixed != html:
                index.write_text(fixed, encoding="utf-8")
            name = self.config.simplepdf_file_name or f"{self.config.project}.pdf"
            target = str(Path(self.outdir) / name)
            run_apart(
                lambda: weasyprint.HTML(str(index)).write_pdf(target, pdf_variant=PDF_VARIANT)
            )

    return AccessiblePdfBuilder


def replace_builder(app: Sphinx, config: Config) -> None:
    """In a ``simplepdf`` build (its builder preloaded by now), use the accessible one."""
    if BUILDER in app.registry.builders:
        app.add_builder(accessible_pdf_builder(), override=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", replace_builder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
