"""Content is data: what a chapter, a record, refs.bib or a claim's field holds never runs
code, reads a file outside the repository or reaches the network (issue 22).

Each case is the clean fixture book copied to a temporary folder with one hostile change,
built in-process; a refused change ends in a located message (exit status and the first
message asserted), an inert one shows as written. The sentinel test builds with an audit
hook watching every file opened and every socket used.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, ROOTS, sphinx_build
from sphinx.cmd.build import build_main

from idcpc_book import sphinxbuild
from idcpc_book.checker.cli import main
from idcpc_book.ext.inputs import verdict
from idcpc_book.figures import offices
from idcpc_book.inputs import content
from idcpc_book.inputs.records import stamp_hash

STOPPED = "build stopped before reading, nothing written"
ALLOWED = "(README: What a chapter may contain)"
TOP = "# Test book\n\n"
NOTES = 'notes = "Test record."'


def make_book(
    tmp: Path,
    insert: str = "",
    replace: dict[str, str] | None = None,
    notes: str | None = None,
    bib: dict[str, str] | None = None,
) -> Path:
    """The clean book with ``insert`` after the title of docs/index.md, ``replace`` there,
    alpha's notes set to ``notes`` (re-hashed) and ``bib`` replacements in refs.bib."""
    root = tmp / "book"
    shutil.copytree(ROOTS / "clean", root)
    page = root / "docs" / "index.md"
    text = page.read_text(encoding="utf-8").replace(TOP, TOP + insert, 1)
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new, 1)
    page.write_text(text, encoding="utf-8")
    if notes is not None:
        record = root / "sources" / "alpha.txt"
        header = record.read_text(encoding="utf-8").replace(NOTES, f"notes = {json.dumps(notes)}")
        record.write_text(stamp_hash(header), encoding="utf-8")
    refs = root / "refs.bib"
    bib_text = refs.read_text(encoding="utf-8")
    for old, new in (bib or {}).items():
        assert old in bib_text
        bib_text = bib_text.replace(old, new, 1)
    refs.write_text(bib_text, encoding="utf-8")
    return root


def build(root: Path, builder: str = "needs") -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = root.parent / f"out-{builder}"
    return out, sphinx_build(root / "docs", out, builder=builder, strict=True)


# -- chapters: the allowlists -------------------------------------------------------------

OUTSIDE = "/tmp/idcpc-outside.txt"
CHAPTER_CASES = [
    ("include", f"```{{include}} {OUTSIDE}\n```\n", f"{{include}}: directive not allowed in a chapter {ALLOWED}"),
    ("literalinclude", f":::{{literalinclude}} {OUTSIDE}\n:::\n", f"{{literalinclude}}: directive not allowed in a chapter {ALLOWED}"),
    ("raw-file", f"```{{raw}} html\n:file: {OUTSIDE}\n```\n", f"{{raw}}: directive not allowed in a chapter {ALLOWED}"),
    ("csv-table-file", f"```{{csv-table}}\n:file: {OUTSIDE}\n```\n", f"{{csv-table}}: directive not allowed in a chapter {ALLOWED}"),
    ("csv-table-url", "```{csv-table}\n:url: http://example.com/x.csv\n```\n", f"{{csv-table}}: directive not allowed in a chapter {ALLOWED}"),
    ("eval-rst", f"```{{eval-rst}}\n.. include:: {OUTSIDE}\n```\n", f"{{eval-rst}}: directive not allowed in a chapter {ALLOWED}"),
    ("image-directive", "```{image} http://example.com/pixel.png\n```\n", f"{{image}}: directive not allowed in a chapter {ALLOWED}"),
    ("upper-case-name", f"```{{Include}} {OUTSIDE}\n```\n", f"{{include}}: directive not allowed in a chapter {ALLOWED}"),
    ("markdown-image-remote", "A pixel ![](http://example.com/pixel.png).\n", "http://example.com/pixel.png: image from outside the repository: an image must be a file of the repository"),
    ("markdown-image-outside", "A line,\nthen ![x](../../../../tmp/x.png).\n", "../../../../tmp/x.png: image from outside the repository: an image must be a file of the repository"),
    ("substitution", "Seven {{ 7*7 }}.\n", "{{ 7*7 }}: substitution not allowed: a chapter may use only {{ edition }}, {{ edition_date }}, {{ edition_label }}"),
    ("substitution-block", "{{ lipsum.__globals__ }}\n", "{{ lipsum.__globals__ }}: substitution not allowed: a chapter may use only {{ edition }}, {{ edition_date }}, {{ edition_label }}"),
    ("template-tag", "A {% if 1 %}tag.\n", "{%: template tag not allowed in a chapter: {{ edition }}, {{ edition_date }}, {{ edition_label }} only"),
    ("role", f"A {{download}}`{OUTSIDE}`.\n", f"{{download}}: role not allowed in a chapter {ALLOWED}"),
    ("autolink-mailto", "Write <mailto:a@example.com>.\n", "mailto:a@example.com: link scheme 'mailto' not allowed: a link is http, https or relative"),
    ("link-javascript", "A [link](javascript:alert(1)).\n", "link: scheme 'javascript' not allowed: a link is http, https or relative"),
    ("link-outside", f"A [file](../../../..{OUTSIDE}).\n", f"../../../..{OUTSIDE}: link to a file outside the repository"),
    ("link-absolute", f"A [file]({OUTSIDE}).\n", f"{OUTSIDE}: link to a file outside the repository"),
    ("needtable-filter", "```{needtable}\n:filter: __import__('os').getpid()\n```\n", "{needtable}: :filter: \"__import__('os').getpid()\" not allowed (sphinx-needs runs a filter as Python); allowed filters: event_date, key_fact"),
    ("needtable-filter-field-expression", "```{needtable}\n:filter: key_fact or True\n```\n", "{needtable}: :filter: 'key_fact or True' not allowed (sphinx-needs runs a filter as Python); allowed filters: event_date, key_fact"),
    ("source-url", ":::{source} A source\n:id: SRC_GAMMA\n:url: javascript:alert(1)\n:::\n", "{source}: :url: must be an http:// or https:// address; got 'javascript:alert(1)'"),
    ("needtable-filter-func", "```{needtable}\n:filter-func: os.getpid\n```\n", "{needtable}: :filter-func: not allowed (it runs code)"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in CHAPTER_CASES],
                         ids=[c[0] for c in CHAPTER_CASES])  # fmt: skip
def test_a_chapter_may_use_only_the_allowlists(text, message, tmp_path) -> None:
    root = make_book(tmp_path, text)
    _, result = build(root)
    assert result.returncode == 2
    line = 4 if text.startswith("A line,\n") else 3
    first, count = result.stderr.splitlines()
    assert first == f"{root}/docs/index.md:{line}: ERROR: {message}"
    assert count == f"ERROR: 1 problem in the book's files: {STOPPED}"


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (
            {
                "The minister visited for three days {cite:p}`alpha`.": "The minister visited {cite:p}`alpha`.\n\n```{raw} html\n<b>x</b>\n```"
            },
            f"index.md:18: ERROR: {{raw}}: directive not allowed in a chapter {ALLOWED}",
        ),
        (
            {"An editorial introduction.": "An editorial\nintroduction {{ env.app }}."},
            "index.md:5: ERROR: {{ env.app }}: substitution not allowed: a chapter may use only "
            "{{ edition }}, {{ edition_date }}, {{ edition_label }}",
        ),
        (
            {":status: unverified": ":status: unverified\n:jinja_content: true"},
            "index.md:7: ERROR: {claim}: :jinja_content: not allowed (it runs code)",
        ),
        (
            {"# Test book": "---\nmyst:\n  substitutions:\n    x: y\n---\n# Test book"},
            "index.md:1: ERROR: front matter: key 'myst' not allowed (MyST reads front matter "
            "as settings); a chapter's front matter may have only: orphan, prose",
        ),
    ],
    ids=["in-a-claim", "in-an-editorial-block", "claim-template-option", "front-matter"],
)
def test_the_allowlists_hold_inside_allowed_blocks_and_front_matter(
    replace, message, tmp_path
) -> None:
    root = make_book(tmp_path, replace=replace)
    _, result = build(root)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == f"{root}/docs/{message}"


def test_the_checker_refuses_what_the_build_refuses(tmp_path, capsys) -> None:
    root = make_book(tmp_path, CHAPTER_CASES[0][1])
    code = main(["--root", str(root), "--needs", str(tmp_path / "absent.json")])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0] == f"check_citations: docs/index.md:3: {CHAPTER_CASES[0][2]}"


def test_what_the_chapters_use_today_is_allowed(tmp_path) -> None:
    text = (  # in an editorial block, as the chapters have it (or the verdict reports it)
        ":::{editorial}\n"
        "Edition {{ edition }} of {{ edition_date }} ({{ edition_label }}); see "
        "[the sources](#sources), [a site](https://example.org/a) and {doc}`index`.\n\n"
        "```{needtable}\n:types: claim\n:filter: event_date\n:columns: id\n```\n\n"
        "```{open-questions} disputed\n```\n\n"
        "```{needtable}\n:types: claim\n:filter: key_fact\n:sort: key_fact\n:columns: id\n```\n\n"
        "```{whos-who}\n```\n\n"
        "```{only} html\nHTML only, [relative](index.md).\n```\n"
        ":::\n"
    )
    root = make_book(tmp_path, text)
    _, result = build(root)
    assert (result.returncode, result.stderr) == (0, "")


# -- refs.bib and records -------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.domain)", "file:///etc/passwd", "ftp://example.org/x"]
)
def test_a_bib_url_is_http_or_https(url, tmp_path) -> None:
    root = make_book(tmp_path, bib={"https://example.org/alpha": url})
    _, result = build(root)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"{root}/refs.bib:1: ERROR: alpha: url must be an http:// or https:// address (it "
        f"becomes a link in every edition); got {url!r}"
    )


def test_a_record_file_name_is_a_bib_key(tmp_path) -> None:
    root = make_book(tmp_path)
    shutil.copy(root / "sources" / "beta.txt", root / "sources" / "be`ta.txt")
    _, result = build(root)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"ERROR: {root}/sources/be`ta.txt: the file name must be the source's refs.bib key: "
        "a lowercase letter, then lowercase letters and digits"
    )


#: Markup in a record's notes: each would run code or read a file if parsed as MyST.
HOSTILE_NOTES = (
    "Seven {{ 7*1234567 }} {{ lipsum.__globals__.os.popen('echo EXE\"\"CUTED').read() }}.\n\n"
    "```{raw} html\n:file: /etc/hostname\n```\n\n"
    "```{needtable}\n:filter: __import__('os').getpid() > 0\n```\n\n"
    "Read at https://example.org/page, then _emphasis_."
)
#: A title whose line break would end the directive's options and open a block.
HOSTILE_TITLE = (
    "Minister visits\n:::\n\n```{raw} html\n<b>injected</b>\n```\n\n:::{note}\nthe capital"
)


def test_record_notes_and_bib_fields_are_plain_text(tmp_path) -> None:
    root = make_book(
        tmp_path, notes=HOSTILE_NOTES, bib={"Minister visits the capital": HOSTILE_TITLE}
    )
    out, result = build(root, "html")
    assert (result.returncode, result.stderr) == (0, "")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "8641969" not in page and "EXECUTED" not in page and "<b>injected" not in page
    assert (
        "Seven {{ 7*1234567 }} {{ lipsum.__globals__.os.popen(‘echo EXE””CUTED’).read() }}." in page
    )
    assert "<p>```{raw} html\n:file: /etc/hostname\n```</p>" in page
    assert (
        '<p class="need-end">Read at <a class="reference external" href="https://example.org/page">'
        "https://example.org/page</a>, then _emphasis_." in page
    )
    assert (  # pybtex's braces dropped, as for every title
        "<strong>Minister visits ::: ```raw html &lt;b&gt;injected&lt;/b&gt; ``` :::note the "
        "capital</strong>" in page
    )


@pytest.mark.parametrize(
    "value",
    ["0.3.0", "version 0.3.0, as of 7 December 2026",
     "# 1 {{ x }} {download}`/etc/passwd` ![p](http://e/p.png) <b>b</b> \\ *e* ```{raw} html"],
)  # fmt: skip
def test_edition_fields_are_substituted_as_text(value) -> None:
    from idcpc_book.inputs.census import parse_full
    from idcpc_book.inputs.markup import as_text

    tokens = parse_full(as_text(value))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert [(c.type, c.content) for c in tokens[1].children or []] == [("text", value)]


# -- figures --------------------------------------------------------------------------


def test_figure_text_is_drawn_as_written_not_as_mathtext() -> None:
    needs = {
        "CLM_A": {"id": "CLM_A", "type": "claim", "docname": "people", "cites": [],
                  "office": r"Head $\undefined{$", "holder": "$x$", "term_start": "2022-06"},
    }  # fmt: skip
    drawing = offices.draw(needs, lambda c: f"people.html#{c['id']}")  # mathtext: ValueError
    assert b"Oblique" not in drawing.svg  # mathtext draws "$x$" as an italic x


# -- no file outside the repository, no network ------------------------------------------------


class _Watch:
    """What an audit hook saw while ``active``: files opened under ``outside``, sockets."""

    def __init__(self) -> None:
        self.active = False
        self.outside = ""
        self.seen: list[tuple[str, str]] = []

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active:
            return
        if event in ("open", "os.listdir", "os.scandir") and args and args[0] is not None:
            path = args[0]
            if isinstance(path, int):
                return
            if isinstance(path, bytes):
                path = path.decode(errors="replace")
            if str(path).startswith(self.outside):
                self.seen.append((event, str(path)))
        elif event.startswith("socket.") or event == "urllib.Request":
            self.seen.append((event, repr(args)[:200]))


WATCH = _Watch()
_HOOKED: list[bool] = []


class _NoSocket(socket.socket):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise OSError("the network is blocked in this test")


@pytest.fixture
def watched(tmp_path, monkeypatch):
    """A sentinel file outside the book, the network blocked, and the audit hook on."""
    if not _HOOKED:
        sys.addaudithook(WATCH)  # cannot be removed: inactive outside this fixture
        _HOOKED.append(True)
    outside = tmp_path / "outside"
    outside.mkdir()
    sentinel = outside / "sentinel.txt"
    sentinel.write_text("MARKER-7f3a9c sentinel\n", encoding="utf-8")
    monkeypatch.setattr(socket, "socket", _NoSocket)
    WATCH.outside, WATCH.seen, WATCH.active = str(outside), [], True
    yield sentinel
    WATCH.active = False


def _tricks(sentinel: Path) -> str:
    """Every way a chapter could read ``sentinel`` or go online, one per line group."""
    rel = f"../../outside/{sentinel.name}"
    return (
        f"```{{include}} {sentinel}\n```\n\n"  # line 3
        f"```{{literalinclude}} {rel}\n```\n\n"  # 6
        f"```{{raw}} html\n:file: {sentinel}\n```\n\n"  # 9
        f"```{{csv-table}}\n:file: {sentinel}\n```\n\n"  # 13
        "```{csv-table}\n:url: http://example.com/x.csv\n```\n\n"  # 17
        "```{image} http://example.com/pixel.png\n```\n\n"  # 21
        f"```{{eval-rst}}\n.. include:: {sentinel}\n```\n\n"  # 24
        f"Code {{{{ lipsum.__globals__.os.popen('cat {sentinel}').read() }}}}.\n\n"  # 28
        f"A file [link]({rel}), a pixel ![](http://example.com/pixel.png),\n"  # 30
        f"a ![picture]({rel}) and {{download}}`{rel}`.\n\n"  # 31
    )


def _outputs(out: Path) -> str:
    return "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()
    ) if out.is_dir() else ""  # fmt: skip


def test_no_build_reads_outside_the_repository_or_goes_online(watched, tmp_path) -> None:
    notes = f"```{{include}} {watched}\n```\n\n{{{{ lipsum.__globals__.os.popen('cat {watched}').read() }}}}"
    root = make_book(tmp_path, _tricks(watched), notes=notes)
    out, result = build(root, "html")
    WATCH.active = False
    assert result.returncode == 2
    at = f"{root}/docs/index.md"
    located = [line for line in result.stderr.splitlines() if line.startswith(at)]
    assert [line.split(": ERROR: ")[1].split(":")[0] for line in located] == [
        "{include}", "{literalinclude}", "{raw}", "{csv-table}", "{csv-table}", "{image}",
        "{eval-rst}", "{{ lipsum.__globals__.os.popen('cat " + str(watched) + "').read() }}",
        "../../outside/sentinel.txt", "http", "../../outside/sentinel.txt", "{download}",
    ]  # fmt: skip
    assert [int(line[len(at) + 1 :].split(":")[0]) for line in located] == [
        3, 6, 9, 13, 17, 21, 24, 28, 30, 30, 31, 31,
    ]  # fmt: skip
    assert result.stderr.splitlines()[-1] == f"ERROR: 12 problems in the book's files: {STOPPED}"
    assert WATCH.seen == []
    assert "MARKER-7f3a9c" not in _outputs(out)


def test_the_build_backstop_refuses_what_the_census_would_miss(
    watched, tmp_path, monkeypatch
) -> None:
    # as if the census missed all
    monkeypatch.setattr(content, "checked", lambda doc, root: ([], {}))
    root = make_book(tmp_path, _tricks(watched))
    # the checker's rules off: the tricks are uncovered prose, which is not this test's point
    out = root.parent / "out-html"
    result = sphinx_build(
        root / "docs", out, builder="html", strict=True, options=("-D", f"{verdict.SETTING}=0")
    )
    WATCH.active = False
    assert result.returncode != 0
    errors = sorted({
        line.split(": ERROR: ")[1] for line in result.stderr.splitlines() if ": ERROR: " in line
    })  # fmt: skip
    why = "not allowed in the book (it reads a file, goes online or runs code)"
    assert errors == sorted({
        f"{{include}}: directive {why}", f"{{literalinclude}}: directive {why}",
        f"{{raw}}: directive {why}", f"{{csv-table}}: directive {why}",
        f"{{image}}: directive {why}", f"{{download}}: role {why}",
        "{{ lipsum.__globals__.os.popen('cat " + str(watched) + f"').read() }}}}: substitution {why}",
        f"http://example.com/pixel.png: file or address outside the repository {why}",
        f"../../outside/sentinel.txt: file or address outside the repository {why}",
    })  # fmt: skip
    assert WATCH.seen == []
    assert "MARKER-7f3a9c" not in _outputs(out)


def test_the_backstop_refuses_sphinx_needs_filters_and_imports(tmp_path, monkeypatch) -> None:
    # as if the census missed all
    monkeypatch.setattr(content, "checked", lambda doc, root: ([], {}))
    text = (
        "```{needlist}\n:filter: __import__('os').getpid() > 0\n```\n\n"
        "```{needimport} /etc/needs.json\n```\n\n"
        "Claims: {need_count}`__import__('os').getpid() > 0`.\n"
    )
    root = make_book(tmp_path, text)
    _, result = build(root)
    why = "not allowed in the book (it reads a file, goes online or runs code)"
    at = f"{root}/docs/index.md"
    assert result.returncode == 1
    assert result.stderr.splitlines()[:3] == [
        f"{at}:3: ERROR: {{needlist}}: directive {why}",
        f"{at}:7: ERROR: {{needimport}}: directive {why}",
        f"{at}:10: ERROR: {{need_count}}: role {why}",
    ]


def test_the_clean_book_builds_without_reading_outside_or_going_online(watched, tmp_path) -> None:
    root = make_book(tmp_path)
    out, result = build(root, "html")
    WATCH.active = False
    assert (result.returncode, result.stderr) == (0, "")
    assert (out / "index.html").is_file()
    assert WATCH.seen == []


# -- unsafe content absent from every output ------------------------------------------------

PAYLOAD = "<script>alert(1)</script>"
#: A substitution, and what it gives if it is evaluated.
RUN, RAN = '"EXE" ~ "CUTED-9f2"', "EXECUTED-9f2"


def _build_apart(root: Path, out: Path, builder: str) -> tuple[int, str]:
    """A strict build with its doctrees outside ``out`` (the EPUB builder would otherwise
    pack them, with a warning each): exit status and what it printed on stderr."""
    args = sphinxbuild.command(
        root / "docs", out, builder, conf_dir=REPO, color=False,
        options=["-d", str(out.parent / f"doctrees-{builder}")],
    )[3:]  # fmt: skip
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            status = build_main(args)
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
    return status, err.getvalue()


#: Files read as markup (pages, scripts, JSON-LD meant for a page's <script>): no raw tag.
MARKUP = (".html", ".xhtml", ".js", ".jsonld")


def _texts(out: Path) -> tuple[str, str]:
    """Everything written into ``out`` (EPUBs unpacked) as text: (markup files, all)."""
    files = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for epub in out.glob("*.epub"):
        with zipfile.ZipFile(epub) as archive:
            files.update({name: archive.read(name) for name in archive.namelist()})
    text = {name: data.decode("utf-8", "replace") for name, data in files.items()}
    markup = "".join(v for k, v in text.items() if k.endswith(MARKUP))
    return markup, "".join(text.values())


@pytest.mark.slow
def test_hostile_text_is_escaped_in_html_epub_pdf_and_exports(tmp_path) -> None:
    root = make_book(
        tmp_path,
        notes=f"A note {PAYLOAD} and {{{{ {RUN} }}}}.",
        replace={"Talks were held {cite:p}`alpha,beta`.":
                 f"Talks were held </script>{PAYLOAD} {{cite:p}}`alpha,beta`."},
    )  # fmt: skip
    markup, everything = "", ""
    for builder in ("html", "epub", "simplepdf"):
        out = tmp_path / f"out-{builder}"
        status, err = _build_apart(root, out, builder)
        assert (status, err) == (0, ""), builder
        pages, written = _texts(out)
        markup, everything = markup + pages, everything + written
    assert RAN not in everything  # no substitution ran, in any output or export
    assert PAYLOAD not in markup and "</script><script>" not in markup
    assert "A note &lt;script&gt;alert(1)&lt;/script&gt; and {{ “EXE” ~ “CUTED-9f2” }}." in markup
    assert "Talks were held &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is not installed: the PDF's text is not read")
    pdf = next((tmp_path / "out-simplepdf").glob("*.pdf"))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "A note <script>alert(1)</script> and {{" in text  # shown as text
    assert RAN not in text
