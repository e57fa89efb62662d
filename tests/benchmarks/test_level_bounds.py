"""The bound-direction check of the solver tests judges each level in its own direction."""

from __future__ import annotations

import pytest

from optimizer.result.result import LevelReport
from tests.support.level_bounds import bound_problem


def level(name: str, value: float, bound: float | None) -> LevelReport:
    return LevelReport(name, value, bound, "FEASIBLE", 1.0)


def test_a_floor_below_a_cost_and_a_ceiling_above_the_kept_count_pass() -> None:
    """Costs have a floor (bound <= value); cases kept, maximised, have a ceiling."""
    assert bound_problem(level("weighted delay", 21.79, 20.5)) is None
    assert bound_problem(level("deadline misses (P1)", 2, 2)) is None
    assert bound_problem(level("planned cases kept", 251, 260)) is None
    assert bound_problem(level("planned cases kept (urgency-weighted)", 3.5, 3.75)) is None
    assert bound_problem(level("minutes shifted", 40, None)) is None


def test_a_bound_on_the_wrong_side_is_reported() -> None:
    """A ceiling below the kept count, or a floor above a cost, is named."""
    assert "ceiling" in (bound_problem(level("planned cases kept", 251, 250)) or "")
    assert "floor" in (bound_problem(level("shortfall below target", 26, 27)) or "")


def test_an_unknown_level_must_say_its_direction() -> None:
    """A new level is not silently judged as a cost."""
    with pytest.raises(AssertionError, match="say its direction"):
        bound_problem(level("overtime minutes", 5, 3))
