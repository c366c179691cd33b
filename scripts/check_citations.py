#!/usr/bin/env python3
"""Check the book's claims, citations, sources and prose coverage.

Usage: ``python scripts/check_citations.py [--root .] [--needs FILE] [--json FILE]``
after a build (``nox -s check`` does both). See ``idcpc_book/checker/cli.py``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from idcpc_book.checker.cli import main

if __name__ == "__main__":
    sys.exit(main())
