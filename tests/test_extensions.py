"""The local Sphinx extensions and the shared helpers, on small inputs."""

from __future__ import annotations

import re
import shutil

from bs4 import BeautifulSoup
from conftest import ROOTS, sphinx_build

from idcpc_book.model import STATUSES
from idcpc_book.normalise import normalise


def test_normalise_folds_only_whitespace_quotes_and_dashes() -> None:
    assert normalise("the  “senior\n leadership” – now") == 'the "senior leadership" - now'
    assert normalise("It’s") == "It's"
    assert normalise("Visit") != normalise("visit")  # case is kept
    assert normalise("visit.") != normalise("visit")  # punctuation is kept


def test_record_without_bib_entry_is_a_located_build_error(tmp_path) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "record-without-source", root)
    result = sphinx_build(root / "docs", tmp_path / "out", strict=True)
    assert result.returncode != 0
    assert (
        f"{root / 'sources' / 'epsilon.txt'}:1: ERROR: no refs.bib entry with key 'epsilon'"
        in result.stderr
    )


def test_malformed_record_is_a_located_build_error(tmp_path) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    (root / "sources" / "beta.txt").write_text(
        '+++\nkind = "gossip"\n+++\ntext\n', encoding="utf-8"
    )
    result = sphinx_build(root / "docs", tmp_path / "out", strict=True)
    assert result.returncode != 0
    assert (
        f"{root / 'sources' / 'beta.txt'}:2: ERROR: header 'kind' must be one of official-pk, "
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


def test_a_need_reference_prints_the_claim_id(tmp_path) -> None:
    """A claim has no title: {need} prints its ID alone (sphinx-needs' default template,
    "{{ title }} ({{ id }})", printed " (CLM_VISIT)")."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "An editorial introduction.", "An editorial introduction (see {need}`CLM_VISIT`)."
        ),
        encoding="utf-8",
    )
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "out" / "index.html").read_text("utf-8"), "html.parser")
    intro = page.find("div", class_="editorial").p
    assert intro.get_text() == "An editorial introduction (see CLM_VISIT)."
    assert intro.a["href"] == "#CLM_VISIT"


def test_reader_text_drops_citation_roles_and_keeps_emphasis() -> None:
    from docutils import nodes

    from idcpc_book.ext.book.needtext import reader_text

    parts = reader_text("He presented\n*The Governance of China* {cite:p}`alpha,beta`.")
    assert [type(p) for p in parts] == [nodes.Text, nodes.emphasis, nodes.Text]
    assert "".join(p.astext() for p in parts) == "He presented The Governance of China."


def test_reader_text_makes_chapter_links_of_doc_roles() -> None:
    from docutils import nodes

    from idcpc_book.ext.book.needtext import reader_text

    def link(target, label):
        return nodes.reference("", label or f"<{target}>", refuri=f"{target}.html")

    parts = reader_text("See {doc}`jcm` and {doc}`the visit <visit-2024>`, *then*.", link)
    assert [p.astext() for p in parts] == ["See ", "<jcm>", " and ", "the visit", ", ", "then", "."]
    assert [p["refuri"] for p in parts if isinstance(p, nodes.reference)] == [
        "jcm.html",
        "visit-2024.html",
    ]
    assert [p.astext() for p in reader_text("See {doc}`jcm`.")] == ["See ", "jcm", "."]


def _timeline_book(tmp_path, extra: str):
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    text = text.replace(":as_of: 2024-06-20\n", ":as_of: 2024-06-20\n:event_date: 2024-06\n")
    index.write_text(text + extra, encoding="utf-8")
    return root


def _table_page(tmp_path, table: str) -> str:
    """The HTML of the timeline test book with ``table`` added (a strict build)."""
    root = _timeline_book(tmp_path, table)
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    return (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_needtable_content_column_shows_reader_text(tmp_path) -> None:
    table = (
        "\n```{needtable}\n:types: claim\n:filter: event_date\n"
        ':columns: event_date as "Date"; content as "Event"; id\n:sort: event_date\n```\n'
    )
    page = _table_page(tmp_path, table)
    assert '<td class="needs_content"><p>The minister visited for three days.</p></td>' in page
    assert "{cite:p}" not in page
    assert "Talks were held.</p></td>" not in page  # no event date: not in the table


def test_model_vocabulary_renders_the_model(tmp_path) -> None:
    root = _timeline_book(tmp_path, "\n```{model-vocabulary} statuses\n```\n")
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for status, meaning in STATUSES.items():
        assert f'<span class="pre">{status}</span>' in page
        assert f"<dd><p>{meaning}</p>" in page


def test_unknown_model_vocabulary_is_a_located_build_warning(tmp_path) -> None:
    root = _timeline_book(tmp_path, "\n```{model-vocabulary} moods\n```\n")
    result = sphinx_build(root / "docs", tmp_path / "out", strict=True)
    assert result.returncode != 0
    index = root / "docs" / "index.md"
    line = index.read_text(encoding="utf-8").splitlines().index("```{model-vocabulary} moods") + 1
    assert (
        f"{index}:{line}: ERROR: unknown vocabulary 'moods'; expected one of claim-kinds, "
        "statuses, source-kinds" in result.stderr
    )


def test_claims_and_sources_are_drawn_as_prose_not_tables(tmp_path) -> None:
    """Each need is a plain block: its paragraphs, its ID as anchor and as a marker at the
    end of the last paragraph; a source has its title first; no sphinx-needs table."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8")
        + "\n:::{claim}\n:id: CLM_LIST\n:cites: SRC_BETA\n:kind: fact\n:status: unverified\n"
        ":quote: Talks were held on Friday\n\nTalks were held on:\n\n- Friday {cite:p}`beta`\n"
        ":::\n",
        encoding="utf-8",
    )
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<table" not in page.split('id="references"')[0]  # no need is drawn as a table
    assert '<div class="claim docutils container" id="CLM_VISIT">\n<p class="need-end">' in page
    marker = (
        '<a class="need-id reference internal" href="#{0}">{0}</a> '
        '<abbr class="evidence-grade evidence-grade-one-report" title="{1}">one report</abbr>{2}</p>'
    )
    alpha, beta = "one independent-media report (Alpha News)", "one state-media report (Beta Daily)"
    unverified = ' <span class="claim-status claim-status-unverified">unverified</span>'
    assert "Alpha News 2024</a>]</span>. " + marker.format("CLM_VISIT", alpha, unverified) in page
    # a claim ending in a list: the marker gets a paragraph of its own after it
    assert '</ul>\n<p class="need-end">' + marker.format("CLM_LIST", beta, unverified) in page
    assert '<div class="source-record docutils container" id="SRC_ALPHA">\n<p><strong>' in page
    assert page.count('class="claim-cite"') == 3  # a cite box per claim, none per source


def test_claims_index_folds_the_as_of_date_and_quotes_each_quotation(tmp_path) -> None:
    table = (
        "\n```{needtable}\n:types: claim\n"
        ':columns: id; event_date as "Date"; as_of as "As of"; quote as "Evidence"\n'
        ":style: table\n:class: claims-filter\n:sort: id\n```\n"
    )
    page = _table_page(tmp_path, table)
    table_html = page[page.index("<table class=") :]
    table_html = table_html[: table_html.index("</table>")]
    assert "As of</p></th>" not in table_html  # the column is folded into "Date"
    assert table_html.count("<col ") == 4  # and in HTML the claim's text follows its ID
    # CLM_TALKS: no date; two quotations, each its own paragraph in quotation marks
    assert (
        "<p>“call on the &quot;senior leadership&quot;”</p>\n<p>“Talks were held on Friday”</p>"
        in table_html
    )
    # CLM_VISIT: an event date and an "as of" date, one under the other
    assert '<p>2024-06</p>\n<p class="as-of">as of 2024-06-20</p>' in table_html


def test_html_claims_index_reads_as_text_titles_and_publishers(tmp_path) -> None:
    """In HTML the index has the claim's text after its ID, chapters by title and sources
    by publisher (ID and title in the link's title); the data's names stay in needs.json."""
    table = (
        "\n```{needtable}\n:types: claim\n"
        ':columns: id as "ID"; docname as "Chapter"; cites as "Sources"; quote as "Evidence"\n'
        ":style: table\n:class: claims-filter\n:sort: id\n```\n"
    )
    page = _table_page(tmp_path, table)
    table_html = page[page.index("<table class=") : page.index("</table>")]
    headers = re.findall(r'<th class="head[^"]*"[^>]*><p>([^<]+)</p>', table_html)
    assert headers == ["ID", "Claim", "Chapter", "Sources", "Evidence"]
    row = table_html[table_html.index('data-need-id="CLM_TALKS"') :]
    assert '<td class="claim-text no-search"><p>Talks were held.</p></td>' in row
    assert '<td class="needs_docname"><p>Test book</p></td>' in row
    assert (
        '<a class="reference internal" href="#SRC_ALPHA" title="SRC_ALPHA: Alpha News, Minister '
        'visits the capital">Alpha News</a>'
    ) in row
