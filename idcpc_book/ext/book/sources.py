"""The ``source-records`` directive: one ``source`` need per archived record.

Nothing about a source is written twice. The need is generated from the record in
``sources/`` (kind, notes, archived text) and the matching ``refs.bib`` entry
(title, publisher, date, URL, date read), then parsed as ordinary MyST: the book's
``source`` directive (:mod:`~idcpc_book.ext.book.prose`), as in a chapter.

None of that data is markup. Each value written into the directive is one line (a line
break could add options or end the block), the bib key and the record's file name are
letters and digits (:func:`idcpc_book.inputs.records.read_record`), the URL is http or
https (:func:`idcpc_book.inputs.bib.read_bib`), and the notes are not in the directive at
all: they are added to the parsed need as plain-text paragraphs
(:mod:`idcpc_book.ext.book.plaintext`), so a substitution, directive or role in them shows
as written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from idcpc_book import citelabels
from idcpc_book.errors import InputError
from idcpc_book.ext.book import plaintext
from idcpc_book.ext.book.prose import need_content
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.inputs.bib import entry_line, facts
from idcpc_book.inputs.records import SourceRecord, read_record, record_paths

logger = logging.getLogger(__name__)


def source_directive(
    record: SourceRecord, root: Path, bib: Any, bib_text: str, labels: dict[str, str]
) -> list[str]:
    """The MyST text of the ``source`` need for ``record``; ``labels``: each key's label."""
    key = record.bibkey
    info = facts(bib.entries[key], key, root / "refs.bib", entry_line(bib_text, key))
    rel = record.path.relative_to(root).as_posix()
    words = len(record.text.split())
    lines = [
        f":::{{source}} {_line(info.title)}",
        f":id: {record.source_id}",
        f":kind: {record.kind}",
        f":publisher: {_line(info.publisher)}",
        f":published: {info.date}",
        f":url: {_line(info.url)}",
        f":accessed: {info.accessed}",
        f":bibkey: {key}",
        f":cited_as: {_line(labels[key])}",
        f":archive: {rel}",
        *([f":carries: {_line(info.carries)}"] if info.carries else []),
        "",
        f"{{cite:t}}`{key}`. Archived excerpt: `{rel}` ({words} words).",
    ]
    return [*lines, ":::", ""]


def _line(value: str) -> str:
    """``value`` on one line: a line break in a bib field must not end the directive's
    option block or the directive."""
    return " ".join(part.strip() for part in value.splitlines()).strip()


class SourceRecordsDirective(SphinxDirective):
    """Emit the ``source`` needs of every record in ``sources/``."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        root = book_root(self.env.app)
        bib_path = root / "refs.bib"
        self.env.note_dependency(str(bib_path))
        bib = self.env.get_domain("cite").bibdata.data  # type: ignore[attr-defined]
        bib_text = bib_path.read_text(encoding="utf-8") if bib_path.is_file() else ""
        text: list[str] = []
        notes: dict[str, str] = {}  # need ID -> the record's notes
        labels = citelabels.labels(bib.entries.items())  # as the bibliography gives them
        for path in record_paths(root / "sources"):
            self.env.note_dependency(str(path))
            try:
                record = read_record(path)
                if record.bibkey not in bib.entries:
                    raise InputError(path, 1, f"no refs.bib entry with key '{record.bibkey}'")
                text += source_directive(record, root, bib, bib_text, labels)
                notes[record.source_id] = record.notes
            except InputError as err:
                where = f"{err.path}:{err.line}" if err.line else str(err.path)
                logger.warning(err.message, location=where)
        container = nodes.container(classes=["source-records"])
        self.state.nested_parse(StringList(text, "sources"), self.content_offset, container)
        for content in container.findall(need_content):
            content.extend(plaintext.paragraphs(notes.get(content["need_id"], "")))
        return container.children


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("source-records", SourceRecordsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
