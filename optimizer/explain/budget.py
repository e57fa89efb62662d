"""The reasons step's budget: how many searches of a date's starts it may run.

A case's full reason may search every start it could take on a date
(:func:`optimizer.explain.verdict.verdict`); on a region that is a hundred
thousand searches and more time than a run has left. A time-limited run gives
the step a budget: once spent, a case whose reason needs another such search
gets the short form (:mod:`.short`), said in its reason and counted in the
summary. The budget is counted in searches, so that a run with one worker and a
work limit (no wall clock) gives the same reasons, byte for byte, on any
machine; a wall clock adds a time after which no search begins.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


class BudgetSpent(Exception):
    """A verdict needs a search of the starts and the reasons' budget is spent."""


@dataclass(frozen=True)
class ReasonsBudget:
    """At most ``searches`` searches of a date's starts (``None``: no cap), and, with a wall
    clock, none begun after ``deadline`` (a ``time.monotonic()``; ``None``: no clock) once
    ``floor`` of them are done: a hospital's few hundred are always made, so that its
    reasons do not depend on the machine's load."""

    searches: int | None = None
    deadline: float | None = None
    floor: int = 0


@dataclass
class Spending:
    """What the reasons step spent of its budget: the searches run, the cases cut short."""

    budget: ReasonsBudget
    searches: int = 0
    short: int = 0
    spent: bool = False

    def search(self) -> None:
        """Count one search of a date's starts, or raise :class:`BudgetSpent` if none is left
        (and none will be: once spent, the budget stays spent, whatever the clock says)."""
        b = self.budget
        if not self.spent:
            over_count = b.searches is not None and self.searches >= b.searches
            over_time = (
                b.deadline is not None
                and self.searches >= b.floor
                and time.monotonic() >= b.deadline
            )
            self.spent = over_count or over_time
        if self.spent:
            raise BudgetSpent
        self.searches += 1
