"""Run sphinx-build in this process and report the time spent in full (gen-2) collections.

Run: python gc_time.py [--freeze] <sphinx-build arguments>
--freeze: gc.freeze() once the builder is set up (the pickled environment is loaded),
gc.unfreeze() at build-finished: the change proposed to Sphinx.
"""

import gc
import sys
import time
from typing import Any

from sphinx.application import Sphinx
from sphinx.cmd.build import main

spent = {0: 0.0, 1: 0.0, 2: 0.0}
count = {0: 0, 1: 0, 2: 0}
started = [0.0]


def on_gc(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        spent[info["generation"]] += time.perf_counter() - started[0]
        count[info["generation"]] += 1


gc.callbacks.append(on_gc)
args = sys.argv[1:]
if args[:1] == ["--freeze"]:
    args = args[1:]
    upstream_init_builder = Sphinx._init_builder

    def init_builder(self: Sphinx) -> None:
        upstream_init_builder(self)
        gc.freeze()
        self.connect("build-finished", lambda app, exc: gc.unfreeze())

    Sphinx._init_builder = init_builder

cpu = time.process_time()
status = main(args)
print(
    f"build CPU {time.process_time() - cpu:.2f} s; full collections: {count[2]}, "
    f"{spent[2]:.2f} s; younger: {spent[0] + spent[1]:.2f} s"
)
sys.exit(status)
