"""The local Sphinx extensions and the shared helpers, on small inputs."""

from __future__ import annotations

import shutil

from conftest import ROOTS, sphinx_build

from idcpc_book.normalise import normalise


def test_normalise_folds_only_whitespace_quotes_and_dashes() -> None:
    assert normalise("the  “senior\n leadership” – now") == 'the "senior leadership" - now'
    assert normalise("It’s") == "It's"
    assert normalise("Visit") != normalise("visit")  # case is kept
    assert normalise("visit.") != normalise("visit")  # punctuation is kept


def test_record_without_bib_entry_is_a_located_build_warning(tmp_path) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "record-without-source", root)
    result = sphinx_build(root / "docs", tmp_path / "out", strict=True)
    assert result.returncode != 0
    assert (
        f"{root / 'sources' / 'epsilon.txt'}:1: WARNING: no refs.bib entry with key 'epsilon'"
        in result.stderr
    )


def test_malformed_record_is_a_located_build_warning(tmp_path) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    (root / "sources" / "beta.txt").write_text(
        '+++\nkind = "gossip"\n+++\ntext\n', encoding="utf-8"
    )
    result = sphinx_build(root / "docs", tmp_path / "out", strict=True)
    assert result.returncode != 0
    assert (
        f"{root / 'sources' / 'beta.txt'}:2: WARNING: header 'kind' must be one of official-pk, "
        "official-cn, state-media-pk, state-media-cn, independent-media, reference, commentary; "
        "got 'gossip'" in result.stderr
    )


def test_clean_test_book_builds_strictly(tmp_path) -> None:
    result = sphinx_build(ROOTS / "clean" / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (
        'class="editorial docutils container"' in page
        or 'class="docutils container editorial"' in page
    )
