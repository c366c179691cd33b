"""Archived editions: ``editions/<version>/`` holds each released edition's exports.

An edition's folder keeps its ``claims.json`` and ``sources.json`` exactly as the HTML
build wrote them, and ``SHA256SUMS`` (the format ``sha256sum -c`` reads) over both, so
that anyone can verify that an archived edition is the one published. The archive is
what later editions are compared with (:mod:`idcpc_book.history`): what a claim said,
its status, kind and sources, and which corrections entries that edition carried.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from idcpc_book.errors import InputError
from idcpc_book.export_list import EXPORTS

FOLDER = "editions"
#: The exports an edition keeps, and the checksum list over them.
FILES = tuple(export.name for export in EXPORTS if export.archived)
SUMS = "SHA256SUMS"
_SUM_LINE = re.compile(r"^([0-9a-f]{64})  (\S+)$")


@dataclass(frozen=True)
class ClaimState:
    """What an edition says of one claim: the parts a change to which must be recorded."""

    id: str
    chapter: str
    text: str
    status: str
    kind: str
    sources: tuple[str, ...]

    @classmethod
    def of(
        cls, claim_id: str, chapter: str, text: str, status: str, kind: str, sources: Any
    ) -> ClaimState:
        # Markup is not in the text (it is the text a reader sees); a reflow is no change.
        return cls(claim_id, chapter, " ".join(text.split()), status, kind, tuple(sorted(sources)))

    def differences(self, other: ClaimState) -> list[str]:
        """The parts (text, status, kind, sources) in which ``other`` differs."""
        return [
            name
            for name in ("text", "status", "kind", "sources")
            if getattr(self, name) != getattr(other, name)
        ]


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


def folder(root: Path) -> Path:
    return root / FOLDER


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sums_text(directory: Path) -> str:
    """``SHA256SUMS`` for the edition files in ``directory``."""
    return "".join(f"{sha256(directory / name)}  {name}\n" for name in FILES)


def load_all(root: Path) -> list[Archive]:
    """Every archived edition under ``<root>/editions``, oldest first (by version)."""
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
    return [archive for _, archive in sorted(found, key=lambda pair: pair[0])]


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
                (s["id"] for s in c["sources"]),
            )
            for c in claims_data["claims"]
        }  # fmt: skip
        entries = frozenset(e["id"] for e in claims_data.get("corrections", []))
        sources = frozenset(s["id"] for s in sources_data["sources"])
        version, as_of, base_url = head["version"], head["as_of"], head["url"]
    except (KeyError, TypeError) as err:
        raise InputError(
            directory / "claims.json", None, f"not an edition's claims export (no {err})"
        ) from None
    if version != directory.name:
        raise InputError(
            directory / "claims.json",
            None,
            f"the edition inside is version {version}, the folder says {directory.name}",
        )
    return Archive(version, as_of, base_url, directory, claims, sources, entries)


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
    for name in FILES:
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
    """Archive the exports in ``exports`` (an HTML build's) as edition ``version``."""
    target = folder(root) / version
    if target.exists():
        raise InputError(target, None, f"edition {version} is already archived")
    target.mkdir(parents=True)
    for name in FILES:
        (target / name).write_bytes((exports / name).read_bytes())
    (target / SUMS).write_text(sums_text(target), encoding="utf-8")
    load(target)  # what was written reads back as an edition of that version
    return target
