"""The proposed upstream fixes, as monkeypatches, to measure them one by one.

apply("entry_points,filter,xref,tooltip") patches pybtex 0.26.1 and
sphinxcontrib-bibtex 2.7.0; each function body is upstream's with the one change
described in the matching report.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import docutils.nodes
import pybtex.plugin
from pybtex.richtext import Tag
from pybtex.style import FormattedEntry
from pybtex.style.template import FieldIsMissing
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.domain import BibtexDomain, _FilterVisitor, logger
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo


def entry_points() -> None:
    """pybtex: answer each entry-point query once per process."""
    pybtex.plugin.entry_points = functools.lru_cache(maxsize=None)(pybtex.plugin.entry_points)


def get_filtered_entries(self: BibtexDomain, bibliography_key: Any) -> Iterator[tuple[str, Any]]:
    bibliography = self.bibliographies[bibliography_key]
    cited = defaultdict(set)  # key -> docnames citing it: one pass over the citations
    for citation_ref in self.citation_refs:
        for target in citation_ref.targets:
            cited[target.key].add(citation_ref.docname)
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
            success = bool(cited_docnames)
        if success or entry.key in bibliography.keys:
            yield key, entry


_upstream_env_updated = BibtexDomain.env_updated


def env_updated(self: BibtexDomain) -> Iterable[str]:
    result = _upstream_env_updated(self)
    by_key = defaultdict(list)  # key -> [(position in self.citations, citation)]
    for position, citation in enumerate(self.citations):
        if self.bibliographies[citation.bibliography_key].list_ == "citation":
            by_key[citation.key].append((position, citation))
    self._by_key = dict(by_key)
    return result


_PLAINTEXT = pybtex.plugin.find_plugin("pybtex.backends", "plaintext")()


def resolve_xref(
    self: BibtexDomain, env: Any, fromdocname: str, builder: Any, typ: str, target: str,
    node: Any, contnode: Any,
) -> docutils.nodes.Element:  # fmt: skip
    keys = {t.key: t for t in parse_citation_targets(target)}
    # the citations of these keys, in the order of self.citations, as upstream's scan
    found = [c for _, c in sorted(p for key in keys for p in self._by_key.get(key, ()))]
    local = {c.key: c for c in found if c.bibliography_key.docname == fromdocname}
    citations = local | {c.key: c for c in found if c.key not in local}
    for key in keys:
        if key not in citations:
            logger.warning(
                f'could not find bibtex key "{key}"',
                location=node,
                type="bibtex",
                subtype="key_not_found",
            )
    references = [
        (
            c.entry,
            c.formatted_entry,
            SphinxReferenceInfo(
                builder=builder,
                fromdocname=fromdocname,
                todocname=c.bibliography_key.docname,
                citation_id=c.citation_id,
                title=(
                    c.tooltip_entry.text.render(_PLAINTEXT).replace("\\url ", "")
                    if c.tooltip_entry
                    else None
                ),
                pre_text=keys[c.key].pre,
                post_text=keys[c.key].post,
            ),
        )
        for c in citations.values()
    ]
    result_node = docutils.nodes.inline(rawsource=target)
    result_node["classes"].append("bibtex-citation")
    result_node += format_references(self.reference_style, typ, references).render(self.backend)
    return result_node


def get_formatted_entries(
    self: BibtexDomain, bibliography_key: Any, docnames: list[str], tooltips: bool,
    tooltips_style: str,
) -> Iterator[tuple[Any, Any, Any]]:  # fmt: skip
    bibliography = self.bibliographies[bibliography_key]
    entries = dict(self.get_sorted_entries(bibliography_key, docnames))
    find = pybtex.plugin.find_plugin
    style = find("pybtex.style.formatting", bibliography.style)()
    style2 = None
    if tooltips:
        style2 = find("pybtex.style.formatting", tooltips_style)() if tooltips_style else style
    sorted_entries = style.sort(entries.values())
    labels = style.format_labels(sorted_entries)
    for label, entry in zip(labels, sorted_entries, strict=False):
        try:
            formatted = style.format_entry(bibliography.labelprefix + label, entry)
            if style2 is style:  # the same style and label give the same result
                tooltip = formatted
            elif style2:
                tooltip = style2.format_entry(bibliography.labelprefix + label, entry)
            else:
                tooltip = None
            yield entry, formatted, tooltip
        except FieldIsMissing as exc:
            logger.warning(
                str(exc),
                location=(bibliography_key.docname, bibliography.line),
                type="bibtex",
                subtype="missing_field",
            )
            error = FormattedEntry(entry.key, Tag("b", str(exc)), bibliography.labelprefix + label)
            yield entry, error, None


def apply(names: str) -> None:
    """Apply the comma-separated fixes: entry_points, filter, xref, tooltip."""
    chosen = {name.strip() for name in names.split(",") if name.strip()}
    if "entry_points" in chosen:
        entry_points()
    if "filter" in chosen:
        BibtexDomain.get_filtered_entries = get_filtered_entries
    if "xref" in chosen:
        BibtexDomain.env_updated = env_updated
        BibtexDomain.resolve_xref = resolve_xref
    if "tooltip" in chosen:
        BibtexDomain.get_formatted_entries = get_formatted_entries
