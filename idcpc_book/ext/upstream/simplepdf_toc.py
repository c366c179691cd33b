"""Call sphinx-simplepdf's table-of-contents fix-up only on a page it would change.

Works around sphinx-simplepdf 1.7.0: ``SimplePdfBuilder._toctree_fix`` parses the whole
single page with BeautifulSoup, searches the page again for every table-of-contents link,
pretty-prints the page for a debug message nobody sees, and writes it back, on every
build: 2.6 s of the book's PDF build (a 2.4 MB page, 77 links; 7 December 2026), for a
page it leaves as it was. It changes a page only if

* the sidebar's links name the root document's file (``index.html#x``) or do not start
  with ``#``;
* two sections share an id (its real fix: chapters of the same name), which the book's
  anchors never do (:func:`idcpc_book.ext.formats.pdf.fix_single_page_links`);
* an ``h1`` or ``h2`` has an empty class attribute (it adds first/even/odd/last).

:func:`toctree_fix` checks for these with regular expressions, a superset of the fix-up's
own tests, and calls the fix-up only if one is found. Remove it when
``test_simplepdf_parses_a_page_it_leaves_unchanged`` fails.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_SIDEBAR = re.compile(r"sphinxsidebarwrapper")
_HREF = re.compile(r"""(?<![\w-])href\s*=\s*["']([^"']*)["']""")
_INTERNAL_LINK = re.compile(r"""<a\b[^>]*\breference internal\b[^>]*>""")
_SECTION_ID = re.compile(r"""<section\b[^>]*\bid\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_EMPTY_CLASS_HEADING = re.compile(r"""<h[12]\b[^>]*\bclass\s*=\s*(""|'')""", re.IGNORECASE)


def would_change(html: str, root_doc: str) -> bool:
    """Whether sphinx-simplepdf's ``_toctree_fix`` could change ``html`` (errs on yes)."""
    if _EMPTY_CLASS_HEADING.search(html):
        return True
    if not _SIDEBAR.search(html):
        return False
    for link in _INTERNAL_LINK.findall(html):  # the sidebar's, and others
        href = _HREF.search(link)
        if href is None or not href.group(1).startswith("#") or f"{root_doc}.html" in href[1]:
            return True
    counts = Counter(_SECTION_ID.findall(html))
    return any(n > 1 for n in counts.values())


def toctree_fix(builder: Any, html: str) -> str:
    """``builder._toctree_fix(html)`` if it could change the page, else the page itself."""
    if would_change(html, builder.config.root_doc):
        return builder._toctree_fix(html)
    return html
