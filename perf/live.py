"""The writer's loop end to end: a chapter edited, and the time until ``nox -s live``'s
server says "Serving on" again, for sphinx-autobuild as it is (a new interpreter per
rebuild) and for the book's warm server (``idcpc_book/live.py``), alternated.

Each server is started on the real book in this checkout (into ``build/live``, as
``nox -s live``), its first build awaited; then each edit (``generate.edit_real_chapter``:
a line of an editorial note) and its undo is timed from the file written to the next
"Serving on" printed: sphinx-autobuild's file watch, the build and its report (the
browser is told to reload once sphinx-autobuild's worker process has exited, just after,
in either server). The edited chapter
is restored whatever happens. Bytecode is written (``PYTHONDONTWRITEBYTECODE`` unset), as
``nox -s live`` does. Usage (the live environment of nox has sphinx-autobuild):

    .nox/live/bin/python perf/live.py --rounds 3 --edits 2
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from idcpc_book.bench import generate

REPO = Path(__file__).resolve().parents[1]
#: What ``nox -s live`` gives the server (noxfile.py).
ARGS = ("-q", "-c", ".", "docs", "build/live", "--watch", "sources", "--watch", "refs.bib",
        "--watch", "idcpc_book", "--watch", "corrections.toml", "--watch", "glossary.toml",
        "--watch", "editions")  # fmt: skip
SERVERS = {
    "new process (sphinx-autobuild)": ("-m", "sphinx_autobuild"),
    "warm (idcpc_book.live)": ("-m", "idcpc_book.live"),
}
TIMEOUT = 180.0
#: After a "Serving on", before the next write: sphinx-autobuild's worker process ends and
#: its watch resumes (a write before would be timed with the end of the last build).
SETTLE = 1.0


class Server:
    """A server started on the real book; its output lines as they come, timed."""

    def __init__(self, module: tuple[str, ...], port: int) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONUNBUFFERED"] = "1"  # each line timed when printed, as in a terminal
        self.process = subprocess.Popen(
            [sys.executable, *module, *ARGS, "--port", str(port)], cwd=REPO, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, text: str) -> float:
        """When the next line holding ``text`` came; the lines before it are echoed if
        they are not the server's own."""
        while True:
            at, line = self.lines.get(timeout=TIMEOUT)
            if text in line:
                return at
            if "[sphinx-autobuild]" not in line:
                print(f"    | {line}")

    def stop(self) -> None:
        """Ctrl+C, as in a terminal: to the server's process group (its own)."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def measure(name: str, module: tuple[str, ...], edits: int, port: int) -> list[float]:
    """Start the server, then time ``edits`` edits and as many undos."""
    server = Server(module, port)
    times: list[float] = []
    try:
        server.wait_for("Waiting to detect changes")
        _until_serving(port)  # the watch starts with the server, after that message
        time.sleep(SETTLE)
        for _ in range(edits):
            path = generate.edit_real_chapter(REPO / "docs")  # writes the edit
            edited_at = time.perf_counter()
            original = _ORIGINALS[path]
            times.append(server.wait_for("Serving on") - edited_at)
            print(f"    edit: {times[-1]:.2f} s", flush=True)
            time.sleep(SETTLE)
            path.write_bytes(original)
            undone_at = time.perf_counter()
            times.append(server.wait_for("Serving on") - undone_at)
            print(f"    undo: {times[-1]:.2f} s", flush=True)
            time.sleep(SETTLE)
    finally:
        server.stop()
    print(f"  {name}: {', '.join(f'{t:.2f}' for t in times)} s", flush=True)
    return times


_ORIGINALS: dict[Path, bytes] = {}


def _until_serving(port: int) -> None:
    """Wait until the server answers on ``port``."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="each server started this often")
    parser.add_argument("--edits", type=int, default=2, help="edits (and undos) per start")
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    for path in (REPO / "docs").glob("*.md"):
        _ORIGINALS[path] = path.read_bytes()
    results: dict[str, list[float]] = {name: [] for name in SERVERS}
    try:
        for round_ in range(args.rounds):
            order = list(SERVERS.items())
            if round_ % 2:
                order.reverse()
            for name, module in order:
                print(f"round {round_ + 1}, load {os.getloadavg()[0]:.2f}", flush=True)
                results[name] += measure(name, module, args.edits, args.port)
    finally:
        for path, original in _ORIGINALS.items():
            if path.read_bytes() != original:
                path.write_bytes(original)
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    for name, times in results.items():
        print(f"{name}: median {statistics.median(times):.2f} s, {min(times):.2f} to "
              f"{max(times):.2f} s ({len(times)} edits)")  # fmt: skip


if __name__ == "__main__":
    main()
