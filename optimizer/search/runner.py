"""Running CP-SAT on the model: solver settings, one solve, its status mapped."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.solution import Solution
from ..model.build import Built, add_hint, read_solution
from ..scenario.params import SolverParams
from .outcome import Budget, Outcome
from .stop import StopFlag, solve_interruptibly
from .watchdog import Watchdog

if TYPE_CHECKING:
    from .prove import MasterProof

cpsat_log = logging.getLogger("optimizer.cpsat")


def searched_whole(built: Built, params: SolverParams) -> bool:
    """CP-SAT searches the whole model, not window by window (``params.lns_min_options``)."""
    return len(built.variables.room) <= params.lns_min_options


class InternalError(RuntimeError):
    """A bug: the model CP-SAT was given is invalid or contradicts a feasible schedule."""


@dataclass
class Runner:
    """Solves the one model of a run, with the run's seed, workers and CP-SAT settings."""

    built: Built
    cand: Candidates
    seed: int
    workers: int
    stop: StopFlag
    log_search: bool = False
    cpsat_params: Mapping[str, Any] = field(default_factory=dict)
    # a thread for the weighted delay's master beside its one-worker search (prove.py)
    proof_thread: bool = False
    master_proof: MasterProof | None = None  # that master while the level runs
    # (best, bound) of the level being searched, for the progress line; set by the driver
    on_improvement: Callable[[float, float], None] | None = None

    def solver(
        self, seconds: float | None, work: float | None, workers: int | None = None
    ) -> cp_model.CpSolver:
        """A solver with the run's settings; ``workers`` overrides the run's number."""
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.random_seed = self.seed
        p.num_workers = self.workers if workers is None else workers
        # Each level is a fresh solve: light presolve pays off (measured in benchmarks/).
        p.cp_model_probing_level = 0
        p.symmetry_level = 0
        p.catch_sigint_signal = False  # our handler stops the search and keeps the schedule
        if seconds is not None:
            p.max_time_in_seconds = max(0.05, seconds)
        if work is not None:
            p.max_deterministic_time = max(0.01, work)
        p.log_search_progress = self.log_search
        for name, val in self.cpsat_params.items():
            setattr(p, name, val)
        if self.log_search:
            solver.log_callback = cpsat_log.info
            p.log_to_stdout = False  # the logger's handler says it; not a second time on stdout
        return solver

    def run(
        self,
        solver: cp_model.CpSolver,
        watchdog: Watchdog | None = None,
        callback: cp_model.CpSolverSolutionCallback | None = None,
    ) -> Outcome:
        """One solve of the model as it stands (objective, hint, domains); no bound if
        nothing was found. Work and wall time are left to the caller (see :func:`spent`).
        ``callback``: told of each solution when there is no ``watchdog``."""
        if self.stop.requested:
            if watchdog is not None:
                watchdog.finish()
            return Outcome(None, "INTERRUPTED")
        self.stop.attach(solver)
        try:
            status = solve_interruptibly(solver, self.built.model, watchdog or callback)
        finally:
            if watchdog is not None:
                watchdog.finish()
            self.stop.detach()
        if status == cp_model.MODEL_INVALID:
            raise InternalError(f"CP-SAT model invalid: {self.built.model.validate()}")
        if status == cp_model.INFEASIBLE:
            raise InternalError("a level is infeasible although a feasible schedule is known")
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = read_solution(solver, self.cand, self.built.variables)
            return Outcome(found, solver.status_name(status), round(solver.best_objective_bound))
        return Outcome(None, solver.status_name(status))

    def whole(self, incumbent: Solution, budget: Budget) -> Outcome:
        """One solve of the whole model, hinted with the incumbent."""
        solver = self.solver(budget.seconds, budget.work)
        add_hint(self.built, self.cand, incumbent)
        watchdog = (
            Watchdog(solver, budget.share, self.on_improvement)
            if budget.share is not None and budget.work is None
            else None
        )
        out = self.run(solver, watchdog)
        return Outcome(out.found, out.status, out.bound, work_of(solver), wall_of(solver))


def work_of(solver: cp_model.CpSolver) -> float:
    """Deterministic time the solver used; 0 if it was never run (stopped before)."""
    try:
        return float(solver.deterministic_time)
    except RuntimeError:
        return 0.0


def wall_of(solver: cp_model.CpSolver) -> float:
    try:
        return float(solver.wall_time)
    except RuntimeError:
        return 0.0
