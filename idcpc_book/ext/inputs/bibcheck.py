"""Read ``refs.bib`` strictly before sphinxcontrib-bibtex does, and stop cleanly if it
is unusable.

sphinxcontrib-bibtex parses the bibliography when the builder starts; a pybtex syntax
error escapes as an extension crash, which Sphinx prints as a crash report with a
traceback (Sphinx prints every exception that way, ``ConfigError`` included). So the
file is read first with :func:`idcpc_book.inputs.bib.read_bib`; a fault (or a missing file) is
handed to :mod:`~idcpc_book.ext.inputs.preflight`, which logs it as one located error
(``refs.bib:<line>: ERROR: message``) with the book's other faults and stops the build
with status 2, the status Sphinx itself uses for a failed build.

The strict read is done once per content of the file, not once per build:

* after a file passes, its fingerprint (its bytes, pybtex's version and the code of
  :mod:`idcpc_book.inputs.bib`, which make the verdict) is kept in the doctree folder
  (:data:`STAMP`); a later build of the same bytes with the same code knows the verdict
  and does not parse again. It still turns on pybtex's strict mode, as the read does;
* when a build parses the file anyway (the first build, or after the file changed) and
  sphinxcontrib-bibtex would parse it again (its data is out of date), it is handed the
  strict read's result, which is what its own parse gives (same parser, same text; only
  for one UTF-8 file without a byte-order mark or carriage returns, which upstream's
  text-mode read would treat apart; a test compares them).
"""

from __future__ import annotations

import functools
import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pybtex import errors as pybtex_errors
from pybtex.database import BibliographyData
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinxcontrib.bibtex.bibfile import BibData, BibFile, get_mtime, is_bibdata_outdated

from idcpc_book.errors import InputError
from idcpc_book.ext import kept, order
from idcpc_book.ext.inputs import preflight
from idcpc_book.ext.state import build_state
from idcpc_book.inputs import bib, markup
from idcpc_book.inputs.bib import read_bib

#: In the doctree folder: bib file -> fingerprint of its last content that passed.
STAMP = "idcpc_bibcheck.json"


@functools.cache
def _code_print() -> bytes:
    """What decides the verdict besides the file: pybtex's version, our reader's code."""
    code = Path(bib.__file__).read_bytes() + Path(markup.__file__).read_bytes()  # URL rule
    return version("pybtex").encode() + code


def fingerprint(content: bytes) -> str:
    """The fingerprint of a bib file's ``content``, under the current code."""
    digest = hashlib.blake2b(_code_print(), digest_size=16)
    digest.update(b"\0" + content)
    return digest.hexdigest()


def _stamps(app: Sphinx) -> dict[str, str]:
    stamps = kept.read(app, STAMP)
    return stamps if isinstance(stamps, dict) else {}


def check_bibfiles(app: Sphinx, config: Config) -> None:
    known = _stamps(app)
    passed: dict[str, str] = {}
    parsed: dict[Path, tuple[str, BibliographyData]] = {}
    for name in config.bibtex_bibfiles:
        path = Path(app.confdir, name)
        if not path.is_file():
            message = "not found: the book's bibliography (README: Adding a source)"
            preflight.earlier_errors(app).append(InputError(path, None, message))
            continue
        try:
            print_ = fingerprint(path.read_bytes())
        except OSError:
            print_ = ""  # read_bib reports it
        if print_ and known.get(str(path)) == print_:
            pybtex_errors.set_strict_mode(True)  # as read_bib leaves it
            passed[str(path)] = print_
            continue
        try:
            data = read_bib(path)
        except InputError as err:  # reported with the book's other faults, build stopped
            preflight.earlier_errors(app).append(err)
            continue
        passed[str(path)] = print_
        parsed[path.resolve()] = (print_, data)
    build_state(app).bib_parsed = parsed
    if passed != known:
        kept.write(app, STAMP, passed)


def hand_over_parse(app: Sphinx) -> None:
    """Give sphinxcontrib-bibtex the strict read's data if it would parse the file again."""
    state = build_state(app)
    parsed, state.bib_parsed = state.bib_parsed, {}  # not kept beyond this point
    encoding = app.config.bibtex_encoding
    files = [(Path(app.confdir) / name).resolve() for name in app.config.bibtex_bibfiles]
    if len(files) != 1 or files[0] not in parsed or encoding not in ("utf-8", "utf-8-sig"):
        return
    path = files[0]
    domain = app.env.get_domain("cite")
    if not is_bibdata_outdated(domain.bibdata, files, encoding):  # type: ignore[attr-defined]
        return  # upstream keeps what it has
    mtime = get_mtime(path)
    content = path.read_bytes()
    print_, data = parsed[path]
    if content.startswith(b"\xef\xbb\xbf") or b"\r" in content or fingerprint(content) != print_:
        return  # upstream reads these apart (mark dropped, newlines), or it changed: it parses
    keys = dict.fromkeys(data.entries.keys())
    domain.data["bibdata"] = BibData(  # what sphinxcontrib-bibtex's parse_bibdata returns
        encoding=encoding, bibfiles={path: BibFile(mtime=mtime, keys=keys)}, data=data
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.connect("config-inited", check_bibfiles, priority=order.CHECK_BIBFILES)
    app.connect("builder-inited", hand_over_parse, priority=order.HAND_OVER_BIB_PARSE)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
