"""Where the book's files are: ``refs.bib`` and ``sources/`` beside the ``docs/`` folder.

``conf.py`` sits at the repository root and the chapters in ``docs/``; the same
configuration also builds the small test books under ``tests/roots/``. So paths are
taken relative to the source folder's parent (the *book root*), not to ``conf.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config


def book_root(app: Sphinx) -> Path:
    """The folder holding ``docs/``, ``refs.bib`` and ``sources/``."""
    return Path(app.srcdir).parent


def _set_bibfile(app: Sphinx, config: Config) -> None:
    if not config.bibtex_bibfiles:
        config.bibtex_bibfiles = [str(book_root(app) / "refs.bib")]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _set_bibfile)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
