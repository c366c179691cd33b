"""Claims for readers and re-users: "cite this claim", the permalink page and the exports.

* While reading, each claim's text without markup (citations dropped) is kept in the
  book's store (:mod:`~idcpc_book.ext.store`): the exports need the sentence, not its
  MyST source.
* In HTML, each claim gets a small collapsed "cite" box (put in by
  :mod:`~idcpc_book.ext.book.marks`) with the claim's
  permanent link and its citation as plain text, BibTeX and CSL-JSON. The box is a
  node of its own (:class:`cite_box`), written as-is by the HTML writer and left out of
  the search index (as a ``raw`` node, its BibTeX and JSON would be indexed as words).
* When the HTML build finishes, ``permalink.html`` (sphinx-needs'
  ``needs_permalink_file``) is rewritten with the ID -> page map inline, so that
  ``permalink.html?id=CLM_...`` resolves offline too; and the exports are written to
  ``<outdir>/exports/`` (see :mod:`idcpc_book.exports`).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import archive, buildstamp, corrections, exports
from idcpc_book.cite import PERMALINK_PAGE, cite
from idcpc_book.edition import ENV_BASE_URL, ENV_REPOSITORY, Edition, load
from idcpc_book.escape import html_safe_json
from idcpc_book.export_list import EXPORTS
from idcpc_book.ext import kept
from idcpc_book.ext.book import editions
from idcpc_book.ext.book.prose import need_content
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.ext.store import book_data
from idcpc_book.model import CLAIM_PREFIX

#: Builders that get the cite boxes, the offline permalink page and the exports.
HTML_BUILDERS = ("html",)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)])")


@functools.cache
def _load(pyproject: Path, overrides: tuple[tuple[str, str], ...]) -> Edition:
    return load(pyproject, dict(overrides))


def edition_file(app: Sphinx) -> Path:
    """The book's ``pyproject.toml``: the one beside ``docs/``, else the one beside
    ``conf.py`` (as conf.py reads it; a test book has none of its own)."""
    own = book_root(app) / "pyproject.toml"
    return own if own.is_file() else Path(app.confdir) / "pyproject.toml"


def history_files(app: Sphinx) -> list[Path]:
    """The book's history, which no page holds: the marks (:mod:`~idcpc_book.ext.book.marks`)
    and the exports are drawn from them besides the pages."""
    root = book_root(app)
    editions_dir = archive.folder(root)
    archived = (
        sorted(p for p in editions_dir.rglob("*") if p.is_file()) if editions_dir.is_dir() else []
    )
    return [corrections.path_of(root), edition_file(app), *archived]


def files_print(paths: list[Path]) -> str:
    """A digest of the files' names and bytes (a missing file counts as empty)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
        digest.update(b"\0")
    return digest.hexdigest()


def book_edition(app: Sphinx) -> Edition:
    """The edition, from :func:`edition_file` and the deployment's environment."""
    overrides = tuple((k, os.environ.get(k, "")) for k in (ENV_BASE_URL, ENV_REPOSITORY))
    return _load(edition_file(app), overrides)


def _is_citation(node: nodes.Node) -> bool:
    """A sphinxcontrib-bibtex citation (before or after resolution)."""
    if isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite":
        return True
    return isinstance(node, nodes.inline) and "bibtex-citation" in node.get("classes", [])


def plain_text(node: nodes.Element) -> str:
    """The claim's sentence(s) as plain text: no markup, no citation labels."""
    copy = node.deepcopy()
    for cite_node in list(copy.findall(_is_citation)):
        cite_node.parent.remove(cite_node)
    paragraphs = [" ".join(p.astext().split()) for p in copy.findall(nodes.paragraph)]
    text = "\n\n".join(p for p in paragraphs if p)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


def collect_texts(app: Sphinx, doctree: nodes.document) -> None:
    """Keep each claim's plain text, read from the parsed (unresolved) doctree, before
    it is drawn (:mod:`~idcpc_book.ext.book.prose`)."""
    store = book_data(app.env).claim_texts
    for node in doctree.findall(need_content):
        claim_id = node["need_id"]
        if claim_id.startswith(CLAIM_PREFIX):
            store[claim_id] = (app.env.docname, plain_text(node))


class cite_box(nodes.General, nodes.Element):
    """A claim's "cite" box: ``node["html"]`` is written as-is; it has no text to index."""


def visit_cite_box(translator: Any, node: cite_box) -> None:
    translator.body.append(node["html"])
    raise nodes.SkipNode


#: Stands for the access date while the box is drawn: U+2063 is a format character, which
#: no edition field (:mod:`idcpc_book.edition`) or claim ID may hold.
_ACCESS_SLOT = "\u2063accessed\u2063"


def cite_box_html(edition: Edition, claim_id: str, docname: str) -> str:
    """The HTML of the collapsed "cite" box of one claim. Its access dates are spans of
    class ``claim-cite-accessed`` holding the edition's date, which ``cite-box.js``
    replaces with the reader's date when the box is opened."""
    citation = cite(edition, claim_id, accessed=_ACCESS_SLOT)
    up = "../" * docname.count("/")
    local = f"{up}{PERMALINK_PAGE}?id={claim_id}"
    csl = json.dumps(citation.csl, indent=2, ensure_ascii=False, sort_keys=True)
    slot = f'<span class="claim-cite-accessed">{html.escape(edition.as_of)}</span>'

    def esc(text: str) -> str:
        return html.escape(text).replace(_ACCESS_SLOT, slot)

    return (
        '<details class="claim-cite">'
        f'<summary title="Cite claim {claim_id}">cite</summary>'
        '<div class="claim-cite-body">'
        f'<p>Permanent link: <a href="{esc(local)}">{esc(citation.url)}</a></p>'
        f'<p class="claim-cite-form">Text</p><pre>{esc(citation.text)}</pre>'
        f'<p class="claim-cite-form">BibTeX</p><pre>{esc(citation.bibtex)}</pre>'
        f'<p class="claim-cite-form">CSL-JSON</p><pre>{esc(csl)}</pre>'
        "</div></details>"
    )


#: The anchor of the downloads paragraph, linked from every page's sidebar.
DOWNLOADS_ID = "data-downloads"


class DownloadsDirective(SphinxDirective):
    """``claims-downloads``: a paragraph linking the export files of the HTML edition.

    Written as links to ``exports/<file>`` from the page's folder; the files are not
    pages, so a Markdown link would be taken for a missing document, and raw HTML is
    shown as text (:mod:`~idcpc_book.ext.inputs.rawhtml`).
    """

    def run(self) -> list[nodes.Node]:
        up = "../" * self.env.docname.count("/")
        para = nodes.paragraph("", "The same data can be downloaded as ", ids=[DOWNLOADS_ID])
        for index, export in enumerate(EXPORTS):
            if index:
                para += nodes.Text(", and " if index == len(EXPORTS) - 1 else ", ")
            if export.note:
                para += nodes.Text(f"{export.note} ")
            name = export.name
            para += nodes.reference(name, name, refuri=f"{up}exports/{name}")
        para += nodes.Text(".")
        return [para]


def _needs(app: Sphinx) -> Mapping[str, Mapping[str, Any]]:
    """The resolved needs, as sphinx-needs keeps them (not copied: a copy costs time)."""
    return SphinxNeedsData(app.env).get_needs_view()


def permalink_page(locations: dict[str, str], title: str) -> str:
    """A page that sends ``?id=X`` (or ``#X``) to X's location, with the map inline."""
    data = html_safe_json(json.dumps(locations, sort_keys=True, separators=(",", ":")))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Find a claim: {html.escape(title)}</title>
<script id="locations" type="application/json">{data}</script>
</head>
<body>
<h1>Find a claim</h1>
<p id="message">Looking up the claim…</p>
<form id="lookup" action="{PERMALINK_PAGE}" method="get">
<label>Claim or source ID: <input name="id" id="id" size="40"></label>
<button type="submit">Go</button>
</form>
<p><a href="claims.html">Claims index</a> · <a href="index.html">Contents</a></p>
<noscript><p>This page needs JavaScript; the claims index lists every claim.</p></noscript>
<script>
(function () {{
  "use strict";
  var places = JSON.parse(document.getElementById("locations").textContent);
  var params = new URLSearchParams(window.location.search);
  var id = (params.get("id") || window.location.hash.slice(1) || "").trim().toUpperCase();
  var message = document.getElementById("message");
  if (id && Object.prototype.hasOwnProperty.call(places, id)) {{
    message.textContent = "Going to " + id + "…";
    window.location.replace(places[id]);
  }} else if (id) {{
    message.textContent = "There is no claim or source " + id + " in this edition.";
    document.getElementById("id").value = id;
  }} else {{
    message.textContent = "Give a claim ID such as CLM_VISIT_ARRIVAL.";
  }}
}})();
</script>
</body>
</html>
"""


#: Each claim's text as readers see it, written beside needs.json for the checker (whose
#: history rule compares it with the archived editions').
TEXTS_FILE = "claim-texts.json"


def finish(app: Sphinx, exception: Exception | None) -> None:
    """Write the offline permalink page and the exports into the HTML output (and the
    claims' texts beside needs.json)."""
    if exception is not None:
        return
    if (Path(app.outdir) / "needs.json").is_file():  # sphinx-needs wrote it (needs_build_json)
        texts = {key: text for key, (_, text) in sorted(book_data(app.env).claim_texts.items())}
        data = json.dumps(texts, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        (Path(app.outdir) / TEXTS_FILE).write_text(data, encoding="utf-8")
    if app.builder.name not in HTML_BUILDERS:
        return
    needs = _needs(app)
    locations = {
        key: app.builder.get_target_uri(need["docname"]) + "#" + key
        for key, need in needs.items()
        if need.get("docname")
    }
    locations.update(editions.withdrawn_locations(app))
    out = Path(app.outdir)
    (out / PERMALINK_PAGE).write_text(permalink_page(locations, app.config.project), "utf-8")
    titles = {doc: title.astext() for doc, title in app.env.titles.items()}
    edition = book_edition(app)
    digest = exports_print(app, titles, edition)
    written = all((out / "exports" / name).is_file() for name in EXPORT_FILES)
    if digest and written and kept.read(app, EXPORTS_PRINT) == digest:
        return  # made from the same inputs as the exports in place
    kept.forget(app, EXPORTS_PRINT)
    texts = book_data(app.env).claim_texts
    exports.write_all(out / "exports", needs, texts, titles, edition, editions.past(app))
    if digest:
        kept.write(app, EXPORTS_PRINT, digest)


#: The digest of the exports' inputs (:func:`exports_print`), in the doctree folder.
EXPORTS_PRINT = "idcpc-exports.json"
#: Every file of ``exports/``.
EXPORT_FILES = (*exports.FILES, exports.DATABASE)


def exports_print(app: Sphinx, titles: Mapping[str, str], edition: Edition) -> str:
    """A digest of all the exports are made from, so that a rebuild that changed none of it
    (an edit to prose, a rebuild with nothing to do) leaves them in place: ``needs.json``
    (every field of every need, as sphinx-needs wrote it this build), the claims' texts,
    the pages' titles, the edition, the history files and the book's code. Empty (the
    exports are always written) when this build wrote no ``needs.json``."""
    digest = hashlib.blake2b(digest_size=16)
    for name in ("needs.json", TEXTS_FILE):
        path = Path(app.outdir) / name
        if not path.is_file():
            return ""
        digest.update(path.read_bytes() + b"\0")
    digest.update(json.dumps(titles, sort_keys=True).encode() + b"\0")
    digest.update(repr(edition).encode() + b"\0")
    digest.update(files_print(history_files(app)).encode() + b"\0")
    digest.update(buildstamp.package_digest().encode())
    return digest.hexdigest()


def setup(app: Sphinx) -> dict[str, Any]:
    # Added only for HTML builders, after the doctree is pickled: no other writer meets it.
    app.add_node(cite_box, html=(visit_cite_box, None))
    app.add_directive("claims-downloads", DownloadsDirective)
    app.setup_extension("idcpc_book.ext.store")
    app.connect("doctree-read", collect_texts)
    app.connect("build-finished", finish)
    # the cite boxes are put in by idcpc_book.ext.book.marks, with the claim's other marks
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
