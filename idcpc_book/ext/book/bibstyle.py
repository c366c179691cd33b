"""The bibliography style: author-year labels, titles as published, ISO dates.

pybtex's stock styles lower-case titles ("IDCPC" becomes "idcpc"), ignore the day
of publication, label entries by number or initials, invert every name and sort
persons apart from organisations. A reference book on news sources needs the headline
as published, the full date, names in their own order, one A-Z order, and the same
author-year label in the text and in the bibliography (:mod:`idcpc_book.citelabels`;
the text's side: :mod:`idcpc_book.ext.book.citerefs`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pybtex.database import Entry
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import FieldIsMissing, field, href, join, node, optional, sentence
from sphinx.application import Sphinx

from idcpc_book import citelabels
from idcpc_book.inputs.bib import iso_date


class AuthorYearLabels(BaseLabelStyle):
    """Labels like ``Dawn 2024`` / ``Dawn 2024b``, unique within a bibliography."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        entries = list(sorted_entries)
        found = citelabels.labels((entry.key, entry) for entry in entries)
        for entry in entries:
            yield found[entry.key]


class LabelOrder(BaseSortingStyle):
    """One A-Z order by the label's author (case and accents ignored), year, date."""

    def sorting_key(self, entry: Entry) -> tuple[object, ...]:
        return citelabels.sort_key(entry)


@node
def _plain(children: Any, context: dict[str, Any], name: str) -> Any:
    """Field ``name`` as plain text, LaTeX escapes decoded (``\\$`` is "$")."""
    value = context["entry"].fields.get(name, "")
    if not value:
        raise FieldIsMissing(name, context["entry"])
    return Text(citelabels.plain(value))


@node
def _authors(children: Any, context: dict[str, Any]) -> Any:
    """The authors in their own order; organisations whole."""
    found = citelabels.names(context["entry"])
    if not found:
        raise FieldIsMissing("author", context["entry"])
    return Text(found)


@node
def _iso_date(children: Any, context: dict[str, Any]) -> Any:
    """The entry's date as YYYY-MM-DD (from year, month, day)."""
    from pybtex.richtext import Text

    return Text(iso_date(context["entry"].fields))


class BookStyle(UnsrtStyle):
    """Online sources: author. Title. Publisher, date. URL (accessed date)."""

    default_label_style = AuthorYearLabels
    default_sorting_style = LabelOrder
    #: What formats entries besides this module (ext/upstream/bibtex_memo.py's key).
    formatting_modules = (citelabels,)

    _last: tuple[tuple[str, Entry, Any], Any] | None = None

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
        """Format ``entry``; the same call twice in a row is answered once.

        sphinxcontrib-bibtex formats every entry twice in a row, for the bibliography
        and for its tooltip, with the same style unless ``bibtex_tooltips_style`` is set:
        half of its bibliography work (README, Performance). A style instance lives for
        one bibliography, so this one-entry memo never outlives the entries it saw.
        """
        last = self._last
        if last is not None:
            (last_label, last_entry, last_data), formatted = last
            if last_label == label and last_entry is entry and last_data is bib_data:
                return formatted
        formatted = super().format_entry(label, entry, bib_data)
        self._last = ((label, entry, bib_data), formatted)
        return formatted

    def format_title(self, e: Entry, which_field: str, as_sentence: bool = True) -> Any:
        title = _plain(which_field)
        return sentence[title] if as_sentence else title

    def get_online_template(self, e: Entry) -> Any:
        url = field("url", raw=True)
        return toplevel[
            optional[sentence[_authors]],
            self.format_title(e, "title"),
            # "Daily Pakistan, carrying Associated Press of Pakistan, 2015-04-18."
            sentence[
                optional[_plain("organization")],
                optional[join["carrying ", _plain("carries")]],
                _iso_date,
            ],
            sentence(sep=" ")[href(url)[url], optional[join["(accessed ", _plain("urldate"), ")"]]],
        ]

    get_misc_template = get_online_template


def setup(app: Sphinx) -> dict[str, Any]:
    register_plugin("pybtex.style.formatting", "idcpc_book", BookStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
