"""The ``model-vocabulary`` directive: the claim model's vocabularies, as the book prints them.

The reader's guide and the methodology explain claim kinds, statuses and source kinds,
and the methodology the evidence grades. Rendering the lists from ``idcpc_book/model.py``
(the same definitions the build and the checker enforce) keeps the explanation from
drifting from the rules::

    ```{model-vocabulary} statuses
    ```
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from idcpc_book.corrections import ENTRY_TYPES
from idcpc_book.ext.book.status import LEGEND as STATUS_LEGEND
from idcpc_book.model import (
    CLAIM_KINDS,
    EVIDENCE_GRADES,
    MONEY_MEASURES,
    SOURCE_KINDS,
    STATUS_RATINGS,
    STATUSES,
)

VOCABULARIES: dict[str, dict[str, str]] = {
    "claim-kinds": CLAIM_KINDS,
    "statuses": STATUSES,
    "source-kinds": SOURCE_KINDS,
    "correction-types": ENTRY_TYPES,  # the corrections log's entry types
    "money-measures": MONEY_MEASURES,  # what a CPEC money figure measures
    # strongest first, as they are tried: a claim gets the first that its sources fit
    "evidence-grades": {
        g.name: f"Shown as “{g.label}”. {g.description}"
        + (" Enough for a verified fact." if g.states_fact else "")
        for g in EVIDENCE_GRADES
    },
    "status-labels": STATUS_LEGEND,  # how each status is shown beside a claim
    # each status as its ClaimReview rating (idcpc_book.claimreview), best first
    "status-ratings": {
        status: f"Rated {STATUS_RATINGS[status]} of {max(STATUS_RATINGS.values())}."
        for status in sorted(STATUS_RATINGS, key=STATUS_RATINGS.__getitem__, reverse=True)
    },
}


class ModelVocabularyDirective(SphinxDirective):
    """A definition list of one vocabulary: each value, then what it means."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        vocabulary = VOCABULARIES.get(name)
        if vocabulary is None:
            raise self.error(
                f"unknown vocabulary {name!r}; expected one of {', '.join(VOCABULARIES)}"
            )
        items = nodes.definition_list(classes=["model-vocabulary"])
        self.set_source_info(items)
        for value, meaning in vocabulary.items():
            items += nodes.definition_list_item(
                "",
                nodes.term("", "", nodes.literal(value, value)),
                nodes.definition("", nodes.paragraph(meaning, meaning)),
            )
        return [items]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("model-vocabulary", ModelVocabularyDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
