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
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .construct import first_fit
from .model.build import Built, add_hint, build_model, read_solution
from .model.candidates import Candidates, build_candidates, restrict
from .model.objective import Level
from .result import LevelReport, Result, make_result
from .scenario.schema import Scenario
from .solution import Solution

log = logging.getLogger("optimizer.solve")
cpsat_log = logging.getLogger("optimizer.cpsat")

DEFAULT_TIME_LIMIT = 30.0
DEFAULT_MAX_OPTIONS = 30_000
LEVEL_RESERVE_S = 0.4  # kept for each later level when one level runs long
LNS_MIN_OPTIONS = 20_000  # above this many room options, levels are searched window by window
WINDOW_DAYS = 1
LNS_LEVEL_FRACTION = 0.5
WINDOW_SECONDS = 3.0
WINDOW_WORK = 1.0


class _Watchdog(cp_model.CpSolverSolutionCallback):
    """Stop a level's search once it has had its share of time and stopped improving:
    no better schedule and no better bound for a while.

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
        solver.best_bound_callback = self._progress

    def on_solution_callback(self) -> None:
        self._last = time.monotonic()

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
    time_limit: float | None = None,
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
        Wall-clock bound in seconds for the whole search (all levels); ``None``: the
        policy's ``time_limit_s``, else 30 s. It bounds time only: use ``work_limit``
        for a reproducible run.
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
        time_limit = scenario.policy.time_limit_s or DEFAULT_TIME_LIMIT
    stop = stop or StopFlag()

    full = build_candidates(scenario)
    starts = (
        [hint]
        if hint is not None
        else [first_fit(full, keep_in_place=True), first_fit(full, keep_in_place=False)]
    )
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
            reports.append(
                LevelReport(
                    level.name,
                    value * level.unit,
                    value * level.unit,
                    "OPTIMAL",
                    0.0,
                    searched=False,
                )
            )
            built.model.add(level.expr <= value)
            continue
        out_of_time = time_limit is not None and time.monotonic() - started >= time_limit
        if stop.requested or out_of_time or (work_left is not None and work_left <= 0):
            status = "INTERRUPTED" if stop.requested else "UNKNOWN"
            reports.append(
                LevelReport(level.name, value * level.unit, None, status, 0.0, searched=False)
            )
            built.model.add(level.expr <= value)
            continue
        level_time = None
        share = None
        if time_limit is not None:
            left = time_limit - (time.monotonic() - started)
            share = max(0.05, left / remaining_levels)
            # A level may run past its share, up to what later levels need to start,
            # but only while it keeps improving (see _Watchdog).
            level_time = max(share, left - LEVEL_RESERVE_S * (remaining_levels - 1))
        level_work = None if work_left is None else max(0.01, work_left / remaining_levels)
        built.model.minimize(level.expr)
        search = _Search(built, cand, seed, workers, params, log_search, stop)
        solver_used = True
        found, name, bound, used_work, wall = search.level(
            incumbent, level, level_time, level_work, share
        )
        if work_left is not None:
            work_left = max(0.0, work_left - used_work)
        if found is not None and level.value(found) <= value:
            incumbent = _repaired(cand, built, found, k)
            value = level.value(incumbent)
        if bound is not None:
            bound = max(level.lower_bound, min(value, bound))
            if bound == value:
                name = "OPTIMAL"
        reports.append(
            LevelReport(
                level.name,
                value * level.unit,
                None if bound is None else bound * level.unit,
                name,
                wall,
                searched=True,
            )
        )
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


class _Search:
    """One level's search: on the whole model, or window by window on large ones."""

    def __init__(
        self,
        built: Built,
        cand: Candidates,
        seed: int,
        workers: int,
        params: dict[str, Any] | None,
        log_search: bool,
        stop: StopFlag,
    ) -> None:
        self.built, self.cand, self.seed, self.workers = built, cand, seed, workers
        self.params, self.log_search, self.stop = params or {}, log_search, stop

    def _solver(self, seconds: float | None, work: float | None) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.random_seed = self.seed
        p.num_workers = self.workers
        # Each level is a fresh solve: light presolve pays off (measured in benchmarks/).
        p.cp_model_probing_level = 0
        p.symmetry_level = 0
        p.catch_sigint_signal = False  # our handler stops the search and keeps the schedule
        if seconds is not None:
            p.max_time_in_seconds = max(0.05, seconds)
        if work is not None:
            p.max_deterministic_time = max(0.01, work)
        p.log_search_progress = self.log_search
        for name, val in self.params.items():
            setattr(p, name, val)
        if self.log_search:
            solver.log_callback = cpsat_log.info
        return solver

    def _run(
        self, solver: cp_model.CpSolver, watchdog: _Watchdog | None = None
    ) -> tuple[Solution | None, str, int | None]:
        if self.stop.requested:
            if watchdog is not None:
                watchdog.finish()
            return None, "INTERRUPTED", None
        self.stop._solver = solver
        try:
            status = _solve_interruptibly(solver, self.built.model, watchdog)
        finally:
            if watchdog is not None:
                watchdog.finish()
            self.stop._solver = None
        if status == cp_model.MODEL_INVALID:
            raise InternalError(f"CP-SAT model invalid: {self.built.model.validate()}")
        if status == cp_model.INFEASIBLE:
            raise InternalError("a level is infeasible although a feasible schedule is known")
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = read_solution(solver, self.cand, self.built.variables)
            return found, solver.status_name(status), round(solver.best_objective_bound)
        return None, solver.status_name(status), None

    def level(
        self,
        incumbent: Solution,
        level: Level,
        seconds: float | None,
        work: float | None,
        share: float | None,
    ) -> tuple[Solution | None, str, int | None, float, float]:
        """Search one level; returns (schedule found or None, status, bound, work, wall time)."""
        if len(self.built.variables.room) > LNS_MIN_OPTIONS:
            # Window steps keep improving for long on big instances: leave later
            # levels a fair part of the time.
            if seconds is not None and share is not None:
                seconds = min(seconds, max(share, LNS_LEVEL_FRACTION * seconds))
            return self.windows(incumbent, level, seconds, work, share)
        if not level.per_day:
            return self.whole(incumbent, seconds, work, share)
        # Moves within a date: a quick pass date by date finds most of the gain,
        # then the whole model gets the rest of the time, for the bound.
        found, _, _, used, wall = self.windows(
            incumbent,
            level,
            None if seconds is None else seconds / 3,
            None if work is None else work / 3,
            share,
            width=1,
        )
        more, name, bound, more_used, more_wall = self.whole(
            found or incumbent,
            None if seconds is None else seconds - wall,
            None if work is None else work - used,
            None if share is None else max(0.05, share - wall),
        )
        if more is None and found is not None:
            name = "FEASIBLE"
        return more or found, name, bound, used + more_used, wall + more_wall

    def whole(
        self,
        incumbent: Solution,
        seconds: float | None,
        work: float | None,
        share: float | None,
    ) -> tuple[Solution | None, str, int | None, float, float]:
        """One solve of the whole model, hinted with the incumbent."""
        solver = self._solver(seconds, work)
        add_hint(self.built, self.cand, incumbent)
        watchdog = _Watchdog(solver, share) if share is not None and work is None else None
        found, name, bound = self._run(solver, watchdog)
        return found, name, bound, _work(solver), _wall(solver)

    def windows(
        self,
        incumbent: Solution,
        level: Level,
        seconds: float | None,
        work: float | None,
        share: float | None,
        width: int = 0,
    ) -> tuple[Solution | None, str, int | None, float, float]:
        """Large neighbourhood search over date windows, on the whole model.

        Every variable of a case away from the window is fixed to the incumbent's
        value, so CP-SAT's presolve leaves a small model: the cases placed in the
        window, planned in it, or placed later or not at all but able to move
        into it. Each accepted step is a valid schedule no worse on this level.
        No bound is proven this way.
        """
        cand, v = self.cand, self.built.variables
        proto = self.built.model.proto
        case_vars: dict[int, list[int]] = defaultdict(list)
        for (i, _d), var in v.day.items():
            case_vars[i].append(var.index)
        for (i, _d), var in v.start.items():
            case_vars[i].append(var.index)
        for (i, _d, _r), var in v.room.items():
            case_vars[i].append(var.index)
        for i, options in v.transfers.items():
            case_vars[i] += [lit.index for _t, lit in options]
        for i, var in v.unscheduled.items():
            case_vars[i].append(var.index)
        for aux in (v.stay, v.shift):
            for i, var in aux.items():
                case_vars[i].append(var.index)
        day_vars: dict[int, list[int]] = defaultdict(list)
        for cut, d, _r, _a, _b in v.cuts:
            day_vars[d].append(cut.index)
        for short, _need, cases in v.shortfall:
            pd = cand.planned_day[cases[0]]
            assert pd is not None
            day_vars[pd].append(short.index)
        option_days = {i: set(days) for i, days in v.days_of.items()}
        n_days = len(cand.dates)
        width = width or WINDOW_DAYS
        starts = list(range(0, n_days, width))
        random.Random(self.seed).shuffle(starts)
        began = time.monotonic()
        used_work = 0.0
        value = level.value(incumbent)
        best: Solution | None = None
        status = "UNKNOWN"
        idle = 0
        turn = 0
        hint: dict[int, int] = {}
        original: dict[int, list[int]] = {}  # domains before any fixing, read once
        while idle < len(starts) and not self.stop.requested:
            elapsed = time.monotonic() - began
            if seconds is not None and elapsed >= seconds:
                break
            if work is not None and used_work >= work:
                break
            window = set(range(starts[turn % len(starts)], starts[turn % len(starts)] + width))
            turn += 1
            free: set[int] = set()
            for i, p in enumerate(incumbent):
                if i not in case_vars:
                    continue
                if (
                    (p is not None and p.day in window)
                    or cand.planned_day[i] in window
                    or ((p is None or p.day > max(window)) and option_days[i] & window)
                ):
                    free.add(i)
            if not hint:  # the incumbent changed: hint it again
                add_hint(self.built, cand, incumbent)
                hint = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
            fixed = [x for i, xs in case_vars.items() if i not in free for x in xs]
            fixed += [x for d, xs in day_vars.items() if d not in window for x in xs]
            for x in fixed:
                if x not in original:
                    original[x] = list(proto.variables[x].domain)
            for x in fixed:
                domain = proto.variables[x].domain
                domain.clear()
                domain.extend([hint[x], hint[x]])
            left_s = None if seconds is None else seconds - elapsed
            left_w = None if work is None else work - used_work
            # With a work budget only the budget stops a window: a wall-clock cap would
            # make the schedule depend on the machine's load (found by the sweep).
            solver = self._solver(
                None if left_s is None else left_s if left_w is not None
                else min(left_s, WINDOW_SECONDS),
                None if left_w is None else min(left_w, WINDOW_WORK),
            )  # fmt: skip
            try:
                found, name, _bound = self._run(solver)
            finally:
                for x in fixed:
                    domain = proto.variables[x].domain
                    domain.clear()
                    domain.extend(original[x])
            used_work += _work(solver)
            if found is not None:
                status = "FEASIBLE"
                if level.value(found) < value:
                    incumbent, value, best, idle = found, level.value(found), found, 0
                    hint = {}
                    continue
            idle += 1
        return best, status, None, used_work, time.monotonic() - began


def _work(solver: cp_model.CpSolver) -> float:
    """Deterministic time the solver used; 0 if it was never run (stopped before)."""
    try:
        return float(solver.deterministic_time)
    except RuntimeError:
        return 0.0


def _wall(solver: cp_model.CpSolver) -> float:
    try:
        return float(solver.wall_time)
    except RuntimeError:
        return 0.0


def _solve_interruptibly(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None,
) -> Any:
    """``solver.solve`` in a worker thread, so the main thread stays free to run signal
    handlers (Ctrl-C, SIGTERM) while CP-SAT searches: they stop the search at once."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["status"] = solver.solve(model, callback)
        except BaseException as exc:  # handed to the main thread below
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="cp-sat", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.05)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]


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
