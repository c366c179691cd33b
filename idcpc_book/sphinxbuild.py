"""The ``sphinx-build`` command line, written once.

``nox``, the release, the benchmark and the tests build the book with it, so that a build
means the same everywhere: strict (``-W --keep-going -n``: every warning fails the build,
all of them are shown, every reference is checked), from scratch (``-E``: sphinx-needs'
tables can go stale on incremental builds) and quiet (``-q``). Standard library only:
``noxfile.py`` imports it outside the book's environment.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

#: Every warning fails the build (``-W``), all of them are shown (``--keep-going``) and
#: every cross-reference is checked (``-n``).
STRICT = ("-W", "--keep-going", "-n")
#: The configuration value that turns off the build's run of the checker's rules
#: (:mod:`idcpc_book.ext.inputs.verdict`), and the options that do so: for the builds
#: whose checker reports the same problems just after (``nox -s check``, the release's
#: check), so each problem is reported once.
VERDICT_SETTING = "idcpc_verdict"
VERDICT_OFF = ("-D", f"{VERDICT_SETTING}=0")


def command(
    srcdir: Path | str,
    outdir: Path | str,
    builder: str,
    *,
    conf_dir: Path | str | None = None,
    strict: bool = True,
    fresh: bool = True,
    color: bool = True,
    options: Sequence[str] = (),
    python: str = sys.executable,
) -> list[str]:
    """``python -m sphinx`` building ``srcdir`` into ``outdir`` with ``builder``.

    ``conf_dir``: where ``conf.py`` is (default: ``srcdir``); ``fresh``: ``-E``;
    ``color=False``: ``--no-color``, for messages compared exactly; ``options``: more
    sphinx-build options; ``python``: the interpreter (``"python"`` in a nox session).
    """
    args = [python, "-m", "sphinx", "-q", "-b", builder]
    if strict:
        args += STRICT
    if fresh:
        args.append("-E")
    if not color:
        args.append("--no-color")
    if conf_dir is not None:
        args += ["-c", str(conf_dir)]
    return [*args, *options, str(srcdir), str(outdir)]
