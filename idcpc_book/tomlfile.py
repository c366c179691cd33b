"""TOML as the book's readers parse it: a syntax error as an InputError at its line.

``pyproject.toml``'s edition table, the corrections log and the glossary are all TOML;
tomllib names the line of a syntax error inside its message, so each reader reported it
the same way, written three times. This is that one way.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from idcpc_book.errors import InputError

#: Where tomllib's message gives the line of a syntax error.
TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def parse(path: Path, text: str) -> dict[str, Any]:
    """``text`` (read from ``path``) as TOML; :class:`InputError` at the line of a syntax
    error: ``path:line: not valid TOML: <tomllib's message without its position>``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = TOML_LINE.search(str(err))
        message = TOML_LINE.sub("", str(err)).strip()
        raise InputError(
            path, int(found.group(1)) if found else None, f"not valid TOML: {message}"
        ) from None
