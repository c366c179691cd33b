"""Strict in-process HTML builds with the real conf.py, less some of its extensions.

Shared by the tests of the build's speed-ups (``tests/test_perf.py``) and the canaries of
the upstream faults they work around (``idcpc_book/ext/upstream/test_canaries.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pybtex.style.formatting import BaseStyle
from realbook import REPO
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from idcpc_book import ext

MEMO = "idcpc_book.ext.upstream.bibtex_memo"
GC_FREEZE = "idcpc_book.ext.upstream.gc_freeze"


def extensions(without: tuple[str, ...]) -> list[str]:
    """conf.py's extensions, less the modules (or packages) ``without``."""
    conf: dict = {}
    exec((REPO / "conf.py").read_text(encoding="utf-8"), {"__file__": str(REPO / "conf.py")}, conf)
    return ext.without(conf["extensions"], without)


def strict_app(docs: Path, out: Path, without: tuple[str, ...] = (), fresh: bool = True) -> Sphinx:
    """A strict in-process HTML Sphinx with the real conf.py, less the extensions ``without``."""
    overrides = {"extensions": extensions(without)} if without else {}
    return Sphinx(
        str(docs), str(REPO), str(out), str(out / ".doctrees"), "html",
        confoverrides=overrides, status=None, warning=sys.stderr, freshenv=fresh,
        warningiserror=True,
    )  # fmt: skip


def strict_build(
    docs: Path, out: Path, without: tuple[str, ...] = (), fresh: bool = True
) -> Sphinx:
    """An in-process strict HTML build (see :func:`strict_app`)."""
    app = strict_app(docs, out, without, fresh)
    app.build()
    return app


@pytest.fixture(autouse=True)
def docutils_registry() -> Iterator[None]:
    """Each test's in-process builds register their directives, roles and nodes in
    docutils' global registry; they are taken back after the test (``sphinx-build`` does
    so itself; a Sphinx made directly does not), or the next build would warn that each
    is already registered."""
    with docutils_namespace():
        yield


@pytest.fixture
def formatted(monkeypatch) -> list[str]:
    """The keys of the entries pybtex formats, in order."""
    calls: list[str] = []
    original = BaseStyle.format_entry

    def counting(self, label, entry, bib_data=None):
        calls.append(entry.key)
        return original(self, label, entry, bib_data)

    monkeypatch.setattr(BaseStyle, "format_entry", counting)
    return calls
