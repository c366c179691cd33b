"""How the book's Markdown is read: the MyST extensions and the citation role, defined once.

``conf.py`` gives the extensions to MyST, the census (:mod:`idcpc_book.inputs.census`)
parses the chapters with them, and the benchmark's floors (:mod:`idcpc_book.bench.generate`)
build with them, so that all three read a chapter alike. The citation role is read by the
checker (the keys a claim cites), and dropped from a claim's text where its sources are
shown apart (the timeline's table, the benchmark's plain pages).
"""

from __future__ import annotations

import re

#: ``myst_enable_extensions``: ``:::`` fences (claims, editorial blocks), definition
#: lists, and ``{{ edition }}``-style substitutions.
MYST_EXTENSIONS = ("colon_fence", "deflist", "substitution")

#: ``{cite}`a,b``` and its variants (``cite:p``, ``cite:t``, ``cite:ps`` ...); group 1: the keys.
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
#: A citation role with the space before it: ``... Siddiqui {cite:p}`a,b`.``
_SPACED_CITE_ROLE = re.compile(rf"\s*{CITE_ROLE.pattern}")


def cited_keys(content: str) -> list[str]:
    """The citation keys of every cite role in ``content``, in order."""
    return [
        k.strip() for m in CITE_ROLE.finditer(content) for k in m.group(1).split(",") if k.strip()
    ]


def without_citations(text: str) -> str:
    """``text`` without its citation roles (and the space before each)."""
    return _SPACED_CITE_ROLE.sub("", text)


# -- What a chapter may contain ------------------------------------------------------
# Chapters are contributors' text: nothing in them may run code, read a file outside the
# repository or reach the network. The census (idcpc_book.inputs.content) refuses, at its
# file and line, anything not allowed here; idcpc_book.ext.inputs.refused is the build's
# backstop for the directives that would read files or run code. Add to these sets only
# what is inert.

#: The directives a chapter may use: the book's own, and those the chapters used when the
#: list was made (sphinx-needs' ``needtable``; Sphinx's ``toctree`` and ``only``;
#: sphinxcontrib-bibtex's ``bibliography``).
DIRECTIVES = frozenset(
    {
        "claim", "source", "editorial", "source-records", "claims-figure", "claims-downloads",
        "corrections-log", "edition-changes", "model-vocabulary", "registry",
        "evidence-passages", "open-questions", "whos-who", "glossary-terms",
        "bibliography", "needtable", "only", "toctree",
    }
)  # fmt: skip
#: The allowed directives whose body is Markdown (checked like the page around them).
MARKDOWN_BODIES = frozenset({"claim", "source", "editorial", "only"})
#: The roles a chapter may use.
ROLES = frozenset({"cite:p", "cite:t", "doc", "need"})
#: ``{{ name }}`` substitutions: the edition's fields (conf.py's ``myst_substitutions``),
#: by name only (MyST evaluates the braces' content as a Jinja2 expression).
SUBSTITUTIONS = frozenset({"edition", "edition_date", "edition_label"})
#: The keys a chapter's front matter may have (MyST reads others as configuration):
#: the book's ``prose`` and Sphinx's ``orphan`` (a page outside the table of contents).
FRONT_MATTER_KEYS = frozenset({"orphan", "prose"})
#: The ``:filter:`` strings a ``needtable`` may use (sphinx-needs evaluates a filter as a
#: Python expression): each one is a field name, true when the claim has that field.
NEEDTABLE_FILTERS = frozenset({"event_date", "key_fact"})
#: Options of the allowed directives that run code or read files: never allowed. (A
#: ``bibliography`` ``:filter:`` is not one: sphinxcontrib-bibtex reads it with its own
#: small expression visitor, names and comparisons only, never ``eval``.)
_NEED_TEMPLATES = frozenset({"jinja_content", "template", "pre_template", "post_template"})
REFUSED_OPTIONS = {
    "needtable": frozenset({"filter-func", "filter-code"}),
    # sphinx-needs renders a need's content as a Jinja2 template, or reads a template file
    "claim": _NEED_TEMPLATES,
    "source": _NEED_TEMPLATES,
}
#: The schemes a link may use (a link without one is relative: a page, a file, ``#anchor``).
URL_SCHEMES = frozenset({"http", "https"})
#: The directives and roles the build itself refuses whatever the census saw
#: (idcpc_book.ext.inputs.refused): each reads a file, goes online or runs code.
BACKSTOP_DIRECTIVES = (
    "include", "literalinclude", "raw", "csv-table", "image", "figure",
    # sphinx-needs: import or fetch needs, change them, run a template, a diagram tool or
    # a filter (a Python expression); only ``needtable``, with its allowed filters, is used
    "needimport", "needservice", "needextend", "needreport", "needuml", "needarch",
    "needbar", "needpie", "needflow", "needgantt", "needsequence", "needlist", "needextract",
    "if", "choose", "when", "otherwise",
)  # fmt: skip
BACKSTOP_ROLES = ("download", "need_count", "ndf", "variant")

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme of ``url`` in lower case (``None`` for a relative link)."""
    match = _SCHEME.match(url.strip())
    return match[1].lower() if match else None


_WEB_URL = re.compile(r"https?://[^\s/?#]+\S*", re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """Whether ``url`` is an absolute http or https URL, with a host and no space."""
    return _WEB_URL.fullmatch(url) is not None


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def as_text(value: str) -> str:
    """``value`` as Markdown that reads as exactly that text, on one line: every ASCII
    punctuation mark escaped. For the edition's fields, which MyST parses again when it
    substitutes them (``conf.py``'s ``myst_substitutions``)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(value.split()))
