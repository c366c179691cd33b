"""What the chapters contain, read with MyST's own Markdown parser.

sphinx-needs drops a claim it cannot create (a duplicate or malformed ID), so
needs.json alone cannot show such a claim. The census reads every chapter with the
same markdown-it configuration MyST uses and lists each ``claim`` directive with its
options and line, and each prose paragraph with what covers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from idcpc_book.errors import InputError
from idcpc_book.inputs.claimtext import ClaimText
from idcpc_book.inputs.claimtext import parse_claim as _parse_claim
from idcpc_book.inputs.markup import MYST_EXTENSIONS
from idcpc_book.inputs.text import read_utf8

#: Directives whose body is prose that must itself be covered.
PROSE_CONTAINERS = frozenset(
    {
        "admonition", "attention", "caution", "danger", "epigraph", "error", "hint",
        "important", "note", "seealso", "sidebar", "tip", "topic", "warning",
    }
)  # fmt: skip
FENCES = ("fence", "colon_fence")


@dataclass
class ClaimSite:
    """A ``claim`` directive as written."""

    path: str
    line: int
    options: dict[str, Any]
    body: str
    warnings: list[str]


@dataclass
class ProseUnit:
    """A paragraph (or table); ``cover`` is the claim ID, ``"editorial"`` or ``None``."""

    path: str
    line: int
    cover: str | None


@dataclass
class Voice:
    """A piece of prose in the book's own voice (a heading's or paragraph's text), which the
    neutrality rule reads; ``obj`` is the claim around it or ``"-"``. Noted by the census's
    one walk, so that the rule parses nothing again (nor does a chapter the preflight
    reused, :mod:`idcpc_book.inputs.reuse`)."""

    line: int
    obj: str
    text: str


@dataclass(frozen=True)
class Fault:
    """A block the book's structure does not allow: ``path:line: obj: message``."""

    path: str
    line: int
    obj: str
    message: str


@dataclass
class DocCensus:
    """What one chapter holds, and its text as read (the content checks parse it again from
    here, through the cache of :func:`parse_full`, rather than read the file)."""

    path: str
    editorial_page: bool
    text: str = ""
    claims: list[ClaimSite] = field(default_factory=list)
    prose: list[ProseUnit] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    voice: list[Voice] = field(default_factory=list)


#: Core rules the checker has no use for: they parse the text inside each block
#: (filling ``Token.children``) and count words. The checker reads block tokens only
#: (type, line, fence info, content), which these rules do not change; without them a
#: parse takes half the time (``tests/test_census.py`` compares the tokens).
INLINE_RULES = ["inline", "text_join", "wordcount"]


@cache
def _parser(blocks_only: bool = True) -> Any:
    """MyST's parser, with the book's extensions (conf.py's ``myst_enable_extensions``)."""
    parser = create_md_parser(MdParserConfig(enable_extensions=set(MYST_EXTENSIONS)), RendererHTML)
    if blocks_only:
        parser.disable(INLINE_RULES)
    return parser


class _LastBooks:
    """A memo of the parses of the texts of the last two books read.

    The census and the content checks read the same chapters and claim bodies, and two
    checks run in one process (the tests) often read the same book: MyST parsing is most of
    their time. :meth:`next_book` starts a new generation; what the book before did not
    use is dropped, so the memo never holds more than two books. A build drops both once
    its preflight has run (:func:`release`)."""

    def __init__(self) -> None:
        self.current: dict[Any, Any] = {}
        self.previous: dict[Any, Any] = {}

    def next_book(self) -> None:
        self.current, self.previous = {}, self.current

    def get(self, key: Any, make: Any) -> Any:
        if key in self.current:
            return self.current[key]
        value = self.previous.pop(key) if key in self.previous else make()
        self.current[key] = value
        return value


_MEMO = _LastBooks()


def parse(text: str) -> tuple[Token, ...]:
    """The MyST tokens of ``text`` (memoised, see :class:`_LastBooks`). Callers must not
    change the tokens."""
    return _MEMO.get(("md", text), lambda: tuple(_parser().parse(text)))


def parse_full(text: str) -> tuple[Token, ...]:
    """The MyST tokens of ``text`` with their inline children (roles, links, images,
    substitutions), memoised like :func:`parse`; read by :mod:`idcpc_book.inputs.content`."""
    return _MEMO.get(("full", text), lambda: tuple(_parser(False).parse(text)))


def parse_claim(first_line: str, content: str) -> ClaimText:
    """A claim directive's options and body, parsed as MyST does (memoised like
    :func:`parse`)."""
    return _MEMO.get(("claim", first_line, content), lambda: _parse_claim(first_line, content))


def read_doc(path: Path, rel: str, text: str | None = None) -> DocCensus:
    """The census of the chapter ``path`` (shown as ``rel``), whose text is ``text`` when
    the caller read it already."""
    text = read_utf8(path) if text is None else text
    # the full parse, which the content checks read too (one parse of each chapter): its
    # block tokens are the blocks-only parse's (tests/test_census.py compares them)
    tokens = parse_full(text)
    editorial = False
    if tokens and tokens[0].type == "front_matter":
        editorial = _editorial(path, tokens[0].content)
    doc = DocCensus(rel, editorial, text)
    _walk(tokens, 0, None, doc, text, _Voiced("-", True))
    return doc


#: The front matter of an editorial page, as the book writes it.
EDITORIAL_FRONT_MATTER = "prose: editorial"


def _editorial(path: Path, front_matter: str) -> bool:
    """Whether a page's front matter says ``prose: editorial``.

    The book's pages write exactly that line, which YAML reads as
    ``{"prose": "editorial"}``; it is recognised without importing a YAML parser
    (8 ms of the checker's start-up, 30 ms without cached bytecode). Any other front
    matter is read as YAML.
    """
    if front_matter.strip("\n") == EDITORIAL_FRONT_MATTER:
        return True
    import yaml

    try:
        meta = yaml.safe_load(front_matter) or {}
    except (yaml.YAMLError, ValueError) as err:  # ValueError: an impossible date, say
        raise InputError(path, 1, f"front matter is not valid YAML: {err}") from None
    return isinstance(meta, dict) and meta.get("prose") == "editorial"


#: The only claim kind whose text is not the book's own voice (it reports what someone said).
REPORTED_KIND = "attributed"


@dataclass(frozen=True)
class _Voiced:
    """Whose words a block holds: the claim around it (or ``"-"``), and whether they are the
    book's own voice."""

    obj: str
    own: bool


def _walk(
    tokens: tuple[Token, ...],
    offset: int,
    cover: str | None,
    doc: DocCensus,
    text: str,
    voiced: _Voiced,
) -> None:
    """Note the prose units, claims, faults and own-voice prose of ``tokens``, parsed from
    ``text`` (whose first line is line ``offset + 1`` of the page)."""
    lines: list[str] | None = None  # split once, and only if a block needs its closing line
    voice_line = offset + 1  # a token without a line is at the last one seen (neutrality)
    for token in tokens:
        line = offset + (token.map[0] + 1 if token.map else 0)
        if token.map:
            voice_line = line
        if token.type == "inline":
            if voiced.own:
                doc.voice.append(Voice(voice_line, voiced.obj, token.content))
        elif token.type in ("paragraph_open", "table_open"):
            doc.prose.append(ProseUnit(doc.path, line, cover))
        elif token.type in FENCES and token.info.startswith("{"):
            name, _, first_line = token.info[1:].partition("}")
            name = name.strip()
            known = len(doc.faults)
            _directive(token, name, first_line.strip(), line, cover, doc, voiced)
            if name not in BLOCKS or cover is not None:
                continue
            lines = lines if lines is not None else text.split("\n")
            if not _closed(token, lines):
                # what an unclosed block swallowed (headings, claims) only echoes this
                obj = (doc.claims[-1].options.get("id") or "?") if name == "claim" else name
                del doc.faults[known:]
                doc.faults.append(Fault(doc.path, line, obj, _UNCLOSED.format(token.markup)))


#: The book's own blocks, which must be closed by their own fence.
BLOCKS = ("claim", "editorial")
_HEADING = "heading_open"
_MISSING = " (is its closing ':::' missing?)"
_UNCLOSED = (
    "not closed: no '{}' line ends it, so it runs to the end of the file (or of the block "
    "around it); add the closing line after its last paragraph"
)


def _closed(token: Token, lines: list[str]) -> bool:
    """Whether the fence of ``token`` ends with a closing line of its own (markdown-it lets
    an unclosed fence run to the end of the text); ``lines``: the text it was parsed from."""
    start, end = token.map or (0, 0)
    if end - 1 <= start or end > len(lines):
        return False
    closing = lines[end - 1].strip()
    return closing.startswith(token.markup) and set(closing) <= set(token.markup[0])


def _directive(
    token: Token,
    name: str,
    first: str,
    line: int,
    cover: str | None,
    doc: DocCensus,
    voiced: _Voiced,
) -> None:
    if name == "claim":
        result = parse_claim(first, token.content)
        options = dict(result.options)  # text already ("" for an empty option); a copy
        body = "\n".join(result.body)
        site = ClaimSite(doc.path, line, options, body, list(result.warnings))
        doc.claims.append(site)
        body_line = line + 1 + result.body_offset
        claim_id = options.get("id") or "?"
        if cover is not None:  # in a claim, or in an editorial block (uncited prose only)
            around, block = (
                (f"claim {cover}", cover)
                if cover != "editorial"
                else ("an editorial block", "the editorial block")
            )
            message = f"a claim inside {around}: close {block} first"
            doc.faults.append(Fault(doc.path, line, claim_id, message + _MISSING))
        tokens = parse(body)
        for inner in tokens:
            if inner.type == _HEADING and inner.map:
                doc.faults.append(Fault(
                    doc.path, body_line + inner.map[0], claim_id,
                    f"a heading inside claim {claim_id}: a claim holds prose only; close the "
                    "claim before the heading" + _MISSING,
                ))  # fmt: skip
        own = options.get("kind") != REPORTED_KIND
        _walk(tokens, body_line - 1, claim_id, doc, body, _Voiced(claim_id, own))
    elif name == "editorial":
        _walk(parse(token.content), line, cover or "editorial", doc, token.content, voiced)
    elif name in PROSE_CONTAINERS:
        _walk(parse(token.content), line, cover, doc, token.content, voiced)


def chapter_paths(docs_dir: Path) -> list[Path]:
    """The Markdown pages below ``docs_dir`` that the book builds, in path order, and any
    symbolic link there (to a file or a folder, which Sphinx would follow): reading one
    refuses it (:func:`~idcpc_book.inputs.text.read_utf8`)."""
    return [
        path
        for path in sorted(docs_dir.rglob("*"))
        if (path.suffix == ".md" or path.is_symlink())
        and not any(part.startswith((".", "_")) for part in path.relative_to(docs_dir).parts)
    ]


def clear_caches() -> None:
    """Start reading another book: the parses the book before this one used are dropped
    (see :class:`_LastBooks`)."""
    _MEMO.next_book()


#: Whether :func:`release` leaves the parses kept: set (:func:`keep_between_books`) by a
#: process that checks book after book, each a copy of the last with a chapter changed (the
#: test suite's in-process commands on mutated copies), for which the parses of the chapters
#: that did not change are most of the work saved. A build's own process checks one book.
_KEEP_BETWEEN_BOOKS = False


def keep_between_books(keep: bool = True) -> None:
    """Keep the parses after a build's preflight (see :data:`_KEEP_BETWEEN_BOOKS`)."""
    global _KEEP_BETWEEN_BOOKS
    _KEEP_BETWEEN_BOOKS = keep


def release() -> None:
    """Drop every parse kept, of this book and of the one before (unless
    :func:`keep_between_books` said to keep them).

    For a build whose preflight has run (:mod:`~idcpc_book.ext.inputs.preflight`): nothing
    it reads or writes after that parses a chapter (the verdict's rules read the census),
    and at 5000 claims the parses held 24 MB through the writing, the build's peak. A
    checker run after it in the same process parses the book again."""
    if _KEEP_BETWEEN_BOOKS:
        return
    _MEMO.current.clear()
    _MEMO.previous.clear()
