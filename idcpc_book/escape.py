"""Content written into formats that would otherwise interpret it.

A claim's text is data, but a spreadsheet reads a CSV cell starting with ``=`` as a
formula (OWASP, "CSV Injection"), and an HTML parser ends a ``<script>`` at the first
``</script>`` inside its JSON. These helpers make such content inert and leave every
other value as it was, so ordinary exports do not change.
"""

from __future__ import annotations

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: JSON string escapes for the characters HTML gives a meaning to, valid in any JSON
#: string (json.dumps never writes them outside one).
_HTML_IN_JSON = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


def csv_cell(value: str) -> str:
    """``value``, with a leading ``'`` when a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def html_safe_json(text: str) -> str:
    """JSON text with ``<``, ``>`` and ``&`` escaped: it can sit in an HTML ``<script>``
    (as JSON-LD does) without ending it, and parses to the same data."""
    for char, escaped in _HTML_IN_JSON:
        text = text.replace(char, escaped)
    return text
