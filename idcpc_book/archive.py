"""Archived editions: ``editions/<version>/`` holds each released edition's exports.

An edition's folder keeps its ``claims.json`` and ``sources.json`` exactly as the HTML
build wrote them, ``PREVIOUS`` (the SHA-256 of the edition before's ``SHA256SUMS``, or
that this is the first edition) and ``SHA256SUMS`` (the format ``sha256sum -c`` reads)
over the three, so that anyone can verify that an archived edition is the one published.
The ``PREVIOUS`` files chain the editions: changing, deleting or inserting an edition
breaks the link of the edition after it, so the digest of the last manifest (printed on
the changes page, and in the release's git tag) vouches for the whole history. The
archive is what later editions are compared with (:mod:`idcpc_book.history`): what a
claim said, its status, kind, sources and evidence grade, the facts of each source, and
which corrections entries that edition carried.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from idcpc_book.errors import InputError
from idcpc_book.export_list import EXPORTS

FOLDER = "editions"
#: The exports an edition keeps, and the checksum list over them.
FILES = tuple(export.name for export in EXPORTS if export.archived)
SUMS = "SHA256SUMS"
#: The link to the edition before: its manifest's digest, or that there is none.
PREVIOUS = "PREVIOUS"
#: ``PREVIOUS`` of the first edition.
FIRST = "none: this is the first edition\n"
_SUM_LINE = re.compile(r"^([0-9a-f]{64})  (\S+)$")
#: ``PREVIOUS`` of a later edition: a line ``sha256sum -c`` checks from the edition's folder.
_PREVIOUS_LINE = re.compile(r"^([0-9a-f]{64})  \.\./([^/\s]+)/" + SUMS + "$")


@dataclass(frozen=True)
class ClaimState:
    """What an edition says of one claim: the parts a change to which must be recorded."""

    id: str
    chapter: str
    text: str
    status: str
    kind: str
    sources: tuple[str, ...]
    #: The evidence grade's name ("" where an edition did not record it: before 0.3.0).
    evidence: str = ""

    @classmethod
    def of(
        cls,
        claim_id: str,
        chapter: str,
        text: str,
        status: str,
        kind: str,
        sources: Any,
        evidence: str = "",
    ) -> ClaimState:
        # Markup is not in the text (it is the text a reader sees); a reflow is no change.
        return cls(
            claim_id, chapter, " ".join(text.split()), status, kind, tuple(sorted(sources)),
            evidence,
        )  # fmt: skip

    def differences(self, other: ClaimState) -> list[str]:
        """The parts (text, status, kind, sources, evidence) in which ``other`` differs; the
        grade only where both record one."""
        found = [
            name
            for name in ("text", "status", "kind", "sources")
            if getattr(self, name) != getattr(other, name)
        ]
        if self.evidence and other.evidence and self.evidence != other.evidence:
            found.append("evidence")
        return found


@dataclass(frozen=True)
class Archive:
    """One archived edition."""

    version: str
    as_of: str
    base_url: str
    path: Path
    claims: dict[str, ClaimState]
    sources: frozenset[str]
    #: IDs of the corrections entries this edition carried.
    entries: frozenset[str]
    #: Each entry as this edition published it (its fields, without ``edition``).
    entry_texts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Each source's facts as this edition published them (sources.json, without cited_by).
    source_facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: SHA-256 of this edition's ``SHA256SUMS``: the manifest the next edition links to.
    manifest: str = ""
    #: ``(digest, version)`` of the edition before, from ``PREVIOUS``; None: the first.
    previous: tuple[str, str] | None = None


def folder(root: Path) -> Path:
    return root / FOLDER


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sums_text(directory: Path) -> str:
    """``SHA256SUMS`` for the edition files (and ``PREVIOUS``) in ``directory``."""
    return "".join(f"{sha256(directory / name)}  {name}\n" for name in (*FILES, PREVIOUS))


def previous_text(before: Archive | None) -> str:
    """``PREVIOUS`` of the edition after ``before`` (None: of the first edition)."""
    if before is None:
        return FIRST
    return f"{before.manifest}  ../{before.version}/{SUMS}\n"


def load_all(root: Path) -> list[Archive]:
    """Every archived edition under ``<root>/editions``, oldest first (by version), after
    checking each against its ``SHA256SUMS`` and the chain of ``PREVIOUS`` links."""
    base = folder(root)
    if not base.is_dir():
        return []
    found = []
    for directory in sorted(p for p in base.iterdir() if p.is_dir()):
        try:
            version = Version(directory.name)
        except InvalidVersion:
            raise InputError(
                directory, None, "an edition's folder is named by its version, e.g. 0.2.0"
            ) from None
        found.append((version, load(directory)))
    archives = [archive for _, archive in sorted(found, key=lambda pair: pair[0])]
    _verify_chain(archives)
    return archives


def _verify_chain(archives: list[Archive]) -> None:
    """Each edition's ``PREVIOUS`` names the edition before it, by its manifest's digest."""
    versions = {a.version for a in archives}
    for index, edition in enumerate(archives):
        before = archives[index - 1] if index else None
        path = edition.path / PREVIOUS
        if edition.previous is None:
            if before is not None:
                raise InputError(path, 1, (
                    f"says {edition.version} is the first edition, but edition "
                    f"{before.version} is older: the chain of editions was rewritten"
                ))  # fmt: skip
            continue
        digest, named = edition.previous
        if named not in versions:
            raise InputError(path, 1, (
                f"the edition before {edition.version} is {named} (its {SUMS} has SHA-256 "
                f"{digest}), but {FOLDER}/{named}/ is missing: an archived edition was "
                "deleted (restore it with git checkout)"
            ))  # fmt: skip
        if before is None or named != before.version:
            between = before.version if before else "none"
            raise InputError(path, 1, (
                f"names {named} as the edition before {edition.version}, but the edition "
                f"before it is {between}: an edition was inserted into the history"
            ))  # fmt: skip
        if digest != before.manifest:
            raise InputError(path, 1, (
                f"{FOLDER}/{named}/{SUMS} is not the manifest {edition.version} was released "
                f"after (SHA-256 {digest}): edition {named} was changed after it was "
                "released (restore it with git checkout)"
            ))  # fmt: skip


def load(directory: Path) -> Archive:
    """One archived edition, after checking its files against ``SHA256SUMS``."""
    _verify(directory)
    claims_data = _json(directory / "claims.json")
    sources_data = _json(directory / "sources.json")
    try:
        head = claims_data["edition"]
        claims = {
            c["id"]: ClaimState.of(
                c["id"], c["chapter"], c["text"], c["status"], c["kind"],
                (s["id"] for s in c["sources"]), (c.get("evidence") or {}).get("grade", ""),
            )
            for c in claims_data["claims"]
        }  # fmt: skip
        entry_texts = {
            e["id"]: {k: v for k, v in e.items() if k != "edition"}
            for e in claims_data.get("corrections", [])
        }
        facts = {
            s["id"]: {k: v for k, v in s.items() if k != "cited_by"}
            for s in sources_data["sources"]
        }
        version, as_of, base_url = head["version"], head["as_of"], head["url"]
    except (KeyError, TypeError, AttributeError) as err:
        raise InputError(
            directory / "claims.json", None, f"not an edition's claims export (no {err})"
        ) from None
    if version != directory.name:
        raise InputError(
            directory / "claims.json",
            None,
            f"the edition inside is version {version}, the folder says {directory.name}",
        )
    return Archive(
        version, as_of, base_url, directory, claims, frozenset(facts), frozenset(entry_texts),
        entry_texts, facts, sha256(directory / SUMS), _previous(directory / PREVIOUS),
    )  # fmt: skip


def _previous(path: Path) -> tuple[str, str] | None:
    """The ``(digest, version)`` a ``PREVIOUS`` file names; None for the first edition."""
    try:  # (not inputs.text.read_utf8: the input layer reads the archive, not the reverse)
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, 1, f"not valid UTF-8 (byte {err.start})") from None
    if text == FIRST:
        return None
    match = _PREVIOUS_LINE.match(text.removesuffix("\n"))
    if not match or not text.endswith("\n"):
        raise InputError(path, 1, (
            f"not a link to the edition before: '<64 hex>  ../<version>/{SUMS}', or "
            f"'{FIRST.strip()}'"
        ))  # fmt: skip
    return match[1], match[2]


def _verify(directory: Path) -> None:
    sums = directory / SUMS
    if not sums.is_file():
        raise InputError(sums, None, "missing: an archived edition carries its checksum list")
    listed: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        match = _SUM_LINE.match(line)
        if not match:
            raise InputError(sums, number, "not a line of sha256sum: '<64 hex>  <file>'")
        listed[match[2]] = (match[1], number)
    for name in (*FILES, PREVIOUS):
        path = directory / name
        if name not in listed:
            raise InputError(sums, None, f"does not list {name}")
        if not path.is_file():
            raise InputError(path, None, "missing from the archived edition")
        digest, number = listed[name]
        if sha256(path) != digest:
            raise InputError(
                sums, number, f"{name} does not match its checksum: the archived edition was "
                "changed after it was released (restore it with git checkout)"
            )  # fmt: skip


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(path, None, f"not valid JSON: {err}") from None


def write(root: Path, version: str, exports: Path) -> Path:
    """Archive the exports in ``exports`` (an HTML build's) as edition ``version``, linked
    to the last edition archived before it."""
    target = folder(root) / version
    if target.exists():
        raise InputError(target, None, f"edition {version} is already archived")
    before = load_all(root)
    target.mkdir(parents=True)
    for name in FILES:
        (target / name).write_bytes((exports / name).read_bytes())
    (target / PREVIOUS).write_text(previous_text(before[-1] if before else None), encoding="utf-8")
    (target / SUMS).write_text(sums_text(target), encoding="utf-8")
    load_all(root)  # what was written reads back as the next edition of the chain
    return target
