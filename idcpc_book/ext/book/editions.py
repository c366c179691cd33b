"""The book's history on its pages: edition marks, the corrections log, the changes page.

All three are drawn from :mod:`idcpc_book.history` (the archived editions in
``editions/`` and the entries of ``corrections.toml``), never written by hand:

* each claim's marker is followed by the edition it was added in and, for each entry
  that changed it, a link to that entry (``added in 0.2.0 · changed in 0.3.0``);
* ``{corrections-log}`` draws every entry (anchored by its ID; a withdrawn claim's ID is
  an anchor too, so its permanent link still lands on the note);
* ``{edition-changes}`` lists what changed in this edition against the one before, per
  chapter: claims added, withdrawn, reworded, re-statused, sources added and removed,
  evidence regraded; and the SHA-256 of each archived edition's manifest, with which a
  reader can tell whether the archive was rewritten since.

The two directives leave a placeholder that is filled when the page is written, from the
whole book's claims; :mod:`~idcpc_book.ext.upstream.need_dependents` rewrites their pages
on incremental builds when a claim changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import history
from idcpc_book.ext import order
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.ext.state import build_state
from idcpc_book.ext.store import book_data
from idcpc_book.history import Change, History
from idcpc_book.model import CLAIM_PREFIX, claims_among

#: The class of the edition marks after a claim's ID marker.
MARK = "claim-history"


class corrections_log(nodes.General, nodes.Element):
    """Placeholder of ``{corrections-log}``, filled when its page is written."""


class edition_changes(nodes.General, nodes.Element):
    """Placeholder of ``{edition-changes}``, filled when its page is written."""


def past(app: Sphinx) -> History:
    """The book's history, read once per build (the files were checked by preflight)."""
    state = build_state(app)
    if state.history is None:
        state.history = history.load(book_root(app))
    return state.history


class CorrectionsLogDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        book_data(self.env).corrections_page = self.env.docname
        node = corrections_log()
        self.set_source_info(node)
        return [node]


class EditionChangesDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        node = edition_changes()
        self.set_source_info(node)
        return [node]


def _uri(builder: Builder, fromdoc: str, todoc: str, anchor: str) -> str:
    """A link to ``anchor`` on ``todoc``; in one-page builds (the PDF) the anchor alone."""
    if isinstance(builder, SingleFileHTMLBuilder):
        return f"#{anchor}"
    return f"{builder.get_relative_uri(fromdoc, todoc)}#{anchor}"


def _link(app: Sphinx, fromdoc: str, todoc: str | None, anchor: str, text: str) -> nodes.Node:
    if todoc is None:
        return nodes.literal(text, text)
    uri = _uri(app.builder, fromdoc, todoc, anchor)
    return nodes.reference(text, text, refuri=uri, internal=True)


def claim_link(app: Sphinx, fromdoc: str, todoc: str | None, claim_id: str) -> nodes.Node:
    """A link to a claim from ``fromdoc``, its ID as the text, in any builder (the ID as
    literal text when the claim is on no page)."""
    return _link(app, fromdoc, todoc, claim_id, claim_id)


def _in(version: str | None, latest: str | None) -> str:
    """``in 0.3.0``; for what no archived edition has yet, ``after 0.2.0``."""
    if version is not None:
        return f"in {version}"
    return f"after {latest}" if latest else "before the first edition"


def claim_marks(
    app: Sphinx, past_: History, claim_id: str, docname: str, log_doc: str | None
) -> nodes.inline:
    """``added in 0.2.0 · correction in 0.3.0``: the claim's edition marks."""
    latest = past_.latest.version if past_.latest else None
    mark = nodes.inline(classes=[MARK])
    mark += nodes.Text(f"added {_in(past_.added_in(claim_id), latest)}")
    for entry in past_.entries_for(claim_id):
        mark += nodes.Text(" · ")
        label = f"{entry.type} {_in(past_.entry_edition(entry.id), latest)}"
        mark += _link(app, docname, log_doc, entry.id, label)
    return mark


def edition_mark(app: Sphinx, claim_id: str, docname: str) -> nodes.inline | None:
    """The claim's edition marks; None while the book has no history yet, or for an ID
    that is not a claim's."""
    past_ = past(app)
    if not (past_.archives or past_.entries) or not claim_id.startswith(CLAIM_PREFIX):
        return None
    return claim_marks(app, past_, claim_id, docname, book_data(app.env).corrections_page)


def fill_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Draw the corrections log and the changes page in their placeholders' place."""
    past_ = past(app)
    for node in list(doctree.findall(corrections_log)):
        node.replace_self(_log(app, past_, docname))
    for node in list(doctree.findall(edition_changes)):
        node.replace_self(_changes(app, past_, docname))


def _claim_doc(app: Sphinx) -> Mapping[str, str]:
    return {
        k: n["docname"] for k, n in claims_among(SphinxNeedsData(app.env).get_needs_view()).items()
    }


def _claim_links(
    app: Sphinx, docname: str, claims: Iterable[str], where: Mapping[str, str]
) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for index, claim in enumerate(claims):
        if index:
            out.append(nodes.Text(", "))
        out.append(_link(app, docname, where.get(claim), claim, claim))
    return out


def _log(app: Sphinx, past_: History, docname: str) -> list[nodes.Node]:
    """Every entry, newest first: when, what kind, which claims, was, now, why."""
    if not past_.entries:
        return [nodes.paragraph("", "No entries yet.")]
    where = _claim_doc(app)
    latest = past_.latest.version if past_.latest else None
    out: list[nodes.Node] = []
    for entry in sorted(past_.entries, key=lambda e: (e.date, e.id), reverse=True):
        ids = [entry.id]
        if entry.type == "withdrawal":
            ids += list(entry.claims)  # the withdrawn claims' permanent links land here
        box = nodes.container(ids=ids, classes=["correction-entry"])
        head = nodes.paragraph(classes=["correction-head"])
        head += nodes.strong(entry.date, entry.date)
        head += nodes.Text(f" · {entry.type} {_in(past_.entry_edition(entry.id), latest)} · ")
        head += nodes.literal(entry.id, entry.id)
        box += head
        items = nodes.definition_list(classes=["correction-fields"])
        items += _item("Claims", _claim_links(app, docname, entry.claims, where))
        if entry.was:
            items += _item("Was", [nodes.Text(entry.was)])
        if entry.now:
            items += _item("Now", [nodes.Text(entry.now)])
        items += _item("Why", [nodes.Text(entry.why)])
        if entry.replaced_by:
            items += _item("Replaced by", _claim_links(app, docname, [entry.replaced_by], where))
        box += items
        out.append(box)
    return out


def _item(term: str, body: list[nodes.Node]) -> nodes.definition_list_item:
    return nodes.definition_list_item(
        "", nodes.term(term, term), nodes.definition("", nodes.paragraph("", "", *body))
    )


def _phrase(change: Change) -> str:
    """``reworded; status verified -> disputed``: what happened to the claim."""
    parts = []
    for aspect in change.aspects:
        old, new = change.old, change.new
        if aspect == "added":
            parts.append("added")
        elif aspect == "withdrawn":
            parts.append("withdrawn")
        elif aspect == "text":
            parts.append("reworded")
        elif aspect == "sources":
            gained = sorted(set(new.sources) - set(old.sources))  # type: ignore[union-attr]
            lost = sorted(set(old.sources) - set(new.sources))  # type: ignore[union-attr]
            bits = [f"+{s}" for s in gained] + [f"\u2212{s}" for s in lost]
            parts.append(f"sources {' '.join(bits)}")
        else:
            parts.append(f"{aspect} {getattr(old, aspect)} → {getattr(new, aspect)}")
    return "; ".join(parts)


#: The summary's counts: label, and which changes it counts.
_COUNTS = (
    ("added", "added"),
    ("withdrawn", "withdrawn"),
    ("reworded", "text"),
    ("with a new status", "status"),
    ("with a new kind", "kind"),
    ("with new sources", "sources"),
)


def _changes(app: Sphinx, past_: History, docname: str) -> list[nodes.Node]:
    """The changes of this edition, per chapter (see :func:`history.this_edition`)."""
    texts = {k: text for k, (_, text) in book_data(app.env).claim_texts.items()}
    needs = SphinxNeedsData(app.env).get_needs_view()
    comparison = history.this_edition(past_, history.current_states(needs, texts))
    if comparison is None:
        return [nodes.paragraph("", "No edition of the book has been archived yet.")]
    if comparison.base is None:
        return [
            nodes.paragraph(
                "",
                f"Edition {comparison.target} is the first archived edition, so there is "
                "no earlier one to compare it with. The changes made for it are in the "
                "corrections log.",
            ),
            _manifests(past_),
        ]
    target = (
        f"edition {comparison.target}"
        if comparison.target
        else "this edition (not yet archived as a release)"
    )
    out: list[nodes.Node] = [
        nodes.paragraph("", f"Changes from edition {comparison.base} to {target}.")
    ]
    counts = [
        _count(sum(1 for c in comparison.changes if aspect in c.aspects), "claim", label)
        for label, aspect in _COUNTS
    ]
    counts.append(_count(len(comparison.sources_added), "source", "added"))
    counts.append(_count(len(comparison.sources_removed), "source", "no longer cited"))
    out.append(nodes.paragraph("", "In all: " + ", ".join(counts) + "."))
    out.append(_manifests(past_))
    if comparison.sources_added or comparison.sources_removed:
        out.append(_source_list("Sources added", comparison.sources_added))
        out.append(_source_list("Sources no longer cited", comparison.sources_removed))
    where = _claim_doc(app)
    withdrawals = past_.withdrawals()
    log_doc = book_data(app.env).corrections_page
    titles = app.env.titles
    chapter = None
    items = nodes.bullet_list()
    for change in comparison.changes:
        if change.chapter != chapter:
            chapter = change.chapter
            title = titles[chapter].astext() if chapter in titles else chapter
            out.append(nodes.rubric(title, title))
            items = nodes.bullet_list()
            out.append(items)
        todoc = where.get(change.claim)
        anchor = change.claim
        if todoc is None and change.claim in withdrawals:
            todoc = log_doc
        body = [_link(app, docname, todoc, anchor, change.claim), nodes.Text(": ")]
        body.append(nodes.Text(_phrase(change)))
        for entry in past_.entries_for(change.claim):
            body += [nodes.Text(" ("), _link(app, docname, log_doc, entry.id, entry.id)]
            body.append(nodes.Text(")"))
        items += nodes.list_item("", nodes.paragraph("", "", *body))
    return out


def _manifests(past_: History) -> nodes.paragraph:
    """Each archived edition's manifest digest: the last one vouches for all before it."""
    digests = "; ".join(
        f"{a.version} (as of {a.as_of}): {a.manifest}" for a in reversed(past_.archives)
    )
    return nodes.paragraph(
        "",
        "",
        nodes.strong("Archived editions", "Archived editions"),
        nodes.Text(
            " (the SHA-256 of each edition's manifest, the SHA256SUMS in its folder in "
            f"editions/, which also holds the digest of the manifest before it): {digests}."
        ),
    )


def _count(n: int, noun: str, label: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'} {label}"


def _source_list(label: str, ids: list[str]) -> nodes.paragraph:
    text = ", ".join(ids) if ids else "none"
    return nodes.paragraph("", "", nodes.strong(label, label), nodes.Text(f": {text}."))


def withdrawn_locations(app: Sphinx) -> dict[str, str]:
    """Withdrawn claim ID -> its note on the corrections page (for the permalink page)."""
    log_doc = book_data(app.env).corrections_page
    if log_doc is None:
        return {}
    page = app.builder.get_target_uri(log_doc)
    return {claim: f"{page}#{claim}" for claim in past(app).withdrawals()}


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(corrections_log)
    app.add_node(edition_changes)
    app.add_directive("corrections-log", CorrectionsLogDirective)
    app.add_directive("edition-changes", EditionChangesDirective)
    app.setup_extension("idcpc_book.ext.store")
    # the claims' edition marks are put in by idcpc_book.ext.book.marks
    app.connect("doctree-resolved", fill_lists, priority=order.CLAIM_MARKS)
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
