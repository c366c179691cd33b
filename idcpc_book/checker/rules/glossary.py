"""Every name in the glossary is one the book's claims use.

The glossary (``glossary.toml``, read by :mod:`idcpc_book.inputs.glossary`) ties each
term, its expansion and each of its variants to a claim. The name must stand in that
claim's text (as readers see it) or in one of its quotes, at word boundaries, after the
normalisation the quotes get (:func:`idcpc_book.normalise.normalise`: Unicode NFC,
whitespace, quotation-mark and dash style folded, and nothing else: letter case and
spelling count). So the glossary never says a body is also called something that no
claim, and so no source, attests.
"""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.inputs.glossary import FILE
from idcpc_book.model import split_quotes
from idcpc_book.normalise import normalise
from idcpc_book.quoting import passage_start

RULE = "glossary"


def _attests(book: Book, claim_id: str, name: str) -> bool:
    """Whether the claim's text or one of its quotes holds ``name`` as a passage."""
    need = book.claims[claim_id]
    wanted = normalise(name)
    places = [book.texts.get(claim_id, ""), *split_quotes(need.get("quote") or "")]
    return any(passage_start(wanted, normalise(place)) is not None for place in places)


def check(book: Book) -> Iterator[Problem]:
    for term in book.glossary:
        names = [
            ("term", term.term, term.claim, term.line),
            ("expansion", term.expansion, term.claim, term.line),
            *(("variant", v.form, v.claim, v.line) for v in term.variants),
        ]
        for what, name, claim_id, line in names:
            if claim_id not in book.claims:
                yield Problem(
                    FILE, line, term.term, f"{what} {name!r}: {claim_id} is not a claim in "
                    "the book", RULE,
                )  # fmt: skip
            elif not _attests(book, claim_id, name):
                yield Problem(
                    FILE, line, term.term, f"{what} {name!r} is not in the text or quote of "
                    f"{claim_id} (as written there, after folding whitespace, quotation "
                    "marks and dashes)", RULE,
                )  # fmt: skip
