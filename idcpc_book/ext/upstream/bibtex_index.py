"""Index the citations of sphinxcontrib-bibtex once, instead of scanning them all each time.

Works around sphinxcontrib-bibtex 2.7.0: ``BibtexDomain.get_filtered_entries``,
``BibtexDomain.resolve_xref`` and ``BibliographyTransform.run`` each scan every citation (or
entry) for every entry (or citation). With :mod:`~idcpc_book.ext.upstream.bibtex_memo`, the two
save 26.5 s of a 72.0 s full build (36.8 %) and 9.5 s of a 22.9 s one-chapter rebuild; the
memo alone saves 0.5 s and 3.9 s of those (``perf/trial.py``, 3 December 2026, 5000 claims,
one run). Remove it when the tests of ``test_canaries.py`` on these functions
fail.

sphinxcontrib-bibtex (2.6, 2.7) decides which entries a ``bibliography`` directive lists
in ``BibtexDomain.get_filtered_entries``: for *each* entry it scans *every* citation
in the book to collect the pages that cite it. With E entries and C citations that is
E x C set constructions: for 2500 sources and 7500 citations, 19 million, the largest
single cost of a 5000-claim build after the pybtex plugin lookup (README, Performance).

This extension replaces the domain (``app.add_domain(..., override=True)``, the
supported way to extend one) with a subclass whose ``get_filtered_entries`` indexes the
citations once (key -> citing pages) and otherwise does exactly what upstream does:
same filter, same order, same warnings. A test compares both on the same book.

The same scan appears in ``resolve_xref``: each citation role scans every formatted
entry (``self.citations``) twice, to find the ones it cites (R x C: at 5000 claims,
7500 references x 2500 entries x 2). After the entries are formatted
(``env_updated``), the subclass indexes them by key; ``resolve_xref`` then hands
upstream's code only the entries with the cited keys, in upstream's order, so it
finds the same ones and builds the same node. A test compares both.

Each citation is then formatted by pybtex's templates (``format_references``: the
author's name, the year, the brackets), although many are alike: the same keys cited
by the same role, with a link to the same bibliography from a page in the same folder.
The formatted node depends on the page only through that link (a ``refuri`` relative to
the page, or a ``refid`` on the bibliography's own page; ``make_refnode``), so
``resolve_xref`` keeps the node of each (role, target, cited entries, their links from
this page) and answers a repeat with a copy. At 5000 claims, a third of the citations
(the second claim citing a source) are such repeats. Citations of a missing key are
never memoised (upstream warns at each). A test compares every citation with upstream's.

The bibliography transform (``BibliographyTransform``, on the page holding the
bibliography) scans every citation reference of the book for *each* entry, to list the
back-references from its own page: E x R comparisons (2500 x 7500 at 5000 claims, about
0.5 s). :class:`IndexedBibliographyTransform` runs just before it and hands upstream's
body only the references made on the pages of the bibliographies it transforms (the only
ones its scan keeps), in their order; upstream's then finds nothing left to do. A test
compares the page with upstream's transform.

Incremental builds: a page's citations are formatted when the page is written, from the
formatted entries of the whole bibliography; Sphinx writes only the pages it read again.
So after an entry of ``refs.bib`` changed, the pages citing it kept the old tooltip (and
an entry's new position could leave their links pointing at another entry's anchor).
``env_updated`` compares each citation (its anchor, bibliography, entry, formatted entry
and tooltip) with the previous build's and returns the pages citing any that changed,
appeared or went, for Sphinx to write again (the ``env-updated`` event's protocol). A
test compares every page of such a rebuild with a clean build.

Upstream: worth a report to sphinxcontrib-bibtex (no existing one found, November
2026).
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from typing import Any

import docutils.nodes
from sphinx.application import Sphinx
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.domain import BibtexDomain, Citation, _FilterVisitor
from sphinxcontrib.bibtex.nodes import bibliography as bibliography_node
from sphinxcontrib.bibtex.transforms import BibliographyTransform

logger = logging.getLogger(__name__)

#: Formatted citations remembered per build (the least recently used are dropped first).
MAX_RESOLVED = 2048


class IndexedBibtexDomain(BibtexDomain):
    """The ``cite`` domain, with a linear ``get_filtered_entries`` and indexed lookups."""

    #: key -> the formatted entries (``self.citations``) of that key, in their order
    _by_key: dict[str, list[tuple[int, Citation]]] | None = None
    #: (role, target, cited entries and their links from the page) -> the resolved node
    _resolved: OrderedDict[tuple[Any, ...], docutils.nodes.Element]

    def clear_doc(self, docname: str) -> None:
        # the last build's citations of a page read again, for env_updated to compare
        cleared = [c for c in self.citations if c.bibliography_key.docname == docname]
        self._cleared = [*getattr(self, "_cleared", []), *cleared]
        super().clear_doc(docname)

    def env_updated(self) -> Iterable[str]:
        self._by_key = None
        self._resolved = OrderedDict()
        last = [*getattr(self, "_cleared", []), *self.citations]  # the last build's
        self._cleared = []
        before = {(c.bibliography_key, c.key): c for c in last}
        updated = list(super().env_updated())
        by_key: defaultdict[str, list[tuple[int, Citation]]] = defaultdict(list)
        for position, citation in enumerate(self.citations):
            by_key[citation.key].append((position, citation))
        self._by_key = dict(by_key)
        return [*updated, *self.pages_citing_changes(before)]

    def pages_citing_changes(self, before: dict[tuple[Any, str], Citation]) -> list[str]:
        """The pages citing a key whose citation differs from ``before`` (none on a first build)."""
        if not before:
            return []
        after = {(c.bibliography_key, c.key): c for c in self.citations}
        changed = {key for _, key in before.keys() ^ after.keys()}
        changed |= {
            key
            for (bibliography, key), citation in after.items()
            if (bibliography, key) in before and not _same(before[bibliography, key], citation)
        }
        if not changed:
            return []
        return sorted(
            {
                ref.docname
                for ref in self.citation_refs
                if any(t.key in changed for t in ref.targets)
            }
        )

    def resolve_xref(  # type: ignore[override]
        self, env: Any, fromdocname: str, builder: Any, typ: str, target: str, node: Any,
        contnode: docutils.nodes.Element,
    ) -> docutils.nodes.Element:  # fmt: skip
        if self._by_key is None:  # not indexed in this process: upstream's scan
            return super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
        keys = {t.key for t in parse_citation_targets(target)}
        found = sorted(cited for key in keys for cited in self._by_key.get(key, ()))
        memo_key = self._memo_key(builder, fromdocname, typ, target, keys, found)
        if memo_key is not None and memo_key in self._resolved:
            self._resolved.move_to_end(memo_key)
            return self._resolved[memo_key].deepcopy()
        everything = self.data["citations"]
        self.data["citations"] = [citation for _, citation in found]
        try:  # upstream's body sees only the entries this role cites
            resolved = super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
        finally:
            self.data["citations"] = everything
        if memo_key is not None:
            self._resolved[memo_key] = resolved.deepcopy()  # before it joins the page
            if len(self._resolved) > MAX_RESOLVED:
                self._resolved.popitem(last=False)
        return resolved

    def _memo_key(
        self, builder: Any, fromdocname: str, typ: str, target: str, keys: set[str],
        found: list[tuple[int, Citation]],
    ) -> tuple[Any, ...] | None:  # fmt: skip
        """What the resolved node depends on; None if it must not be memoised.

        Upstream picks, among ``found``, the entries of citation-list bibliographies,
        those on the page itself first, and links each by ``make_refnode``: a ``refid``
        on the bibliography's page, else a ``refuri`` relative to the page. So the node
        depends on the page only through each entry's "here" or relative URI.
        """
        listed = {
            citation.key
            for _, citation in found
            if self.bibliographies[citation.bibliography_key].list_ == "citation"
        }
        if listed != keys:  # a key upstream cannot find: it warns, each time
            return None
        links = []
        for position, citation in found:
            todocname = citation.bibliography_key.docname
            if todocname == fromdocname:
                links.append((position, ""))
                continue
            try:
                links.append((position, builder.get_relative_uri(fromdocname, todocname)))
            except NoUri:
                return None
        return (builder.name, typ, target, tuple(links))

    def cited_docnames_by_key(self) -> dict[str, set[str]]:
        """For each cited key, the pages that cite it."""
        cited: defaultdict[str, set[str]] = defaultdict(set)
        for citation_ref in self.citation_refs:
            for target in citation_ref.targets:
                cited[target.key].add(citation_ref.docname)
        return cited

    def get_filtered_entries(self, bibliography_key: Any) -> Iterable[tuple[str, Any]]:
        # Upstream's body (sphinxcontrib-bibtex 2.7.0), with the per-entry scan replaced
        # by a lookup in the index.
        bibliography = self.bibliographies[bibliography_key]
        cited = self.cited_docnames_by_key()
        for entry in self.get_entries(bibliography.bibfiles):
            key = bibliography.keyprefix + entry.key
            cited_docnames = set(cited.get(key, ()))
            visitor = _FilterVisitor(
                entry=entry, docname=bibliography_key.docname, cited_docnames=cited_docnames
            )
            try:
                success = visitor.visit(bibliography.filter_)
            except ValueError as err:
                logger.warning(
                    f"syntax error in :filter: expression; {err}",
                    location=(bibliography_key.docname, bibliography.line),
                    type="bibtex",
                    subtype="filter_syntax_error",
                )
                success = bool(cited_docnames)  # upstream's fallback
            if success or entry.key in bibliography.keys:
                yield key, entry


def _same_entry(old: Any, new: Any) -> bool:
    """Two formatted entries (or ``None``) that give the same text, label and key."""
    if old is new or old is None or new is None:
        return old is new
    return (old.key, old.label, old.text) == (new.key, new.label, new.text)


def _same(old: Citation, new: Citation) -> bool:
    """Whether a citation of ``old`` and of ``new`` would be written alike."""
    return (
        old.citation_id == new.citation_id
        and (old.entry is new.entry or old.entry == new.entry)  # the author, the year
        and _same_entry(old.formatted_entry, new.formatted_entry)
        and _same_entry(old.tooltip_entry, new.tooltip_entry)
    )


class IndexedBibliographyTransform(BibliographyTransform):
    """Upstream's transform, scanning only the citation references of its own pages."""

    default_priority = BibliographyTransform.default_priority - 1  # first: upstream's no-op

    def run(self, **kwargs: Any) -> None:
        pages = {node["docname"] for node in self.document.findall(bibliography_node)}
        if not pages:
            return
        domain = self.env.get_domain("cite")
        everything = domain.data["citation_refs"]
        domain.data["citation_refs"] = [ref for ref in everything if ref.docname in pages]
        try:  # upstream's body keeps only the references made on ``pages``
            super().run(**kwargs)
        finally:
            domain.data["citation_refs"] = everything


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_domain(IndexedBibtexDomain, override=True)
    app.add_post_transform(IndexedBibliographyTransform)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
