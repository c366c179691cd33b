"""Hostile and broken input: every case ends in a located message and a non-zero
exit (or, for HTML, in escaped text), never a traceback and never a silent pass.

Each test book is the clean fixture book copied to a temporary folder and broken
in one way; archived records are re-hashed unless the hash is what is tested.
"""

from __future__ import annotations

import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOTS, sphinx_build

from idcpc_book.checker.cli import main
from idcpc_book.inputs.records import stamp_hash

STOPPED = "ERROR: 1 problem in the book's files: build stopped before reading, nothing written"
OK_HEADER = '+++\nkind = "independent-media"\n+++\n'


def make_book(
    tmp: Path, index: dict[str, str] | None = None, records: dict | None = None, stamp: bool = True
) -> Path:
    """The clean book with ``index`` replacements in docs/index.md and new record files
    (re-hashed if ``stamp``)."""
    root = tmp / "book"
    shutil.copytree(ROOTS / "clean", root)
    page = root / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    for old, new in (index or {}).items():
        assert old in text
        text = text.replace(old, new, 1)
    page.write_text(text, encoding="utf-8")
    for name, content in (records or {}).items():
        path = root / "sources" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        if stamp:
            path.write_text(stamp_hash(path.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def check(root: Path, capsys, needs: Path) -> tuple[int, list[str], str]:
    code = main(["--root", str(root), "--needs", str(needs)])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


def build(root: Path, tmp: Path, builder: str = "needs", strict: bool = True):
    out = tmp / f"out-{builder}"
    return out, sphinx_build(root / "docs", out, builder=builder, strict=strict)


def test_malformed_myst_directive(tmp_path, capsys) -> None:
    root = make_book(tmp_path, {":status: unverified": ":status unverified"})
    _, result = build(root, tmp_path)
    assert result.returncode != 0
    assert "index.md:12: WARNING: 'claim': Invalid options format" in result.stderr
    _, lax = build(root, tmp_path / "lax", strict=False)
    code, lines, err = check(root, capsys, tmp_path / "lax" / "out-needs" / "needs.json")
    assert "Traceback" not in result.stderr + lax.stderr + err
    assert code == 1
    assert (
        "docs/index.md:7: ?: malformed claim directive: Invalid options format: expected ':' after key"
        in lines
    )


@pytest.mark.parametrize(
    ("bad_id", "shown"),
    [
        ("CLM_VISIT_É", "CLM_VISIT_É"),
        ("CLM VISIT", "CLM VISIT"),
        ("clm_visit", "clm_visit"),
        ("CLM_VISIT<b>", "CLM_VISIT<b>"),
    ],
)
def test_claim_id_with_odd_characters(bad_id, shown, tmp_path, capsys) -> None:
    root = make_book(tmp_path, {":id: CLM_VISIT": f":id: {bad_id}"})
    _, result = build(root, tmp_path)
    assert result.returncode != 0  # sphinx-needs refuses the ID: a build warning
    assert "Traceback" not in result.stderr
    build(root, tmp_path / "lax", strict=False)
    code, lines, _ = check(root, capsys, tmp_path / "lax" / "out-needs" / "needs.json")
    assert code == 1
    assert (
        f"docs/index.md:7: {shown}: malformed ID: must start with CLM_ and match "
        "^(CLM|SRC)_[A-Z0-9]+(_[A-Z0-9]+)*$" in lines
    )


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            "+++\nnotes = 'x'\n+++\ntext\n",
            "sources/gamma.txt:2: header 'kind' must be one of official-pk, official-cn, state-media-pk, state-media-cn, independent-media, reference, commentary; got None",
        ),
        (
            '+++\nkind = "rumour"\n+++\ntext\n',
            "sources/gamma.txt:2: header 'kind' must be one of official-pk, official-cn, state-media-pk, state-media-cn, independent-media, reference, commentary; got 'rumour'",
        ),
        (
            '+++\nkind = "reference"\nnotes = 3\n+++\ntext\n',
            "sources/gamma.txt:2: header 'notes' must be a string",
        ),
        (
            '+++\nkind = "reference"\nsha256 = 3\n+++\ntext\n',
            "sources/gamma.txt:3: header 'sha256' must be a string",
        ),
        (
            '+++\nkind = "reference"\nnotes = "x"\ncarries = "APP"\n+++\ntext\n',
            "sources/gamma.txt:4: header 'carries' belongs in refs.bib: move it to the entry 'gamma' as carries = {APP}",
        ),
        (
            '+++\nkind = "reference\n+++\ntext\n',
            "sources/gamma.txt:2: header is not valid TOML: Unterminated string (at end of document)",
        ),
        (
            '+++\nkind = "reference"\ntext\n',
            "sources/gamma.txt:1: header is not closed by a '+++' line",
        ),
        ("just text\n", "sources/gamma.txt:1: record must start with a '+++' header line"),
        ('+++\nkind = "reference"\n+++\n\n  \n', "sources/gamma.txt:4: archived text is empty"),
    ],
)
def test_record_with_missing_or_invalid_header(record, message, tmp_path, capsys, built) -> None:
    root = make_book(tmp_path, records={"gamma.txt": record}, stamp=False)
    _, result = build(root, tmp_path)
    assert result.returncode != 0
    path, line, text = message.split(":", 2)
    assert result.returncode == 2  # the build stops before reading a page
    assert result.stderr == f"{root}/{path}:{line}: ERROR: {text.strip()}\n{STOPPED}\n"
    assert "Traceback" not in result.stderr
    code, lines, err = check(root, capsys, built("clean"))
    assert (code, lines) == (2, [])
    assert err == f"check_citations: {message}\ncheck_citations: 1 problem; nothing was checked\n"


def test_ten_megabyte_archive(tmp_path, capsys) -> None:
    line = "Filler text of an archived page, repeated to make the record large. " * 4 + "\n"
    big = OK_HEADER + line * (10_000_000 // len(line))
    alpha = (ROOTS / "clean" / "sources" / "alpha.txt").read_text(encoding="utf-8")
    root = make_book(tmp_path, records={"alpha.txt": alpha + big.split("+++\n", 2)[2]})
    assert (root / "sources" / "alpha.txt").stat().st_size > 10_000_000
    start = time.perf_counter()
    out, result = build(root, tmp_path)
    assert result.returncode == 0, result.stderr
    code, lines, _ = check(root, capsys, out / "needs.json")
    print(f"10 MB archive: build and check in {time.perf_counter() - start:.1f} s")
    assert code == 0, lines


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs) -> None:
        self._in_script = tag == "script"
        self.handlers += [f"{tag} {a}" for a, _ in attrs if a.startswith("on")]

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.inline_scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


SCRIPT = "<script>alert('x')</script>"
#: The claims index shows each claim's quotes, as the real book's claims page does.
EVIDENCE_TABLE = """```{needtable}
:types: claim
:columns: id; quote as "Evidence"
```
"""
IMG = "<img src=x onerror=alert(1)>"


def test_html_in_quotes_records_and_prose_is_shown_as_text(tmp_path, capsys) -> None:
    alpha = (ROOTS / "clean" / "sources" / "alpha.txt").read_text(encoding="utf-8")
    alpha = alpha.replace('notes = "Test record."', f'notes = "Notes {SCRIPT} and {IMG}."')
    root = make_book(
        tmp_path,
        {
            ":quote: three-day visit - from 20 to 22 June": f":quote: three-day visit - from 20 to 22 June || {SCRIPT} was in the record",
            "An editorial introduction.": f"An editorial introduction {SCRIPT}.\n\n{IMG}",
            "## Sources": f"{EVIDENCE_TABLE}\n## Sources",
        },
        records={"alpha.txt": alpha + SCRIPT + " was in the record\n"},
    )
    out, result = build(root, tmp_path, builder="html")
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    parser = _Scripts()
    parser.feed(page)
    assert (parser.inline_scripts, parser.handlers) == ([], [])
    assert (
        "Notes &lt;script&gt;alert(‘x’)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;."
        in page
    )
    assert "An editorial introduction &lt;script&gt;alert(‘x’)&lt;/script&gt;." in page
    assert (
        "<p>three-day visit - from 20 to 22 June || &lt;script&gt;alert('x')&lt;/script&gt; was in "
        "the record</p>" in page
    )
    needs_out, _ = build(root, tmp_path)
    code, lines, _ = check(root, capsys, needs_out / "needs.json")
    assert code == 0, lines  # the quote is found in the archive, as text


@pytest.mark.parametrize(
    ("bib", "message"),
    [
        (None, "refs.bib:9: ERROR: BibTeX syntax error: '=' expected"),
        (
            b"@online{alpha,\n  title = {Caf\xe9},\n}\n",
            "refs.bib:2: ERROR: not valid UTF-8 (byte 29)",
        ),
    ],
    ids=["syntax-error", "not-utf8"],
)
def test_unusable_bib_stops_the_build_with_a_located_error(bib, message, tmp_path) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "malformed-bib", root)
    if bib is not None:
        (root / "refs.bib").write_bytes(bib)
    _, result = build(root, tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"{root}/{message}\n{STOPPED}\n"
