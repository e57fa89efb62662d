"""Stopping a search from outside: a flag a signal handler sets, and a solve that heeds it.

CP-SAT runs in a worker thread so that the main thread stays free to run
signal handlers (Ctrl-C, SIGTERM) while it searches: they stop the search at
once, and the best schedule so far is kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model


@dataclass
class StopFlag:
    """Set from a signal handler to stop the search and keep the best schedule so far."""

    requested: bool = False
    _solver: cp_model.CpSolver | None = field(default=None, repr=False)

    def request(self) -> None:
        self.requested = True
        if self._solver is not None:
            self._solver.stop_search()

    def attach(self, solver: cp_model.CpSolver) -> None:
        """``solver`` is the one searching now: :meth:`request` stops it."""
        self._solver = solver

    def detach(self) -> None:
        self._solver = None


def solve_interruptibly(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None,
) -> Any:
    """``solver.solve`` in a worker thread, so the main thread stays free to run signal
    handlers (Ctrl-C, SIGTERM) while CP-SAT searches: they stop the search at once.

    An exception raised in the main thread meanwhile (Ctrl-C where no handler of a
    command's catches it: a serial sweep) stops the search and waits for it before it
    leaves: the interpreter must not exit under a running CP-SAT (SIGABRT).

    Outside the main thread (a Dask worker's task, a desk run) no signal handler runs, so
    the search runs in the calling thread: a thread started per search on a Dask worker
    raced with the worker's profiler (``sys._current_frames``) into a deadlock of CPython
    3.11 (gh-106883), and a cluster test hung for good."""
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model, callback)
    outcome: dict[str, Any] = {}
    # Not thread.is_alive(): a join() interrupted by Ctrl-C marks a running thread as ended.
    ended = threading.Event()

    def work() -> None:
        try:
            outcome["status"] = solver.solve(model, callback)
        except BaseException as exc:  # handed to the main thread below
            outcome["error"] = exc
        finally:
            ended.set()

    thread = threading.Thread(target=work, name="cp-sat", daemon=True)
    thread.start()
    try:
        while not ended.wait(0.05):
            pass
    except BaseException:
        solver.stop_search()
        while not ended.wait(0.05):  # again until it ends: it may not have begun to search
            solver.stop_search()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]
