"""What one search step hands back: typed, instead of tuples."""

from __future__ import annotations

from dataclasses import dataclass

from ..facts.solution import Solution
from ..model.objective import Level
from ..result.summary import LevelReport


@dataclass(frozen=True)
class Budget:
    """What one level may spend.

    ``seconds`` and ``work`` bound the level's solves (wall clock, deterministic
    work); ``share`` is its fair part of the time left, after which the
    watchdog ends a search that stopped improving. ``None``: no such bound.
    """

    seconds: float | None
    work: float | None
    share: float | None


@dataclass(frozen=True)
class Outcome:
    """One search of one level.

    Attributes
    ----------
    found
        The best schedule the search found, or ``None``.
    status
        CP-SAT's status name (``OPTIMAL``, ``FEASIBLE``, ``UNKNOWN``, ``INTERRUPTED``...).
    bound
        The proven bound on the level, or ``None`` (the window search proves none).
    work
        Deterministic work spent.
    wall
        Wall-clock seconds spent.
    method
        What proved ``bound``, when not CP-SAT on the whole model.
    """

    found: Solution | None
    status: str
    bound: int | None = None
    work: float = 0.0
    wall: float = 0.0
    method: str | None = None


def level_report(
    level: Level, value: int, bound: int | None, status: str, wall: float, *, searched: bool
) -> LevelReport:
    """How ``level`` was solved, in the summary's units: a count or a weighted total; the
    deadline level read back as misses per class."""
    if level.by_class is None:
        return LevelReport(
            level.name,
            _units(value, level),
            None if bound is None else _units(bound, level),
            status,
            wall,
            searched=searched,
            kind=level.kind,
        )
    # Encoded weights read back as misses per class: the value is their count, the bound
    # the lexicographically smallest misses it allows (a total only once proven).
    by_class = level.by_class(value)
    total = sum(by_class.values())
    return LevelReport(
        level.name,
        total,
        total if bound == value else None,
        status,
        wall,
        searched=searched,
        by_class=by_class,
        bound_by_class=None if bound is None else level.by_class(bound),
        kind=level.kind,
    )


def _units(value: int, level: Level) -> float:
    """``value`` in the user's units; 0 kept is 0, not the -0.0 of a negated count."""
    return value * level.unit + 0.0
