"""``nox -s live``: sphinx-autobuild, each rebuild forked from a process that has already
imported Sphinx, the libraries and the book's extensions.

Why: sphinx-autobuild (2025.08.25) runs ``python -m sphinx build`` in a new interpreter for
every change, so each edit pays the interpreter's start and about 0.45 s of imports before
Sphinx reads a file. Here the server's process imports them once (:func:`warm_up`) and each
build runs ``build_main`` in a child made by ``os.fork``: the child starts from the parent's
imported but unused modules, and whatever a build caches dies with its child, so nothing of
one build reaches the next. The parent never builds. Where ``os.fork`` is missing, or when the
book's own code changed since the parent imported it, a build takes sphinx-autobuild's own
path (a new interpreter), so an edit to ``idcpc_book/`` is never built with the old code.

sphinx-autobuild's ``main`` constructs its ``Builder`` by the name in its ``__main__``
module and takes no builder of its own: :func:`main` binds that name to :class:`WarmBuilder`
while ``main`` runs (a reliance on its internals: idcpc_book/ext/upstream/README.md, with
its canary in ``test_canaries.py``).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from sphinx_autobuild.build import Builder
from sphinx_autobuild.utils import show_command, show_message

#: The libraries a build of the book imports, besides Sphinx's own extensions.
LIBRARIES = (
    "sphinx.cmd.build",
    "sphinx.application",
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinx_needs",
    "sphinx_simplepdf",
    "furo",
)
#: The book's own code: a change to a module of it loaded here makes the warm parent stale.
PACKAGE = Path(__file__).resolve().parent
#: How long an interrupted build may take to stop before it is killed (as ``subprocess.run``).
INTERRUPT_GRACE = 0.25

Stamps = dict[str, tuple[int, int]]


def warm_up() -> None:
    """Import what every build imports: the libraries, Sphinx's built-in extensions and the
    book's extension packages with their modules. Importing runs no build, reads none of the
    book's files and creates no ``Sphinx`` (``tests/test_live.py`` checks the files)."""
    import sphinx.application

    from idcpc_book.ext import PACKAGES

    for name in (*LIBRARIES, *sphinx.application.builtin_extensions, *PACKAGES):
        importlib.import_module(name)
    for package in PACKAGES:
        for name in importlib.import_module(package).MODULES:
            importlib.import_module(name)


def code_stamps(package: Path = PACKAGE) -> Stamps:
    """Each loaded module file under ``package``: its modification time and size."""
    stamps: Stamps = {}
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if name and Path(name).resolve().is_relative_to(package):
            with contextlib.suppress(OSError):
                stat = os.stat(name)
                stamps[name] = (stat.st_mtime_ns, stat.st_size)
    return stamps


def changed_code(stamps: Stamps) -> list[str]:
    """The files of ``stamps`` changed or gone since they were stamped."""
    changed = []
    for name, stamp in stamps.items():
        try:
            stat = os.stat(name)
        except OSError:
            changed.append(name)
            continue
        if (stat.st_mtime_ns, stat.st_size) != stamp:
            changed.append(name)
    return changed


def fork_build(args: Sequence[str]) -> int:
    """Run ``sphinx-build args`` in a child forked from this process: its exit status
    (negative: the signal that ended it). The child prints to this process's terminal."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            # as in a new interpreter: Ctrl+C interrupts the build, whatever handler the
            # server had installed (uvicorn's only asks the server to stop)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            from sphinx.cmd.build import build_main

            status = build_main(list(args))
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:
            traceback.print_exc()
        finally:
            with contextlib.suppress(BaseException):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(status)
    return _wait(pid)


def _wait(pid: int) -> int:
    """The exit status of child ``pid``. On Ctrl+C here the child (which had the signal
    too) is given a moment to stop, then killed, and the interruption goes on."""
    try:
        _, status = os.waitpid(pid, 0)
    except KeyboardInterrupt:
        deadline = time.monotonic() + INTERRUPT_GRACE
        while time.monotonic() < deadline and os.waitpid(pid, os.WNOHANG) == (0, 0):
            time.sleep(0.01)
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    return os.waitstatus_to_exitcode(status)


class WarmBuilder(Builder):
    """sphinx-autobuild's builder, each build forked from this warm process
    (:func:`fork_build`); sphinx-autobuild's own new interpreter where this cannot fork or
    the book's code loaded here has changed. Its messages are sphinx-autobuild's."""

    def __init__(self, sphinx_args: list[str], **options: object) -> None:
        super().__init__(sphinx_args, **options)
        self.code = code_stamps()

    def __call__(self, *, changed_paths: Sequence[Path]) -> None:
        stale = changed_code(self.code)
        if stale or not hasattr(os, "fork"):
            if stale:
                show_message(
                    f"{Path(stale[0]).relative_to(PACKAGE.parent)} changed since the server "
                    "started: rebuilding in a new process (restart for warm rebuilds)"
                )
            super().__call__(changed_paths=changed_paths)
            return
        _show_changes(changed_paths)
        if self._run_commands(self.pre_build_commands, "pre-build") != 0:
            return
        show_command(["sphinx-build", *self.sphinx_args])
        status = fork_build(self.sphinx_args)
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
    warm_up()
    autobuild = importlib.import_module("sphinx_autobuild.__main__")
    with builder_class(WarmBuilder):
        autobuild.main(list(argv))


if __name__ == "__main__":
    # through the module's own name, so that the builder sphinx-autobuild hands its worker
    # processes (pickled) names idcpc_book.live, not __main__
    from idcpc_book.live import main as _main

    _main(sys.argv[1:])
