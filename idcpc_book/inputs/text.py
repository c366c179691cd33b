"""The book's files as text: :func:`~idcpc_book.textfile.read_utf8`, for the input layer.

The reader itself is :mod:`idcpc_book.textfile`, outside this package, so that the
modules this package reads through (the corrections log, the history) can use it too
without an import cycle.
"""

from __future__ import annotations

from idcpc_book.textfile import read_utf8

__all__ = ["read_utf8"]
