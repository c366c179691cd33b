"""Read ``refs.bib`` strictly before sphinxcontrib-bibtex does, and stop cleanly if it
is unusable.

sphinxcontrib-bibtex parses the bibliography when the builder starts; a pybtex syntax
error escapes as an extension crash, which Sphinx prints as a crash report with a
traceback (Sphinx prints every exception that way, ``ConfigError`` included). So the
file is read first with :func:`idcpc_book.bib.read_bib`; a fault is logged as one
located error (``refs.bib:<line>: ERROR: message``) and the build exits with status 2,
the status Sphinx itself uses for a failed build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from idcpc_book.bib import read_bib
from idcpc_book.errors import InputError

logger = logging.getLogger(__name__)


def check_bibfiles(app: Sphinx, config: Config) -> None:
    for name in config.bibtex_bibfiles:
        path = Path(app.confdir, name)
        if not path.is_file():
            continue  # sphinxcontrib-bibtex reports a missing file itself
        try:
            read_bib(path)
        except InputError as err:
            where = f"{err.path}:{err.line}" if err.line else str(err.path)
            logger.error(err.message, location=where)
            raise SystemExit(2) from None


def setup(app: Sphinx) -> dict[str, Any]:
    # after idcpc_book.sphinxext.paths has set bibtex_bibfiles (default priority 500)
    app.connect("config-inited", check_bibfiles, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
