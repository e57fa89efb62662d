"""Ending a level's search once it has had its share of time and stopped improving."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model


class Watchdog(cp_model.CpSolverSolutionCallback):
    """Stop a level's search once it has had its share of time and stopped improving:
    no better schedule and no better bound for a while.

    Wall-clock driven, so only used without a deterministic work budget. A level
    may so run past its share (up to what later levels need to start) while it
    keeps improving, and hands its time on as soon as it stalls.
    """

    def __init__(
        self,
        solver: cp_model.CpSolver,
        share: float,
        on_improvement: Callable[[float, float], None] | None = None,
    ) -> None:
        super().__init__()
        self._solver = solver
        self._on_improvement = on_improvement  # (best, bound): the progress line
        self._share = share
        self._start = time.monotonic()
        self._last = self._start
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        solver.best_bound_callback = self._progress

    def on_solution_callback(self) -> None:
        self._last = time.monotonic()
        if self._on_improvement is not None:
            self._on_improvement(self.objective_value, self.best_objective_bound)

    def _progress(self, _bound: float) -> None:
        self._last = time.monotonic()

    def _watch(self) -> None:
        while not self._done.wait(0.05):
            now = time.monotonic()
            stalled = now - self._last > max(1.0, 0.5 * (self._last - self._start))
            if now - self._start > self._share and stalled:
                self._solver.stop_search()
                return

    def finish(self) -> None:
        self._done.set()
        self._thread.join()
