"""Tools behind the idcpc-cpec-reference book: Sphinx extensions and the citation checker."""
