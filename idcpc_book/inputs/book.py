"""The book's own files, checked before anything is built from them.

A writer's damage to a chapter, a source record or ``refs.bib`` used to surface late and
many times over: a deleted record as one "unknown outgoing link" per claim citing it, a
chapter with undecodable bytes or a broken record header as a traceback, an unclosed
``claim`` block not at all (it silently took in the headings and claims after it). This
module finds each such fault once, at its cause, with its file and line:

* the edition table of ``pyproject.toml`` is complete and valid (:mod:`idcpc_book.edition`);
* every chapter decodes as UTF-8, its front matter parses, and its ``claim`` and
  ``editorial`` blocks are closed and hold no heading and no other claim (the census,
  :mod:`idcpc_book.inputs.census`, which parses the chapters as MyST does); it uses only
  the directives, roles, substitutions, links and images a chapter may use
  (:mod:`idcpc_book.inputs.content`);
* every claim's kind, status, dates, money figure and term of office fit the claim model
  (:mod:`idcpc_book.inputs.fields`);
* every source record decodes, its header parses and names a known kind, and
  ``refs.bib`` has an entry for it (:func:`idcpc_book.inputs.records.read_record`);
* the archived editions (``editions/``) match their checksums and the corrections log
  (``corrections.toml``) is well-formed (:mod:`idcpc_book.history`);
* the glossary (``glossary.toml``) is well-formed (:mod:`idcpc_book.inputs.glossary`);
* every source a claim cites exists: a cited source whose ``refs.bib`` entry exists but
  whose record does not is one problem at ``sources/<key>.txt``, listing the claims it
  leaves unsupported; a cited source that is neither is one problem at the claim.

The Sphinx build (:mod:`idcpc_book.ext.inputs.preflight`) and the checker
(:mod:`idcpc_book.checker.book`) both run :func:`check_book` first and stop, with
status 2, when it finds anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from idcpc_book import edition, history
from idcpc_book.errors import InputError, own_path
from idcpc_book.inputs import content, fields
from idcpc_book.inputs.bib import entry_line
from idcpc_book.inputs.census import DocCensus, chapter_paths, clear_caches, read_doc
from idcpc_book.inputs.glossary import Term
from idcpc_book.inputs.glossary import load as load_glossary
from idcpc_book.inputs.records import SourceRecord, read_record, record_paths
from idcpc_book.inputs.reuse import Checked, Kept
from idcpc_book.inputs.text import read_utf8
from idcpc_book.model import SOURCE_PREFIX

#: How many citing claims a "missing record" problem names before "and N more".
NAMED_CLAIMS = 5


def read_chapters(
    root: Path, docs_dir: Path, kept: Kept | None = None
) -> tuple[list[DocCensus], list[InputError]]:
    """The census of every chapter, and the chapters' faults (unreadable or ill-formed).

    With ``kept`` (the Sphinx build's), a chapter whose text the last build checked is
    not parsed again (:mod:`idcpc_book.inputs.reuse`); each chapter's check is kept."""
    docs, errors = [], []
    clear_caches()
    for path in chapter_paths(docs_dir):
        rel = _rel(root, path)
        try:
            text = read_utf8(path)
            found = kept.get(root, rel, text) if kept is not None else None
            if found is None:
                found = check_chapter(root, path, rel, text)
                if kept is not None:
                    kept.put(root, text, found)
        except InputError as err:
            errors.append(err)
            continue
        docs.append(found.doc)
        errors += found.errors
    return docs, errors


def check_chapter(root: Path, path: Path, rel: str, text: str) -> Checked:
    """One chapter's own check (``text``, read from ``path``): its census, and the faults of
    its structure, of what it contains and of its claims' fields."""
    doc = read_doc(path, rel, text)
    errors = [InputError(root / f.path, f.line, f"{f.obj}: {f.message}") for f in doc.faults]
    faults, looked = content.checked(doc, root)
    errors += [InputError(root / f.path, f.line, f"{f.obj}: {f.message}") for f in faults]
    errors += [
        InputError(root / site.path, site.line, f"{site.options.get('id') or '?'}: {fault}")
        for site in doc.claims
        if not site.warnings  # options MyST cannot read: its own warning names them
        for fault in fields.faults(site.options)
    ]
    return Checked(doc, errors, looked)


def read_records(
    root: Path, bib_text: str | None, kept: Kept | None = None
) -> tuple[dict[str, SourceRecord], list[InputError]]:
    """The readable source records by key, and the faults of the others (``kept``: the
    records the last build read, see :func:`~idcpc_book.inputs.records.read_record`)."""
    records, errors = {}, []
    for path in record_paths(root / "sources"):
        try:
            record = read_record(path, kept)
        except InputError as err:
            errors.append(err)
            continue
        if bib_text is not None and entry_line(bib_text, record.bibkey) is None:
            errors.append(InputError(path, 1, f"no refs.bib entry with key '{record.bibkey}'"))
            continue
        records[record.bibkey] = record
    return records, errors


def cited_sources(
    root: Path, docs: Iterable[DocCensus], records: dict[str, SourceRecord], unreadable: set[str],
    bib_text: str | None,
) -> list[InputError]:  # fmt: skip
    """A problem for each cited source that does not exist (see the module docstring)."""
    known = {record.source_id for record in records.values()}
    missing: dict[str, list[str]] = {}  # key of a bib entry without record -> citing claims
    errors = []
    for doc in docs:
        for claim in doc.claims:
            claim_id = claim.options.get("id") or "?"
            for source in _split(claim.options.get("cites") or ""):
                key = source[len(SOURCE_PREFIX) :].lower()
                if source in known or not source.startswith(SOURCE_PREFIX) or key in unreadable:
                    continue  # an ID of the wrong form is the identity rule's; see the record's
                if bib_text is not None and entry_line(bib_text, key) is not None:
                    missing.setdefault(key, []).append(claim_id)
                    continue
                errors.append(InputError(root / doc.path, claim.line, (
                    f"{claim_id}: cites {source}, which is not a source: there is no "
                    f"sources/{key}.txt and no refs.bib entry '{key}'"
                )))  # fmt: skip
    for key, claims in sorted(missing.items()):
        claims = sorted(set(claims))
        named = ", ".join(claims[:NAMED_CLAIMS])
        more = f" and {len(claims) - NAMED_CLAIMS} more" if len(claims) > NAMED_CLAIMS else ""
        errors.append(InputError(root / "sources" / f"{key}.txt", None, (
            f"{SOURCE_PREFIX}{key.upper()}: archived record missing (refs.bib has the entry); "
            f"it leaves {len(claims)} claim{'s' if len(claims) > 1 else ''} unsupported: "
            f"{named}{more}. Restore the file (git checkout -- sources/{key}.txt) or archive "
            "the source again (README: Adding a source)"
        )))  # fmt: skip
    return errors


@dataclass
class Inputs:
    """What :func:`check_book` read: the chapters' census, the usable records by key, and
    every fault found (empty: the book's files are usable)."""

    docs: list[DocCensus]
    records: dict[str, SourceRecord]
    errors: list[InputError]
    #: The archived editions and the corrections log (empty when unreadable: see errors).
    past: history.History
    #: ``refs.bib`` as text (None when unreadable: :func:`idcpc_book.inputs.bib.read_bib`
    #: reports why).
    bib_text: str | None
    #: The glossary's terms (empty when there is none or it is unreadable: see errors).
    glossary: list[Term] = field(default_factory=list)


#: The book's folders below its root. A file linked from outside is refused where it is
#: read (:func:`~idcpc_book.textfile.read_utf8`); a linked folder is refused here, before
#: anything in it is read, since the files in it are regular files.
FOLDERS = ("docs", "sources", "editions")


def linked_folders(root: Path) -> list[InputError]:
    """A fault for each of :data:`FOLDERS` that is a symbolic link.

    Sphinx resolves its source folder before the book sees it, so a build started on a
    linked ``docs/`` reads the target as its book (its ``sources/`` and ``editions/``
    below it are then checked): the checker, given the repository as ``--root``, refuses
    that link too."""
    return [
        InputError(
            root / name,
            None,
            f"is a symbolic link to {os.readlink(root / name)}; the book reads only folders "
            "inside the repository: put the folder itself here",
        )
        for name in FOLDERS
        if (root / name).is_symlink()
    ]


def check_book(
    root: Path, docs_dir: Path, pyproject: Path | None = None, kept: Kept | None = None
) -> Inputs:
    """Read and check the edition (``pyproject``, when given), the chapters, the records
    and the sources the claims cite; nothing when a folder of the book is a link.

    ``kept``: the chapters' checks and the records the last build kept, reused for those
    that did not change, and given this build's (:mod:`idcpc_book.inputs.reuse`); without
    it, as in the checker's command line, every file is read in full."""
    errors = linked_folders(root)
    if errors:
        return Inputs([], {}, errors, history.History([], []), None)
    if pyproject is not None:
        try:
            edition.load(pyproject)
        except InputError as err:
            errors.append(err)
    bib_text = _text(root / "refs.bib")
    docs, chapter_errors = read_chapters(root, docs_dir, kept)
    errors += chapter_errors
    records, record_errors = read_records(root, bib_text, kept)
    unreadable = {err.path.stem for err in record_errors}
    errors += record_errors
    errors += cited_sources(root, docs, records, unreadable, bib_text)
    try:
        past = history.load(root)
    except InputError as err:
        errors.append(err)
        past = history.History([], [])
    try:
        terms = load_glossary(root)
    except InputError as err:
        errors.append(err)
        terms = []
    return Inputs(docs, records, errors, past, bib_text, terms)


def _text(path: Path) -> str | None:
    """``refs.bib`` as text, or None when it cannot be read (reported by its own reader)."""
    try:
        return read_utf8(path)
    except InputError:
        return None


def _split(value: str) -> list[str]:
    """A list option as sphinx-needs splits it (on ``,`` ``;`` ``|``)."""
    for separator in ";|":
        value = value.replace(separator, ",")
    return [item.strip() for item in value.split(",") if item.strip()]


def _rel(root: Path, path: Path) -> str:
    """``path`` relative to ``root``, at its own place (see own_path)."""
    return own_path(path).relative_to(root.resolve()).as_posix()
