"""The checker's output: one line per problem, per-chapter coverage, a summary; or JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules import coverage
from idcpc_book.inputs.markup import cited_keys


def summary(book: Book, problems: list[Problem]) -> dict[str, Any]:
    chapters = [coverage.of(doc) for doc in book.docs if not doc.editorial_page]
    covered = sum(c.covered for c in chapters)
    total = sum(c.total for c in chapters)
    return {
        "claims": len(book.claims),
        "sources": len(book.sources),
        "citations": sum(len(cited_keys(n.get("content") or "")) for n in book.claims.values()),
        "coverage_percent": round(100.0 * covered / total, 1) if total else 100.0,
        "paragraphs": total,
        "paragraphs_covered": covered,
        "chapters": [{**asdict(c), "percent": round(c.percent, 1)} for c in chapters],
        "problems": len(problems),
    }


def text_lines(problems: list[Problem], info: dict[str, Any]) -> list[str]:
    lines = [str(p) for p in problems]
    lines += [
        f"coverage {c['path']}: {c['percent']:.1f} % ({c['covered']}/{c['total']} paragraphs)"
        for c in info["chapters"]
    ]
    lines.append(
        f"claims: {info['claims']}, sources: {info['sources']}, citations: {info['citations']}, "
        f"prose coverage: {info['coverage_percent']:.1f} %, problems: {info['problems']}"
    )
    return lines


def as_json(problems: list[Problem], info: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON report; ``info`` (the summary) is None when nothing was checked."""
    return {"problems": [p.as_json() for p in problems], "summary": info}
