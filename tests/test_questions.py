"""The "Open questions" page: exactly the unverified and disputed claims and the claims of
absence, each once, in its group, drawn from the claims (``{open-questions}``)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, sphinx_build

from idcpc_book import asof
from idcpc_book.ext.book.questions import GROUPS, date_of, group_of

#: Claims added to the clean book: a disputed one, a verified and an unverified claim of
#: absence, and a verified claim that is settled (listed nowhere).
CLAIMS = """
:::{claim}
:id: CLM_SIDES
:cites: SRC_ALPHA, SRC_BETA
:kind: fact
:status: disputed
:event_date: 2024-06-21
:quote: three-day visit - from 20 to 22 June || Talks were held on Friday

The sources differ on the day of the talks {cite:p}`alpha,beta`.
:::

:::{claim}
:id: CLM_NONE_FOUND
:cites: SRC_ALPHA
:kind: assessment
:status: verified
:as_of: 2024-06-22
:quote: three-day visit - from 20 to 22 June

The book has found no report of a fourth day {cite:p}`alpha`.
:::

:::{claim}
:id: CLM_NOT_FOUND_EITHER
:cites: SRC_BETA
:kind: assessment
:status: unverified
:as_of: 2024-06-23
:quote: Talks were held on Friday

A record of the talks was not found {cite:p}`beta`.
:::

:::{claim}
:id: CLM_SETTLED
:cites: SRC_ALPHA, SRC_BETA
:kind: attributed
:status: verified
:quote: three-day visit - from 20 to 22 June || Talks were held on Friday

Talks were held during a three-day visit {cite:p}`alpha,beta`.
:::
"""

PAGE = "".join(f"\n## Group {g}\n\n```{{open-questions}} {g}\n```\n" for g in GROUPS)


def _book(tmp_path: Path, page: str = PAGE) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8").replace("## Sources", CLAIMS + "\n## Sources")
    index.write_text(text + page, encoding="utf-8")
    return root


def _listed(page: str) -> dict[str, list[str]]:
    """Each group's section: the claim IDs its tables link to, in order."""
    found = {}
    for group in GROUPS:
        section = page.split(f'<section id="group-{group}">', 1)[1].split("</section>", 1)[0]
        found[group] = re.findall(
            r'<a class="reference internal" href="(?:[\w-]+\.html)?#(CLM_\w+)">', section
        )
    return found


def test_the_page_lists_each_open_claim_once_in_its_group(tmp_path) -> None:
    root = _book(tmp_path)
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert _listed(page) == {
        "absence": ["CLM_NONE_FOUND", "CLM_NOT_FOUND_EITHER"],
        "disputed": ["CLM_SIDES"],
        "unverified": ["CLM_VISIT"],
    }
    assert "<td><p>as of 22 June 2024</p></td>" in page  # a claim of absence: its as_of
    assert "<td><p>21 June 2024</p></td>" in page  # otherwise the event's date
    assert "<p>2 claims, in 1 chapter.</p>" in page
    assert "The book has found no report of a fourth day.</span>" in page  # no citation
    assert "{cite:p}" not in page


def test_an_unknown_group_is_a_located_build_error(tmp_path) -> None:
    root = _book(tmp_path, "\n```{open-questions} rumours\n```\n")
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    index = root / "docs" / "index.md"
    line = index.read_text(encoding="utf-8").splitlines().index("```{open-questions} rumours") + 1
    assert result.returncode != 0
    assert (
        f"{index}:{line}: ERROR: unknown group 'rumours'; expected one of absence, disputed, "
        "unverified" in result.stderr
    )


@pytest.mark.parametrize(
    ("need", "group", "date"),
    [
        ({"status": "verified", "content": "It was not found.", "as_of": "2026-12-07"}, "absence", "as of 7 December 2026"),
        ({"status": "disputed", "content": "Sources differ.", "event_date": "2025-09"}, "disputed", "September 2025"),
        ({"status": "unverified", "content": "One report.", "as_of": "2026-01-04"}, "unverified", "as of 4 January 2026"),
        ({"status": "verified", "content": "Settled."}, None, None),
        ({"status": "superseded", "content": "Overtaken."}, None, None),
    ],
)  # fmt: skip
def test_group_and_date_of_a_claim(need, group, date) -> None:
    assert group_of(need) == group
    if group:
        assert date_of(need, group) == date


@pytest.mark.slow
def test_the_real_page_lists_exactly_the_open_claims(html_book) -> None:
    needs = json.loads((html_book / "needs.json").read_text())["versions"][""]["needs"]
    claims = {i: n for i, n in needs.items() if n["type"] == "claim"}
    open_ = {
        i
        for i, n in claims.items()
        if n["status"] in ("unverified", "disputed") or asof.absence(n["content"])
    }
    page = (html_book / "questions.html").read_text(encoding="utf-8")
    listed = re.findall(r'<a class="reference internal" href="[\w-]+\.html#(CLM_\w+)">', page)
    assert sorted(listed) == sorted(open_)  # each once
    assert len(listed) == sum(
        n["status"] in ("unverified", "disputed") for n in claims.values()
    ) + sum(
        bool(asof.absence(n["content"])) and n["status"] not in ("unverified", "disputed")
        for n in claims.values()
    )


def test_an_incremental_build_rewrites_the_page_when_a_claim_changes(tmp_path) -> None:
    """The page is in a file of its own; a claim edited in another becomes a claim of
    absence, and the page, not read again, lists it."""
    root = _book(tmp_path, "\n```{toctree}\nquestions\n```\n")
    (root / "docs" / "questions.md").write_text(
        "---\nprose: editorial\n---\n\n# Open questions\n" + PAGE, encoding="utf-8"
    )
    out = tmp_path / "out"
    result = sphinx_build(root / "docs", out, builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    assert "CLM_SETTLED" not in (out / "questions.html").read_text(encoding="utf-8")
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    edited = text.replace(
        ":kind: attributed\n:status: verified\n:quote:",
        ":kind: attributed\n:status: verified\n:as_of: 2024-06-24\n:quote:",
    ).replace(
        "Talks were held during a three-day visit {cite:p}`alpha,beta`.",
        "Talks were held during a three-day visit {cite:p}`alpha,beta`; no record of them was found.",
    )
    assert edited != text
    index.write_text(edited, encoding="utf-8")
    result = sphinx_build(root / "docs", out, builder="html", strict=True, fresh=False)
    assert result.returncode == 0, result.stderr
    page = (out / "questions.html").read_text(encoding="utf-8")
    assert _listed(page)["absence"] == ["CLM_NONE_FOUND", "CLM_NOT_FOUND_EITHER", "CLM_SETTLED"]
