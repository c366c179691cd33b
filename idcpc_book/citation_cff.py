"""``CITATION.cff``: how to cite the book as a whole, written from the edition.

The file is generated (``python -m idcpc_book.citation_cff``) so that it cannot drift
from ``pyproject.toml``; a test fails if the committed file is stale.
"""

from __future__ import annotations

import json
import sys

from idcpc_book.edition import PYPROJECT, Edition, load

CFF_PATH = PYPROJECT.parent / "CITATION.cff"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def render(edition: Edition) -> str:
    """The text of ``CITATION.cff`` (CFF 1.2.0) for ``edition``."""
    message = (
        "To cite the book as a whole, cite it as below. To cite one claim, use the "
        "'Cite this claim' box next to it, which names the claim ID."
    )
    lines = [
        "# Generated from pyproject.toml by `python -m idcpc_book.citation_cff`; do not edit.",
        "cff-version: 1.2.0",
        f"message: {_q(message)}",
        "type: dataset",
        f"title: {_q(edition.title)}",
        f"version: {_q(edition.version)}",
        f"date-released: {_q(edition.as_of)}",
        "authors:",
        f"  - name: {_q(edition.authors)}",
        f"license: {_q(edition.licence)}",
        f"url: {_q(edition.base_url)}",
        "preferred-citation:",
        "  type: book",
        f"  title: {_q(edition.title)}",
        "  authors:",
        f"    - name: {_q(edition.authors)}",
        f"  version: {_q(edition.version)}",
        f"  date-published: {_q(edition.as_of)}",
        f"  year: {edition.as_of[:4]}",
        f"  url: {_q(edition.base_url)}",
        f"  notes: {_q('Current as of ' + edition.as_of_long + '.')}",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write ``CITATION.cff`` (or, with ``--check``, exit 1 if it is stale)."""
    args = sys.argv[1:] if argv is None else argv
    text = render(load(environ={}))  # the committed file: pyproject.toml alone
    if "--check" in args:
        current = CFF_PATH.read_text(encoding="utf-8") if CFF_PATH.is_file() else ""
        if current != text:
            print(f"{CFF_PATH}: stale; run python -m idcpc_book.citation_cff")
            return 1
        return 0
    CFF_PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
