"""What one search step hands back: typed, instead of tuples."""

from __future__ import annotations

from dataclasses import dataclass

from ..facts.solution import Solution


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
