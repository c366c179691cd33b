"""The checker's rules, one module per concern. Each exposes ``check(book)``."""

from idcpc_book.checker.rules import citations, coverage, identity, quotes, records, support

#: In report order: (rule name, module).
RULES = (
    ("citations", citations),
    ("records", records),
    ("quotes", quotes),
    ("identity", identity),
    ("support", support),
    ("coverage", coverage),
)
