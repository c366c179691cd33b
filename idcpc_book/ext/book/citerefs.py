"""In-text citations that print the bibliography's own label: "[GSRRA 2024a, 2024b; Dawn 2024]".

sphinxcontrib-bibtex's ``author_year`` style builds its in-text label from the names
itself (family names of every name, organisations included, no letters), so the text
said "[GSRRA, 2024, GSRRA, 2024]" where the bibliography said "GSRRA 2024a" and "2024b".
This style prints each work's label (:mod:`idcpc_book.citelabels`), and writes the works
of one author in one citation once: "GSRRA 2024a, 2024b". Works of different authors are
separated by semicolons, as author-date styles do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pybtex.richtext import BaseText, Text
from pybtex.style.template import Node
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle, BracketStyle
from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle
from sphinxcontrib.bibtex.style.template import join2, node, post_text, pre_text, reference

from idcpc_book import citelabels

#: The name of this style (``bibtex_reference_style`` in conf.py).
NAME = "idcpc_book"


@dataclass(frozen=True)
class Cited:
    """One cited work: its whole label, and the label without the author (the year part)."""

    author: str | None  # None: a label that does not start with its author (never merged)
    full: BaseText
    short: BaseText


def split_label(label: str, author: str) -> tuple[str | None, str]:
    """(author, year part) of ``label``; (None, label) when it does not start with the author."""
    if label.startswith(author + " ") and len(label) > len(author) + 1:
        return author, label[len(author) + 1 :]
    return None, label


@node
def _cited(children: Any, data: dict[str, Any], pre_sep: str, post_sep: str) -> Cited:
    """The work of ``data`` as a :class:`Cited`: pre-text, linked label, post-text."""
    label = data["formatted_entry"].label
    author, year = split_label(label, citelabels.label_author(data["entry"]))

    def linked(text: str) -> BaseText:
        return join2(sep1=pre_sep, sep2=post_sep)[pre_text, reference[text], post_text].format_data(
            data
        )

    return Cited(author, linked(label), linked(year))


def merge(cited: Iterable[Cited]) -> list[BaseText]:
    """Consecutive works of one author written once: "GSRRA 2024a, 2024b"."""
    groups: list[list[Cited]] = []
    for work in cited:
        if groups and work.author is not None and groups[-1][0].author == work.author:
            groups[-1].append(work)
        else:
            groups.append([work])
    return [
        Text(group[0].full, *(part for work in group[1:] for part in (", ", work.short)))
        for group in groups
    ]


@dataclass
class _Merged(BaseReferenceStyle):
    """A reference style of ``roles`` printing labels, same-author works merged."""

    roles: tuple[str, ...] = ()
    brackets: bool = True
    bracket: BracketStyle = field(default_factory=BracketStyle)
    pre_text_sep: str = " "
    post_text_sep: str = ", "

    def role_names(self) -> Iterable[str]:
        return self.roles

    def outer(self, role_name: str, children: list[Any]) -> Node:
        return self.bracket.outer(
            merge(children), brackets=self.brackets and "al" not in role_name, capfirst=False
        )

    def inner(self, role_name: str) -> Node:
        return _cited(pre_sep=self.pre_text_sep, post_sep=self.post_text_sep)


@dataclass
class BookReferenceStyle(LabelReferenceStyle):
    """``cite:p`` gives "[Dawn 2024; GSRRA 2024a, 2024b]", ``cite:t`` the same without
    brackets; the other roles are upstream's (the chapters may not use them)."""

    bracket_parenthetical: BracketStyle = field(default_factory=lambda: BracketStyle(sep="; "))
    bracket_textual: BracketStyle = field(default_factory=lambda: BracketStyle(sep="; "))

    def __post_init__(self) -> None:
        self.styles.extend(
            [
                _Merged(
                    roles=tuple(f"{al}p{s}" for al in ("", "al") for s in ("", "s")),
                    bracket=self.bracket_parenthetical,
                ),
                _Merged(
                    roles=tuple(f"{c}t{s}" for c in ("", "c") for s in ("", "s")),
                    brackets=False,
                    bracket=self.bracket_textual,
                ),
            ]
        )
        super().__post_init__()  # upstream's styles for the roles not taken above
        self.role_style.update(
            (role, style) for style in self.styles[:2] for role in style.role_names()
        )


#: The full reference on a tap where the screen cannot hover (a mouse has the link's title).
PREVIEW_JS, PREVIEW_CSS = "citation-preview.js", "citation-preview.css"


def add_preview(app: Sphinx) -> None:
    """The tap preview, for the HTML edition only (in ``html_static_path``)."""
    if app.builder.name == "html":
        app.add_js_file(PREVIEW_JS)
        app.add_css_file(PREVIEW_CSS)


def setup(app: Sphinx) -> dict[str, Any]:
    register_plugin("sphinxcontrib.bibtex.style.referencing", NAME, BookReferenceStyle)
    app.connect("builder-inited", add_preview)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
