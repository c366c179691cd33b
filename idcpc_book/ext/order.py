"""The order of work: every event priority the book's extensions use, named in one place.

Sphinx runs the handlers of one event by priority (lower first; 500 by default), then in
the order they were connected, which is the order of ``conf.py`` and of each package's
``MODULES``. A handler with no entry here runs at 500.

When a page is written (``doctree-resolved``) the steps are, in order:

1. :data:`COLLECT_WRITTEN_PAGE` - free the page written before (``upstream.gc_freeze``);
   :data:`COMPACT_INDEX` - PDF and EPUB: the claims index's table becomes a compact list
   (``formats.compact_index``), before sphinx-needs would fill it;
2. sphinx-needs fills its tables and lists (its own priority, 500);
3. :data:`TABLE_CELLS` - the claims index: cells as prose (``book.needtext``), filters
   (``book.claims_index``);
4. :data:`CLAIM_MARKS` - after each claim's ID, its edition marks, its grade and its
   cite box (``book.marks``); the corrections log and the changes page (``book.editions``);
5. :data:`FIGURES` - the figures drawn from the claims (``book.figures``);
   :data:`PEOPLE` - the who's who (``book.whoswho``);
6. :data:`EVIDENCE_PAGE` - the evidence page's passages (``book.evidence_pages``);
   :data:`QUESTIONS_PAGE` - the open questions page's tables (``book.questions``);
   :data:`GLOSSARY_LINKS` - the glossary's claim IDs made links (``book.glossary``);
7. :data:`SINGLE_PAGE_LINKS` - the PDF's anchors made unique, after every node that
   carries one is in place (``formats.pdf``).
"""

from __future__ import annotations

# -- config-inited: read the book's files strictly, then stop on any fault -------------
#: After ``inputs.paths`` (500) has set ``bibtex_bibfiles``.
CHECK_BIBFILES = 800
#: After ``CHECK_BIBFILES``, whose faults it reports with the others.
PREFLIGHT = 850
#: After Sphinx's conversion of ``html_css_files``/``html_js_files`` to pairs (800).
CONFIGURED_FILES_PRIORITY = 900

# -- env-updated ---------------------------------------------------------------------------
#: The last handler before the environment is pickled (``upstream.config_stable``).
HIDE_THEME_OPTIONS = 1000

# -- env-check-consistency ----------------------------------------------------------------
#: Right after the environment was pickled.
RESTORE_THEME_OPTIONS = 0

# -- builder-inited ----------------------------------------------------------------------
#: The book's ``claim``/``source`` directives over sphinx-needs' (``book.prose``).
DRAWN_NEED_DIRECTIVES = 500
#: Before sphinxcontrib-bibtex parses the bib files (500).
HAND_OVER_BIB_PARSE = 400
#: Before the EPUB builder checks the configuration (500).
EPUB_VERSION = 400
#: After every extension has registered its directives (sphinx-needs' at 500 and before).
REFUSE_DIRECTIVES = 950

# -- doctree-read -------------------------------------------------------------------------
#: Before Sphinx's image and download collectors (500) note the files a page uses.
REFUSE_OUTSIDE_FILES = 400
#: After sphinx-needs' ``analyse_need_locations`` and the readers of the needs' content (500).
DRAW_NEEDS = 600
#: After Sphinx's toctree collector (500) noted the evidence page, which the PDF leaves out.
LEAVE_OUT_OF_PDF = 600

# -- write-started ------------------------------------------------------------------------
#: After sphinx-needs has post-processed the needs (500): the grades are set.
VERDICT = 600
#: After sphinx-needs has post-processed the needs (500).
FREEZE_FOR_WRITING = 900

# -- doctree-resolved (see the module docstring) ------------------------------------------
COLLECT_WRITTEN_PAGE = 100
COMPACT_INDEX = 400
TABLE_CELLS = 600
CLAIM_MARKS = 700
FIGURES = 750
PEOPLE = 760
EVIDENCE_PAGE = 800
QUESTIONS_PAGE = 800
GLOSSARY_LINKS = 800
SINGLE_PAGE_LINKS = 900

# -- build-finished -----------------------------------------------------------------------
#: Full collections as usual again, before the other handlers create objects.
RESTORE_GC = 0
#: A theme's options back (if no pickle was written), before furo's handler (500).
RESTORE_THEME_OPTIONS_AT_END = 0
#: Objects handed back to the collector after the other handlers.
UNFREEZE_GC = 900
