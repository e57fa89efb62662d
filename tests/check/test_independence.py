"""The checker stays independent (issue 19): followed transitively, its imports reach no
code of the model, the search, the option facts or the explanations; and it calls none of
the data model's helpers that the model also uses (it has its own copies, deliberately)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.test_architecture import ROOT, graph

# What the judge may never reach, at any depth of its imports.
FORBIDDEN = (
    "optimizer.model", "optimizer.search", "optimizer.facts", "optimizer.explain",
    "optimizer.result", "optimizer.replan", "optimizer.whatif", "optimizer.generate",
    "optimizer.sweep", "optimizer.cli", "optimizer.desk", "optimizer.report",
    "optimizer.export",
)  # fmt: skip
# The data model's helpers the model and the explanations use: the checker re-derives them.
SHARED_HELPERS = frozenset(
    {
        "urgency_rank", "urgency_order", "windows_by_surgeon", "session_by_key", "room_by_id",
        "pool_names", "fixed_equipment", "hosts", "is_elective", "reserves",
        "needs_anaesthetist", "lengthens", "as_session",
    }
)  # fmt: skip
# Names on which the checker reads its own lookups (check/plan.py's Facts).
OWN = frozenset({"facts", "own", "plan"})


def reached(start: str, edges: dict[str, set[str]]) -> set[str]:
    """Every module ``start`` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for dep in edges.get(todo.pop(), ()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def test_the_checker_reaches_no_solver_code_transitively() -> None:
    """From each module of optimizer/check/, following every import (lazy ones too) through
    the modules it reaches, nothing of the solver's side is reached."""
    edges = graph()
    checker = [m for m in edges if m.startswith("optimizer.check")]
    assert len(checker) > 5
    for module in checker:
        bad = sorted(m for m in reached(module, edges) if m.startswith(FORBIDDEN))
        assert bad == [], f"{module} reaches {bad}"


def test_the_transitive_walk_is_not_vacuous() -> None:
    """A module importing one that imports the model reaches the model."""
    edges = {"a": {"b"}, "b": {"optimizer.model.build"}, "optimizer.model.build": set()}
    assert "optimizer.model.build" in reached("a", edges)


def _helpers_called(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in SHARED_HELPERS:
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name not in OWN:
                out.append(f"{path.name}:{node.lineno} .{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr in ("deadline", "capacity"):
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name in ("sc", "scenario"):
                out.append(f"{path.name}:{node.lineno} .{node.attr}")
    return out


def test_the_checker_calls_none_of_the_data_models_shared_helpers() -> None:
    """urgency_rank, the merged windows, capacity, deadline...: the checker's own copies
    (check/plan.py's Facts, check/cause_facts.py's urgency_rank), never the data model's."""
    found = [h for p in sorted((ROOT / "check").glob("*.py")) for h in _helpers_called(p)]
    assert found == []
