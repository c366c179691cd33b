"""Where the book is published and where readers go from it: the base URL and repository
from configuration with the deployment's overrides, the downloads and "report an error"
on every page and per claim, the cite box's access date (idcpc_book/edition.py,
idcpc_book/ext/book/links.py)."""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, sphinx_build

from idcpc_book.edition import ENV_BASE_URL, ENV_REPOSITORY, load
from idcpc_book.errors import InputError

DEPLOYED = {
    ENV_BASE_URL: "https://owner.github.io/book/",
    ENV_REPOSITORY: "https://github.com/owner/book",
}


def test_the_environment_overrides_the_address_and_the_repository() -> None:
    edition = load(REPO / "pyproject.toml", DEPLOYED)
    assert (edition.base_url, edition.repository, edition.issues) == (
        "https://owner.github.io/book/", "https://github.com/owner/book",
        "https://github.com/owner/book/issues",
    )  # fmt: skip
    alone = load(REPO / "pyproject.toml", {})
    assert "example.org" in alone.base_url and alone.issues.endswith("/issues")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (ENV_BASE_URL, "javascript:alert(1)/", "the environment's IDCPC_BOOK_BASE_URL must be an http(s) address ending with '/', without spaces, quotes, angle brackets, braces, backslashes or backquotes; got 'javascript:alert(1)/'"),
        (ENV_BASE_URL, "https://owner.github.io/book", "the environment's IDCPC_BOOK_BASE_URL must be an http(s) address ending with '/', without spaces, quotes, angle brackets, braces, backslashes or backquotes; got 'https://owner.github.io/book'"),
        (ENV_REPOSITORY, 'https://github.com/o/r"><script>', "the environment's IDCPC_BOOK_REPOSITORY must be an http(s) address without a trailing '/', query, spaces, quotes, angle brackets, braces, backslashes or backquotes; got 'https://github.com/o/r\"><script>'"),
        (ENV_REPOSITORY, "https://github.com/o/r/", "the environment's IDCPC_BOOK_REPOSITORY must be an http(s) address without a trailing '/', query, spaces, quotes, angle brackets, braces, backslashes or backquotes; got 'https://github.com/o/r/'"),
    ],
)  # fmt: skip
def test_a_bad_override_is_refused_by_name(name, value, message) -> None:
    with pytest.raises(InputError) as caught:
        load(REPO / "pyproject.toml", {name: value})
    assert caught.value.message == message


def test_a_bad_project_url_is_refused_at_its_line(tmp_path) -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    bad = re.sub(r'(?m)^Issues = ".*"$', 'Issues = "ftp://x.org/issues"', text)
    (tmp_path / "pyproject.toml").write_text(bad, encoding="utf-8")
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if text.startswith("Issues ="))
    with pytest.raises(InputError) as caught:
        load(tmp_path / "pyproject.toml", {})
    assert caught.value.located() == (
        f"{tmp_path / 'pyproject.toml'}:{line}: [project.urls] Issues must be an http(s) address "
        "without a trailing '/', query, spaces, quotes, angle brackets, braces, backslashes or "
        "backquotes; got 'ftp://x.org/issues'"
    )


def _build(tmp_path: Path, environ: dict[str, str]) -> Path:
    """The clean tiny book built as HTML with the deployment's ``environ``."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name in (ENV_BASE_URL, ENV_REPOSITORY):
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return _build_book(tmp_path)


def _build_book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    # the sources' own addresses are example.org too: moved, so that only the book's count
    bib = root / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("example.org", "news.test"), "utf-8")
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    return tmp_path / "out"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("deployed"), DEPLOYED)


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("local"), {})


def _outputs(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".json", ".jsonld", ".csv", ".js", ".txt")
    }


def test_a_deployment_address_leaves_no_example_org(deployed) -> None:
    out = deployed
    outputs = _outputs(out)
    assert [name for name, text in outputs.items() if "example.org" in text] == []
    page = outputs["index.html"]
    assert '<link rel="canonical" href="https://owner.github.io/book/index.html"' in page
    claims = json.loads(outputs["exports/claims.json"])["claims"]
    assert claims[0]["url"].startswith("https://owner.github.io/book/")


def test_a_local_build_names_its_placeholder_and_where_downloads_come_from(local) -> None:
    out = local
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "example.org" in page  # the placeholder of pyproject.toml, until it has an address
    assert '<link rel="canonical"' not in page
    sidebar = _sidebar(page)
    assert "In a\nlocal build they are built into build/pdf and build/epub" in sidebar
    # no link to a file the local build does not have (the published site has them)
    assert re.findall(r'href="([^"]*)"', sidebar)[0] == "claims.html#data-downloads"
    assert ".pdf" not in " ".join(re.findall(r'href="([^"]*)"', sidebar))


def _sidebar(page: str) -> str:
    return re.search(r'<div class="sidebar-downloads">(.*?)</div>', page, flags=re.S).group(1)


def test_every_page_links_the_downloads_and_report_an_error(deployed) -> None:
    out = deployed
    pages = [p for p in sorted(out.glob("*.html")) if p.name != "permalink.html"]
    assert pages
    for path in pages:
        sidebar = _sidebar(path.read_text(encoding="utf-8"))
        hrefs = re.findall(r'href="([^"]*)"', sidebar)
        assert hrefs[:3] == [
            "idcpc-cpec-reference.pdf", "idcpc-cpec-reference.epub", "claims.html#data-downloads"
        ], path.name  # fmt: skip
        report = urllib.parse.urlsplit(hrefs[3].replace("&amp;", "&"))
        assert report.geturl().startswith("https://github.com/owner/book/issues/new?")
        query = urllib.parse.parse_qs(report.query)
        assert query["body"][0].startswith(f"Page: https://owner.github.io/book/{path.stem}.html\n")
        assert hrefs[4] == "https://github.com/owner/book"
        assert "local build" not in sidebar


def test_each_claim_reports_an_error_naming_its_id(deployed) -> None:
    out = deployed
    page = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(
        r'<p class="claim-report no-search"><a class="reference external" href="([^"]+)"', page
    )
    assert len(links) == 2
    for link, claim_id in zip(links, ("CLM_VISIT", "CLM_TALKS"), strict=True):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link.replace("&amp;", "&")).query)
        assert query["title"] == [f"Error in claim {claim_id}"]
        assert query["body"][0].startswith(
            f"Claim: {claim_id}\nPermanent link: https://owner.github.io/book/permalink.html?id={claim_id}\n"
        )


def test_the_cite_box_dates_access_by_the_edition_until_the_reader_opens_it(deployed) -> None:
    out = deployed
    page = (out / "index.html").read_text(encoding="utf-8")
    edition = load(REPO / "pyproject.toml", DEPLOYED)
    slot = f'<span class="claim-cite-accessed">{edition.as_of}</span>'
    box = re.search(r'<details class="claim-cite">.*?</details>', page, flags=re.S).group(0)
    assert box.count(slot) == 4  # the text, BibTeX's urldate and note, CSL's accessed
    assert f"(accessed {slot})." in box
    assert "YYYY-MM-DD" not in page
    assert '<script src="_static/cite-box.js' in page
    claims = json.loads((out / "exports" / "claims.json").read_text())["claims"]
    assert claims[0]["citation"]["csl"]["accessed"] == {"raw": edition.as_of}
    assert f"(accessed {edition.as_of})." in claims[0]["citation"]["text"]


def test_the_pages_workflow_publishes_the_site_at_the_repository_address() -> None:
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    build = workflow["jobs"]["build"]
    assert build["env"] == {
        ENV_BASE_URL: "https://${{ github.repository_owner }}.github.io/${{ github.event.repository.name }}/",
        ENV_REPOSITORY: "${{ github.server_url }}/${{ github.repository }}",
    }
    runs = " ".join(step.get("run", "") for step in build["steps"])
    assert "python3 -m nox -s check site" in runs
    uploads = [
        s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")
    ]
    assert uploads[0]["with"]["path"] == "build/site"
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    assert "def site(session: nox.Session)" in noxfile
    for name in ("pdf/idcpc-cpec-reference.pdf", "epub/idcpc-cpec-reference.epub"):
        assert name in noxfile  # what the sidebar links, put beside the HTML


def test_project_urls_name_the_repository_and_its_tracker() -> None:
    import tomllib

    urls = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    edition = load(REPO / "pyproject.toml", {})
    assert (urls["Repository"], urls["Issues"]) == (edition.repository, edition.issues)
    assert urls["Issues"] == urls["Repository"] + "/issues"
    assert urls["Homepage"] == edition.base_url
