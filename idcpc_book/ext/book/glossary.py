"""The glossary page, drawn from ``glossary.toml``, never written by hand.

A page holding ``{glossary-terms}`` (``docs/glossary.md``) gets one entry per term of
the glossary (:mod:`idcpc_book.inputs.glossary`), in alphabetical order: the term, what
it stands for, and the other names it goes by, each name followed by the ID of the claim
that uses it, linked to that claim. The checker's ``glossary`` rule has found every name
in its claim, so a reader can check each in one click.

Everything shown is data, drawn as docutils text nodes (never parsed as markup). The
entries are made when the page is read, so they are indexed for search; the links, when
it is written, since only then is every claim's page known. The page is read again when
``glossary.toml`` changes (a dependency of the page) and written again when any claim
changes (an aggregating page: a claim may move to another chapter).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.data import SphinxNeedsData

from idcpc_book.errors import InputError
from idcpc_book.ext import order
from idcpc_book.ext.book.editions import claim_link
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.ext.state import build_state
from idcpc_book.ext.store import book_data
from idcpc_book.inputs import glossary
from idcpc_book.inputs.glossary import Term

#: The class of the glossary's definition list (``dl.glossary-terms`` in HTML).
LIST_CLASS = "glossary-terms"


class claim_ref(nodes.Inline, nodes.Element):
    """A claim's ID, made a link to it when the page is written."""


def _terms(app: Sphinx) -> list[Term]:
    """The glossary as the preflight read it (or read now, for a build without it)."""
    inputs = build_state(app).inputs
    if inputs is not None:
        return inputs.glossary
    try:
        return glossary.load(book_root(app))
    except InputError:  # reported by the inputs' check, which stops the build
        return []


def _named(name: str, claim_id: str) -> list[nodes.Node]:
    """``name — CLM_X``: a name and the claim that uses it."""
    return [nodes.Text(name), nodes.Text(" \u2014 "), claim_ref(claim_id, claim_id=claim_id)]


def entry(term: Term) -> nodes.definition_list_item:
    """One term: the term; what it stands for; its other names, as a list."""
    item = nodes.definition_list_item()
    item += nodes.term(term.term, term.term, ids=[nodes.make_id(f"glossary-{term.term}")])
    definition = nodes.definition()
    definition += nodes.paragraph("", "", *_named(term.expansion, term.claim))
    if term.variants:
        label = "Also written:"
        definition += nodes.paragraph(label, label, classes=["glossary-variants-label"])
        variants = nodes.bullet_list(classes=["glossary-variants"])
        for variant in term.variants:
            named = nodes.paragraph("", "", *_named(variant.form, variant.claim))
            variants += nodes.list_item("", named)
        definition += variants
    item += definition
    return item


class GlossaryTermsDirective(SphinxDirective):
    """``{glossary-terms}``: the glossary's entries (no options, no body)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(glossary.path_of(book_root(self.env.app))))
        book_data(self.env).aggregating_pages.add(self.env.docname)
        terms = sorted(_terms(self.env.app), key=lambda t: (t.term.casefold(), t.term))
        found = nodes.definition_list(classes=[LIST_CLASS])
        found.extend(entry(term) for term in terms)
        self.set_source_info(found)
        return [found]


def link_claims(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each claim ID becomes a link to its claim (literal text for an unknown one, which
    the ``glossary`` rule reports)."""
    refs = list(doctree.findall(claim_ref))
    if not refs:
        return
    needs = SphinxNeedsData(app.env).get_needs_view()
    for ref in refs:
        claim_id = ref["claim_id"]
        need = needs.get(claim_id)
        todoc = need["docname"] if need else None
        link = claim_link(app, docname, todoc, claim_id)
        ref.replace_self(nodes.inline("", "", link, classes=["glossary-claim"]))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("idcpc_book.ext.store")
    app.add_node(claim_ref)
    app.add_directive("glossary-terms", GlossaryTermsDirective)
    app.connect("doctree-resolved", link_claims, priority=order.GLOSSARY_LINKS)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
