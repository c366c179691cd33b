"""The book's local Sphinx extensions, one module per concern."""
