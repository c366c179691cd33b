"""Every claim cites existing sources, in its links and in its text (three rules of the
registry, :data:`idcpc_book.checker.rules.RULES`):

* a claim has ``:cites:``, and each ID is a source;
* the text has a citation role, and its keys are exactly the cited sources' keys;
* each key is in refs.bib; each bib entry is used by a source; each source is cited.
"""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need
from idcpc_book.inputs.markup import cited_keys

RULE = "citations"


def check(book: Book) -> Iterator[Problem]:
    cited_sources: set[str] = set()
    for need in book.claims.values():
        cites = need.get("cites") or []
        if not cites:
            yield at_need(book, need, RULE, "claim has no :cites:")
        keys_of_cited: dict[str, str] = {}
        for target in cites:
            if target in book.sources:
                cited_sources.add(target)
                keys_of_cited[target] = book.sources[target].get("bibkey") or ""
            elif target in book.claims:
                yield at_need(book, need, RULE, f"cites '{target}', which is a claim, not a source")
            else:
                yield at_need(book, need, RULE, f"cites unknown source '{target}'")
        in_text = cited_keys(need.get("content") or "")
        if not in_text:
            yield at_need(
                book, need, RULE, "claim text has no citation role ({cite:p} or {cite:t})"
            )
        for key in dict.fromkeys(in_text):
            if key not in book.bib_keys:
                yield at_need(book, need, RULE, f"citation key '{key}' is not in refs.bib")
            elif key not in keys_of_cited.values():
                yield at_need(
                    book,
                    need,
                    RULE,
                    f"text cites '{key}', which is not the key of a source in :cites:",
                )
        if in_text:
            for target, key in keys_of_cited.items():
                if key not in in_text:
                    yield at_need(
                        book,
                        need,
                        RULE,
                        f"{target} is in :cites: but its key '{key}' is not cited in the text",
                    )
    used_keys = {need.get("bibkey") for need in book.sources.values()}
    for key, line in book.bib_keys.items():
        if key not in used_keys:
            yield Problem("refs.bib", line, key, "bib entry is used by no source", RULE)
    for sid, need in book.sources.items():
        if sid not in cited_sources:
            where = need.get("archive") or book.need_path(need)
            yield Problem(where, 1, sid, "no claim cites this source", RULE)
