"""Sphinx configuration of the idcpc-cpec-reference book.

Built as ``sphinx-build -c . docs <out>``: this file sits at the repository root, the
chapters in ``docs/``. The claim model itself (kinds, statuses, fields, links) is
defined once in ``idcpc_book/model.py``, which the checker reads too.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from idcpc_book import edition as _edition
from idcpc_book import model
from idcpc_book.errors import InputError
from idcpc_book.inputs.markup import MYST_EXTENSIONS, as_text

# -- Project and edition -----------------------------------------------------
# Title, version, "as of" date and base URL are defined once, in pyproject.toml
# ([project].version and [tool.idcpc-book]); see idcpc_book/edition.py. A fault there is
# reported with the book's other faults before anything is built (idcpc_book.ext.inputs.preflight).
try:
    EDITION = _edition.load(Path(__file__).parent / "pyproject.toml")
except InputError:
    EDITION = _edition.PLACEHOLDER
project = EDITION.title
author = EDITION.authors
copyright = f"{EDITION.as_of[:4]}, {EDITION.authors} (text CC BY 4.0)"
release = EDITION.version
# `version` stays unset: sphinx-needs keys needs.json by it, and readers of needs.json
# (the checker, the tests) expect the unversioned key "".
root_doc = "index"
language = "en"

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinx_needs",
    "sphinx_simplepdf",
    # the book's own, one package per concern (idcpc_book/ext/__init__.py says which)
    "idcpc_book.ext.inputs",  # the book's files read strictly, faults located, before a build
    "idcpc_book.ext.book",  # claims, sources, grades, figures, index, cite boxes, history
    "idcpc_book.ext.formats",  # PDF, EPUB, web fonts, reproducible output
    "idcpc_book.ext.upstream",  # workarounds for library faults, each with its canary
]

# -- Strictness ----------------------------------------------------------------
# Builds run with -W --keep-going -n; no warning is suppressed.
nitpicky = True

# -- MyST ----------------------------------------------------------------------
myst_enable_extensions = list(MYST_EXTENSIONS)  # the census reads the chapters alike
myst_heading_anchors = 3
# {{ edition }} and {{ edition_date }} in any page, from the one definition above.
# MyST parses a substitution's value as Markdown: the values are escaped to read as text.
myst_substitutions = {
    "edition": as_text(EDITION.version),
    "edition_date": as_text(EDITION.as_of_long),
    "edition_label": as_text(EDITION.label),
}

# -- Bibliography (sphinxcontrib-bibtex) ----------------------------------------
# bibtex_bibfiles is set by idcpc_book.ext.inputs.paths to <book root>/refs.bib.
bibtex_default_style = "idcpc_book"  # registered by idcpc_book.ext.book.bibstyle
bibtex_reference_style = "idcpc_book"  # registered by idcpc_book.ext.book.citerefs

# -- Claim model (sphinx-needs) ---------------------------------------------------
# needs_types, needs_fields, needs_links, needs_schema_definitions, needs_id_required,
# needs_id_regex, needs_title_optional, needs_build_json: one definition, in the model.
globals().update(model.needs_settings())
needs_reproducible_json = True  # no timestamps, so rebuilds are byte-identical
# The page that resolves ?id=CLM_... to the claim's location. idcpc_book.ext.book.claims
# replaces sphinx-needs' version (which fetches needs.json, impossible from file://) with
# one carrying the ID -> page map inline, so it works offline too.
needs_permalink_file = "permalink.html"
# No needs_layouts: the book draws claims and sources itself, as prose with a linkable ID
# (idcpc_book.ext.book.prose); sphinx-needs keeps their data.

# -- HTML ----------------------------------------------------------------------
html_theme = "furo"
html_title = project
html_static_path = ["docs/_static"]
html_css_files = ["book.css"]
html_js_files = ["claims-filter.js"]  # filters of the claims index; inert on other pages
html_last_updated_fmt = None
# html_baseurl stays unset while base_url is a placeholder: canonical links to it would
# mislead search engines and readers. Citations use the edition's base_url directly (with
# the deployment's IDCPC_BOOK_BASE_URL, idcpc_book/edition.py).
if not _edition.is_placeholder(EDITION.base_url):
    html_baseurl = EDITION.base_url
templates_path = ["docs/_templates"]
# The edition (version and "as of" date) under the book's title on every page.
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/edition.html",
        "sidebar/downloads.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
html_context = {
    "edition_version": EDITION.version,
    "edition_date": EDITION.as_of_long,
    "edition_authors": EDITION.authors,  # the PDF cover, docs/_templates/cover.html
}

# -- PDF (sphinx-simplepdf, WeasyPrint) ------------------------------------------
simplepdf_use_weasyprint_api = True  # the weasyprint CLI is not on PATH outside a venv
simplepdf_file_name = "idcpc-cpec-reference.pdf"
# the cover (docs/_templates/cover.html) in the book's colour, as the headings and links
simplepdf_vars = {"primary": "#1d3557", "links": "#1d3557", "cover-bg": "#1d3557"}

# -- EPUB ------------------------------------------------------------------------
# Built by `nox -s epub` and checked with epubcheck. Chinese and Urdu names rely on the
# reading system's fonts (every major reader ships them); the HTML edition carries
# subsets of its own (idcpc_book.ext.formats.webfonts).
epub_basename = "idcpc-cpec-reference"
epub_description = (
    "A fact-checked reference book on the IDCPC, the Pakistan-China Joint Consultative "
    "Mechanism of Political Parties on CPEC and the June 2024 Islamabad visit."
)
epub_contributor = author
epub_uid = "BookId"  # the XML id of the identifier element
epub_identifier = "urn:uuid:d05e59c5-88a3-59b4-bbb4-de9c46c839df"  # uuid5(URL, project name)
epub_scheme = "uuid"
epub_css_files = ["book.css"]
epub_show_urls = "no"  # source URLs are in the bibliography; inline they break the prose
# sphinx-needs' ID-lookup page and schema report are for the web edition only.
epub_exclude_files = ["permalink.html", "schema_violations.json"]
