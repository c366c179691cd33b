"""Write a Sphinx project: N sphinx-needs ``req`` needs over 10 pages, and a needtable page.

Run: python make_needs_project.py 2000 /tmp/needs && cd /tmp/needs && sphinx-build -b html src out
"""

import sys
from pathlib import Path


def write(n: int, root: Path) -> None:
    """Write the project for ``n`` needs under ``root``/src."""
    src = root / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text('extensions = ["sphinx_needs"]\n')
    pages = [f"page{p}" for p in range(10)]
    toc = "".join(f"   {p}\n" for p in [*pages, "table"])
    (src / "index.rst").write_text(f"Index\n=====\n\n.. toctree::\n\n{toc}")
    for p, name in enumerate(pages):
        body = "".join(
            f".. req:: Requirement {i}\n   :id: REQ_{i:05d}\n   :status: open\n\n"
            f"   The system shall do thing {i}.\n\n"
            for i in range(p, n, 10)
        )
        (src / f"{name}.rst").write_text(f"Page {p}\n=======\n\n{body}")
    table = ".. needtable::\n   :columns: id, title, status\n"
    (src / "table.rst").write_text(f"Table\n=====\n\n{table}")


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
