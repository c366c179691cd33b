"""Strict builds of the real book in a fresh interpreter, optionally offline.

The session fixtures of ``conftest.py`` build the real book once per builder with
:func:`build`; ``test_trust_build.py`` builds it a second time, in another folder and
environment, and compares the two.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from collections.abc import Sequence
from pathlib import Path

from idcpc_book import sphinxbuild

REPO = Path(__file__).resolve().parent.parent
PDF_NAME = "idcpc-cpec-reference.pdf"
EPUB_NAME = "idcpc-cpec-reference.epub"
EPOCH = "1764000000"  # 2025-11-24 12:00 UTC

BLOCK_SOCKETS = textwrap.dedent(
    """
    import socket

    def _blocked(*args, **kwargs):
        raise OSError("network access blocked during the offline build")

    socket.socket.connect = _blocked
    socket.socket.connect_ex = _blocked
    socket.getaddrinfo = _blocked
    socket.create_connection = _blocked
    """
)


def kernel_block_works() -> bool:
    """``unshare -rn`` (new user and network namespace) is permitted here."""
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    return probe.returncode == 0


def offline(tmp: Path, kernel: bool | None = None) -> tuple[list[str], dict[str, str]]:
    """Command prefix and environment that block networking for a subprocess.

    ``kernel``: True for ``unshare -rn``, False for the Python hook, None for the
    first that works here.
    """
    if kernel or (kernel is None and kernel_block_works()):
        return ["unshare", "-rn"], {}
    site = tmp / "offline-site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(BLOCK_SOCKETS, encoding="utf-8")
    return [], {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}


def build(
    builder: str,
    out: Path,
    doctrees: Path,
    prefix: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """A strict build of the real book with ``builder`` into ``out``, from scratch, run
    from the repository as ``nox`` runs it. The doctrees go to ``doctrees``, outside
    ``out`` (the EPUB builder would take them for content); ``SOURCE_DATE_EPOCH`` is
    :data:`EPOCH` unless ``env`` says otherwise."""
    args = sphinxbuild.command(
        "docs", out, builder, conf_dir=".", color=False, options=("-d", str(doctrees))
    )
    return subprocess.run(
        [*prefix, *args],
        cwd=REPO,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
