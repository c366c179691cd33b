"""The ``source-records`` directive: one ``source`` need per archived record.

Nothing about a source is written twice. The need is made from the record in
``sources/`` (kind, notes, archived text) and the matching ``refs.bib`` entry
(title, publisher, date, URL, date read) by the book's ``source`` directive
(:mod:`~idcpc_book.ext.book.prose`), as in a chapter, but without writing MyST and
parsing it back: the directive is given its title, options and content as values
(:class:`SourceNeed`), records the need through sphinx-needs as a chapter's would, and
its content -- the ``cite:t`` citation, the archive path as a literal, the word count --
is built here as nodes, the citation by the registered ``cite:t`` role itself. The
result is the one the MyST text gave (the same fields, lines, nodes and citation), at a
fraction of the cost: the MyST option parser and block parse were most of the page.

None of that data is markup, and none of it is parsed: the values are handed over as
strings, and the notes are added to the need as plain-text paragraphs
(:mod:`idcpc_book.ext.book.plaintext`), so a substitution, directive or role in them shows
as written. The bib key and the record's file name are letters and digits
(:func:`idcpc_book.inputs.records.read_record`), the URL is http or https
(:func:`idcpc_book.inputs.bib.read_bib`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import languages, roles
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from idcpc_book import citelabels
from idcpc_book.errors import InputError
from idcpc_book.ext.book import plaintext
from idcpc_book.ext.book.prose import DrawnNeedDirective
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.inputs.bib import entry_line, facts
from idcpc_book.inputs.records import SourceRecord, read_record, record_paths

logger = logging.getLogger(__name__)

#: The role that cites a source by its author and year.
CITE_ROLE = "cite:t"


@dataclass(frozen=True)
class SourceNeed:
    """What the ``source`` directive of one record is given: its title, its options in
    order, and what its content says (the bib key, the archive path, the word count)."""

    title: str
    options: tuple[tuple[str, str], ...]
    bibkey: str
    archive: str
    words: int

    @property
    def body(self) -> str:
        """The content as sphinx-needs stores it (``needs.json``'s ``content``), the MyST
        it would be written as in a chapter; never parsed here (:func:`content_nodes`)."""
        return (
            f"{{{CITE_ROLE}}}`{self.bibkey}`. Archived excerpt: `{self.archive}` "
            f"({self.words} words)."
        )

    @property
    def body_offset(self) -> int:
        """Lines from the directive's first line to its content, as a directive written
        out in a chapter would have: the title line, one line an option, a blank line."""
        return len(self.options) + 2

    @property
    def height(self) -> int:
        """Lines the directive would take written out, with the closing line and a blank
        line: where the next one starts (the needs' line numbers)."""
        return self.body_offset + 3


def source_need(
    record: SourceRecord, root: Path, bib: Any, bib_text: str, labels: dict[str, str]
) -> SourceNeed:
    """The ``source`` need of ``record``; ``labels``: each key's label."""
    key = record.bibkey
    info = facts(bib.entries[key], key, root / "refs.bib", entry_line(bib_text, key))
    rel = record.path.relative_to(root).as_posix()
    options = [
        ("id", record.source_id),
        ("kind", record.kind),
        ("publisher", _line(info.publisher)),
        ("published", info.date),
        ("url", _line(info.url)),
        ("accessed", info.accessed),
        ("bibkey", key),
        ("cited_as", _line(labels[key])),
        ("archive", rel),
        *([("carries", _line(info.carries))] if info.carries else []),
    ]
    return SourceNeed(_line(info.title), tuple(options), key, rel, len(record.text.split()))


def _line(value: str) -> str:
    """``value`` on one line: a field of a need is one line (a line break in a bib field
    is a space, as it was when the need was written as MyST)."""
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
        made: list[tuple[SourceNeed, str]] = []  # each need with its record's notes
        labels = citelabels.labels(bib.entries.items())  # as the bibliography gives them
        for path in record_paths(root / "sources"):
            self.env.note_dependency(str(path))
            try:
                record = read_record(path)
                if record.bibkey not in bib.entries:
                    raise InputError(path, 1, f"no refs.bib entry with key '{record.bibkey}'")
                made.append((source_need(record, root, bib, bib_text, labels), record.notes))
            except InputError as err:
                where = f"{err.path}:{err.line}" if err.line else str(err.path)
                logger.warning(err.message, location=where)
        out: list[nodes.Node] = []
        # each need's first line, as if written out one after another below the directive
        # (MyST's nested parse starts at the directive's line plus its content offset)
        lineno = self.lineno + self.content_offset + 1
        for need, notes in made:
            out += self.emit(need, notes, lineno)
            lineno += need.height
        return out

    def emit(self, need: SourceNeed, notes: str, lineno: int) -> list[nodes.Node]:
        """Record ``need`` through the book's ``source`` directive, its first line
        ``lineno``, and fill its content: the nodes to return."""
        spec = DrawnNeedDirective.option_spec or {}
        directive = DrawnNeedDirective(
            "source",
            [need.title],
            {name: spec[name](value) for name, value in need.options},
            StringList([need.body], self.state.document["source"]),
            lineno,
            need.body_offset - 1,  # sphinx-needs' content line is this plus one
            need.body,
            self.state,
            self.state_machine,
        )
        made, content = directive.record()
        if content is not None:
            content += self.content_nodes(need, lineno + need.body_offset)
            content.extend(plaintext.paragraphs(notes))
        return made

    def content_nodes(self, need: SourceNeed, line: int) -> nodes.paragraph:
        """The paragraph ``need.body`` stands for, on line ``line``: the citation as the
        ``cite:t`` role makes it, then text and the archive path as a literal."""
        source = self.state.document["source"]
        para = nodes.paragraph(need.body)
        para.source, para.line = source, line
        language = languages.get_language(self.state.document.settings.language_code)
        # the lookup's own messages are dropped, as MyST drops them for a role it finds
        role, _ = roles.role(CITE_ROLE, language, line, self.state.document.reporter)
        raw = f":{CITE_ROLE}:`{need.bibkey}`"
        cited, problems = role(CITE_ROLE, raw, need.bibkey, line, self.state.inliner)
        para += [*cited, *problems]
        para += nodes.Text(". Archived excerpt: ")
        literal = nodes.literal(need.archive, need.archive)
        literal.source, literal.line = source, line
        para += literal
        para += nodes.Text(f" ({need.words} words).")
        return para


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("source-records", SourceRecordsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
