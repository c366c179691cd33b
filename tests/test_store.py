"""The book's store (one Sphinx domain) and the registry of pages to write again.

The store's per-page entries are dropped when their page is read again and taken from a
parallel reader only for the pages it read; the fingerprints of what was written survive
a read (dropping them would make every read look like a change).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from idcpc_book.ext import rewrite
from idcpc_book.ext.state import build_state
from idcpc_book.ext.store import BookDomain


def _store(**data: Any) -> BookDomain:
    domain = BookDomain(SimpleNamespace(domaindata={}))  # type: ignore[arg-type]
    domain.data.update(data)
    return domain


def _filled() -> BookDomain:
    return _store(
        claim_texts={"CLM_A": ("a", "A."), "CLM_B": ("b", "B.")},
        corrections_page="a",
        figure_pages={"a": ["timeline"], "b": ["offices", "jcm-meetings"]},
        aggregating_pages={"a", "b"},
        need_prints={"a": "1", "b": "2"},
        evidence_prints={"a": "3"},
    )


def test_clear_doc_drops_the_page_entries_and_keeps_the_fingerprints() -> None:
    store = _filled()
    store.clear_doc("a")
    assert store.claim_texts == {"CLM_B": ("b", "B.")}
    assert store.corrections_page is None
    assert store.figure_pages == {"b": ["offices", "jcm-meetings"]}
    assert store.aggregating_pages == {"b"}
    assert store.need_prints == {"a": "1", "b": "2"}
    assert store.evidence_prints == {"a": "3"}


def test_clear_doc_of_another_page_keeps_the_corrections_page() -> None:
    store = _filled()
    store.clear_doc("b")
    assert store.corrections_page == "a"
    assert store.claim_texts == {"CLM_A": ("a", "A.")}


def test_merge_takes_only_the_pages_the_reader_read() -> None:
    main, worker = _store(), _filled()
    main.merge_domaindata({"b"}, worker.data)
    assert main.claim_texts == {"CLM_B": ("b", "B.")}
    assert main.corrections_page is None  # "a" was not read by that worker
    assert main.figure_pages == {"b": ["offices", "jcm-meetings"]}
    assert main.aggregating_pages == {"b"}
    assert main.need_prints == {}  # fingerprints are taken in the main process only
    main.merge_domaindata({"a"}, worker.data)
    assert main.corrections_page == "a"


def test_the_registry_asks_every_source_and_returns_the_union() -> None:
    asked: list[str] = []

    def source(name: str, pages: list[str]) -> rewrite.PageSource:
        def pages_of(app: Any, env: Any) -> list[str]:
            asked.append(name)
            return pages

        return pages_of

    class App:  # what register needs of an application
        def setup_extension(self, name: str) -> None:
            assert name == rewrite.__name__

    app = App()
    rewrite.register(app, source("grades", ["b", "gone"]))  # type: ignore[arg-type]
    rewrite.register(app, source("index", []))  # type: ignore[arg-type]
    rewrite.register(app, source("figures", ["a", "b"]))  # type: ignore[arg-type]
    build_state(app).read_docs = {"a"}  # type: ignore[arg-type]
    env = SimpleNamespace(found_docs={"a", "b"})
    assert rewrite.pages_to_rewrite(app, env) == ["a", "b"]  # type: ignore[arg-type]
    assert asked == ["grades", "index", "figures"]  # none skipped
    assert build_state(app).read_docs == set()  # type: ignore[arg-type]
