"""Format each bibliography entry once, not on every build.

sphinxcontrib-bibtex 2.7.0 formats the whole bibliography whenever the environment is
updated, even when nothing changed. The formatted entries of one build are kept in the
``cite`` domain's data and reused for every entry whose style, label, type, fields and
persons are unchanged (never an entry with a ``crossref``, never one missing a field).
Code outside the style's module (and the modules it names) is not part of the key: like
any extension change, it needs a clean build. Saving, fault and canary: README.md here.
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
    """What identifies a style's code: its class, its module's text and the text of the
    modules it names in ``formatting_modules`` (the book's: the labels and names of
    ``idcpc_book.citelabels``), pybtex's version."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        modules = [style_class, *getattr(style_class, "formatting_modules", ())]
        for code in modules:
            digest.update(Path(inspect.getsourcefile(code) or "").read_bytes())
        found = digest.hexdigest()
    except (OSError, TypeError):  # no source file: identify by the class only
        found = ""
    return (style_class.__module__, style_class.__qualname__, found, version("pybtex"))


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
    # the memo is kept in the cite domain's data, pickled with the environment
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
