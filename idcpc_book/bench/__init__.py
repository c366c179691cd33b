"""The build benchmark (``nox -s bench``): synthetic books of N claims against a plain floor.

* :mod:`~idcpc_book.bench.generate` writes a synthetic book (real ``conf.py``, claim model,
  records, ``refs.bib``) and its floor (the same text in a bare Sphinx + MyST project);
* :mod:`~idcpc_book.bench.measure` runs one build in a child process and records its wall
  time and peak memory;
* :mod:`~idcpc_book.bench.cli` runs every step, prints progress and a table, writes JSON.
"""
