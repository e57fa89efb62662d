"""A window's candidates keep the whole problem's cached lookups (facts/narrow.py): only
sound while no cached lookup of Candidates reads a field a window changes."""

from __future__ import annotations

import ast
import inspect
from functools import cached_property

from optimizer.facts import candidates
from optimizer.facts.candidates import Candidates
from optimizer.facts.narrow import NARROWED


def _reads(name: str, tree: ast.Module) -> set[str]:
    """The ``self.x`` a method of Candidates reads."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Candidates":
            for f in node.body:
                if isinstance(f, ast.FunctionDef) and f.name == name:
                    return {
                        n.attr
                        for n in ast.walk(f)
                        if isinstance(n, ast.Attribute)
                        and isinstance(n.value, ast.Name)
                        and n.value.id == "self"
                    }
    raise AssertionError(f"no method {name}")


def _defined(name: str, tree: ast.Module) -> bool:
    try:
        _reads(name, tree)
    except AssertionError:
        return False
    return True


def test_no_cached_lookup_reads_what_a_window_changes() -> None:
    tree = ast.parse(inspect.getsource(candidates))
    cached = {n for n, v in vars(Candidates).items() if isinstance(v, cached_property)}
    assert cached, "Candidates has no cached lookup: this test guards nothing"
    # a cached lookup may read another one, or call a method: follow them
    methods = {
        n for n, v in vars(Candidates).items() if callable(v) or isinstance(v, cached_property)
    }
    methods = {n for n in methods if not n.startswith("__")}
    reads = {n: _reads(n, tree) for n in methods if _defined(n, tree)}
    for name in cached:
        seen, todo = set(), [name]
        while todo:
            here = todo.pop()
            if here in seen:
                continue
            seen.add(here)
            assert not reads[here] & NARROWED, (here, sorted(reads[here] & NARROWED))
            todo += [r for r in reads[here] if r in reads]
