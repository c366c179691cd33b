"""``nox -s live``: sphinx-autobuild, each rebuild forked from the server's process, which
has imported Sphinx, the libraries and the book's extensions once (:mod:`idcpc_book.warm`
says why). Where ``os.fork`` is missing, or once the book's own code has changed since the
server imported it, a rebuild takes sphinx-autobuild's own path (a new interpreter), so an
edit to ``idcpc_book/`` is never built with the old code.

sphinx-autobuild (2025.08.25) runs ``python -m sphinx build`` in a new interpreter for each
change, and its ``main`` constructs its ``Builder`` by the name in its ``__main__`` module,
with no way to hand it another: :func:`main` binds that name to :class:`WarmBuilder` while
``main`` runs (a reliance on its internals: idcpc_book/ext/upstream/README.md, with its
canary in ``test_canaries.py``).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from sphinx_autobuild.build import Builder
from sphinx_autobuild.utils import show_command, show_message

from idcpc_book import warm


class WarmBuilder(Builder):
    """sphinx-autobuild's builder, each build forked from this warm process
    (:func:`idcpc_book.warm.fork_build`); sphinx-autobuild's own new interpreter where
    this cannot fork or the book's code loaded here has changed. Its messages are
    sphinx-autobuild's."""

    def __init__(self, sphinx_args: list[str], **options: object) -> None:
        super().__init__(sphinx_args, **options)
        self.code = warm.code_stamps()

    def __call__(self, *, changed_paths: Sequence[Path]) -> None:
        stale = warm.changed_code(self.code)
        if stale or not hasattr(os, "fork"):
            if stale:
                show_message(
                    f"{Path(stale[0]).relative_to(warm.PACKAGE.parent)} changed since the server "
                    "started: rebuilding in a new process (restart for warm rebuilds)"
                )
            super().__call__(changed_paths=changed_paths)
            return
        _show_changes(changed_paths)
        if self._run_commands(self.pre_build_commands, "pre-build") != 0:
            return
        show_command(["sphinx-build", *self.sphinx_args])
        status = warm.fork_build(self.sphinx_args).status
        if status != 0:
            print(f"Sphinx exited with exit code: {status}")
            print(
                "The server will continue serving the build folder, but the contents "
                "being served are no longer in sync with the documentation sources. "
                "Please fix the cause of the error above or press Ctrl+C to stop the "
                "server."
            )
        else:
            self._run_commands(self.post_build_commands, "post-build")
        show_message(f"Serving on {self.uri}")


def _show_changes(changed_paths: Sequence[Path]) -> None:
    """What sphinx-autobuild prints before a rebuild (``Builder.__call__``)."""
    if not changed_paths:
        return
    cwd = Path.cwd()
    shown = []
    for path in changed_paths[:5]:
        if path.exists():
            shown.append((path.relative_to(cwd) if path.is_relative_to(cwd) else path).as_posix())
    if shown:
        show_message(f"Detected changes ({', '.join(shown)})")
    show_message("Rebuilding...")


@contextlib.contextmanager
def builder_class(builder: type[Builder]) -> Iterator[None]:
    """sphinx-autobuild's ``main`` constructing ``builder`` instead of its ``Builder``."""
    autobuild = importlib.import_module("sphinx_autobuild.__main__")
    original = autobuild.Builder
    autobuild.Builder = builder
    try:
        yield
    finally:
        autobuild.Builder = original


def main(argv: Sequence[str]) -> None:
    """sphinx-autobuild's command line (``argv``), rebuilding from this warm process."""
    warm.warm_up()
    autobuild = importlib.import_module("sphinx_autobuild.__main__")
    with builder_class(WarmBuilder):
        autobuild.main(list(argv))


if __name__ == "__main__":
    # through the module's own name, so that the builder sphinx-autobuild hands its worker
    # processes (pickled) names idcpc_book.live, not __main__
    from idcpc_book.live import main as _main

    _main(sys.argv[1:])
