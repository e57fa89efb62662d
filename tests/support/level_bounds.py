"""Which side of a level's value its best bound lies on, level by level.

A :class:`~optimizer.result.result.LevelReport` gives every level in the user's units:
the minimised levels (deadline misses, shortfall, weighted delay, patients
moved, minutes shifted) as costs, whose bound is a floor (``bound <= value``),
and level 3, "planned cases kept", as the count kept, which is maximised, so
its bound is a ceiling (``bound >= value``). Asserting ``bound <= value`` for
every level holds for level 3 only when it is proven, and hides a wrong bound.
"""

from __future__ import annotations

from optimizer.result.result import LevelReport

# Name prefixes of the levels, by direction (the deadline levels end with their class).
MAXIMISED = ("planned cases kept",)
MINIMISED = (
    "deadline misses (",
    "shortfall below target",
    "weighted delay",
    "waiting time (",
    "patients moved",
    "minutes shifted",
    "overtime cost",
    "added cost (",
)
TOLERANCE = 1e-9  # reported values are scaled by 1/100 for weighted levels


def is_maximised(level: LevelReport) -> bool:
    """Whether the level is reported as a quantity to maximise; an unknown level fails."""
    if level.name.startswith(MAXIMISED):
        return True
    assert level.name.startswith(MINIMISED), (
        f"level {level.name!r} is not known to tests/support/level_bounds.py: "
        "say its direction there"
    )
    return False


def bound_problem(level: LevelReport) -> str | None:
    """None when the level's best bound (if any) lies on the right side of its value."""
    if level.best_bound is None:
        return None
    if is_maximised(level):
        if level.best_bound >= level.value - TOLERANCE:
            return None
        return f"{level.name}: ceiling {level.best_bound} below the value kept {level.value}"
    if level.best_bound <= level.value + TOLERANCE:
        return None
    return f"{level.name}: floor {level.best_bound} above the value {level.value}"
