"""Format each bibliography entry once, not on every build.

Works around sphinxcontrib-bibtex 2.7.0: ``BibtexDomain.env_updated`` formats the whole
bibliography on every build, even one in which nothing changed. Saves 3.9 s of a 17.3 s
one-chapter rebuild (22.5 %; 0.5 s of a full build) (``perf/trial.py``, 3 December 2026,
5000 claims, one run). Remove it when
``test_canaries.py::test_bibtex_formats_the_whole_bibliography_again_on_a_rebuild``
fails.

sphinxcontrib-bibtex formats the *whole* bibliography with pybtex whenever the
environment is updated (``BibtexDomain.env_updated``, run on every build, incremental
or not, even when nothing changed): at 2000 claims (1000 entries) about 0.7 s of every
build, 1.4 s under cProfile, most of it pybtex decoding the LaTeX of each field. The
result of formatting an entry depends only on the style, the entry's label and the
entry itself.

This extension extends the ``cite`` domain (on top of
:mod:`idcpc_book.ext.upstream.bibtex_index`) so that the formatted entries of one build
are kept in the domain's data (pickled with the environment) and reused by the next
build for every entry whose key is unchanged:

* key: the style's name, class, the hash of the module that defines it and pybtex's
  version; the label (it depends on the other entries: ``Dawn 2024a``); the entry's
  key, type, fields and persons (every name part);
* entries with a ``crossref`` (whose fields come from another entry) are not reused;
* the memo holds only the entries formatted in the last build, so it never grows;
* a missing field (``FieldIsMissing``) is never memoised: the warning comes every
  build, as upstream.

Anything else that the formatting uses (code outside the style's module, e.g.
``idcpc_book.bib.iso_date``) is not part of the key: like any change to extension code
in Sphinx, it needs a clean build (``-E``).

The rest is upstream's code (sphinxcontrib-bibtex 2.7.0, ``get_formatted_entries``):
same order, same labels, same warnings. A test compares the HTML of a rebuild with a
clean build after a bib entry changes.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any, cast

import pybtex.plugin
from pybtex.database import Entry
from pybtex.richtext import Tag
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import FieldIsMissing
from sphinx.application import Sphinx
from sphinx.util import logging

from idcpc_book.ext.upstream.bibtex_index import IndexedBibtexDomain

logger = logging.getLogger(__name__)

_MEMO = "idcpc_formatted"  # key in the domain data: memo key -> FormattedEntry


@functools.cache
def style_print(style_class: type) -> tuple[str, ...]:
    """What identifies a style's code: its class, its module's text, pybtex's version."""
    try:
        source = inspect.getsourcefile(style_class) or ""
        digest = hashlib.blake2b(Path(source).read_bytes(), digest_size=16).hexdigest()
    except (OSError, TypeError):  # no source file: identify by the class only
        digest = ""
    return (style_class.__module__, style_class.__qualname__, digest, version("pybtex"))


def entry_print(entry: Entry) -> tuple[Any, ...] | None:
    """Everything of ``entry`` that formatting reads; None if it borrows from another."""
    if "crossref" in entry.fields:
        return None
    persons = tuple(
        (role, tuple((tuple(p.first_names), tuple(p.middle_names), tuple(p.prelast_names),
                      tuple(p.last_names), tuple(p.lineage_names)) for p in people))
        for role, people in entry.persons.items()
    )  # fmt: skip
    return (entry.key, entry.type, tuple(entry.fields.items()), persons)


class MemoBibtexDomain(IndexedBibtexDomain):
    """The ``cite`` domain, formatting only the entries the last build did not."""

    _previous: dict[Any, FormattedEntry]
    _current: dict[Any, FormattedEntry]

    def env_updated(self) -> Iterable[str]:
        self._previous = self.data.get(_MEMO, {})
        self._current = {}
        try:
            return super().env_updated()
        finally:
            self.data[_MEMO] = self._current
            self._previous = {}

    def _format(self, style: BaseStyle, name: str, label: str, entry: Entry) -> FormattedEntry:
        printed = entry_print(entry)
        if printed is None or not hasattr(self, "_current"):  # or called outside env_updated
            return style.format_entry(label, entry)
        key = (name, style_print(type(style)), label, printed)
        found = self._current.get(key) or self._previous.get(key)
        if found is None:
            found = style.format_entry(label, entry)
        self._current[key] = found
        return found

    def get_formatted_entries(
        self,
        bibliography_key: Any,
        docnames: list[str],
        tooltips: bool,
        tooltips_style: str,
    ) -> Iterable[tuple[Entry, FormattedEntry, FormattedEntry | None]]:
        # Upstream's body (sphinxcontrib-bibtex 2.7.0), formatting through the memo.
        bibliography = self.bibliographies[bibliography_key]
        entries = dict(self.get_sorted_entries(bibliography_key, docnames))
        style = cast(
            BaseStyle, pybtex.plugin.find_plugin("pybtex.style.formatting", bibliography.style)()
        )
        style2: BaseStyle | None = None
        name2 = bibliography.style
        if tooltips:
            style2 = style
            if tooltips_style:
                name2 = tooltips_style
                style2 = cast(
                    BaseStyle, pybtex.plugin.find_plugin("pybtex.style.formatting", name2)()
                )
        sorted_entries: Iterable[Entry] = style.sort(entries.values())
        labels = style.format_labels(sorted_entries)
        for label, entry in zip(labels, sorted_entries, strict=False):
            full_label = bibliography.labelprefix + label
            try:
                yield (
                    entry,
                    self._format(style, bibliography.style, full_label, entry),
                    self._format(style2, name2, full_label, entry) if style2 else None,
                )
            except FieldIsMissing as exc:
                logger.warning(
                    str(exc),
                    location=(bibliography_key.docname, bibliography.line),
                    type="bibtex",
                    subtype="missing_field",
                )
                formatted_error_entry = FormattedEntry(
                    entry.key, Tag("b", str(exc)), bibliography.labelprefix + label
                )
                yield entry, formatted_error_entry, None


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("idcpc_book.ext.upstream.bibtex_index")
    app.add_domain(MemoBibtexDomain, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
