"""The input layer: the book's own files, read once and checked before anything uses them.

The build's preflight (:mod:`idcpc_book.ext.inputs.preflight`) and the checker
(:mod:`idcpc_book.checker.book`) read the book through :func:`idcpc_book.inputs.book.check_book`,
so a chapter is parsed by one reader, with one set of rules. The checker depends on this
package, never the reverse. Kept free of imports so that any module may import a part of it.
"""
