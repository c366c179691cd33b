"""The ``registry`` directive: the checker's rules, the figures or the exports, printed
from their registries (:mod:`idcpc_book.registry_tables`) so that the methodology page
cannot drift from the code::

    ```{registry} figures
    ```

``checker-rules`` prints the numbered list the page has always had; ``figures`` and
``exports`` print tables, the README's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from idcpc_book import registry_tables

#: What each argument prints, as Markdown parsed into the page.
CONTENT: dict[str, Callable[[], str]] = {
    "checker-rules": registry_tables.checker_rules_list,
    "figures": registry_tables.figures,
    "exports": registry_tables.exports,
}


class RegistryDirective(SphinxDirective):
    """The Markdown of one registry, parsed as if written in the page."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        render = CONTENT.get(name)
        if render is None:
            raise self.error(f"unknown registry {name!r}; expected one of {', '.join(CONTENT)}")
        return self.parse_text_to_nodes(render())


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("registry", RegistryDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
