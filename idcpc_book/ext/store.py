"""The book's data in the environment: one Sphinx domain, ``idcpc``, pickled with it.

Modelled on ``sphinx.ext.todo``: what the book's extensions learn while reading pages is
kept in the domain's data, which Sphinx pickles with the environment, clears for a page
read again (:meth:`BookDomain.clear_doc`) and merges from parallel readers
(:meth:`BookDomain.merge_domaindata`). Bump :attr:`BookDomain.data_version` (and
:data:`ENV_VERSION`) when the data's shape changes: Sphinx then reads every page again.

Two kinds of entries:

* per page, cleared when the page is read again: the claims' texts, the corrections
  page, the figures of each page, the pages that aggregate needs;
* fingerprints of what the last build wrote (``need_prints``, ``evidence_prints``,
  ``shown_prints``, ``history_print``), kept across reads and updated only by
  :mod:`~idcpc_book.ext.rewrite`'s sources, in the main process: clearing them on a read
  would make every read look like a change.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any, cast

from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

#: The extension's ``env_version``: the environment is discarded when it changes.
ENV_VERSION = 3


class BookDomain(Domain):
    """The book's data, one entry per concern (see the module docstring)."""

    name = "idcpc"
    label = "IDCPC book"
    data_version = 3
    initial_data: dict[str, Any] = {  # noqa: RUF012  (Sphinx's own ClassVar)
        "claim_texts": {},  # claim ID -> (docname, plain text): the exports' sentences
        "corrections_page": None,  # docname of the page with {corrections-log}
        "figure_pages": {},  # docname -> the names of its {claims-figure}s, in order
        "aggregating_pages": set(),  # docnames with nodes filled from other needs
        "need_prints": {},  # docname -> digest of its needs, as last written
        "evidence_prints": {},  # docname -> digest of its claims' grades, as last written
        "shown_prints": {},  # docname -> digest of its claims' evidence and status labels
        "history_print": None,  # digest of the history files, as last written
    }

    @property
    def claim_texts(self) -> dict[str, tuple[str, str]]:
        return cast(dict[str, tuple[str, str]], self.data["claim_texts"])

    @property
    def corrections_page(self) -> str | None:
        return cast(str | None, self.data["corrections_page"])

    @corrections_page.setter
    def corrections_page(self, docname: str | None) -> None:
        self.data["corrections_page"] = docname

    @property
    def figure_pages(self) -> dict[str, list[str]]:
        return cast(dict[str, list[str]], self.data["figure_pages"])

    @property
    def aggregating_pages(self) -> set[str]:
        return cast(set[str], self.data["aggregating_pages"])

    @property
    def need_prints(self) -> dict[str, str]:
        return cast(dict[str, str], self.data["need_prints"])

    @property
    def evidence_prints(self) -> dict[str, str]:
        return cast(dict[str, str], self.data["evidence_prints"])

    @property
    def shown_prints(self) -> dict[str, str]:
        return cast(dict[str, str], self.data["shown_prints"])

    @property
    def history_print(self) -> str | None:
        return cast(str | None, self.data["history_print"])

    @history_print.setter
    def history_print(self, digest: str | None) -> None:
        self.data["history_print"] = digest

    def clear_doc(self, docname: str) -> None:
        texts = self.claim_texts
        for claim_id in [k for k, (doc, _) in texts.items() if doc == docname]:
            del texts[claim_id]
        if self.corrections_page == docname:
            self.corrections_page = None
        self.figure_pages.pop(docname, None)
        self.aggregating_pages.discard(docname)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self.claim_texts.update(
            (k, v) for k, v in otherdata["claim_texts"].items() if v[0] in docnames
        )
        if otherdata["corrections_page"] in docnames:
            self.corrections_page = otherdata["corrections_page"]
        self.figure_pages.update(
            (k, v) for k, v in otherdata["figure_pages"].items() if k in docnames
        )
        self.aggregating_pages.update(otherdata["aggregating_pages"] & set(docnames))


def book_data(env: BuildEnvironment) -> BookDomain:
    """The book's store in ``env``."""
    return cast(BookDomain, env.get_domain(BookDomain.name))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_domain(BookDomain)
    return {"env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
