"""The claims as an SQLite database with full-text search: ``claims.sqlite``.

Made from the very records :mod:`idcpc_book.exports` writes to ``claims.json`` and
``sources.json``, by the shape of each field rather than a schema of its own, so that a
field added to those records reaches the database without a change here:

* a scalar (text, number, boolean, null) is a column of ``claims`` or ``sources``;
* a mapping is flattened into ``<field>_<key>`` columns (``citation_text``; a value that
  is itself a list or mapping is stored as JSON text);
* a list of a claim's links to other claims (the model's link fields other than
  ``cites``: contradicts, supersedes, reviews) is rows of ``claim_links``
  (``claim_id``, ``link``, ``target_id``);
* a list of mappings that carry the ``id`` of a row of another table (a claim's
  ``sources``) is rows of ``claim_<field>`` naming that row (``claim_sources``:
  ``claim_id``, ``source_id``);
* any other list is rows of ``<claim|source>_<field>`` with the owner's ID and the
  item's 1-based ``position``: a list of texts in one column named after the field
  (``claim_quotes.quote``), a list of mappings in one column per key.

``claims_fts`` is an FTS5 index (Porter stemming over Unicode words, accents folded) of
each claim's ``id``, ``text`` and ``quotes`` (joined by new lines). The one-row table
``edition`` holds the edition the data belongs to.

The file is byte-reproducible: a new file, rows inserted in the records' order (sorted
by ID), no clock read, and ``VACUUM`` at the end, so that the page layout does not
depend on how the rows got there.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from idcpc_book.model import needs_links

#: The links between claims, each a list field of a claim record.
CLAIM_LINKS = tuple(name for name in needs_links() if name != "cites")
#: The claim fields indexed for full-text search, in ``claims_fts``'s column order.
FTS_FIELDS = ("text", "quotes")
FTS_TABLE = "claims_fts"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

Record = Mapping[str, Any]
_SCALARS = (str, int, float, bool, type(None))


@dataclass
class Table:
    """One table: its columns (name, SQL type), primary key, references and rows.

    The tables of links and references have no primary key: a need may list a link
    twice, and the database holds what the JSON holds."""

    name: str
    columns: list[tuple[str, str]]
    primary_key: tuple[str, ...]
    references: dict[str, str] = field(default_factory=dict)  # column -> table
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def create_sql(self) -> str:
        parts = [f'"{name}" {kind}' for name, kind in self.columns]
        if self.primary_key:
            parts.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in self.primary_key) + ")")
        parts += [
            f'FOREIGN KEY ("{c}") REFERENCES "{t}" ("id")' for c, t in self.references.items()
        ]
        return f'CREATE TABLE "{self.name}" (\n  ' + ",\n  ".join(parts) + "\n)"

    def insert_sql(self) -> str:
        marks = ", ".join("?" for _ in self.columns)
        return f'INSERT INTO "{self.name}" VALUES ({marks})'


def _sql_type(values: Iterable[Any]) -> str:
    """The column type of the first value that is not null (text when all are)."""
    for value in values:
        if isinstance(value, bool | int):
            return "INTEGER"
        if isinstance(value, float):
            return "REAL"
        if value is not None:
            return "TEXT"
    return "TEXT"


def _cell(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return int(value) if isinstance(value, bool) else value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


def _fields(records: Sequence[Record]) -> list[str]:
    """Every field of the records, in the order they first appear."""
    return list(dict.fromkeys(key for record in records for key in record))


def _entity_tables(entity: str, records: Sequence[Record], other_tables: set[str]) -> list[Table]:
    """The table of one kind of record (``claims``, ``sources``) and its list tables."""
    owner = f"{_singular(entity)}_id"
    columns: dict[str, list[Any]] = {}  # column -> value per record
    lists: dict[str, list[list[Any]]] = {}  # list field -> items per record
    for name in _fields(records):
        values = [record.get(name) for record in records]
        if all(isinstance(v, _SCALARS) for v in values):
            columns[name] = values
        elif all(isinstance(v, Mapping) or v is None for v in values):
            for key in _fields([v for v in values if v]):
                columns[f"{name}_{key}"] = [(v or {}).get(key) for v in values]
        else:
            lists[name] = [v if isinstance(v, list) else [] if v is None else [v] for v in values]
    ids = columns["id"]
    main = Table(entity, [(c, _sql_type(v)) for c, v in columns.items()], ("id",))
    main.rows = [tuple(_cell(v) for v in row) for row in zip(*columns.values(), strict=True)]
    tables = [main]
    if entity == "claims":  # the links between claims, whether or not the book uses them
        links = Table(
            "claim_links",
            [(owner, "TEXT"), ("link", "TEXT"), ("target_id", "TEXT")],
            (),
            {owner: entity, "target_id": entity},
        )
        for name in CLAIM_LINKS:
            targets = lists.pop(name, [[] for _ in ids])
            links.rows += [(i, name, t) for i, ts in zip(ids, targets, strict=True) for t in ts]
        links.rows.sort()
        tables.append(links)
    for name, per_record in lists.items():
        items = [item for record_items in per_record for item in record_items]
        if name in other_tables and all(isinstance(v, Mapping) and "id" in v for v in items):
            ref = f"{_singular(name)}_id"
            table = Table(
                f"{_singular(entity)}_{name}",
                [(owner, "TEXT"), (ref, "TEXT")],
                (),
                {owner: entity, ref: name},
            )
            table.rows = [(i, v["id"]) for i, vs in zip(ids, per_record, strict=True) for v in vs]
            tables.append(table)
        else:
            tables.append(_list_table(entity, owner, name, ids, per_record))
    return tables


def _list_table(
    entity: str, owner: str, name: str, ids: list[Any], per_record: list[list[Any]]
) -> Table:
    """``<owner>_<field>``: the items of a list field, one row each, by position."""
    items = [item for record_items in per_record for item in record_items]
    mappings = bool(items) and all(isinstance(item, Mapping) for item in items)
    keys = _fields(items) if mappings else [_singular(name)]
    key_values = {k: [it.get(k) for it in items] if mappings else items for k in keys}
    table = Table(
        f"{_singular(entity)}_{name}",
        [(owner, "TEXT"), ("position", "INTEGER")]
        + [(k, _sql_type(v)) for k, v in key_values.items()],
        (owner, "position"),
        {owner: entity},
    )
    for record_id, record_items in zip(ids, per_record, strict=True):
        for position, item in enumerate(record_items, start=1):
            values = [item.get(k) for k in keys] if mappings else [item]
            table.rows.append((record_id, position, *(_cell(v) for v in values)))
    return table


def tables(
    edition: Record,
    claims: Sequence[Record],
    sources: Sequence[Record],
    extra: Mapping[str, Sequence[Record]] | None = None,
) -> list[Table]:
    """Every table of the database with its rows, from the records of the JSON exports.

    ``extra``: further lists of records keyed by ``id`` that ``claims.json`` carries
    (the corrections log, the withdrawn claims), each a table of its own when not empty.
    """
    extra = {name: records for name, records in (extra or {}).items() if records}
    names = {"claims", "sources", *extra}
    head = Table("edition", [(k, _sql_type([v])) for k, v in edition.items()], ())
    head.rows = [tuple(_cell(v) for v in edition.values())]
    return [
        head,
        *_entity_tables("claims", claims, names),
        *_entity_tables("sources", sources, names),
        *(
            table
            for name, records in extra.items()
            for table in _entity_tables(name, records, names)
        ),
    ]


def _fts_rows(claims: Sequence[Record]) -> list[tuple[str, ...]]:
    return [
        (
            claim["id"],
            *(
                "\n".join(v) if isinstance(v := claim.get(f), list) else (v or "")
                for f in FTS_FIELDS
            ),
        )
        for claim in claims
    ]


def write(
    path: Path,
    edition: Record,
    claims: Sequence[Record],
    sources: Sequence[Record],
    extra: Mapping[str, Sequence[Record]] | None = None,
) -> None:
    """Write the database to ``path`` (replacing any file there)."""
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("BEGIN")
        for table in tables(edition, claims, sources, extra):
            con.execute(table.create_sql())
            con.executemany(table.insert_sql(), table.rows)
        columns = ", ".join(("id UNINDEXED", *FTS_FIELDS))
        con.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, tokenize = '{FTS_TOKENIZER}')"
        )
        marks = ", ".join("?" for _ in range(1 + len(FTS_FIELDS)))
        con.executemany(f"INSERT INTO {FTS_TABLE} VALUES ({marks})", _fts_rows(claims))
        con.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
        con.execute("COMMIT")
        con.execute("VACUUM")
    finally:
        con.close()
