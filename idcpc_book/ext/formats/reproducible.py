"""Byte-identical rebuilds: remove the run-dependent values the libraries write.

(sphinx-needs also gives each need it draws a random container ID, ``SNCB-`` + part of a
UUID4; the book draws its needs itself, :mod:`idcpc_book.ext.book.prose`, so none is
written.)

* The PDF theme's sidebar heading links to the root document, which on the single
  page is ``href="#"``; WeasyPrint turns a bare ``#`` into a ``file://`` URI of the
  build folder, so the PDF linked to the builder's disk and differed between build
  folders. On the single page we point that link at the cover instead.
* ``schema_violations.json`` states how long schema validation took and the needs
  validated per second. We rewrite it without the timing (the count and any
  violations stay).

Everything else Sphinx, sphinx-needs (``needs_reproducible_json``), furo and
WeasyPrint write is already stable for the same sources and ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

REPORT = "schema_violations.json"
COVER = "#cover"  # the id of sphinx-simplepdf's cover page


def link_root_to_cover(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """On the single-page (PDF) build, ``pathto(root_doc)`` is ``#``: make it ``#cover``."""
    if not isinstance(app.builder, SingleFileHTMLBuilder) or "pathto" not in context:
        return
    pathto = context["pathto"]

    def single_page_pathto(name: str, *args: Any, **kwargs: Any) -> str:
        uri = pathto(name, *args, **kwargs)
        return COVER if uri == "#" else uri

    context["pathto"] = single_page_pathto


def drop_timing(app: Sphinx, exception: Exception | None) -> None:
    """Remove the timing from sphinx-needs' schema report, if there is one."""
    report = Path(app.outdir) / REPORT
    if exception is not None or not report.is_file():
        return
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    data.pop("validated_needs_per_second", None)
    warnings = len(data.get("validation_warnings") or {})
    data["validation_summary"] = (
        f"Schema validation completed with {warnings} warning(s). "
        f"Validated {data.get('validated_needs_count', 0)} needs."
    )
    report.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", link_root_to_cover)
    app.connect("build-finished", drop_timing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
