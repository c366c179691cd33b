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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import weasyprint
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx_simplepdf.builders.simplepdf import SimplePdfBuilder

from idcpc_book.ext.formats.pdf_process import run_apart
from idcpc_book.ext.upstream.simplepdf_toc import toctree_fix

#: WeasyPrint's name for PDF/UA-1 (ISO 14289-1).
PDF_VARIANT = "pdf/ua-1"


class AccessiblePdfBuilder(SimplePdfBuilder):
    """sphinx-simplepdf's builder, writing a tagged PDF/UA-1 file."""

    def finish(self) -> None:
        SingleFileHTMLBuilder.finish(self)
        index = Path(self.outdir) / f"{self.config.root_doc}.html"
        html = index.read_text(encoding="utf-8")
        fixed = toctree_fix(self, html)
        if fixed != html:
            index.write_text(fixed, encoding="utf-8")
        name = self.config.simplepdf_file_name or f"{self.config.project}.pdf"
        target = str(Path(self.outdir) / name)
        run_apart(lambda: weasyprint.HTML(str(index)).write_pdf(target, pdf_variant=PDF_VARIANT))


def setup(app: Sphinx) -> dict[str, Any]:
    # the builder's own module registers its configuration values (Sphinx loads it, from
    # its entry point, only for a builder name nobody registered)
    app.setup_extension("sphinx_simplepdf.builders.simplepdf")
    app.add_builder(AccessiblePdfBuilder, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
