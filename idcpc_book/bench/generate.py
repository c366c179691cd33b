"""Synthetic books for the benchmark, and their floor.

A synthetic book is laid out like the real one (``docs/``, ``refs.bib``, ``sources/``) and
is built with the real ``conf.py``: ten chapters holding N claims, each citing one source
with a quote found verbatim in that source's archived record (two claims per source), plus
the apparatus pages (sources, claims index, bibliography). It passes the strict build and
the checker.

The *floor* is the same chapter text in a bare Sphinx + MyST project with the same theme:
headings, the editorial introductions and each claim's sentence as a plain paragraph (no
citation role, no sphinx-needs), and a sources page with one paragraph per source.

The *sphinx-needs floor* is what the book's libraries cost before the project adds
anything: the floor's text with each claim a sphinx-needs ``claim`` (its ID and sentence,
the book's need types and layout) and each source a ``source`` need, in a project with
MyST and sphinx-needs only (no fields, links, citations, bibliography or project
extension). No configuration of the book can build faster than this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from idcpc_book.records import stamp_hash

CHAPTERS = 10
CLAIMS_PER_SECTION = 25
CLAIMS_PER_SOURCE = 2

_PLACES = ("Islamabad", "Beijing", "Karachi", "Gwadar", "Lahore", "Urumqi", "Quetta", "Kashgar")
_BODIES = ("delegation", "working group", "committee", "party school", "think tank", "ministry")
_TOPICS = ("energy", "ports", "roads", "training", "security", "trade", "agriculture", "media")
_KINDS = ("fact", "attributed", "assessment")

FLOOR_CONF = '''"""Floor of the benchmark: bare Sphinx + MyST, the book's theme, nothing else."""

project = "Benchmark floor"
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence", "deflist"]
html_theme = "furo"
html_last_updated_fmt = None
'''

# The API, as the book's conf.py: the weasyprint command is not on PATH outside a venv.
FLOOR_PDF_EXTENSION = 'extensions.append("sphinx_simplepdf")\nsimplepdf_use_weasyprint_api = True\n'

NEEDS_FLOOR_CONF = '''"""sphinx-needs floor of the benchmark: MyST + sphinx-needs with the book's
need types and layout, nothing else (no fields, links, citations or project extensions)."""

from idcpc_book import model

project = "Benchmark sphinx-needs floor"
extensions = ["myst_parser", "sphinx_needs"]
myst_enable_extensions = ["colon_fence", "deflist"]
html_theme = "furo"
html_last_updated_fmt = None
needs_types = [
    {key: value for key, value in need_type.items() if key != "fields"}
    for need_type in model.needs_types()
]
needs_id_required = True
needs_id_regex = model.ID_PATTERN
needs_title_optional = True
needs_default_layout = model.DEFAULT_LAYOUT
needs_layouts = model.needs_layouts()
'''


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
    """A chapter of the book (``kind="book"``), its floor (``"floor"``) or its
    sphinx-needs floor (``"needs"``)."""
    intro = f"This chapter gathers {len(chapter_claims)} synthetic claims."
    lines = [f"# Chapter {number}", ""]
    lines += [":::{editorial}", intro, ":::", ""] if kind == "book" else [intro, ""]
    for i, claim in enumerate(chapter_claims):
        if i % CLAIMS_PER_SECTION == 0:
            lines += [f"## Section {number}.{i // CLAIMS_PER_SECTION + 1}", ""]
        if kind == "floor":
            lines += [claim.sentence + ".", ""]
        elif kind == "needs":
            lines += [":::{claim}", f":id: {claim.id}", "", claim.sentence + ".", ":::", ""]
        else:
            lines += [
                ":::{claim}",
                f":id: {claim.id}",
                f":cites: SRC_{claim.key.upper()}",
                f":kind: {_KINDS[claim.number % len(_KINDS)]}",
                ":status: verified",
                f":quote: {claim.quote}",
                "",
                f"{claim.sentence} {{cite:p}}`{claim.key}`.",
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
    quotes: dict[str, list[str]] = {}
    for claim in claims(n):
        quotes.setdefault(claim.key, []).append(claim.quote)
    bib = ["% Synthetic bibliography of the build benchmark.\n"]
    for index, (key, source_quotes) in enumerate(quotes.items()):
        bib.append(_bib_entry(index))
        (root / "sources" / f"{key}.txt").write_text(_record(source_quotes), encoding="utf-8")
    (root / "refs.bib").write_text("\n".join(bib), encoding="utf-8")
    return docs


def _source_title(index: int) -> str:
    return f"Report {index} on the corridor's party meetings, Bench Wire {index % 40}."


def write_floor(root: Path, n: int) -> Path:
    """Write the floor of the ``n``-claim book under ``root``; return its source folder.

    Its ``conf.py`` sits in the source folder; ``<root>/pdf-conf/conf.py`` adds the PDF
    builder (sphinx-simplepdf), for the PDF floor only.
    """
    docs = _write_floor_chapters(root, n, "floor", FLOOR_CONF)
    (root / "pdf-conf").mkdir(exist_ok=True)
    (root / "pdf-conf" / "conf.py").write_text(FLOOR_CONF + FLOOR_PDF_EXTENSION, encoding="utf-8")
    sources = ["# Sources", ""]
    for index in range(_source_count(n)):
        sources += [_source_title(index), ""]
    (docs / "sources.md").write_text("\n".join(sources), encoding="utf-8")
    return docs


def write_needs_floor(root: Path, n: int) -> Path:
    """Write the sphinx-needs floor of the ``n``-claim book; return its source folder
    (with its own ``conf.py``)."""
    docs = _write_floor_chapters(root, n, "needs", NEEDS_FLOOR_CONF)
    sources = ["# Sources", ""]
    for index in range(_source_count(n)):
        source_id = f"SRC_{source_key(index).upper()}"
        sources += [":::{source}", f":id: {source_id}", "", _source_title(index), ":::", ""]
    (docs / "sources.md").write_text("\n".join(sources), encoding="utf-8")
    return docs


def _source_count(n: int) -> int:
    return len({c.key for c in claims(n)})


_FLOOR_NAMES = {"floor": "floor", "needs": "sphinx-needs floor"}


def _write_floor_chapters(root: Path, n: int, kind: str, conf: str) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "conf.py").write_text(conf, encoding="utf-8")
    (docs / "index.md").write_text(
        _index(f"Benchmark {_FLOOR_NAMES[kind]}, {n} claims", ["", "sources"]), encoding="utf-8"
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
