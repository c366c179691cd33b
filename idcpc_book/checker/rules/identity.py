"""IDs are present, well-formed and unique, and each claim is in needs.json.

Duplicate and malformed IDs are found in the census, because sphinx-needs does not
export a need it refused to create. The values of a claim's other fields (kind, status,
dates, money figure) are input, checked before the build: :mod:`idcpc_book.inputs.fields`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.inputs.census import ClaimSite
from idcpc_book.model import CLAIM_PREFIX, ID_PATTERN

RULE = "identity"
_ID = re.compile(ID_PATTERN)


def check(book: Book) -> Iterator[Problem]:
    first_site: dict[str, str] = {}
    for doc in book.docs:
        for site in doc.claims:

            def problem(obj: str, message: str, site: ClaimSite = site) -> Problem:
                return Problem(site.path, site.line, obj, message, RULE)

            for warning in site.warnings:
                yield problem(
                    site.options.get("id") or "?", f"malformed claim directive: {warning}"
                )
            cid = site.options.get("id", "")
            if not cid:
                yield problem("?", "claim has no :id:")
                continue
            if not _ID.match(cid) or not cid.startswith(CLAIM_PREFIX):
                yield problem(
                    cid, f"malformed ID: must start with {CLAIM_PREFIX} and match {ID_PATTERN}"
                )
                continue
            if cid in first_site:
                yield problem(cid, f"duplicate ID: first defined at {first_site[cid]}")
                continue
            first_site[cid] = f"{site.path}:{site.line}"
            if cid not in book.claims:
                yield problem(cid, "claim is missing from needs.json (see the Sphinx build log)")
