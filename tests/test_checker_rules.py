"""Each checker rule: a test book that breaks it must fail with the exact message;
the clean test book must pass. One Sphinx project per scenario in ``tests/roots/``."""

from __future__ import annotations

import json

import pytest
from conftest import ROOTS

from idcpc_book.checker.cli import main
from idcpc_book.inputs.fields import money_faults, term_faults

ID_RULE = "^(CLM|SRC)_[A-Z0-9]+(_[A-Z0-9]+)*$"

CASES = {
    # citations: cites present and pointing at sources
    "no-cites": "docs/index.md:7: CLM_VISIT: claim has no :cites:",
    "cites-claim": "docs/index.md:7: CLM_VISIT: cites 'CLM_TALKS', which is a claim, not a source",
    # citations: the text's citation roles match the cited sources, both ways
    "no-role": "docs/index.md:7: CLM_VISIT: claim text has no citation role ({cite:p} or {cite:t})",
    "key-not-cited-source": "docs/index.md:7: CLM_VISIT: text cites 'beta', which is not the key of a source in :cites:",
    "cited-source-not-in-text": "docs/index.md:18: CLM_TALKS: SRC_ALPHA is in :cites: but its key 'alpha' is not cited in the text",
    # citations: keys in refs.bib, bib entries used, sources cited
    "key-not-in-bib": "docs/index.md:7: CLM_VISIT: citation key 'gamma' is not in refs.bib",
    "unused-bib-entry": "refs.bib:10: orphan: bib entry is used by no source",
    "uncited-source": "sources/gamma.txt:1: SRC_GAMMA: no claim cites this source",
    # records: sources and archived records match one to one (a cited source without its
    # record is unusable input: INPUT_CASES)
    "source-without-record-uncited": "docs/index.md:30: SRC_DELTA: source has no archived record sources/delta.txt",
    # records exist, but the sources page does not list them: no source needs
    "record-not-listed": "sources/alpha.txt:1: SRC_ALPHA: record is not a source in the book",
    # quotes: quotes present and found verbatim (modulo whitespace, quote marks, dashes)
    "no-quote": "docs/index.md:7: CLM_VISIT: claim has no :quote:",
    "quote-not-found": 'docs/index.md:7: CLM_VISIT: quote not found in the archived text of SRC_ALPHA: "four-day visit - from 20 to 22 June"',
    "quote-case-differs": 'docs/index.md:7: CLM_VISIT: quote not found in the archived text of SRC_ALPHA: "Three-day visit - from 20 to 22 June"',
    # identity: IDs present, well-formed and unique
    "duplicate-id": "docs/index.md:18: CLM_VISIT: duplicate ID: first defined at docs/index.md:7",
    "malformed-id": f"docs/index.md:18: CLM_talks-2: malformed ID: must start with CLM_ and match {ID_RULE}",
    # support: a claim's kind and status are carried by its sources
    "fact-on-commentary": "docs/index.md:7: CLM_VISIT: fact claim rests only on commentary sources (SRC_ALPHA); add an independent source or make it attributed",
    "disputed-one-source": "docs/index.md:7: CLM_VISIT: disputed claim cites one source; cite a source for each side",
    "review-by-fact": "docs/index.md:7: CLM_VISIT: only an assessment can review a claim (this claim is fact)",
    "review-of-fact": "docs/index.md:19: CLM_TALKS: reviews CLM_VISIT, a fact claim; a verdict reviews an attributed claim (a statement someone made)",
    # corroboration: a verified fact rests on two independent outlets or the actor's own record
    "fact-one-report": "docs/index.md:7: CLM_VISIT: verified fact rests on one independent-media report (Alpha News); cite a second independent source or the actor's official record, or make it unverified or attributed",
    # two records of one report (beta carries Alpha News's) are one outlet
    "fact-two-copies": "docs/index.md:7: CLM_VISIT: verified fact rests on one independent-media report (Alpha News), in 2 copies; cite a second independent source or the actor's official record, or make it unverified or attributed",
    # coverage: prose coverage
    "uncovered-prose": "docs/index.md:28: -: uncovered prose: paragraph is in neither a claim nor an editorial block",
    # integrity: each archived text matches the SHA-256 in its header
    "hash-mismatch": "sources/alpha.txt:4: SRC_ALPHA: archived text does not match its 'sha256' (changed since it was hashed; if the change is deliberate, run python scripts/hash_sources.py alpha)",
    "hash-missing": "sources/beta.txt:1: SRC_BETA: record has no 'sha256' of its text (run python scripts/hash_sources.py beta)",
    "hash-malformed": "sources/beta.txt:3: SRC_BETA: 'sha256' is not 64 lower-case hex digits",
    # neutrality: no loaded wording in the book's own voice (claims, editorial blocks, headings)
    "loaded-fact-claim": "docs/index.md:16: CLM_VISIT: loaded wording 'historic' in the book's own voice (quote or attribute it)",
    "loaded-editorial": "docs/index.md:4: -: loaded wording 'landmark' in the book's own voice (quote or attribute it)",
    "loaded-heading": "docs/index.md:1: -: loaded wording 'All-Weather' in the book's own voice (quote or attribute it)",
    # superseded: a superseded claim is superseded by a claim, and only a superseded one is
    "superseded-unlinked": "docs/index.md:7: CLM_VISIT: status is superseded, but no claim supersedes it (add ':supersedes: CLM_VISIT' to the claim that overtook it, or, if it still holds, give it its status back with a corrections entry)",
    "supersedes-current": "docs/index.md:19: CLM_TALKS: supersedes CLM_VISIT, whose status is unverified, not superseded (set its :status: to superseded, with a corrections entry if it was published)",
    # dated: a stated "as of" is the claim's :as_of:, and a claim of absence is dated
    "as-of-wrong-day": 'docs/index.md:7: CLM_VISIT: says "As of 21 June 2024" but its :as_of: is 2024-06-20 (make them the same day)',
    "as-of-wrong-month": 'docs/index.md:7: CLM_VISIT: says "As of July 2024" but its :as_of: 2024-06-20 is not in that month',
    "as-of-edition-date": 'docs/index.md:7: CLM_VISIT: says "As of the edition date", which moves with every edition while the claim stays as written (write the day it was last confirmed, and give it as :as_of:)',
    "as-of-undated": 'docs/index.md:7: CLM_VISIT: says "As of 20 June 2024" but has no :as_of: (add :as_of: 2024-06-20)',
    "absence-undated": 'docs/index.md:7: CLM_VISIT: says "found no", a claim of absence, but has no :as_of: (add the day the search behind it was last run)',
    # key facts: 10 to 15, each in its own place, current and dated
    "key-facts-too-few": "docs/index.md:103: CLM_FACT_09: the book has 9 key facts (claims with :key_fact:); the 'At a glance' page lists 10 to 15",
    "key-facts-too-many": "docs/index.md:187: CLM_FACT_16: the book has 16 key facts (claims with :key_fact:); the 'At a glance' page lists 10 to 15",
    "key-facts-duplicate": "docs/index.md:115: CLM_FACT_10: key_fact 3 is also the place of CLM_FACT_03 (docs/index.md:31); each key fact needs a place of its own on the 'At a glance' page",
    "key-facts-superseded": "docs/index.md:7: CLM_OLD: key fact 1 is superseded; the 'At a glance' page shows current facts (give :key_fact: 1 to the claim that supersedes it: CLM_TALKS)",
    "key-facts-undated": "docs/index.md:7: CLM_UNDATED: key fact 1 has no :event_date: or :as_of:; the 'At a glance' page shows each key fact's date",
    # glossary: each name is tied to a claim that exists and uses it
    "glossary-unknown-claim": "glossary.toml:6: IDCPC: variant 'International Liaison Department': CLM_NOPE is not a claim in the book",
    "glossary-name-absent": "glossary.toml:6: IDCPC: variant 'Liaison Department of the CPC' is not in the text or quote of CLM_TALKS (as written there, after folding whitespace, quotation marks and dashes)",
}


#: Books whose files the checker cannot use (exit 2, nothing checked): the first line of
#: its message. The build stops on them too (tests/test_mutations.py).
INPUT_CASES = {
    "unknown-source": "docs/index.md:7: CLM_VISIT: cites SRC_NOPE, which is not a source: there is no sources/nope.txt and no refs.bib entry 'nope'",
    # a source written by hand, without its archived record: the claims it leaves unsupported
    "source-without-record": "sources/delta.txt: SRC_DELTA: archived record missing (refs.bib has the entry); it leaves 1 claim unsupported: CLM_VISIT. Restore the file (git checkout -- sources/delta.txt) or archive the source again (README: Adding a source)",
    # a claim's field values outside the claim model (idcpc_book/inputs/fields.py)
    "unknown-kind": "docs/index.md:18: CLM_TALKS: unknown kind 'rumour' (expected one of fact, attributed, assessment)",
    "unknown-status": "docs/index.md:18: CLM_TALKS: unknown status 'probable' (expected one of verified, disputed, unverified, superseded)",
    "bad-as-of": "docs/index.md:7: CLM_VISIT: as_of '2024-02-30' is not an ISO date (YYYY-MM-DD)",
    "bad-event-date": "docs/index.md:7: CLM_VISIT: event_date '2024-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "money-bad-amount": "docs/index.md:7: CLM_VISIT: amount '46bn' is not US$ billion (N or LOW-HIGH, e.g. 25.4 or 60-65)",
    "money-incomplete": "docs/index.md:7: CLM_VISIT: money figure (:amount: 46) has no :measure:, :package:",
    "office-without-holder": "docs/index.md:7: CLM_VISIT: office 'Minister' has no :holder:",
    "key-fact-not-a-number": "docs/index.md:7: CLM_VISIT: key_fact 'first' is not a place on the 'At a glance' page (1, 2, 3 ...)",
    "money-unknown-measure": "docs/index.md:7: CLM_VISIT: unknown measure 'pledged' (expected one of estimate, signed, share, invested, headline)",
    "record-without-source": "sources/epsilon.txt:1: no refs.bib entry with key 'epsilon'",
    # the glossary's file is unusable (idcpc_book/inputs/glossary.py)
    "glossary-malformed": "glossary.toml:2: not valid TOML: Illegal character '\\n'",
    "glossary-unknown-key": "glossary.toml:1: IDCPC: unknown key 'note' in a term (expected term, expansion, claim)",
}

#: Books that use an optional feature correctly and must pass like the clean one.
PASSING = (
    "review-ok",
    "fact-corroborated",
    "money-ok",
    "term-ok",
    "superseded-ok",
    "as-of-ok",
    "absence-ok",
    "key-facts-ok",
    "glossary-ok",
)


def run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


def test_every_case_has_a_root() -> None:
    scenario_roots = {p.name for p in ROOTS.iterdir()} - {
        "clean",
        "malformed-bib",
        "bad-utf8-record",
        *PASSING,
        "loaded-allowed",  # passes: test_trust_neutrality.py
        "evidence-passages",  # passes: test_evidence_pages.py
    }
    assert scenario_roots == set(CASES) | set(INPUT_CASES)


def test_clean_book_passes(built, capsys, tmp_path) -> None:
    report = tmp_path / "report.json"
    code, lines, err = run(
        capsys,
        "--root",
        str(ROOTS / "clean"),
        "--needs",
        str(built("clean")),
        "--json",
        str(report),
    )
    assert (code, err) == (0, "")
    assert lines == [
        "coverage docs/index.md: 100.0 % (3/3 paragraphs)",
        "claims: 2, sources: 2, citations: 3, prose coverage: 100.0 %, problems: 0",
    ]
    data = json.loads(report.read_text())
    assert data["problems"] == []
    assert data["summary"]["coverage_percent"] == 100.0


@pytest.mark.parametrize("name", PASSING)
def test_correct_use_of_a_feature_passes(name, built, capsys) -> None:
    code, lines, err = run(capsys, "--root", str(ROOTS / name), "--needs", str(built(name)))
    assert (code, err) == (0, "")
    assert lines[-1].endswith("problems: 0")


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_rule_fails_with_located_message(name, built, capsys, tmp_path) -> None:
    report = tmp_path / "report.json"
    code, lines, _ = run(
        capsys, "--root", str(ROOTS / name), "--needs", str(built(name)), "--json", str(report)
    )
    assert code == 1
    assert CASES[name] in lines
    assert lines[-1].endswith(f"problems: {len(json.loads(report.read_text())['problems'])}")
    assert any(
        f"{p['path']}:{p['line']}: {p['obj']}: {p['message']}" == CASES[name]
        for p in json.loads(report.read_text())["problems"]
    )


@pytest.mark.parametrize("name", sorted(INPUT_CASES))
def test_unusable_book_files_stop_the_check_with_every_fault(name, built, capsys) -> None:
    code, lines, err = run(capsys, "--root", str(ROOTS / name), "--needs", str(built(name)))
    assert (code, lines) == (2, [])
    assert err == (
        f"check_citations: {INPUT_CASES[name]}\ncheck_citations: 1 problem; nothing was checked\n"
    )


ONE = "check_citations: 1 problem; nothing was checked\n"


def test_missing_needs_json_is_unusable_input(capsys, tmp_path) -> None:
    code, lines, err = run(
        capsys, "--root", str(ROOTS / "clean"), "--needs", str(tmp_path / "none.json")
    )
    assert (code, lines) == (2, [])
    assert (
        err
        == f"check_citations: {tmp_path / 'none.json'}: needs.json not found (build the book first: nox -s check)\n"
        + ONE
    )


def test_malformed_needs_json_is_unusable_input(capsys, tmp_path) -> None:
    bad = tmp_path / "needs.json"
    bad.write_text('{"versions": ', encoding="utf-8")
    code, _, err = run(capsys, "--root", str(ROOTS / "clean"), "--needs", str(bad))
    assert code == 2
    assert err == f"check_citations: {bad}:1: not valid JSON: Expecting value\n" + ONE


def test_malformed_bib_is_unusable_input(built, capsys) -> None:
    code, lines, err = run(
        capsys, "--root", str(ROOTS / "malformed-bib"), "--needs", str(built("clean"))
    )
    assert (code, lines) == (2, [])
    assert err == "check_citations: refs.bib:9: BibTeX syntax error: '=' expected\n" + ONE


def test_bad_utf8_record_is_unusable_input(built, capsys) -> None:
    code, lines, err = run(
        capsys, "--root", str(ROOTS / "bad-utf8-record"), "--needs", str(built("clean"))
    )
    assert (code, lines) == (2, [])
    assert err == "check_citations: sources/beta.txt:4: not valid UTF-8 (byte 48)\n" + ONE


def test_a_reader_that_stops_early_gets_no_traceback(built) -> None:
    """``check_citations | head``: the closed pipe ends the output quietly."""
    import subprocess
    import sys

    from conftest import REPO

    command = (
        f"'{sys.executable}' '{REPO / 'scripts' / 'check_citations.py'}' "
        f"--root '{ROOTS / 'clean'}' --needs '{built('clean')}' | head -c0"
    )
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, check=False
    )
    assert result.stderr == ""
    assert result.returncode == 0


@pytest.mark.parametrize(
    ("options", "faults"),
    [
        ({}, []),
        ({"amount": "25.4", "measure": "invested", "package": "ten years", "as_of": "2023-09-21"}, []),
        ({"amount": "65-60", "measure": "headline", "package": "all", "as_of": "2024-06-21"},
         ["amount '65-60': a range's first number must be the lower"]),
        ({"amount": "46", "as_of": "2015-04-21"}, ["money figure (:amount: 46) has no :measure:, :package:"]),
        ({"amount": "46"}, ["money figure (:amount: 46) has no :measure:, :package:, :as_of:"]),
        ({"package": "the 2015 agreements"}, [":package: without an :amount: (they describe a money figure)"]),
        ({"measure": "signed", "package": "x"},
         [":measure: and :package: without an :amount: (they describe a money figure)"]),
    ],
)  # fmt: skip
def test_money_faults(options: dict[str, str], faults: list[str]) -> None:
    assert list(money_faults(options)) == faults


@pytest.mark.parametrize(
    ("options", "faults"),
    [
        ({}, []),
        ({"office": "Speaker", "holder": "A", "term_start": "2024-03-01", "term_end": "2025"}, []),
        ({"office": "Speaker", "holder": "A", "term_start": "2024-03", "term_end": "2024-03-31"}, []),
        ({"office": "Speaker"}, ["office 'Speaker' has no :holder:"]),
        ({"holder": "A", "term_start": "2024"}, [":holder: and :term_start: without an :office:"]),
        ({"term_end": "2024"}, [":term_end: without an :office:"]),
        ({"office": "Speaker", "holder": "A", "term_start": "2024-13"},
         ["term_start '2024-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"]),
        ({"office": "Speaker", "holder": "A", "term_start": "2025-03", "term_end": "2024"},
         ["term_end '2024' is before term_start '2025-03'"]),
    ],
)  # fmt: skip
def test_term_faults(options: dict[str, str], faults: list[str]) -> None:
    assert list(term_faults(options)) == faults
