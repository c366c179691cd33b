"""The checker's report in the formats CI reads: ``text``, ``json``, ``github``, ``junit``.

Each format shows every problem, the rules' and also the faults that stopped the check
before any rule ran (unusable input, exit status 2): those are given as problems of the
rule ``input`` (line 0 when the fault has no line), so that a pipeline reading
annotations or JUnit XML sees them like any other failure.

* ``text``: one ``path:line: ID: message`` line per problem, then coverage and a summary
  (:func:`idcpc_book.checker.report.text_lines`); unusable input goes to standard error.
* ``json``: the report written by ``--json`` (``summary`` is null when nothing was checked).
* ``github``: one GitHub Actions workflow command per problem,
  ``::error file=PATH,line=N,title=ID::message``, then the text's summary lines.
* ``junit``: JUnit XML, one ``testcase`` per rule (and one for the input), a ``failure``
  listing the rule's problems; the rules are ``skipped`` when nothing was checked.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from idcpc_book.checker import report, rules
from idcpc_book.checker.problems import Problem
from idcpc_book.errors import InputError, own_path

FORMATS = ("text", "json", "github", "junit")
#: The rule name of the faults that stop the check before the rules run.
INPUT_RULE = "input"
NOTHING_CHECKED = "nothing was checked"
SUITE = "check_citations"


def count(n: int) -> str:
    return f"{n} problem" + ("" if n == 1 else "s")


def input_problems(errors: list[InputError], root: Path) -> list[Problem]:
    """The faults of unusable input as problems of the rule ``input``, paths as the book's."""
    problems = []
    for error in errors:
        path = error.path
        if own_path(path).is_relative_to(root.resolve()):
            path = own_path(path).relative_to(root.resolve())
        problems.append(Problem(path.as_posix(), error.line or 0, "-", error.message, INPUT_RULE))
    return problems


def located(problem: Problem) -> str:
    """A problem as the text report prints it (an input fault as the checker's stderr)."""
    if problem.rule != INPUT_RULE:
        return str(problem)
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    return f"{where}: {problem.message}"


def _summary_lines(problems: list[Problem], info: dict[str, Any] | None) -> list[str]:
    if info is None:
        return [f"{SUITE}: {count(len(problems))}; {NOTHING_CHECKED}"]
    return report.text_lines([], info)


def _escape_data(text: str) -> str:
    """As GitHub's toolkit escapes a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """As GitHub's toolkit escapes a workflow command's property value."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem], info: dict[str, Any] | None) -> list[str]:
    lines = []
    for p in problems:
        props = {"file": p.path, "line": str(p.line) if p.line else None}
        props["title"] = p.obj if p.obj not in ("", "-") else p.rule
        joined = ",".join(f"{k}={_escape_property(v)}" for k, v in props.items() if v)
        lines.append(f"::error {joined}::{_escape_data(p.message)}")
    return lines + _summary_lines(problems, info)


def junit(problems: list[Problem], info: dict[str, Any] | None) -> list[str]:
    names = [INPUT_RULE, *rules.names()]
    by_rule: dict[str, list[Problem]] = {name: [] for name in names}
    for p in problems:
        by_rule.setdefault(p.rule, []).append(p)
    failures = sum(1 for found in by_rule.values() if found)
    skipped = 0 if info is not None else len(names) - 1
    counts = {"tests": str(len(by_rule)), "failures": str(failures), "errors": "0"}
    suites = ET.Element("testsuites", name=SUITE, **counts)
    suite = ET.SubElement(suites, "testsuite", name=SUITE, **counts, skipped=str(skipped))
    for name, found in by_rule.items():
        case = ET.SubElement(suite, "testcase", classname=SUITE, name=name)
        if found:
            failure = ET.SubElement(case, "failure", message=count(len(found)), type=name)
            failure.text = "\n".join(located(p) for p in found)
        elif info is None and name != INPUT_RULE:
            ET.SubElement(case, "skipped", message=NOTHING_CHECKED)
    ET.SubElement(suite, "system-out").text = "\n".join(_summary_lines(problems, info))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True).splitlines()


def render(fmt: str, problems: list[Problem], info: dict[str, Any] | None) -> list[str]:
    """The report's lines in format ``fmt``; ``info`` is None when nothing was checked."""
    if fmt == "json":
        return json.dumps(report.as_json(problems, info), indent=2, ensure_ascii=False).splitlines()
    if fmt == "github":
        return github(problems, info)
    if fmt == "junit":
        return junit(problems, info)
    if info is None:  # text: as the checker prints unusable input on standard error
        return [f"{SUITE}: {located(p)}" for p in problems] + _summary_lines(problems, info)
    return report.text_lines(problems, info)
