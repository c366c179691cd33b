"""Everything the rules look at, loaded once: needs.json, refs.bib, records, chapters.

Unusable input raises :class:`~idcpc_book.errors.InputError` (the CLI exits 2).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from idcpc_book.errors import InputError, InputErrors
from idcpc_book.history import History
from idcpc_book.inputs.bib import entry_line, read_bib
from idcpc_book.inputs.book import Inputs, check_book
from idcpc_book.inputs.census import DocCensus
from idcpc_book.inputs.glossary import Term
from idcpc_book.inputs.records import SourceRecord
from idcpc_book.model import claims_among


@dataclass
class Book:
    root: Path
    docs_dir: Path
    #: Claim and source needs by ID, as ``needs.json`` or sphinx-needs' data holds them.
    claims: dict[str, Mapping[str, Any]]
    sources: dict[str, Mapping[str, Any]]
    bib_keys: dict[str, int]
    records: dict[str, SourceRecord]
    docs: list[DocCensus]
    #: The archived editions and the corrections log.
    past: History
    #: Claim ID -> its text as readers see it (the build's ``claim-texts.json``).
    texts: dict[str, str]
    #: The glossary's terms (``glossary.toml``), whose names the claims must attest.
    glossary: list[Term] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def need_path(self, need: Mapping[str, Any]) -> str:
        """The chapter file a need was written in, relative to the book root."""
        return self.rel(self.docs_dir / f"{need['docname']}{need.get('doctype') or '.md'}")


def load_needs(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        raise InputError(path, None, "needs.json not found (build the book first: nox -s check)")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        version = data["versions"][data.get("current_version", "")]
        needs = version["needs"]
    except UnicodeDecodeError as err:
        raise InputError(path, None, f"not valid UTF-8 (byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise InputError(path, err.lineno, f"not valid JSON: {err.msg}") from None
    except (KeyError, TypeError):
        raise InputError(path, None, "not a sphinx-needs export (no versions/needs)") from None
    if not isinstance(needs, dict):
        raise InputError(path, None, "not a sphinx-needs export (needs is not a mapping)")
    return needs


#: Written beside needs.json by the build (``idcpc_book.ext.book.claims.TEXTS_FILE``).
TEXTS = "claim-texts.json"


def load_texts(path: Path) -> dict[str, str]:
    """Each claim's text as readers see it, which the history rule compares."""
    if not path.is_file():
        raise InputError(path, None, "not found (build the book first: nox -s check)")
    try:
        texts = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(path, None, f"not valid JSON: {err}") from None
    if not isinstance(texts, dict):
        raise InputError(path, None, "not a mapping of claim ID to text")
    return texts


def load(root: Path, needs_json: Path, docs_dir: Path | None = None) -> Book:
    """The book, after :func:`idcpc_book.inputs.book.check_book` found its files usable (else
    :class:`InputErrors` with every fault), and the build's ``needs.json``."""
    docs_dir = docs_dir or root / "docs"
    bib_path = root / "refs.bib"
    if not bib_path.is_file():
        raise InputError(
            bib_path, None, "not found: the book's bibliography (README: Adding a source)"
        )
    bib = read_bib(bib_path)
    pyproject = root / "pyproject.toml"
    inputs = check_book(root, docs_dir, pyproject if pyproject.is_file() else None)
    if inputs.errors:
        raise InputErrors(inputs.errors)
    needs = load_needs(needs_json)
    # the history rule compares the texts, the glossary rule looks up names in them
    wanted = inputs.past.archives or inputs.glossary
    texts = load_texts(needs_json.with_name(TEXTS)) if wanted else {}
    return assemble(root, docs_dir, inputs, bib.entries, needs, texts)


def assemble(
    root: Path,
    docs_dir: Path,
    inputs: Inputs,
    bib_keys: Iterable[str],
    needs: Mapping[str, Mapping[str, Any]],
    texts: dict[str, str],
) -> Book:
    """The book from its usable ``inputs``, the keys of ``refs.bib`` and the needs: the
    checker's (from ``needs.json``) and every build's (:mod:`idcpc_book.ext.inputs.verdict`,
    from sphinx-needs' data), so both run the rules on the same thing."""
    bib_text = inputs.bib_text or ""  # readable: the bibliography was read strictly
    return Book(
        root=root,
        docs_dir=docs_dir,
        claims=claims_among(needs),
        sources={k: v for k, v in needs.items() if v.get("type") == "source"},
        bib_keys={key: entry_line(bib_text, key) or 0 for key in bib_keys},
        records=inputs.records,
        docs=inputs.docs,
        past=inputs.past,
        texts=texts,
        glossary=inputs.glossary,
    )
