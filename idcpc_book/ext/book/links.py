"""Where a reader goes from any page: the downloads, the repository and "report an error".

Every HTML page's sidebar (``docs/_templates/sidebar/downloads.html``) links the PDF, the
EPUB, the data exports (the claims index's downloads paragraph) and the issue tracker;
each claim gets a "report an error" link that opens a new issue naming it
(:func:`report_node`, put in by :mod:`~idcpc_book.ext.book.marks`). The addresses come
from the edition (:mod:`idcpc_book.edition`: ``[project.urls]`` and ``base_url``, or the
deployment's environment). The PDF and EPUB are built by their own builders; the published
site has them beside the HTML (``nox -s site``); a local build (the placeholder address)
links neither and says where they are built.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from idcpc_book.cite import permalink
from idcpc_book.edition import Edition, is_placeholder
from idcpc_book.ext.book.claims import DOWNLOADS_ID, HTML_BUILDERS, book_edition

#: The page whose downloads paragraph the sidebar links (``docs/claims.md``).
CLAIMS_INDEX = "claims"
#: The page script that dates the cite boxes and keeps their payloads out of search results.
CITE_JS = "cite-box.js"


def new_issue_url(edition: Edition, title: str, body: str) -> str:
    """A prefilled new issue in the book's tracker (GitHub's ``/issues/new`` form); ""
    when the tracker is unknown."""
    if not edition.issues:
        return ""
    return f"{edition.issues}/new?" + urllib.parse.urlencode({"title": title, "body": body})


def claim_report_url(edition: Edition, claim_id: str) -> str:
    """A new issue about one claim: its ID in the title, its permanent link in the body."""
    body = (
        f"Claim: {claim_id}\nPermanent link: {permalink(edition, claim_id)}\n"
        f"Edition: {edition.label}\n\nWhat is wrong, and the source that shows it:\n"
    )
    return new_issue_url(edition, f"Error in claim {claim_id}", body)


def report_node(app: Sphinx, claim_id: str) -> nodes.paragraph | None:
    """The "report an error" link of one claim (HTML; ``None`` without a tracker)."""
    url = claim_report_url(book_edition(app), claim_id)
    if app.builder.name not in HTML_BUILDERS or not url:
        return None
    # "no-search": Sphinx's search index leaves it out (it would index every claim's link)
    para = nodes.paragraph("", "", classes=["claim-report", "no-search"])
    para += nodes.reference(
        "", "report an error", refuri=url, reftitle=f"Open an issue about {claim_id}"
    )
    return para


def page_links(app: Sphinx, pagename: str) -> dict[str, Any]:
    """The sidebar's addresses for one page (the template escapes each)."""
    edition = book_edition(app)
    title = app.env.titles.get(pagename)
    name = title.astext() if title is not None else pagename
    body = (
        f"Page: {edition.base_url}{pagename}.html\nEdition: {edition.label}\n\n"
        "What is wrong, and the source that shows it:\n"
    )
    # sphinx-simplepdf declares its settings only for its own builder: conf.py's value, read
    # as Sphinx keeps it before declaration, else the EPUB's name with ".pdf"
    basename = app.config.epub_basename
    data = app.builder.get_target_uri(CLAIMS_INDEX)
    pdf = app.config._raw_config.get("simplepdf_file_name") or f"{basename}.pdf"
    return {
        "pdf": pdf,
        "epub": f"{basename}.epub",
        # the claims index's downloads ("#..." on that page itself)
        "data": relative_uri(app.builder.get_target_uri(pagename), data) + f"#{DOWNLOADS_ID}",
        "report": new_issue_url(edition, f"Error on the page “{name}”", body),
        "repository": edition.repository,
        "local": is_placeholder(edition.base_url),
    }


def add_page_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.name in HTML_BUILDERS:
        context["book_links"] = page_links(app, pagename)


def add_script(app: Sphinx) -> None:
    if app.builder.name in HTML_BUILDERS:
        app.add_js_file(CITE_JS)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", add_script)
    app.connect("html-page-context", add_page_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
