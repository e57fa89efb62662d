"""The tree keeps its shape (issue 19): no import cycle, data flowing one way; no module
over 500 lines; the top of optimizer/ holds only the public API, __main__ and the
shared leaf modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "optimizer"
TOP = {"__init__.py", "__main__.py", "clock.py", "i18n.py", "rules.py", "py.typed"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules ``path`` imports, at any depth of its code (a function's lazy
    import counts), ``if TYPE_CHECKING:`` blocks aside."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in known else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: imports(path, name, known) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(edges):
        if v not in index:
            strong(v)
    return out


def test_no_import_cycle_between_modules_or_packages() -> None:
    """Neither two modules nor two packages of optimizer/ import each other, even lazily."""
    edges = graph()
    assert cycles(edges) == []
    packages: dict[str, set[str]] = {}
    for name, deps in edges.items():
        top = ".".join(name.split(".")[:2])
        packages.setdefault(top, set()).update(
            ".".join(d.split(".")[:2]) for d in deps if not d.startswith(top + ".") and d != top
        )
    assert cycles(packages) == []


def test_the_cycle_finder_is_not_vacuous() -> None:
    """It sees a cycle of three."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_over_500_lines() -> None:
    """Modules are split before they grow past 500 lines."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in ROOT.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


def test_the_top_holds_only_the_api_and_the_shared_leaves() -> None:
    """__init__, __main__, clock, i18n, rules; every other module sits in its package."""
    loose = {p.name for p in ROOT.iterdir() if p.is_file()} - TOP
    assert loose == set()


def test_no_cp_sat_parameter_that_aborts_the_process() -> None:
    """``repair_hint`` and ``interleave_search`` can end the whole process on OR-Tools 9.15
    ("Check failed: heuristics.fixed_search != nullptr", SIGABRT: no traceback, nothing
    written; seen once on ``explain`` of the demo): the code sets neither."""
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name in ("repair_hint", "interleave_search"):
            assert f"{name} = True" not in text and f'"{name}": True' not in text, path
