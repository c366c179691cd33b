"""Write a Sphinx project: N bib entries, each cited three times over 10 chapters.

Run: python make_bib_project.py 2500 /tmp/bib && cd /tmp/bib && sphinx-build -q -E -b html src out
The generated conf.py applies the fixes named in $REPRO_FIXES (see bibtex_fixes.py),
e.g. REPRO_FIXES=entry_points,filter,xref,tooltip; by default none (upstream code).
"""

import sys
from pathlib import Path

CONF = """\
import os, sys
sys.path.insert(0, {here!r})
extensions = ["sphinxcontrib.bibtex"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "unsrt"
import bibtex_fixes
bibtex_fixes.apply(os.environ.get("REPRO_FIXES", ""))
"""


def write(n: int, root: Path) -> None:
    """Write the project for ``n`` entries under ``root``/src."""
    src = root / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(CONF.format(here=str(Path(__file__).resolve().parent)))
    (src / "refs.bib").write_text(
        "".join(
            f"@misc{{key{i},\n  author = {{Author{i}, Ann}},\n  title = {{Title {i}}},\n"
            f"  year = {{2024}},\n  url = {{https://example.org/{i}}}\n}}\n\n"
            for i in range(n)
        )
    )
    chapters = [f"chap{c}" for c in range(10)]
    toc = "".join(f"   {c}\n" for c in [*chapters, "refs"])
    (src / "index.rst").write_text(f"Book\n====\n\n.. toctree::\n\n{toc}")
    for c, name in enumerate(chapters):
        body = "".join(
            f"Claim {i}a :cite:p:`key{i}`. Claim {i}b :cite:p:`key{i}`. "
            f"Claim {i}c :cite:p:`key{i}`.\n\n"
            for i in range(c, n, 10)
        )
        (src / f"{name}.rst").write_text(f"Chapter {c}\n==========\n\n{body}")
    (src / "refs.rst").write_text("References\n==========\n\n.. bibliography::\n")


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
