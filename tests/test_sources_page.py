"""The sources page (``idcpc_book/ext/book/sources.py``): each record's ``source`` need is
made from values, not from MyST text parsed back, and a field holding markup shows as
written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOTS, sphinx_build
from myst_parser.mdit_to_docutils.base import DocutilsRenderer
from test_content_data import make_book


def test_the_sources_page_parses_no_generated_myst(tmp_path, monkeypatch) -> None:
    """No ``source`` directive goes through MyST: the clean book's only ones were the
    sources page's, written as MyST text and parsed back (the cost of the page)."""
    run_directive = DocutilsRenderer.run_directive
    parsed: list[str] = []

    def watched(self: DocutilsRenderer, name: str, *args: Any, **kwargs: Any) -> list[Any]:
        if name == "source":
            parsed.append(name)
            raise AssertionError("the sources page parsed a generated source directive")
        return run_directive(self, name, *args, **kwargs)

    monkeypatch.setattr(DocutilsRenderer, "run_directive", watched)
    result = sphinx_build(ROOTS / "clean" / "docs", tmp_path / "out", strict=True)
    assert (parsed, result.returncode, result.stderr) == ([], 0, "")
    needs = json.loads((tmp_path / "out" / "needs.json").read_text(encoding="utf-8"))
    sources = [key for key in needs["versions"][""]["needs"] if key.startswith("SRC_")]
    assert sorted(sources) == ["SRC_ALPHA", "SRC_BETA"]


#: MyST and reStructuredText in a refs.bib field (pybtex would drop braces): each would be
#: markup if parsed; a leading quote and a " #" would be YAML to MyST's option parser.
MARKUP = "'Quoted' *not emphasis* :sub:`x` `code` [link](https://example.org) **strong** # end"


@pytest.mark.parametrize(
    ("field", "old"),
    [
        ("publisher", "organization = {Alpha News}"),
        ("title", "title = {Minister visits the capital}"),
    ],
)
def test_markup_in_a_source_field_is_text(field: str, old: str, tmp_path: Path) -> None:
    name = old.split(" = ")[0]
    root = make_book(tmp_path, bib={old: f"{name} = {{{MARKUP}}}"})
    out = tmp_path / "out"
    result = sphinx_build(root / "docs", out, builder="html", strict=True)
    assert (result.returncode, result.stderr) == (0, "")
    needs = json.loads((out / "needs.json").read_text(encoding="utf-8"))["versions"][""]["needs"]
    assert needs["SRC_ALPHA"][field] == MARKUP
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<em>" not in page and "<sub>" not in page and ">link</a>" not in page
    if field == "title":
        assert f"<strong>{MARKUP}</strong>" in page
