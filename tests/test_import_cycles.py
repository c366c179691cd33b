"""No module of idcpc_book is part of an import cycle, and each imports on its own.

Like sphinx-needs' ``tests/test_circular_imports.py``, every module is imported in a fresh
state: one child interpreter imports each in turn, with the package's modules cleared from
``sys.modules`` before each, so a module that only imports after another one has (a cycle
entered from the wrong end) fails with its ImportError. The child also records each import
a module makes while it is imported; the imports written inside functions, which run later
(and so hide a cycle from any import), are read from the source. A cycle in either is a
failure, named module by module. Fixture packages prove that each kind of cycle is found.

Run as a script, this file is the child: ``python test_import_cycles.py PACKAGE_DIR``.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import json
import subprocess
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "idcpc_book"

#: Cycles another change removes (issue 21: ext/book/claims imports editions inside a
#: function, editions imports claims): drop the entry when it is gone.
KNOWN_CYCLES: set[tuple[str, str]] = set()

Graph = Mapping[str, set[str]]


def module_names(package_dir: Path) -> dict[str, Path]:
    """Every module of the package in ``package_dir`` (its ``__init__`` as the package)."""
    names = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if not all((package_dir.parent.joinpath(*parts[:i]) / "__init__.py").is_file()
                   for i in range(1, len(parts))):  # fmt: skip
            continue  # a script in a folder that is not a package
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _targets(name: str, fromlist: tuple[str, ...] | list[str], modules: set[str]) -> set[str]:
    """The package's modules an import of ``name`` (``from name import *fromlist``) uses: a
    name that is a module counts as that module, any other as ``name`` itself."""
    found = {f"{name}.{item}" for item in fromlist if f"{name}.{item}" in modules}
    if len(found) < len(fromlist) or not fromlist:
        found.add(name)
    return found & modules


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _deferred(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports inside functions (run later, not when the module is imported)."""
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield node


def deferred_imports(modules: Mapping[str, Path]) -> dict[str, set[str]]:
    """Module -> the package's modules it imports inside its functions."""
    edges: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _deferred(tree):
            if isinstance(node, ast.Import):
                found = set().union(*(_targets(a.name, (), set(modules)) for a in node.names))
            else:
                name = _resolve(node, module, path.name == "__init__.py")
                found = _targets(name, [a.name for a in node.names], set(modules))
            edges.setdefault(module, set()).update(found - {module})
    return edges


def import_each(package_dir: Path) -> dict[str, object]:
    """In a child interpreter: import each module with the package's modules cleared first.
    Returns ``errors`` (module -> the exception) and ``edges`` (module -> the package's
    modules its import used)."""
    child = subprocess.run(
        [sys.executable, __file__, str(package_dir)],
        capture_output=True, text=True, check=False, cwd=package_dir.parent,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout)


def cycles(edges: Graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            group.append(node)
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def layer_cycles(edges: Graph, packages: Collection[str]) -> list[list[str]]:
    """The cycles among the parts of each package (its modules and subpackages, each part
    standing for all the modules in it): ``a.x`` imports ``b.y`` and ``b.z`` imports
    ``a.w`` is a cycle between ``a`` and ``b`` though no module is in a cycle."""
    found = []
    for package in sorted(packages):

        def part(module: str, package: str = package) -> str | None:
            if not module.startswith(package + "."):
                return None
            return f"{package}.{module[len(package) + 1 :].split('.')[0]}"

        parts: dict[str, set[str]] = {}
        for module, targets in edges.items():
            if (source := part(module)) is not None:
                parts.setdefault(source, set()).update(
                    p for p in map(part, targets) if p is not None and p != source
                )
        found += cycles(parts)
    return found


def problems(package_dir: Path, known: Collection[tuple[str, ...]] = ()) -> list[str]:
    """Each module that does not import on its own, and each import cycle not ``known``."""
    result = import_each(package_dir)
    graph: dict[str, set[str]] = {k: set(v) for k, v in result["edges"].items()}
    for module, targets in deferred_imports(module_names(package_dir)).items():
        graph.setdefault(module, set()).update(targets)
    out = [
        f"{module}: does not import on its own: {err}" for module, err in result["errors"].items()
    ]
    modules = cycles(graph)
    out += [
        "import cycle: " + " <-> ".join(group) for group in modules if tuple(group) not in known
    ]
    packages = [name for name, path in module_names(package_dir).items() if path.stem == "__init__"]
    out += [
        "import cycle between parts of a package: " + " <-> ".join(group)
        for group in layer_cycles(graph, packages)
        if group not in modules
    ]
    return out


def _child(package_dir: Path) -> None:
    """Import each module of the package, fresh, recording the imports each makes."""
    sys.path.insert(0, str(package_dir.parent))
    modules = module_names(package_dir)
    top = package_dir.name
    edges: dict[str, set[str]] = {}
    errors: dict[str, str] = {}
    real_import = builtins.__import__

    def recording(name, globals=None, locals=None, fromlist=(), level=0):
        importer = (globals or {}).get("__name__")
        if importer in modules:  # noted before it runs: a cycle may make it fail
            target = name
            if level:
                target = importlib.util.resolve_name("." * level + name, globals["__package__"])
            edges.setdefault(importer, set()).update(
                _targets(target, list(fromlist or ()), set(modules)) - {importer}
            )
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = recording
    for module in modules:
        for loaded in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
            del sys.modules[loaded]
        try:
            importlib.import_module(module)
        except Exception as err:  # any failure to import is the finding
            errors[module] = f"{type(err).__name__}: {err}"
    builtins.__import__ = real_import
    json.dump({"errors": errors, "edges": {k: sorted(v) for k, v in edges.items()}}, sys.stdout)


# -- the book's package ------------------------------------------------------------------


def test_every_module_imports_on_its_own_and_no_import_cycle() -> None:
    assert problems(PACKAGE, KNOWN_CYCLES) == []


# -- fixture packages: each kind of cycle is found -----------------------------------------


def _package(root: Path, files: dict[str, str]) -> Path:
    package = root / "cyc"
    for name in ["__init__.py", *(n for n in files if n.endswith("/__init__.py"))]:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("", encoding="utf-8")
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    return package


CASES = {
    # a imports a name of b, b of a: importing a fails (b finds a half-initialised)
    "names": (
        {"a.py": "from cyc.b import B\nA = 1\n", "b.py": "from cyc.a import A\nB = 2\n"},
        [
            "cyc.a: does not import on its own: ImportError: cannot import name 'A' from "
            "partially initialized module 'cyc.a' (most likely due to a circular import) "
            "({path}/a.py)",
            "cyc.b: does not import on its own: ImportError: cannot import name 'B' from "
            "partially initialized module 'cyc.b' (most likely due to a circular import) "
            "({path}/b.py)",
            "import cycle: cyc.a <-> cyc.b",
        ],
    ),
    # a and b import each other as modules: both import, the cycle is still there
    "modules": (
        {"a.py": "import cyc.b\n", "b.py": "from cyc import a\n"},
        ["import cycle: cyc.a <-> cyc.b"],
    ),
    # b imports a only inside a function: hidden from any import
    "hidden": (
        {"a.py": "from cyc import b\n", "b.py": "def f():\n    from . import a\n    return a\n"},
        ["import cycle: cyc.a <-> cyc.b"],
    ),
    # three modules in a ring, one of them through a package's __init__
    "ring": (
        {
            "a.py": "from cyc.b import B\nA = 1\n",
            "b.py": "B = 2\ndef f():\n    from cyc import C\n",
            "c.py": "import cyc.a\nC = 3\n",
            "__init__.py": "from cyc.c import C\n",
        },
        ["import cycle: cyc <-> cyc.a <-> cyc.b <-> cyc.c"],
    ),
    # p.x imports q.y and q.z imports p.w: no module is in a cycle, the packages p and q
    # are (as idcpc_book.inputs -> checker.census, checker.book -> inputs once were)
    "packages": (
        {
            "p/__init__.py": "",
            "p/x.py": "from cyc.q.y import Y\n",
            "p/w.py": "W = 1\n",
            "q/__init__.py": "",
            "q/y.py": "Y = 2\n",
            "q/z.py": "from cyc.p import w\n",
        },
        ["import cycle between parts of a package: cyc.p <-> cyc.q"],
    ),
    # imports in one direction only, within and across packages
    "none": (
        {"a.py": "from cyc.b import B\n", "b.py": "import json\nB = 1\ndef f():\n    import cyc\n"},
        [],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_fixture_cycle_is_found(tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    package = _package(tmp_path, files)
    assert problems(package) == [line.format(path=package) for line in expected]


if __name__ == "__main__":
    _child(Path(sys.argv[1]).resolve())
