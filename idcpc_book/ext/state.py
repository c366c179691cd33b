"""What one build knows that is not the book's data: one typed record per application.

The environment's data (what pages say) is in :mod:`~idcpc_book.ext.store` and is pickled
with it; this is what lives for one ``sphinx-build`` only and is never pickled: faults
found before the build, the book's files as read, the parse of ``refs.bib``, the book's
history, the collector's thresholds, which pages this build reads, the PDF's anchors,
the sources of :mod:`~idcpc_book.ext.rewrite` and the figures drawn. Kept beside the
application, not on it, so no extension sets attributes on Sphinx's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx

if TYPE_CHECKING:
    from docutils import nodes
    from pybtex.database import BibliographyData

    from idcpc_book.errors import InputError
    from idcpc_book.ext.rewrite import PageSource
    from idcpc_book.history import History
    from idcpc_book.inputs.book import Inputs


@dataclass
class BuildState:
    """The build-scoped values of one application (see the module docstring)."""

    #: Faults found before the preflight (``bibcheck``), reported with the book's others.
    input_errors: list[InputError] = field(default_factory=list)
    #: The book's files as the preflight read them (usable), for the verdict's rules.
    inputs: Inputs | None = None
    #: ``refs.bib`` as read strictly: path -> (fingerprint, data), until handed over.
    bib_parsed: dict[Path, tuple[str, BibliographyData]] = field(default_factory=dict)
    #: The book's history (editions and corrections), read once when first asked for.
    history: History | None = None
    #: The collector's thresholds to restore when the build ends; None when not frozen.
    gc_thresholds: tuple[int, int, int] | None = None
    #: The doctree of the page written last, whose cycles are broken once the next is resolved.
    written_doctree: nodes.document | None = None
    #: The pages read in this build (``env-before-read-docs``).
    read_docs: set[str] = field(default_factory=set)
    #: The PDF's single page: anchor -> the chapters defining it; chapter -> first section.
    pdf_defined_ids: dict[str, list[str]] = field(default_factory=dict)
    pdf_chapter_starts: dict[str, str] = field(default_factory=dict)
    #: What may need pages written again although they were not read (in setup order).
    rewrite_sources: list[PageSource] = field(default_factory=list)
    #: A theme's options left out of the pickled configuration (``upstream.config_stable``).
    hidden_options: dict[str, Any] = field(default_factory=dict)
    #: The figures drawn, as the last build left them (``ext.book.drawings``); read once.
    drawings: dict[tuple[str, str, str], Any] | None = None


_STATES: WeakKeyDictionary[Sphinx, BuildState] = WeakKeyDictionary()


def build_state(app: Sphinx) -> BuildState:
    """The build-scoped values of ``app`` (created on first use)."""
    state = _STATES.get(app)
    if state is None:
        state = _STATES[app] = BuildState()
    return state
