"""Byte-identical rebuilds: remove the two run-dependent values sphinx-needs writes.

* Each need's HTML container gets a random ID (``SNCB-`` + part of a UUID4, in
  ``sphinx_needs.layout.build_need_repr``), so every build differs. We number the
  containers of each page in document order instead; sphinx-needs' collapse script
  only needs the ``SNCB-`` prefix and uniqueness within the page.
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

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

PREFIX = "SNCB-"
REPORT = "schema_violations.json"
COVER = "#cover"  # the id of sphinx-simplepdf's cover page


def number_need_containers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the random container IDs with ``SNCB-<docname>-<n>``."""
    page = docname.replace("/", "-")
    count = 0
    for node in doctree.findall(nodes.container):
        ids = node.get("ids", [])
        if ids and ids[0].startswith(PREFIX):
            count += 1
            node["ids"] = [f"{PREFIX}{page}-{count}", *ids[1:]]


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
    # after sphinx-needs has built the containers (default priority 500)
    app.connect("doctree-resolved", number_need_containers, priority=800)
    app.connect("html-page-context", link_root_to_cover)
    app.connect("build-finished", drop_timing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
