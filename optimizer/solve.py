"""The lexicographic driver: solve the levels in order, each fixed before the next.

One CP-SAT model is built once. For each level in turn the model is solved
with that level as objective and the best schedule so far as a hint; the
level's value is then fixed (``expr <= value``) before moving on. A level the
current schedule already meets at its trivial bound (no miss, no shortfall,
every plannable case kept...) is fixed without a search. Whatever happens —
time out, Ctrl-C, CP-SAT finding nothing — the best schedule so far is
returned, and the constructive schedule is always there to fall back on.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .construct import first_fit
from .model.build import Built, add_hint, build_model, read_solution
from .model.candidates import Candidates, build_candidates, restrict
from .result import LevelReport, Result, make_result
from .scenario.schema import Scenario
from .solution import Solution

log = logging.getLogger("optimizer.solve")
cpsat_log = logging.getLogger("optimizer.cpsat")

DEFAULT_TIME_LIMIT = 60.0
DEFAULT_MAX_OPTIONS = 60_000
LEVEL_RESERVE_S = 0.4  # kept for each later level when one level runs long


class _Watchdog(cp_model.CpSolverSolutionCallback):
    """Stop a level's search once it has had its share of time and stopped improving.

    Wall-clock driven, so only used without a deterministic work budget.
    """

    def __init__(self, solver: cp_model.CpSolver, share: float) -> None:
        super().__init__()
        self._solver = solver
        self._share = share
        self._start = time.monotonic()
        self._last = self._start
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def on_solution_callback(self) -> None:
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


class InternalError(RuntimeError):
    """A bug: the model CP-SAT was given is invalid or contradicts a feasible schedule."""


@dataclass
class StopFlag:
    """Set from a signal handler to stop the search and keep the best schedule so far."""

    requested: bool = False
    _solver: cp_model.CpSolver | None = field(default=None, repr=False)

    def request(self) -> None:
        self.requested = True
        if self._solver is not None:
            self._solver.stop_search()


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def solve(
    scenario: Scenario,
    *,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    work_limit: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
    target: float | None = None,
    log_search: bool = False,
    hint: Solution | None = None,
    params: dict[str, Any] | None = None,
    stop: StopFlag | None = None,
    max_options: int = DEFAULT_MAX_OPTIONS,
) -> Result:
    """Revise the schedule of ``scenario`` with the capacity it has left.

    Parameters
    ----------
    scenario
        A validated scenario (see :func:`optimizer.load_scenario`).
    time_limit
        Wall-clock bound in seconds for the whole search (all levels); ``None``: no bound.
    work_limit
        Deterministic work budget (CP-SAT's ``max_deterministic_time``, summed
        over levels). With ``workers=1`` and the same seed, the same input gives
        the same schedule, byte for byte.
    seed
        Random seed of the search (default: the policy's ``seed``).
    workers
        Search workers (default: the machine's cores, at most 8).
    target
        Kept-ratio target overriding the policy's ``target_ratio``.
    hint
        A schedule to start from instead of the constructive one.
    params
        Extra CP-SAT parameters, by name.
    stop
        A flag a signal handler may set to end the search early.
    max_options
        Above this many (case, date, room) options the model keeps, per case, its
        planned date, the dates up to its deadline and its first few other dates
        (reported as ``days_ahead`` in the summary); bounds then hold for that
        restricted model only.
    """
    started = time.monotonic()
    if target is not None:
        policy = scenario.policy.model_copy(update={"target_ratio": target})
        scenario = scenario.model_copy(update={"policy": policy})
    seed = scenario.policy.seed if seed is None else seed
    workers = default_workers() if workers is None else workers
    if time_limit is None:
        time_limit = scenario.policy.time_limit_s
    stop = stop or StopFlag()

    full = build_candidates(scenario)
    starts = [hint] if hint is not None else [
        first_fit(full, keep_in_place=True), first_fit(full, keep_in_place=False)
    ]
    cand, days_ahead = restrict(full, starts, max_options)
    built = build_model(cand)
    # the better starting schedule, level by level
    incumbent = min(starts, key=lambda sol: [level.value(sol) for level in built.levels])
    reports: list[LevelReport] = []
    solver_used = False

    levels = built.levels
    work_left = work_limit
    for k, level in enumerate(levels):
        value = level.value(incumbent)
        remaining_levels = len(levels) - k
        if value <= level.lower_bound:
            reports.append(LevelReport(level.name, value * level.unit, value * level.unit,
                                       "OPTIMAL", 0.0, searched=False))
            built.model.add(level.expr <= value)
            continue
        if stop.requested:
            reports.append(LevelReport(level.name, value * level.unit, None, "INTERRUPTED",
                                       0.0, searched=False))
            built.model.add(level.expr <= value)
            continue
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.random_seed = seed
        p.num_workers = workers
        # Each level is a fresh solve: light presolve pays off (measured in benchmarks/).
        p.cp_model_probing_level = 0
        p.symmetry_level = 0
        share = None
        if time_limit is not None:
            left = time_limit - (time.monotonic() - started)
            share = max(0.05, left / remaining_levels)
            # A level may run past its share, up to what later levels need to start,
            # but only while it keeps improving (see _Watchdog).
            p.max_time_in_seconds = max(share, left - LEVEL_RESERVE_S * (remaining_levels - 1))
        if work_left is not None:
            p.max_deterministic_time = max(0.01, work_left / remaining_levels)
        p.log_search_progress = log_search
        for name, val in (params or {}).items():
            setattr(p, name, val)
        if log_search:
            solver.log_callback = cpsat_log.info
        built.model.minimize(level.expr)
        add_hint(built, cand, incumbent)
        stop._solver = solver
        watchdog = _Watchdog(solver, share) if share is not None and work_left is None else None
        status = solver.solve(built.model, watchdog)
        if watchdog is not None:
            watchdog.finish()
        stop._solver = None
        solver_used = True
        if work_left is not None:
            work_left = max(0.0, work_left - solver.deterministic_time)
        name = solver.status_name(status)
        if status == cp_model.MODEL_INVALID:
            raise InternalError(f"CP-SAT model invalid: {built.model.validate()}")
        if status == cp_model.INFEASIBLE:
            raise InternalError(
                f"level '{level.name}' is infeasible although a feasible schedule is known"
            )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = read_solution(solver, cand, built.variables)
            if level.value(found) <= value:
                incumbent, value = _repaired(cand, built, found, k), level.value(found)
            bound = max(level.lower_bound, min(value, round(solver.best_objective_bound)))
            if bound == value:
                name = "OPTIMAL"
            reports.append(LevelReport(level.name, value * level.unit, bound * level.unit, name,
                                       solver.wall_time, searched=True))
        else:  # UNKNOWN: nothing better than the incumbent in time
            reports.append(LevelReport(level.name, value * level.unit, None, name,
                                       solver.wall_time, searched=True))
        built.model.add(level.expr <= value)
        log.info("level %s: %s value=%s", level.name, name, value)

    return make_result(
        scenario,
        cand,
        incumbent,
        reports,
        wall_time=time.monotonic() - started,
        interrupted=stop.requested,
        settings={
            "seed": seed,
            "workers": workers,
            "time_limit_s": time_limit,
            "work_limit": work_limit,
            "cp_sat_used": solver_used,
            "days_ahead": days_ahead,
        },
    )


def _repaired(cand: Candidates, built: Built, found: Solution, k: int) -> Solution:
    """``found``, or better on the later levels: what matters up to level ``k`` is kept
    (cases with a deadline placed in time, kept cases), the rest rebuilt by first fit.

    A level's search stops at that level's optimum and may leave the later levels
    poor; a cheap repair gives the next search a much better start on big instances.
    """
    keep: Solution = []
    for i, p in enumerate(found):
        dl, pd = cand.deadline_day[i], cand.planned_day[i]
        in_time = p is not None and dl is not None and p.day <= dl
        kept = p is not None and p.here and p.day == pd
        keep.append(p if in_time or kept else None)
    repaired = first_fit(cand, keep_in_place=False, fixed=keep)
    score = [lv.value for lv in built.levels]
    if [f(repaired) for f in score[: k + 1]] <= [f(found) for f in score[: k + 1]] and [
        f(repaired) for f in score
    ] < [f(found) for f in score]:
        return repaired
    return found


def check_level_consistency(built: Built, cand: Candidates, solution: Solution) -> list[str]:
    """Debug aid for tests: each level's Python value against CP-SAT's, on one solution."""
    solver = cp_model.CpSolver()
    add_hint(built, cand, solution)
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    out = []
    for level in built.levels:
        built.model.minimize(level.expr)
        status = solver.solve(built.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return [f"solution rejected by the model ({solver.status_name(status)})"]
        if round(solver.objective_value) != level.value(solution):
            out.append(f"{level.name}: model {solver.objective_value} vs {level.value(solution)}")
    return out
