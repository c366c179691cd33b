"""Each claim offers its evidence on demand (HTML): a native disclosure after its marks.

After a claim's "cite" box (:mod:`~idcpc_book.ext.book.marks` puts it there), a collapsed
``<details>`` whose summary is "Evidence": it opens with a tap, a click or the keyboard
(Enter or Space on the summary), with no script. It holds

* the evidence grade, with its reason in words (the marker beside the ID shows the label
  only; its title is no help on a touch screen), and the claim's status;
* each quote, in order, with the cited sources whose archived text holds it (as the
  checker finds it: :func:`idcpc_book.quoting.find` after normalisation): the publisher
  (a link to the source's record), title, date, URL and the date it was read, and, under
  the first of them, a link to the passage in context on the evidence page
  (:mod:`idcpc_book.passages`; drawn once that page exists);
* the place where a "report an error" link goes (:func:`report_link`).

Everything is drawn as docutils nodes, so the HTML writer escapes it; only the
``<details>``/``<summary>`` frame is written by hand, from constants and the claim's ID.
The PDF and the EPUB get no disclosure: their claims index prints every quote, and the
PDF must stay short.

The disclosure shows other pages' data (the sources' facts, the archived texts): when
what a page's claims show changed although the page was not read again, the page is
written again (a source of :mod:`~idcpc_book.ext.rewrite`).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import evidence, passages, quoting
from idcpc_book.errors import InputError
from idcpc_book.ext import rewrite
from idcpc_book.ext.book import links
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.ext.store import book_data
from idcpc_book.inputs.records import read_record
from idcpc_book.model import STATUSES, claims_among, split_quotes
from idcpc_book.normalise import normalise

#: The disclosure's class; its parts are ``claim-evidence-<part>``.
CLASS = "claim-evidence"
SUMMARY = "Evidence"

Needs = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class QuoteFound:
    """One quote of a claim (``index`` from 1) and the cited sources whose text holds it."""

    index: int
    quote: str
    sources: tuple[str, ...]


def quotes_found(need: Mapping[str, Any], text_of: Callable[[str], str | None]) -> list[QuoteFound]:
    """Each quote of the claim ``need``, with the cited sources (in ``:cites:`` order) whose
    normalised archived text (``text_of(source_id)``) holds it as a passage."""
    cites = list(need.get("cites") or [])
    found = []
    for index, quote in enumerate(split_quotes(need.get("quote") or ""), start=1):
        wanted = normalise(quote)
        holders = tuple(
            s
            for s in cites
            if (text := text_of(s)) is not None
            and quoting.find(wanted, text) is quoting.Found.PASSAGE
        )
        found.append(QuoteFound(index, quote, holders))
    return found


_TEXTS: WeakKeyDictionary[Sphinx, dict[str, str | None]] = WeakKeyDictionary()


def archive_texts(app: Sphinx, needs: Needs) -> Callable[[str], str | None]:
    """``source ID -> its normalised archived text`` (None: no readable record), each
    record read once per build."""
    cache = _TEXTS.setdefault(app, {})
    root = book_root(app)

    def text_of(source_id: str) -> str | None:
        if source_id not in cache:
            archive = (needs.get(source_id) or {}).get("archive")
            try:
                text = normalise(read_record(Path(root, archive)).text) if archive else None
            except (InputError, OSError):  # reported by the preflight and the checker
                text = None
            cache[source_id] = text
        return cache[source_id]

    return text_of


class evidence_disclosure(nodes.General, nodes.Element):
    """The ``<details>`` frame of a claim's evidence; its children are ordinary nodes."""


def visit_disclosure(translator: Any, node: evidence_disclosure) -> None:
    label = html.escape(f"Evidence for claim {node['claim']}", quote=True)
    translator.body.append(
        f'<details class="{CLASS}"><summary aria-label="{label}">{SUMMARY}</summary>'
        f'<div class="{CLASS}-body">'
    )


def depart_disclosure(translator: Any, node: evidence_disclosure) -> None:
    translator.body.append("</div></details>")


def report_link(app: Sphinx, claim_id: str, docname: str) -> nodes.Node | None:
    """The "report an error" link of a claim, last in its disclosure (a prefilled issue
    naming the claim; None without an issue tracker)."""
    return links.report_node(app, claim_id)


#: Draws a link from the page being written: (document, anchor, text) -> node.
Link = Callable[[str, str, str], nodes.Node]


def _source_line(
    source: Mapping[str, Any], link: Link, passage: nodes.Node | None
) -> nodes.paragraph:
    """``Found in Publisher, “Title”, 2024-06, https://…, read 2026-11-24. Passage in context``"""
    line = nodes.paragraph(classes=[f"{CLASS}-source"])
    line += nodes.Text("Found in ")
    name = str(source.get("publisher") or source["id"])
    line += link(str(source.get("docname") or ""), str(source["id"]), name)
    title = source.get("title")
    if title:
        line += nodes.Text(f", “{title}”")
    if source.get("published"):
        line += nodes.Text(f", {source['published']}")
    url = source.get("url")
    if url:
        line += nodes.Text(", ")
        line += nodes.reference(url, url, refuri=url)
    if source.get("accessed"):
        line += nodes.Text(f", read {source['accessed']}")
    line += nodes.Text(".")
    if passage is not None:
        line += nodes.Text(" ")
        line += passage
    return line


def draw(
    needs: Needs,
    claim_id: str,
    text_of: Callable[[str], str | None],
    link: Link,
    has_doc: Callable[[str], bool],
    report: nodes.Node | None = None,
) -> evidence_disclosure:
    """The disclosure of ``claim_id`` (see the module docstring). ``has_doc`` says whether a
    document exists: the passage links are drawn only to evidence pages that do."""
    need = needs[claim_id]
    box = evidence_disclosure(claim=claim_id)
    found = evidence.of_claim(need, needs)
    box += nodes.paragraph(
        "",
        "",
        nodes.strong("Evidence grade: ", "Evidence grade: "),
        nodes.Text(f"{found.label}: {found.reason}."),
        classes=[f"{CLASS}-grade"],
    )
    status = str(need.get("status") or "")
    if status:
        box += nodes.paragraph(
            "",
            "",
            nodes.strong("Status: ", "Status: "),
            nodes.Text(f"{status}. {STATUSES.get(status, '')}".strip()),
            classes=[f"{CLASS}-status"],
        )
    quotes = nodes.enumerated_list(enumtype="arabic", classes=[f"{CLASS}-quotes"])
    for item in quotes_found(need, text_of):
        entry = nodes.list_item()
        entry += nodes.paragraph("", f"“{item.quote}”", classes=[f"{CLASS}-quote"])
        for order, source_id in enumerate(item.sources):
            # the evidence page shows a quote under the first source that holds it
            page = passages.docname(source_id)
            passage = (
                link(page, passages.anchor(claim_id, item.index), "Passage in context")
                if not order and has_doc(page)
                else None
            )
            entry += _source_line(needs[source_id], link, passage)
        if not item.sources:
            entry += nodes.paragraph(
                "",
                "Not found in the archived text of the cited sources.",
                classes=[f"{CLASS}-missing"],
            )
        quotes += entry
    box += quotes
    if report is not None:
        box += report
    return box


def shown(
    needs: Needs,
    claim_id: str,
    text_of: Callable[[str], str | None],
    has_doc: Callable[[str], bool],
) -> str:
    """What a claim's disclosure and status label show from other pages, as one string."""
    need = needs[claim_id]
    parts = [claim_id, str(sorted(need.get("supersedes_back") or []))]
    for item in quotes_found(need, text_of):
        for source_id in item.sources:
            source = needs[source_id]
            facts = ("docname", "publisher", "title", "published", "url", "accessed")
            page = has_doc(passages.docname(source_id))
            parts.append(f"{item.index} {source_id} {page} {[source.get(f) for f in facts]!r}")
    return "\n".join(parts)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages whose claims show other data than when they were last written."""
    data = SphinxNeedsData(env)
    try:
        needs: Any = data.get_needs_mutable()
    except RuntimeError:  # already sealed: the view holds the same data
        needs = data.get_needs_view()
    text_of = archive_texts(app, needs)
    lines: dict[str, list[str]] = {}
    for claim_id, need in claims_among(needs).items():
        line = shown(needs, claim_id, text_of, env.found_docs.__contains__)
        lines.setdefault(need["docname"], []).append(line)
    prints = book_data(env).shown_prints
    changed = []
    for doc in sorted(set(lines) | set(prints)):
        digest = hashlib.blake2b("\n".join(sorted(lines.get(doc, []))).encode(), digest_size=16)
        if prints.get(doc) != digest.hexdigest():
            prints[doc] = digest.hexdigest()
            changed.append(doc)
    for doc in [d for d in prints if d not in lines]:
        del prints[doc]
    return [doc for doc in changed if doc in env.found_docs]


#: The disclosure's screen styles, in ``html_static_path`` (HTML only).
SCREEN_CSS = "claim-evidence.css"


def add_screen_css(app: Sphinx) -> None:
    """The screen styles for the HTML edition only (WeasyPrint rejects media queries),
    after ``book.css`` (``html_css_files``, priority 800), whose sizes they raise."""
    if app.builder.name == "html":
        app.add_css_file(SCREEN_CSS, priority=900)


def setup(app: Sphinx) -> dict[str, Any]:
    # Added only for HTML builders when the page is written: no other writer meets it.
    app.add_node(evidence_disclosure, html=(visit_disclosure, depart_disclosure))
    app.setup_extension("idcpc_book.ext.store")
    app.connect("builder-inited", add_screen_css)
    # the disclosures are put in by idcpc_book.ext.book.marks, with the claim's other marks
    rewrite.register(app, pages_to_rewrite)
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
