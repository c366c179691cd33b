"""The checker's rules, one module per concern. Each exposes ``check(book)``."""

from idcpc_book.checker.rules import (
    citations,
    corroboration,
    coverage,
    history,
    identity,
    integrity,
    neutrality,
    quotes,
    records,
    support,
)

#: In report order: (rule name, module).
RULES = (
    ("citations", citations),
    ("records", records),
    ("integrity", integrity),
    ("quotes", quotes),
    ("identity", identity),
    ("support", support),
    ("corroboration", corroboration),
    ("coverage", coverage),
    ("neutrality", neutrality),
    ("history", history),
)
