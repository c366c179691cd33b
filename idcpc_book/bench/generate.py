"""Synthetic books for the benchmark, and the references they are measured against.

A synthetic book is laid out like the real one (``docs/``, ``refs.bib``, ``sources/``) and
is built with the real ``conf.py``: ten chapters holding N claims, each citing one source
with a quote found verbatim in that source's archived record (two claims per source), plus
the apparatus pages (sources, claims index, bibliography). It passes the strict build and
the checker.

Four references, each adding one layer to the one before, so that one run says what each
layer costs:

* the *floor*: the same chapter text in a bare Sphinx + MyST project with the same theme:
  headings, the editorial introductions and each claim's sentence as a plain paragraph (no
  citation role, no sphinx-needs), and a sources page with one paragraph per source;
* the *needs floor*: the same, with each claim and source a sphinx-needs need of the
  book's model (types, fields, links, schema: the same options as the book's), read as
  data and *not drawn*: each need's node is replaced by its content once the page is read,
  so no layout is built. No project extension. The least any drawing of these needs costs;
* the *libraries floor*: the needs floor plus sphinxcontrib-bibtex (each claim's citation
  role, a bibliography of every source) in its stock style: what the book's required
  libraries cost for the book's data, with nothing of the project's;
* the *patched floor*: the libraries floor with the book's workarounds of those libraries'
  faults (``idcpc_book.ext.upstream``, each listed in its README), and nothing else of the
  book's: the least the book's data costs through its libraries as the book runs them, so
  a target below it cannot be met by the book's own code.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from idcpc_book import buildstamp
from idcpc_book.inputs.markup import without_citations
from idcpc_book.inputs.records import read_record, record_paths, stamp_hash

CHAPTERS = 10
CLAIMS_PER_SECTION = 25
CLAIMS_PER_SOURCE = 2

_PLACES = ("Islamabad", "Beijing", "Karachi", "Gwadar", "Lahore", "Urumqi", "Quetta", "Kashgar")
_BODIES = ("delegation", "working group", "committee", "party school", "think tank", "ministry")
_TOPICS = ("energy", "ports", "roads", "training", "security", "trade", "agriculture", "media")
_KINDS = ("fact", "attributed", "assessment")
#: Each claim rests on one source: a fact on one report is unverified (the two-source rule).
_STATUS = {"fact": "unverified", "attributed": "verified", "assessment": "verified"}

FLOOR_CONF = '''"""Floor of the benchmark: bare Sphinx + MyST, the book's theme, nothing else."""

from idcpc_book.inputs.markup import MYST_EXTENSIONS

project = "Benchmark floor"
extensions = ["myst_parser"]
myst_enable_extensions = list(MYST_EXTENSIONS)
html_theme = "furo"
html_last_updated_fmt = None
'''

# The API, as the book's conf.py: the weasyprint command is not on PATH outside a venv.
FLOOR_PDF_EXTENSION = 'extensions.append("sphinx_simplepdf")\nsimplepdf_use_weasyprint_api = True\n'

NEEDS_FLOOR_CONF = '''"""Needs floor of the benchmark: MyST + sphinx-needs with the book's need
model (types, fields, links, schema), the needs read as data and not drawn; no project
extension."""

from idcpc_book import model
from idcpc_book.inputs.markup import MYST_EXTENSIONS
from sphinx_needs.nodes import Need

project = "Benchmark needs floor"
extensions = ["myst_parser", "sphinx_needs"]
myst_enable_extensions = list(MYST_EXTENSIONS)
html_theme = "furo"
html_last_updated_fmt = None
globals().update(model.needs_settings())


def _undraw(app, doctree):
    """Each need's node replaced by its content: sphinx-needs lays nothing out."""
    for node in list(doctree.findall(Need)):
        node.parent.replace(node, node.children)


def setup(app):
    app.connect("doctree-read", _undraw, priority=600)
'''

# The libraries floor: the needs floor plus sphinxcontrib-bibtex in its stock style.
_LIBRARIES = '"Benchmark libraries floor"'
LIBRARIES_FLOOR_CONF = NEEDS_FLOOR_CONF.replace('"Benchmark needs floor"', _LIBRARIES).replace(
    'extensions = ["myst_parser", "sphinx_needs"]',
    'extensions = ["myst_parser", "sphinx_needs", "sphinxcontrib.bibtex"]\n'
    'bibtex_bibfiles = ["../refs.bib"]\nbibtex_reference_style = "author_year"',
)


@dataclass(frozen=True)
class Claim:
    """One synthetic claim: its ID, chapter, source key, sentence and quoted evidence."""

    number: int
    chapter: int
    key: str

    @property
    def id(self) -> str:
        return f"CLM_BENCH_{self.number:05d}"

    def _words(self) -> tuple[str, str, str, int]:
        n = self.number
        return (
            _PLACES[n % len(_PLACES)],
            _BODIES[(n // 3) % len(_BODIES)],
            _TOPICS[(n // 7) % len(_TOPICS)],
            2000 + n % 25,
        )

    @property
    def sentence(self) -> str:
        """The claim's text, without its citation."""
        place, body, topic, year = self._words()
        return (
            f"In {year}, a {body} met in {place} to discuss {topic} under the corridor, "
            f"as meeting number {self.number} of the series"
        )

    @property
    def quote(self) -> str:
        place, body, topic, year = self._words()
        return f"Meeting {self.number}: the {body} met in {place} in {year} on {topic}."


def source_key(index: int) -> str:
    return f"bench{index:05d}"


def claims(n: int) -> list[Claim]:
    """The N claims, dealt round the chapters; claims 2k and 2k+1 cite source k."""
    return [Claim(i, i % CHAPTERS + 1, source_key(i // CLAIMS_PER_SOURCE)) for i in range(n)]


def _by_chapter(n: int) -> dict[int, list[Claim]]:
    chapters: dict[int, list[Claim]] = {c: [] for c in range(1, CHAPTERS + 1)}
    for claim in claims(n):
        chapters[claim.chapter].append(claim)
    return chapters


def _index(title: str, extra: list[str]) -> str:
    entries = [f"chapter{c:02d}" for c in range(1, CHAPTERS + 1)]
    return "\n".join(
        [
            "---",
            "prose: editorial",
            "---",
            "",
            f"# {title}",
            "",
            "A synthetic book for the build benchmark.",
            "",
            "```{toctree}",
            ":maxdepth: 2",
            "",
            *entries,
            *extra,
            "```",
            "",
        ]
    )


def _chapter(number: int, chapter_claims: list[Claim], kind: str = "book") -> str:
    """A chapter of the book (``kind="book"``) or of a reference: ``"floor"``, ``"needs"``
    (the book's claims without their citation role) or ``"libraries"`` (with it)."""
    intro = f"This chapter gathers {len(chapter_claims)} synthetic claims."
    lines = [f"# Chapter {number}", ""]
    lines += [":::{editorial}", intro, ":::", ""] if kind == "book" else [intro, ""]
    for i, claim in enumerate(chapter_claims):
        if i % CLAIMS_PER_SECTION == 0:
            lines += [f"## Section {number}.{i // CLAIMS_PER_SECTION + 1}", ""]
        if kind == "floor":
            lines += [claim.sentence + ".", ""]
            continue
        citation = "" if kind == "needs" else f" {{cite:p}}`{claim.key}`"
        claim_kind = _KINDS[claim.number % len(_KINDS)]
        lines += [
            ":::{claim}",
            f":id: {claim.id}",
            f":cites: SRC_{claim.key.upper()}",
            f":kind: {claim_kind}",
            f":status: {_STATUS[claim_kind]}",
            f":quote: {claim.quote}",
            "",
            f"{claim.sentence}{citation}.",
            ":::",
            "",
        ]
    return "\n".join(lines)


_APPARATUS = {
    "sources": "# Sources\n\nEvery source.\n\n```{source-records}\n```\n",
    "claims": (
        "# Claims index\n\nEvery claim.\n\n```{needtable}\n:types: claim\n"
        ':columns: id as "ID"; kind; status; as_of as "As of"; cites as "Sources"; '
        'quote as "Evidence"\n:style: table\n:sort: id\n```\n'
    ),
    "bibliography": "# Bibliography\n\n```{bibliography}\n:all:\n```\n",
}


def _bib_entry(index: int) -> str:
    key = source_key(index)
    return (
        f"@online{{{key},\n"
        f"  author = {{{{Bench Wire {index % 40}}}}},\n"
        f"  title = {{Report {index} on the corridor's party meetings}},\n"
        f"  organization = {{Bench Wire {index % 40}}},\n"
        f"  year = {{{2000 + index % 25}}}, month = {{{index % 12 + 1}}}, "
        f"day = {{{index % 28 + 1}}},\n"
        f"  url = {{https://example.org/bench/{key}}},\n"
        "  urldate = {2026-11-24},\n"
        "}\n"
    )


def _record(quotes: list[str]) -> str:
    """A record in the real format, hashed as ``scripts/hash_sources.py`` would."""
    return stamp_hash(
        "\n".join(
            [
                "+++",
                'kind = "independent-media"',
                'notes = "Synthetic record for the build benchmark."',
                "+++",
                "A synthetic wire report.",
                "",
                *quotes,
                "",
            ]
        )
    )


def _quotes(n: int) -> dict[str, list[str]]:
    """Source key -> the quotes of the claims citing it, in source order."""
    quotes: dict[str, list[str]] = {}
    for claim in claims(n):
        quotes.setdefault(claim.key, []).append(claim.quote)
    return quotes


def _write_bib(root: Path, n: int) -> None:
    bib = ["% Synthetic bibliography of the build benchmark.\n"]
    bib += [_bib_entry(index) for index in range(len(_quotes(n)))]
    (root / "refs.bib").write_text("\n".join(bib), encoding="utf-8")


def write_book(root: Path, n: int) -> Path:
    """Write the synthetic book of ``n`` claims under ``root``; return its ``docs/`` folder."""
    docs = root / "docs"
    (root / "sources").mkdir(parents=True, exist_ok=True)
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(
        _index(f"Benchmark book, {n} claims", ["", *_APPARATUS]), encoding="utf-8"
    )
    for number, chapter_claims in _by_chapter(n).items():
        (docs / f"chapter{number:02d}.md").write_text(
            _chapter(number, chapter_claims), encoding="utf-8"
        )
    for name, text in _APPARATUS.items():
        (docs / f"{name}.md").write_text(f"---\nprose: editorial\n---\n\n{text}", encoding="utf-8")
    for key, source_quotes in _quotes(n).items():
        (root / "sources" / f"{key}.txt").write_text(_record(source_quotes), encoding="utf-8")
    _write_bib(root, n)
    return docs


def _source_title(index: int) -> str:
    return f"Report {index} on the corridor's party meetings, Bench Wire {index % 40}."


def write_floor(root: Path, n: int) -> Path:
    """Write the floor of the ``n``-claim book under ``root``; return its source folder.

    Its ``conf.py`` sits in the source folder; ``<root>/pdf-conf/conf.py`` adds the PDF
    builder (sphinx-simplepdf), for the PDF floor only.
    """
    docs = _write_reference(root, n, "floor", FLOOR_CONF)
    (root / "pdf-conf").mkdir(exist_ok=True)
    (root / "pdf-conf" / "conf.py").write_text(FLOOR_CONF + FLOOR_PDF_EXTENSION, encoding="utf-8")
    sources = ["# Sources", ""]
    for index in range(_source_count(n)):
        sources += [_source_title(index), ""]
    (docs / "sources.md").write_text("\n".join(sources), encoding="utf-8")
    return docs


def _source_needs(n: int) -> str:
    """The sources page of the needs and libraries floors: one ``source`` need each."""
    sources = ["# Sources", ""]
    for index in range(_source_count(n)):
        source_id = f"SRC_{source_key(index).upper()}"
        sources += [":::{source}", f":id: {source_id}", ":kind: independent-media", "",
                    _source_title(index), ":::", ""]  # fmt: skip
    return "\n".join(sources)


def write_needs_floor(root: Path, n: int) -> Path:
    """Write the needs floor of the ``n``-claim book; return its source folder (with its
    own ``conf.py``)."""
    docs = _write_reference(root, n, "needs", NEEDS_FLOOR_CONF)
    (docs / "sources.md").write_text(_source_needs(n), encoding="utf-8")
    return docs


# The patched floor: the libraries floor with every workaround the book applies to them
# (``idcpc_book.ext.upstream``: pybtex's plugin lookup, sphinxcontrib-bibtex's scans and
# formatting, sphinx-needs' aggregates, Sphinx's collections), and nothing else of the book.
_PATCHED = '"Benchmark patched floor"'
PATCHED_FLOOR_CONF = LIBRARIES_FLOOR_CONF.replace(_LIBRARIES, _PATCHED).replace(
    '"sphinxcontrib.bibtex"]', '"idcpc_book.ext.upstream"]'
)


def write_libraries_floor(root: Path, n: int, kind: str = "libraries") -> Path:
    """Write the libraries floor of the ``n``-claim book (the needs floor, each claim's
    citation and a bibliography of every source); return its source folder. ``kind``
    ``"patched"``: the same with the book's workarounds of the libraries' faults."""
    conf = PATCHED_FLOOR_CONF if kind == "patched" else LIBRARIES_FLOOR_CONF
    docs = _write_reference(root, n, kind, conf, ["bibliography"])
    (docs / "sources.md").write_text(_source_needs(n), encoding="utf-8")
    (docs / "bibliography.md").write_text(_APPARATUS["bibliography"], encoding="utf-8")
    _write_bib(root, n)
    return docs


def write_patched_floor(root: Path, n: int) -> Path:
    """Write the patched floor of the ``n``-claim book (:data:`PATCHED_FLOOR_CONF`)."""
    return write_libraries_floor(root, n, "patched")


def _source_count(n: int) -> int:
    return len(_quotes(n))


#: The references, by kind, as reports name them.
REFERENCE_NAMES = {
    "floor": "floor", "needs": "needs floor", "libraries": "libraries floor",
    "patched": "patched floor",
}  # fmt: skip


def _write_reference(root: Path, n: int, kind: str, conf: str, pages: Sequence[str] = ()) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "conf.py").write_text(conf, encoding="utf-8")
    (docs / "index.md").write_text(
        _index(f"Benchmark {REFERENCE_NAMES[kind]}, {n} claims", ["", "sources", *pages]),
        encoding="utf-8",
    )
    for number, chapter_claims in _by_chapter(n).items():
        (docs / f"chapter{number:02d}.md").write_text(
            _chapter(number, chapter_claims, kind), encoding="utf-8"
        )
    return docs


def edit_chapter(docs: Path, chapter: int = 3) -> Path:
    """Change one sentence of one chapter, as an author would; return the edited file.

    The edit keeps the book valid: the sentence changes, its quote and citation do not.
    """
    path = docs / f"chapter{chapter:02d}.md"
    text = path.read_text(encoding="utf-8")
    edited = text.replace(" of the series", " of the series (edited)", 1)
    if edited == text:
        raise ValueError(f"{path}: nothing to edit")
    path.write_text(edited, encoding="utf-8")
    return path


# -- The real book, edited -------------------------------------------------------------

#: The real book's files a build reads, besides the code (``conf.py`` and the package are
#: the repository's): copied, so that an edit of the benchmark never touches the book.
REAL_BOOK_FILES = tuple(
    name for name in buildstamp.INPUTS if name not in ("conf.py", "noxfile.py", "idcpc_book")
)
#: What :func:`edit_real_chapter` appends to a line of prose.
REAL_EDIT = " (edited)"


def copy_real_book(repo: Path, root: Path) -> Path:
    """A copy of the real book's files in ``root``; return its source folder."""
    root.mkdir(parents=True, exist_ok=True)
    for name in REAL_BOOK_FILES:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, root / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, root / name)
    return root / "docs"


def edit_real_chapter(docs: Path) -> Path:
    """Change one line of an editorial note, as an author editing prose would (no claim
    changes, so no corrections entry is due): the first note's first line of text, in the
    first chapter (by name) that has one. Return the edited file."""
    for path in sorted(docs.glob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for at, line in enumerate(lines):
            if not line.startswith(":::{editorial}"):
                continue
            text = next(
                (i for i in range(at + 1, len(lines)) if lines[i] and lines[i][0] not in ":`"),
                None,
            )
            if text is not None and not lines[text].startswith(":::"):
                lines[text] += REAL_EDIT
                path.write_text("\n".join(lines), encoding="utf-8")
                return path
    raise ValueError(f"{docs}: no editorial note to edit")


# -- The real book's floor ---------------------------------------------------------------

_OPENING = re.compile(r"^:::\{(claim|editorial)\}[^\n]*\n((?::[a-z_]+:[^\n]*\n)*)\n?", re.M)
_CLOSING = re.compile(r"^:::\s*$\n?", re.M)
_GENERATED = re.compile(
    r"^```\{(needtable|source-records|bibliography|model-vocabulary|claims-downloads|corrections-log|edition-changes|claims-figure|registry|evidence-passages|open-questions|whos-who|glossary-terms)\}.*?^```\n",
    re.M | re.S,
)
_NEED_ROLE = re.compile(r"\{need\}`([^`]*)`")
_SUBSTITUTION = re.compile(r"\{\{[^}]*\}\}")


def plain_page(text: str) -> str:
    """A page of the real book as plain MyST: claims and editorial blocks as their
    paragraphs, no citation, no sphinx-needs, no generated list; other Sphinx directives
    (``toctree``, ``only``) kept."""
    text = _GENERATED.sub("", text)
    text = _OPENING.sub("", text)
    # every closing fence left belongs to a claim, an editorial block or an ``only``
    if ":::{only}" in text:
        text = text.replace(":::{only}", "::::{only}")
        text = re.sub(r"(::::\{only\}.*?^):::\s*$", r"\1::::", text, flags=re.M | re.S)
    text = _CLOSING.sub("", text)
    text = without_citations(text)
    text = _NEED_ROLE.sub(r"`\1`", text)
    return _SUBSTITUTION.sub("this edition", text)


def write_real_floor(docs: Path, root: Path) -> Path:
    """The real book's chapters as plain MyST (:func:`plain_page`) in a bare project with
    the book's theme; its sources page lists each record's notes. Returns the source folder;
    ``<root>/pdf-conf/conf.py`` adds the PDF builder, as for :func:`write_floor`."""
    out = root / "docs"
    out.mkdir(parents=True, exist_ok=True)
    conf = FLOOR_CONF + "myst_heading_anchors = 3\n"
    (out / "conf.py").write_text(conf, encoding="utf-8")
    (root / "pdf-conf").mkdir(exist_ok=True)
    (root / "pdf-conf" / "conf.py").write_text(conf + FLOOR_PDF_EXTENSION, encoding="utf-8")
    for page in docs.glob("*.md"):
        (out / page.name).write_text(plain_page(page.read_text(encoding="utf-8")), "utf-8")
    notes = [read_record(p).notes for p in record_paths(docs.parent / "sources")]
    with (out / "sources.md").open("a", encoding="utf-8") as sources:
        sources.write("\n" + "\n\n".join(notes) + "\n")
    return out
