"""The checker's output formats (``--format text|json|github|junit``), each against the
exact expected output: on a book whose rules are broken (``duplicate-id``: two problems,
two rules) and on one whose files stop the check (``malformed-bib``, exit 2)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOTS

from idcpc_book.checker.cli import main
from idcpc_book.checker.formats import github
from idcpc_book.checker.problems import Problem

DUPLICATE = "duplicate ID: first defined at docs/index.md:7"
UNCITED = "no claim cites this source"
SUMMARY = [
    "coverage docs/index.md: 100.0 % (3/3 paragraphs)",
    "claims: 1, sources: 2, citations: 1, prose coverage: 100.0 %, problems: 2",
]
#: The JUnit test cases after ``input``: the registry's rule names in the order of their numbers.
RULES = (
    "citations",
    "records",
    "quotes",
    "identity",
    "coverage",
    "support",
    "integrity",
    "neutrality",
    "history",
    "corroboration",
    "superseded",
    "dated",
    "key_facts",
    "glossary",
)
BIB_ERROR = "BibTeX syntax error: '=' expected"
NOTHING = "check_citations: 1 problem; nothing was checked"


def _case(name: str, inner: str = "") -> list[str]:
    if not inner:
        return [f'    <testcase classname="check_citations" name="{name}" />']
    return [f'    <testcase classname="check_citations" name="{name}">', inner, "    </testcase>"]


def _junit(failures: int, skipped: int, cases: list[str], out: list[str]) -> list[str]:
    counts = f'tests="{len(RULES) + 1}" failures="{failures}" errors="0"'
    return [
        "<?xml version='1.0' encoding='utf-8'?>",
        f'<testsuites name="check_citations" {counts}>',
        f'  <testsuite name="check_citations" {counts} skipped="{skipped}">',
        *cases,
        *("    <system-out>" + "\n".join(out) + "</system-out>").splitlines(),
        "  </testsuite>",
        "</testsuites>",
    ]


def _failure(rule: str, text: str) -> str:
    return f'      <failure message="1 problem" type="{rule}">{text}</failure>'


BROKEN = {
    "text": [
        f"docs/index.md:18: CLM_VISIT: {DUPLICATE}",
        f"sources/beta.txt:1: SRC_BETA: {UNCITED}",
        *SUMMARY,
    ],
    "github": [
        f"::error file=docs/index.md,line=18,title=CLM_VISIT::{DUPLICATE}",
        f"::error file=sources/beta.txt,line=1,title=SRC_BETA::{UNCITED}",
        *SUMMARY,
    ],
    "junit": _junit(
        2,
        0,
        [
            *_case("input"),
            *_case("citations", _failure("citations", f"sources/beta.txt:1: SRC_BETA: {UNCITED}")),
            *_case("records"),
            *_case("quotes"),
            *_case("identity", _failure("identity", f"docs/index.md:18: CLM_VISIT: {DUPLICATE}")),
            *_case("coverage"),
            *_case("support"),
            *_case("integrity"),
            *_case("neutrality"),
            *_case("history"),
            *_case("corroboration"),
            *_case("superseded"),
            *_case("dated"),
            *_case("key_facts"),
            *_case("glossary"),
        ],
        SUMMARY,
    ),
}

SKIPPED = '      <skipped message="nothing was checked" />'
UNUSABLE = {
    "github": [f"::error file=refs.bib,line=9,title=input::{BIB_ERROR}", NOTHING],
    "junit": _junit(
        1,
        len(RULES),
        [
            *_case("input", _failure("input", f"refs.bib:9: {BIB_ERROR}")),
            *(line for rule in RULES for line in _case(rule, SKIPPED)),
        ],
        [NOTHING],
    ),
    "json": json.dumps(
        {
            "problems": [
                {"path": "refs.bib", "line": 9, "obj": "-", "message": BIB_ERROR, "rule": "input"}
            ],
            "summary": None,
        },
        indent=2,
    ).splitlines(),
}


def _check(capsys, name: str, needs, *options: str) -> tuple[int, list[str], str]:
    code = main(["--root", str(ROOTS / name), "--needs", str(needs), *options])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


@pytest.mark.parametrize("fmt", sorted(BROKEN))
def test_broken_rules_in_each_format(fmt, built, capsys) -> None:
    assert _check(capsys, "duplicate-id", built("duplicate-id"), "--format", fmt) == (
        1,
        BROKEN[fmt],
        "",
    )


def test_text_is_the_default_format(built, capsys) -> None:
    assert _check(capsys, "duplicate-id", built("duplicate-id")) == (1, BROKEN["text"], "")


def test_json_format_prints_the_json_report(built, capsys, tmp_path) -> None:
    report = tmp_path / "report.json"
    code, lines, err = _check(
        capsys, "duplicate-id", built("duplicate-id"), "--format", "json", "--json", str(report)
    )
    assert (code, err) == (1, "")
    assert "\n".join(lines) + "\n" == report.read_text(encoding="utf-8")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [
        (p["path"], p["line"], p["obj"], p["message"], p["rule"]) for p in data["problems"]
    ] == [
        ("docs/index.md", 18, "CLM_VISIT", DUPLICATE, "identity"),
        ("sources/beta.txt", 1, "SRC_BETA", UNCITED, "citations"),
    ]
    assert data["summary"]["problems"] == 2


def test_junit_output_is_well_formed_xml(built, capsys) -> None:
    _, lines, _ = _check(capsys, "duplicate-id", built("duplicate-id"), "--format", "junit")
    suite = ET.fromstring("\n".join(lines[1:]))[0]
    failed = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert failed == ["citations", "identity"]


@pytest.mark.parametrize("fmt", sorted(UNUSABLE))
def test_unusable_input_in_each_format(fmt, built, capsys) -> None:
    """The faults that stop the check before the rules run appear in the format too."""
    code, lines, err = _check(capsys, "malformed-bib", built("clean"), "--format", fmt)
    assert (code, lines, err) == (2, UNUSABLE[fmt], "")


def test_unusable_input_as_text_goes_to_stderr(built, capsys) -> None:
    code, lines, err = _check(capsys, "malformed-bib", built("clean"), "--format", "text")
    assert (code, lines) == (2, [])
    assert err == f"check_citations: refs.bib:9: {BIB_ERROR}\n{NOTHING}\n"


def test_a_fault_without_a_line_has_no_line_property(capsys, tmp_path) -> None:
    missing = tmp_path / "none.json"
    code, lines, _ = _check(capsys, "clean", missing, "--format", "github")
    assert code == 2
    assert lines == [
        f"::error file={str(missing).replace(':', '%3A')},title=input::needs.json not found"
        " (build the book first: nox -s check)",
        NOTHING,
    ]


def test_github_annotations_escape_as_github_documents() -> None:
    """Message: %, CR and LF; properties also ':' and ','."""
    problem = Problem("docs/a,b:c.md", 3, "CLM_X", "100% wrong:\r\nsee, here", "quotes")
    assert github([problem], None)[0] == (
        "::error file=docs/a%2Cb%3Ac.md,line=3,title=CLM_X::100%25 wrong:%0D%0Asee, here"
    )
    dash = Problem("docs/a.md", 0, "-", "uncovered", "coverage")
    assert github([dash], None)[0] == "::error file=docs/a.md,title=coverage::uncovered"


def test_an_unknown_format_is_refused(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--format", "xml"])
    assert stop.value.code == 2
    assert "argument --format: invalid choice: 'xml'" in capsys.readouterr().err
