"""Build speed-ups of the performance pass: the same outputs, less work.

* ``bibtex_memo``: a rebuild formats no unchanged bibliography entry again; after an
  entry changes, its pages are as without the memo, and the bibliography as in a clean
  build;
* ``bibtex_index``: citations resolve through an index, as upstream resolves them;
* cite boxes (``claims``): the HTML is unchanged, but their text is not indexed for search;
* ``gc_freeze``: the objects that exist when the builder starts, and those reading left
  when writing starts, are frozen for the build only; each written page's doctree is
  freed as the next is written; builds and rebuilds write what they write without it;
* ``bibtex_index``, bibliography transform: back-references as upstream's transform;
* ``bibcheck``: refs.bib is read strictly once per content (a stamp), and
  sphinxcontrib-bibtex is handed that read instead of parsing the file again: the same
  data as its own parse, the same pages; a broken file still stops the build;
* exports: written from sphinx-needs' own view of the needs, each file in pieces, they are
  the texts that ``render_all`` makes from copies of the needs;
* PyStemmer: the search index is the same with Snowball's C stemmers as with the
  pure-Python ones, and the C ones are used;
* ``bibtex_index``, citation memo: a citation like an earlier one (keys, role, link from
  the page) is a copy of it, equal to what upstream makes, in any folder.
"""

from __future__ import annotations

import gc
import json
import re
import weakref
from pathlib import Path

import pytest
from conftest import REPO
from docutils import nodes
from sphinx import addnodes
from sphinxapp import GC_FREEZE, MEMO, strict_app, strict_build

from idcpc_book.bench import generate
from idcpc_book.edition import load
from idcpc_book.ext.book.claims import cite_box_html

#: Each test builds a generated book two or more times.
pytestmark = pytest.mark.slow


def _outputs(out: Path) -> dict[str, str]:
    files = [*out.glob("*.html"), out / "needs.json"]
    return {p.name: p.read_text(encoding="utf-8") for p in files}


def _all_outputs(out: Path) -> dict[str, str]:
    """Every page, needs.json, the search index and the exports (the database's bytes
    kept as they are: it is not text)."""
    files = [*out.rglob("*.html"), out / "needs.json", out / "searchindex.js"]
    files += sorted((out / "exports").iterdir())
    return {
        p.relative_to(out).as_posix(): p.read_bytes().decode("utf-8", "surrogateescape")
        for p in files
    }


def _retitle(root: Path, key: str, title: str) -> None:
    bib = root / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index(f"{{{key},")
    old = text[start:].split("title = {", 1)[1].split("}", 1)[0]
    bib.write_text(text[:start] + text[start:].replace(old, title, 1), encoding="utf-8")


def test_rebuild_formats_only_changed_entries_and_matches_upstream(tmp_path, formatted) -> None:
    docs = generate.write_book(tmp_path / "book", 20)  # 10 sources, a bibliography
    memo, plain = tmp_path / "memo", tmp_path / "plain"
    strict_build(docs, memo)
    assert sorted(formatted) == [generate.source_key(i) for i in range(10)]  # once each
    formatted.clear()
    strict_build(docs, memo, fresh=False)  # nothing changed
    assert formatted == []
    strict_build(docs, plain, without=(MEMO,))
    formatted.clear()

    _retitle(tmp_path / "book", "bench00003", "A corrected headline")
    strict_build(docs, memo, fresh=False)
    assert formatted == ["bench00003"]  # only the changed entry
    strict_build(docs, plain, without=(MEMO,), fresh=False)
    assert _outputs(memo) == _outputs(plain)
    assert "A corrected headline" in (memo / "bibliography.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    strict_build(docs, clean)
    for name in ("bibliography.html", "sources.html"):
        assert (memo / name).read_text(encoding="utf-8") == (clean / name).read_text(
            encoding="utf-8"
        )


def test_indexed_citation_lookup_resolves_like_upstream(tmp_path) -> None:
    from sphinxcontrib.bibtex.domain import BibtexDomain

    docs = generate.write_book(tmp_path / "book", 20)
    # a paragraph citing three keys at once, one twice: order and duplicates as upstream
    with (docs / "chapter02.md").open("a", encoding="utf-8") as chapter:
        chapter.write("\nSee {cite:p}`bench00004,bench00001,bench00004`.\n")
    app = strict_build(docs, tmp_path / "out")
    domain = app.env.get_domain("cite")
    doctree = app.env.get_doctree("chapter02")
    xrefs = [n for n in doctree.findall(addnodes.pending_xref) if n["refdomain"] == "cite"]
    assert len(xrefs) == 3  # two claims and the added paragraph
    resolved = []
    for xref in xrefs:
        args = (app.env, "chapter02", app.builder, xref["reftype"], xref["reftarget"], xref)
        ours = domain.resolve_xref(*args, xref.deepcopy())
        theirs = BibtexDomain.resolve_xref(domain, *args, xref.deepcopy())
        assert ours.pformat() == theirs.pformat()
        resolved.append(ours.astext())
    assert resolved[-1].count("Bench Wire") == 2  # two entries in the one citation


def _search_terms(out: Path) -> set[str]:
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    return set(json.loads(text[text.index("(") + 1 : text.rindex(")")])["terms"])


def test_cite_boxes_are_written_but_not_indexed(tmp_path) -> None:
    docs = generate.write_book(tmp_path / "book", 20)
    out = tmp_path / "out"
    strict_build(docs, out)
    edition = load(REPO / "pyproject.toml")
    for claim in generate.claims(20):
        page = (out / f"chapter{claim.chapter:02d}.html").read_text(encoding="utf-8")
        assert cite_box_html(edition, claim.id, f"chapter{claim.chapter:02d}") in page
    terms = _search_terms(out)
    assert "clm_bench_00007" in terms  # the claim's ID is still found (its marker)
    assert "meet" in terms  # and its text
    # words found only in the cite boxes (as a raw node, they were indexed) are not:
    # "@misc{", "YYYY-MM-DD", a BibTeX-escaped ID "CLM\_BENCH\_00007", tags run together
    assert not {"misc", "yyyi", "_00007", "citeperman"} & terms
    assert not [t for t in terms if re.fullmatch(r"_\d{5}|clm_bench_\d{5}\w+", t)]


def test_gc_freeze_lasts_one_build_and_changes_no_output(tmp_path) -> None:
    docs = generate.write_book(tmp_path / "book", 20)
    frozen, plain = tmp_path / "frozen", tmp_path / "plain"
    strict_build(docs, frozen)
    strict_build(docs, plain, without=(GC_FREEZE,))
    generate.edit_chapter(docs)
    seen: list[int] = []
    for out, without in ((frozen, ()), (plain, (GC_FREEZE,))):
        app = strict_app(docs, out, without, fresh=False)
        app.connect("env-updated", lambda app, env: seen.append(gc.get_freeze_count()))
        app.build()
        assert gc.get_freeze_count() == 0  # handed back at the end
    assert seen[0] > 10_000  # the loaded environment (and all modules) were frozen
    assert seen[1] == 0
    assert _outputs(frozen) == _outputs(plain)
    assert "(edited)" in (frozen / "chapter03.html").read_text(encoding="utf-8")


@pytest.fixture
def formatted_citations(monkeypatch) -> list[str]:
    """The targets of the citations sphinxcontrib-bibtex formats, in order."""
    import sphinxcontrib.bibtex.domain as upstream

    calls: list[str] = []
    original = upstream.format_references

    def counting(style, role_name, references):
        references = list(references)
        calls.append(role_name + ":" + ",".join(e.key for e, _, _ in references))
        return original(style, role_name, references)

    monkeypatch.setattr(upstream, "format_references", counting)
    return calls


def test_citation_memo_resolves_like_upstream_from_any_page(tmp_path, formatted_citations) -> None:
    from sphinxcontrib.bibtex.domain import BibtexDomain

    docs = generate.write_book(tmp_path / "book", 20)
    # the same citations from a page in a folder (another relative link), from the
    # bibliography's own page (a refid, no link), and with pre- and post-text
    (docs / "notes").mkdir()
    (docs / "notes" / "more.md").write_text(
        "---\nprose: editorial\n---\n\n# More\n\n:::{editorial}\n"
        "See {cite:p}`bench00001` and {cite:p}`bench00001`, "
        "{cite:p}`{see}bench00002{p. 3}`, {cite:t}`bench00001,bench00003`.\n:::\n",
        encoding="utf-8",
    )
    with (docs / "bibliography.md").open("a", encoding="utf-8") as page:
        page.write("\n:::{editorial}\nAlso {cite:p}`bench00001`.\n:::\n")
    with (docs / "chapter02.md").open("a", encoding="utf-8") as page:
        page.write(
            "\n:::{editorial}\nAgain {cite:p}`bench00001` and "
            "{cite:t}`bench00001,bench00003`.\n:::\n"
        )
    _edit_index = (docs / "index.md").read_text(encoding="utf-8")
    (docs / "index.md").write_text(
        _edit_index.replace("bibliography\n", "bibliography\nnotes/more\n"), encoding="utf-8"
    )
    app = strict_build(docs, tmp_path / "out")
    built = (tmp_path / "out" / "notes" / "more.html").read_text(encoding="utf-8")
    assert 'href="../bibliography.html#id' in built

    domain = app.env.get_domain("cite")
    compared, hits = 0, 0
    for docname in sorted(app.env.found_docs):
        doctree = app.env.get_doctree(docname)
        for xref in doctree.findall(addnodes.pending_xref):
            if xref["refdomain"] != "cite":
                continue
            args = (app.env, docname, app.builder, xref["reftype"], xref["reftarget"], xref)
            formatted_citations.clear()
            ours = domain.resolve_xref(*args, xref.deepcopy())
            hits += not formatted_citations
            theirs = BibtexDomain.resolve_xref(domain, *args, xref.deepcopy())
            assert ours.pformat() == theirs.pformat(), (docname, xref["reftarget"])
            compared += 1
    assert compared == 20 + 10 + 4 + 1 + 2  # claims, sources, notes, bibliography, chapter 2
    assert hits == compared  # every one formatted in the build is remembered
    refs = {
        docname: [n["refuri"] for n in app.env.get_and_resolve_doctree(
            docname, app.builder, tags=app.tags).findall(nodes.reference) if "refuri" in n]
        for docname in ("notes/more", "chapter02")
    }  # fmt: skip
    assert any(r.startswith("../bibliography.html#") for r in refs["notes/more"])
    assert any(r.startswith("bibliography.html#") for r in refs["chapter02"])


def test_citation_memo_formats_each_distinct_citation_once(tmp_path, formatted_citations) -> None:
    docs = generate.write_book(tmp_path / "book", 20)  # 20 claims citing 10 sources twice
    strict_build(docs, tmp_path / "memo")
    # once per source for the claims (cite:p, from the chapters, all in one folder) and once
    # for the sources page (cite:t): 20, not 30
    assert sorted(formatted_citations) == sorted(
        f"{role}:{generate.source_key(i)}" for i in range(10) for role in ("p", "t")
    )


def test_gc_freeze_writes_from_disk_and_frees_each_written_page(tmp_path) -> None:
    from idcpc_book.ext.upstream.gc_freeze import NO_FULL_COLLECTIONS

    docs = generate.write_book(tmp_path / "book", 20)
    thresholds = gc.get_threshold()
    app = strict_app(docs, tmp_path / "frozen")
    at_write: list[tuple[int, int, int]] = []
    written: dict[str, weakref.ref] = {}
    alive_at_end: list[list[str]] = []

    def write_started(app, builder):
        cache = app.env._write_doc_doctree_cache
        at_write.append((len(cache), gc.get_freeze_count(), gc.get_threshold()[2]))

    def resolved(app, doctree, docname):
        written[docname] = weakref.ref(doctree)

    def finished(app, exception):
        alive_at_end.append(sorted(doc for doc, ref in written.items() if ref() is not None))

    app.connect("write-started", write_started, priority=950)  # after gc_freeze's
    app.connect("doctree-resolved", resolved)
    app.connect("build-finished", finished, priority=850)  # before the objects are handed back
    app.build()
    [(cached, frozen, threshold)] = at_write
    assert cached == 0  # the doctrees read are loaded from disk to be written
    assert frozen > 10_000  # the needs (and everything else) read
    assert threshold == NO_FULL_COLLECTIONS
    assert len(written) == 14  # every page
    # Each page's doctree was freed once the next was written, the last when the build
    # ended; the bibliography's too, although sphinxcontrib-bibtex keeps nodes of it (the
    # citations it inserts) and pybtex-docutils puts the same Text node into every page (its
    # Backend.symbols): once unlinked, those nodes no longer lead back to the page.
    assert alive_at_end == [[]]
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds

    strict_build(docs, tmp_path / "plain", without=(GC_FREEZE,))
    assert _all_outputs(tmp_path / "frozen") == _all_outputs(tmp_path / "plain")


def _page(text: str) -> nodes.document:
    """A doctree as Sphinx loads one to write it: a section noted in the document's ids."""
    from docutils.utils import new_document

    document = new_document("page")
    section = nodes.section("", nodes.title("", "Title"), ids=["title"], names=["title"])
    section += nodes.paragraph("", "", nodes.Text(text), nodes.emphasis("", "emphasis"),
                               nodes.reference("", "link", refuri="https://example.org"))  # fmt: skip
    document += section
    document.note_implicit_target(section)
    return document


def test_an_unlinked_doctree_is_freed_without_a_collection() -> None:
    """Its cycles broken, a written page's doctree goes with its last reference; a node
    that a later page holds keeps its place there. Without ``unlink`` only a collection
    frees the page."""
    from idcpc_book.ext.upstream.gc_freeze import unlink

    enabled = gc.isenabled()
    gc.disable()
    try:
        kept = _page("Some ")
        kept_ref = weakref.ref(kept.next_node(nodes.reference))
        del kept
        assert kept_ref() is not None  # held by its own cycles

        written, later = _page("Some "), _page("Another ")
        shared = written.next_node(nodes.emphasis)
        later.next_node(nodes.paragraph).append(shared)  # as pybtex-docutils' symbols are
        refs = [weakref.ref(written), weakref.ref(written.next_node(nodes.reference))]
        unlink(written)
        del written
        assert [ref() for ref in refs] == [None, None]
        assert shared.parent is later.next_node(nodes.paragraph)
        assert later.astext() == "Title\n\nAnother emphasislinkemphasis"
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def test_search_index_is_identical_with_the_c_stemmer(tmp_path, monkeypatch) -> None:
    import snowballstemmer
    import Stemmer
    from snowballstemmer.english_stemmer import EnglishStemmer

    assert snowballstemmer.stemmer is Stemmer.Stemmer  # what Sphinx's English search uses
    words = set()
    for path in [*(REPO / "docs").glob("*.md"), *(REPO / "sources").glob("*.txt")]:
        words |= set(re.findall(r"\w+", path.read_text(encoding="utf-8").lower()))
    assert len(words) > 5000
    c_stemmer, python_stemmer = Stemmer.Stemmer("english"), EnglishStemmer()
    assert [c_stemmer.stemWord(w) for w in sorted(words)] == [
        python_stemmer.stemWord(w) for w in sorted(words)
    ]

    docs = generate.write_book(tmp_path / "book", 20)
    strict_build(docs, tmp_path / "c")
    monkeypatch.setattr(snowballstemmer, "stemmer", lambda language: EnglishStemmer())
    strict_build(docs, tmp_path / "python")
    index = (tmp_path / "c" / "searchindex.js").read_bytes()
    assert (tmp_path / "python" / "searchindex.js").read_bytes() == index
    assert b"corridor" in index


def test_exports_are_written_in_pieces_as_rendered_from_copies(tmp_path, monkeypatch) -> None:
    from sphinx_needs.data import SphinxNeedsData

    from idcpc_book import exports
    from idcpc_book.ext.book.claims import book_edition
    from idcpc_book.ext.store import book_data

    docs = generate.write_book(tmp_path / "book", 20)
    out = tmp_path / "out"
    app = strict_build(docs, out)
    view = SphinxNeedsData(app.env).get_needs_view()
    titles = {doc: title.astext() for doc, title in app.env.titles.items()}
    texts = dict(book_data(app.env).claim_texts)
    copies = {key: dict(need) for key, need in view.items()}  # as the exports were made
    expected = exports.render_all(copies, texts, titles, book_edition(app))
    assert sorted(expected) == sorted(set(exports.FILES) - {exports.DATABASE})
    for name, text in expected.items():
        assert (out / "exports" / name).read_text(encoding="utf-8") == text
    assert exports.render_all(view, texts, titles, book_edition(app)) == expected

    monkeypatch.setattr(exports, "_JSON_BATCH", 7)  # many batches, one piece split anywhere
    exports.write_all(tmp_path / "small", view, texts, titles, book_edition(app))
    for name, text in expected.items():
        assert (tmp_path / "small" / name).read_bytes() == text.encode("utf-8")


def test_bibliography_transform_gives_upstream_backrefs(tmp_path, monkeypatch) -> None:
    from sphinxcontrib.bibtex.transforms import BibliographyTransform

    from idcpc_book.ext.upstream.bibtex_index import IndexedBibliographyTransform

    docs = generate.write_book(tmp_path / "book", 20)
    with (docs / "bibliography.md").open("a", encoding="utf-8") as page:  # back-references
        page.write(
            "\n:::{editorial}\nSee {cite:p}`bench00001,bench00003` and {cite:t}`bench00001`.\n:::\n"
        )
    strict_build(docs, tmp_path / "indexed")
    monkeypatch.setattr(IndexedBibliographyTransform, "run", BibliographyTransform.run)
    strict_build(docs, tmp_path / "upstream")  # upstream's scan of every reference
    page = (tmp_path / "indexed" / "bibliography.html").read_text(encoding="utf-8")
    assert page == (tmp_path / "upstream" / "bibliography.html").read_text(encoding="utf-8")
    assert page.count('role="doc-backlink"') == 3  # bench00001 twice, bench00003 once
    assert _all_outputs(tmp_path / "indexed") == _all_outputs(tmp_path / "upstream")


def test_bib_is_checked_once_per_content_and_its_parse_handed_over(tmp_path, monkeypatch) -> None:
    import pybtex.errors
    import sphinxcontrib.bibtex.bibfile as bibfile

    from idcpc_book.ext.inputs import bibcheck

    reads: list[Path] = []
    parses: list[list[Path]] = []
    read_bib, parse_bibdata = bibcheck.read_bib, bibfile.parse_bibdata
    monkeypatch.setattr(bibcheck, "read_bib", lambda path: reads.append(path) or read_bib(path))
    monkeypatch.setattr(
        bibfile,
        "parse_bibdata",
        lambda files, enc: parses.append(files) or parse_bibdata(files, enc),
    )
    docs = generate.write_book(tmp_path / "book", 20)
    bib = tmp_path / "book" / "refs.bib"
    out = tmp_path / "out"

    app = strict_build(docs, out)  # first build: one strict read, handed over
    assert (len(reads), parses) == (1, [])
    ours = app.env.get_domain("cite").bibdata
    theirs = parse_bibdata([bib.resolve()], "utf-8-sig")
    assert ours.encoding == theirs.encoding
    assert ours.bibfiles == theirs.bibfiles  # mtime and keys, in order
    assert ours.data.to_string("bibtex") == theirs.data.to_string("bibtex")
    assert len(ours.data.entries) == 10

    pybtex.errors.set_strict_mode(False)
    strict_build(docs, out, fresh=False)  # nothing changed: no read at all
    assert (len(reads), parses) == (1, [])
    assert pybtex.errors.strict  # as after a strict read
    strict_build(docs, out)  # -E: the environment is new, the verdict on the file is not
    assert (len(reads), len(parses)) == (1, 1)  # upstream parses for its new environment

    _retitle(tmp_path / "book", "bench00003", "A corrected headline")
    strict_build(docs, out, fresh=False)
    assert (len(reads), len(parses)) == (2, 1)  # read again, and handed over
    strict_build(docs, tmp_path / "handed")
    assert (len(reads), len(parses)) == (3, 1)  # a new folder: read, handed over
    with monkeypatch.context() as plain:
        plain.setattr(bibcheck, "hand_over_parse", lambda app: None)
        strict_build(docs, tmp_path / "upstream")  # upstream parses for itself
    assert (len(reads), len(parses)) == (4, 2)
    assert _all_outputs(tmp_path / "handed") == _all_outputs(tmp_path / "upstream")
    assert "A corrected headline" in (out / "bibliography.html").read_text(encoding="utf-8")

    bib.write_text(bib.read_text(encoding="utf-8").replace("title = {", "title {", 1), "utf-8")
    with pytest.raises(SystemExit) as stop:
        strict_build(docs, out, fresh=False)
    assert stop.value.code == 2
