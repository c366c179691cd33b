"""The glossary: ``glossary.toml`` read strictly (each fault at its line, naming the term),
the checker's ``glossary`` rule (each name in its claim's text or quote, after the quotes'
normalisation and nothing looser), and the page drawn from it, each name linked to its
claim. The rule's failing and passing books are cases of ``tests/test_checker_rules.py``."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, sphinx_build

from idcpc_book import sphinxbuild
from idcpc_book.checker.book import Book
from idcpc_book.checker.rules import glossary as rule
from idcpc_book.errors import InputError
from idcpc_book.history import History
from idcpc_book.inputs import content, glossary
from idcpc_book.inputs.census import read_doc
from idcpc_book.inputs.markup import DIRECTIVES

TERM = '[[term]]\nterm = "IDCPC"\nexpansion = "International Department"\nclaim = "CLM_A"\n'
VARIANT = '\n[[term.variant]]\nform = "ILD"\nclaim = "CLM_B"\n'


def _load(tmp_path: Path, text: str) -> list[glossary.Term]:
    (tmp_path / "glossary.toml").write_text(text, encoding="utf-8", newline="")
    return glossary.load(tmp_path)


def _fault(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputError) as caught:
        _load(tmp_path, text)
    return caught.value.located(tmp_path)


def test_no_file_is_an_empty_glossary(tmp_path) -> None:
    assert glossary.load(tmp_path) == []


def test_terms_and_variants_with_their_lines(tmp_path) -> None:
    terms = _load(tmp_path, f"# a comment\n{TERM}{VARIANT}\n{TERM.replace('IDCPC', 'JCM')}")
    assert terms == [
        glossary.Term(
            "IDCPC", "International Department", "CLM_A", (glossary.Variant("ILD", "CLM_B", 7),), 2
        ),
        glossary.Term("JCM", "International Department", "CLM_A", (), 11),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[term]]\nterm = "IDCPC\n', "glossary.toml:2: not valid TOML: Illegal character '\\n'"),
        ('[glossary]\nx = 1\n', "glossary.toml: unknown table 'glossary': entries are [[term]]"),
        ('term = "IDCPC"\n', "glossary.toml: 'term' must be [[term]] entries"),
        (TERM + 'note = "x"\n',
         "glossary.toml:1: IDCPC: unknown key 'note' in a term (expected term, expansion, claim)"),
        (TERM.replace('claim = "CLM_A"\n', ""), "glossary.toml:1: IDCPC: term lacks claim"),
        (TERM.replace('"International Department"', "1"),
         "glossary.toml:1: IDCPC: expansion must be a non-empty string on one line, without "
         "spaces around it"),
        (TERM.replace('"International Department"', '" International Department"'),
         "glossary.toml:1: IDCPC: expansion must be a non-empty string on one line, without "
         "spaces around it"),
        (TERM.replace('"International Department"', '"International\\nDepartment"'),
         "glossary.toml:1: IDCPC: expansion must be a non-empty string on one line, without "
         "spaces around it"),
        (TERM.replace('"International Department"', f'"{"x" * 161}"'),
         "glossary.toml:1: IDCPC: expansion is longer than 160 characters"),
        (TERM.replace('"CLM_A"', '"SRC_A"'),
         "glossary.toml:1: IDCPC: claim 'SRC_A' is not a claim ID (CLM_...)"),
        (TERM + VARIANT.replace('claim = "CLM_B"', 'claim = "CLM_b"'),
         "glossary.toml:6: IDCPC: claim 'CLM_b' is not a claim ID (CLM_...)"),
        (TERM + VARIANT.replace('claim = "CLM_B"', 'source = "SRC_B"'),
         "glossary.toml:6: IDCPC: unknown key 'source' in a variant (expected form, claim)"),
        (TERM + VARIANT + VARIANT,
         "glossary.toml:10: IDCPC: duplicate form 'ILD': first at line 6"),
        (TERM + VARIANT.replace('"ILD"', '"IDCPC"'),
         "glossary.toml:6: IDCPC: duplicate form 'IDCPC': first at line 1"),
        (TERM + "\n" + TERM, "glossary.toml:6: IDCPC: duplicate term: first at line 1"),
        (TERM + '[term.variant]\nform = "ILD"\nclaim = "CLM_B"\n',
         "glossary.toml:1: IDCPC: variants are [[term.variant]] tables"),
    ],
)  # fmt: skip
def test_a_malformed_glossary_is_named_at_its_line(tmp_path, text: str, message: str) -> None:
    assert _fault(tmp_path, text) == message


def test_the_glossary_is_the_book_s_text(tmp_path) -> None:
    """UTF-8 with LF endings, no BOM, no symbolic link (as every file of the book)."""
    assert _fault(tmp_path, TERM.replace("\n", "\r\n")).startswith(
        "glossary.toml:1: has Windows line endings (CRLF)"
    )
    assert _fault(tmp_path, "\ufeff" + TERM).startswith(
        "glossary.toml:1: starts with a UTF-8 byte order mark"
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "glossary.toml").write_text(TERM, encoding="utf-8")
    book = tmp_path / "book"
    book.mkdir()
    (book / "glossary.toml").symlink_to(outside / "glossary.toml")
    with pytest.raises(InputError) as caught:
        glossary.load(book)
    assert caught.value.message.startswith("is a symbolic link to ")


# -- the rule ----------------------------------------------------------------------------


def _problems(form: str, text: str = "", quote: str = "") -> list[str]:
    """The rule's messages for a glossary whose one variant ``form`` is tied to CLM_B,
    whose text and quote are ``text`` and ``quote`` (the term is found in CLM_A)."""
    root = Path("/book")
    claims = {
        "CLM_A": {"id": "CLM_A", "quote": ""},
        "CLM_B": {"id": "CLM_B", "quote": quote},
    }
    term = glossary.Term(
        "IDCPC", "International Department", "CLM_A", (glossary.Variant(form, "CLM_B", 6),), 1
    )
    book = Book(
        root=root, docs_dir=root / "docs", claims=claims, sources={}, bib_keys={}, records={},
        docs=[], past=History([], []), glossary=[term],
        texts={"CLM_A": "The International Department (IDCPC) met.", "CLM_B": text},
    )  # fmt: skip
    return [f"{p.path}:{p.line}: {p.obj}: {p.message}" for p in rule.check(book)]


def _absent(form: str) -> list[str]:
    return [
        f"glossary.toml:6: IDCPC: variant {form!r} is not in the text or quote of CLM_B (as "
        "written there, after folding whitespace, quotation marks and dashes)"
    ]


@pytest.mark.parametrize(
    ("form", "text", "quote"),
    [
        ("ILD", "Also called the ILD.", ""),
        ("ILD", "", "better known as the International Liaison Department (ILD)"),
        ("ILD", "", "a || the ILD’s head"),  # in the second of two quotes; an apostrophe ends it
        ("China–Pakistan Economic Corridor", "the China-Pakistan Economic\nCorridor", ""),
        ("“JCM”", 'shortened to "JCM"', ""),
        ("中联部", "", "通称中共中央对外联络部,简称中联部"),
    ],
)
def test_a_name_used_by_its_claim_passes(form: str, text: str, quote: str) -> None:
    assert _problems(form, text, quote) == []


@pytest.mark.parametrize(
    ("form", "text", "quote"),
    [
        ("ILD", "", ""),
        ("ILD", "to BUILD ties", ""),  # only inside a longer word
        ("ILD", "the Ild", ""),  # letter case counts
        ("International Liaison Department", "International Liason Department", ""),
        ("CPCID", "The CPC’s ID", ""),
        ("IDCPC", "", ""),  # the term itself is only in CLM_A
    ],
)
def test_a_name_its_claim_does_not_use_fails(form: str, text: str, quote: str) -> None:
    assert _problems(form, text, quote) == _absent(form)


# -- the page ----------------------------------------------------------------------------


class Glossary(HTMLParser):
    """The glossary's definition list: each term's id, and each name with its link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.term_ids: list[str] = []
        self.names: list[tuple[str, str, str]] = []  # (text before the link, link text, href)
        self._inside = False
        self._text: list[str] = []
        self._href: str | None = None
        self._link: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "dl" and "glossary-terms" in (found.get("class") or ""):
            self._inside = True
        elif self._inside and tag == "dt":
            self.term_ids.append(found.get("id") or "")
        elif self._inside and tag == "p":
            self._text = []
        elif self._inside and tag == "a":
            self._href, self._link = found.get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "dl":
            self._inside = False
        elif tag == "a" and self._href is not None:
            before = "".join(self._text).removesuffix(" \u2014 ")
            self.names.append((before, "".join(self._link), self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._link.append(data)
        elif self._inside:
            self._text.append(data)


def test_the_page_lists_each_name_linked_to_its_claim(tmp_path) -> None:
    out = tmp_path / "html"
    result = sphinx_build(ROOTS / "glossary-ok" / "docs", out, "html", strict=True)
    assert result.returncode == 0, result.stderr
    page = Glossary()
    page.feed((out / "index.html").read_text(encoding="utf-8"))
    assert page.term_ids == ["glossary-idcpc"]
    assert page.names == [
        ("International Department", "CLM_VISIT", "#CLM_VISIT"),
        ("International Liaison Department", "CLM_TALKS", "#CLM_TALKS"),
    ]


def test_the_page_is_read_again_when_the_glossary_changes(tmp_path) -> None:
    """An incremental build after ``glossary.toml`` changed shows the new name."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "glossary-ok", root)
    out = tmp_path / "html"
    assert sphinx_build(root / "docs", out, "html", fresh=False).returncode == 0
    data = root / "glossary.toml"
    data.write_text(
        data.read_text(encoding="utf-8").replace('"International Department"', '"IDCPC"'),
        encoding="utf-8",
    )
    assert sphinx_build(root / "docs", out, "html", fresh=False).returncode == 0
    page = Glossary()
    page.feed((out / "index.html").read_text(encoding="utf-8"))
    assert page.names[0] == ("IDCPC", "CLM_VISIT", "#CLM_VISIT")


def test_the_real_glossary_is_the_book_s() -> None:
    """The book's own glossary reads (its names are the rule's, in every build)."""
    terms = glossary.load(REPO)
    assert [t.term for t in terms] == sorted((t.term for t in terms), key=str.casefold)
    assert len(terms) >= 10


def test_names_are_shown_as_text_never_as_markup(tmp_path) -> None:
    """A name holding markup, HTML or a role is printed as written, escaped."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "glossary-ok", root)
    hostile = "<script>alert(1)</script> **ILD** {doc}`index`"
    data = root / "glossary.toml"
    text = data.read_text(encoding="utf-8").replace(
        '"International Liaison Department"', f'"{hostile}"'
    )
    data.write_text(text, encoding="utf-8")
    out = tmp_path / "html"
    result = sphinx_build(root / "docs", out, "html", options=sphinxbuild.VERDICT_OFF)
    assert result.returncode == 0, result.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **ILD** {doc}`index`" in html
    assert "<script>alert" not in html


def test_a_chapter_may_place_the_glossary_and_nothing_reads_a_file_through_it(tmp_path) -> None:
    """``{glossary-terms}`` is on the chapters' allowlist (docs/glossary.md uses it); it
    takes no argument, option or body, so it cannot be pointed at another file."""
    assert "glossary-terms" in DIRECTIVES
    page = REPO / "docs" / "glossary.md"
    assert content.errors(REPO, read_doc(page, "docs/glossary.md")) == []
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "glossary-ok", root)
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("{glossary-terms}\n", "{glossary-terms} /etc/passwd\n"), "utf-8")
    out = tmp_path / "html"
    result = sphinx_build(root / "docs", out, "html", strict=True, options=sphinxbuild.VERDICT_OFF)
    assert result.returncode != 0
    assert "'glossary-terms': Has content, but none permitted" in result.stderr
