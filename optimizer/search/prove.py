"""The weighted delay under a clock, given the time to prove it: a one-worker search that
runs on past its cap, and the decomposition's master beside it for the bound.

Under a wall clock a level's steps (``steps.py``) search the whole model with one
worker and a work cap (``params.level_work``, about a second of CP-SAT's work), so
that the clock decides only how far down the same sequence of schedules a level
gets. On the hospitals with every rule that cap ends the weighted delay's search
before its proof: from the schedule the dates give (``delay.py``),
hospital-12-realism's delay needs 0.5 to 0.95 of work to be proven by the whole
model, and a second search from the same schedule would only repeat the first
one's path. :func:`search_past_cap` runs the one search on past the cap, up to
``params.delay_proof_work`` (more under a longer limit), while the level's time lasts.
One worker follows the same sequence of schedules whatever stops it: the clock
decides only how far down it the search gets, and its last schedule is taken once it
has done the cap's work (a search cut before may have stopped anywhere). Its bound is
taken in any case: it holds whatever stopped the search. (The work a solution
callback reports stays at its value after presolve in a one-worker solve, measured
with OR-Tools 9.15: 47 schedules over 7 s all at 0.0028; so no schedule can be tied
to the work done when it was found, and the cap is read from the search's total.)

With a second worker, :class:`MasterProof` solves the decomposition's master
(``model/master.py``: dates and energy sums, every earlier level fixed as in the
whole model: a relaxation of the whole problem) in a thread from the level's
start, beside the dates' improvement and that search. Measured on the level's
models (one worker): hospital-12-realism's master proves the delay's optimum,
1,667, in 0.4 of work where the whole model needs 0.5 to 0.95, and hospital-15's
bounds it at 1,084 where the whole model's bound is 1,074 to 1,080 after 60 s. The
master's dates, sequenced (``benders.sequence``), often reach its optimum: that
schedule then proves the level. Otherwise the whole model's search stops at its
first schedule as good as the master's bound, the first of the one worker's
sequence at that value: the same on any machine.

A date the master fills beyond what can be sequenced is filled by CP-SAT with as
many of its cases as fit (``date_cuts.fill_date``: those the earlier levels need
first), first fit placing the others: hospital-15's master dates so give 1,087 to
1,120 (its bound: 1,085) where a 10-s run ends at 1,132 and no search had found
better than 1,095. That is the master's ``better`` schedule when every earlier
level is as at the start: the level's date steps (``delay.py``) go on from it
while they run, else the master's thread improves it date by date itself
(hospital-15: 1,120 to 1,086 in 0.22 of work); the level takes it when lower than
its searches' own. A date left short is then checked whole: a set of cases CP-SAT
proves cannot all be there is cut (every such date in the same round), a sequence
it finds is taken. The first round stops at half the master's work (hospital-14's
master needs 7 to 16 to its optimum): its assignment gives a schedule while time
is left, and the rounds go on from it.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import cast

from ortools.sat.python import cp_model

from ..facts.solution import Placement, Solution
from ..model.build import add_hint, read_solution
from ..model.master import build_master
from ..model.objective import Level
from .benders import sequence
from .date_cuts import check_date, cut, fill_date, on_dates
from .delay import improve_delay
from .outcome import Budget, Outcome
from .runner import Runner, wall_of, work_of
from .stop import StopFlag

log = logging.getLogger("optimizer.solve")
# A search that spent less than this share of its work was cut by the clock.
COMPLETED = 0.95
FIRST = 0.5  # the first round's share of the master's work
DATE_SHARE = 32  # a date's filling gets the master's work over this, its check twice that
ROUNDS = 50  # of master and sequencing at most (only guards the loop: the clock ends it)
METHOD = "the decomposition's master (dates and energy sums), CP-SAT's schedule"
SEQUENCED = "the decomposition's master (dates and energy sums), its dates sequenced"
IMPROVED = SEQUENCED + ", then improved date by date"


class _ByCap(cp_model.CpSolverSolutionCallback):
    """Keeps the last schedule found (the best so far); stops the search at a schedule as
    good as the master's bound (the level is then proven)."""

    def __init__(self, runner: Runner, solver: cp_model.CpSolver) -> None:
        super().__init__()
        self._runner, self._solver = runner, solver
        self.found: Solution | None = None
        self.best: float | None = None
        self.bound: int | None = None
        self.reached = False  # the master's own schedule reaches its bound

    def on_solution_callback(self) -> None:
        self.best = self.objective_value
        solver = cast(cp_model.CpSolver, self)  # the same value accessors
        self.found = read_solution(solver, self._runner.cand, self._runner.built.variables)
        if self.reached or (self.bound is not None and self.best <= self.bound):
            self.stop_search()

    def bound_known(self, bound: int, reached: bool) -> None:
        """The master's ``bound``; ``reached``: its own schedule reaches it."""
        self.bound, self.reached = bound, reached
        if reached or (self.best is not None and self.best <= bound):
            self._solver.stop_search()


class MasterProof:
    """The master of level ``k`` solved in a thread of its own (one worker, its linear
    relaxation at its strongest), every earlier level fixed at ``start``'s values; its
    bound, and its dates sequenced when that schedule reaches it."""

    def __init__(
        self, runner: Runner, k: int, start: Solution, seconds: float | None, work: float
    ) -> None:
        self._runner, self._k, self._start = runner, k, start
        self._solver = runner.solver(seconds, work, workers=1)
        self._solver.parameters.linearization_level = 2
        self._own = dataclasses.replace(runner, stop=StopFlag())  # its own solves' flag
        self._end = None if seconds is None else time.monotonic() + seconds
        self._work, self._date_work = work, work / DATE_SHARE
        self._lock = threading.Lock()
        self._watchers: list[_ByCap] = []
        self.bound: int | None = None
        self.found: Solution | None = None
        self.better: Solution | None = None  # the best schedule of its rounds, not proven
        self._how = SEQUENCED  # how that schedule was found
        self.dates_running = False  # the level's date-by-date steps run (delay.py)
        self._thread = threading.Thread(target=self._solve, name="cp-sat-master", daemon=True)
        self._thread.start()

    def _solve(self) -> None:
        """Rounds of master and sequencing (logic-based Benders, as ``benders.py``): a date
        CP-SAT proves the master's cases cannot all share is cut, and the master solved
        again, while its search lasts. Built here: the search beside it starts at once."""
        runner, k, start = self._runner, self._k, self._start
        levels = runner.built.levels
        target = [lv.value(start) for lv in levels[:k]]
        master = build_master(runner.cand)
        for n in range(k):
            master.model.add(master.levels[n].expr <= target[n])
        master.model.minimize(master.levels[k].expr)
        hint = start
        for n in range(ROUNDS):
            left = None if self._end is None else self._end - time.monotonic()
            if left is not None and left <= 0:
                return
            if left is not None:
                self._solver.parameters.max_time_in_seconds = left
            # the first round stops at half its work: on hospital-14 its dates then give a
            # schedule while half the level's time is left (rounds go on from its assignment)
            self._solver.parameters.max_deterministic_time = self._work * (FIRST if n == 0 else 1)
            add_hint(master, runner.cand, hint)
            self._own.stop.attach(self._solver)
            if self._own.stop.requested:
                return
            status = self._solver.solve(master.model)
            self._own.stop.detach()
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return
            bound = math.ceil(self._solver.best_objective_bound - 1e-6)
            late = self._end is not None and time.monotonic() >= self._end
            if self._own.stop.requested or late:  # the level is over: its bound only
                self._publish(bound, None)
                return
            hint = read_solution(self._solver, runner.cand, master.variables)
            placed, short = self._filled(hint)
            schedule = sequence(runner.cand, hint, placed)[0]
            values = [lv.value(schedule) for lv in levels[: k + 1]]
            if values[:k] == target and self._lower(schedule):
                self._publish(bound, None, schedule)
                if not self.dates_running:  # else those steps take it (delay.py)
                    self._improve(schedule)
            cores, whole = self._cores(hint, short)
            if whole:  # a date CP-SAT sequenced whole: the master's dates again, with it
                schedule = sequence(runner.cand, hint, placed | whole)[0]
                values = [lv.value(schedule) for lv in levels[: k + 1]]
                if values[:k] == target and self._lower(schedule):
                    self._publish(bound, None, schedule)
            best = self.better
            found = best is not None and levels[k].value(best) <= bound
            self._publish(bound, best if found else None)
            log.info(
                "master beside the delay, round %d: %s, bound %d, dates sequenced %s, best %s, "
                "%d cut(s)",
                n + 1, self._solver.status_name(status), bound, values,
                None if best is None else levels[k].value(best), len(cores),
            )  # fmt: skip
            if found or (status == cp_model.OPTIMAL and not cores):
                return
            for d, core in cores:
                cut(master, d, core)

    def _lower(self, schedule: Solution) -> bool:
        """``schedule`` is lower on the level than the best one so far (or the first)."""
        level = self._runner.built.levels[self._k]
        return self.better is None or level.value(schedule) < level.value(self.better)

    def _improve(self, schedule: Solution) -> None:
        """``schedule`` improved date by date (``delay.py``: a fifth of a date's filling work
        for each, until the master's clock ends or a round over the dates gains nothing): the
        master's dates rarely fit as they are, and what first fit did with the cases left
        over is what these steps mend (hospital-15: 1,120 to 1,086 in 0.22 of work)."""
        runner, k = self._own, self._k
        level = runner.built.levels[k]
        left = None if self._end is None else max(0.0, self._end - time.monotonic())
        budget = Budget(left, self._work, None)
        out = improve_delay(runner, schedule, level, k, budget, self._date_work / 5)
        if out.found is not None and self._lower(out.found):
            self._how = IMPROVED
            with self._lock:
                self.better = out.found

    def _publish(self, bound: int, found: Solution | None, better: Solution | None = None) -> None:
        """A round's ``bound``, its schedule ``found`` when that reaches it, and ``better``:
        its schedule when every earlier level is as at the start (the best one is kept)."""
        level = self._runner.built.levels[self._k]
        with self._lock:
            self.bound = bound if self.bound is None else max(bound, self.bound)
            self.found = found
            if better is not None and (
                self.better is None or level.value(better) < level.value(self.better)
            ):
                self.better, self._how = better, SEQUENCED
            for watcher in self._watchers:
                watcher.bound_known(self.bound, found is not None)

    def _filled(self, assignment: Solution) -> tuple[dict[int, Placement], list[int]]:
        """``assignment``'s dates that ``benders.sequence`` fails, each filled by CP-SAT with
        as many of its cases as fit there (``date_cuts.fill_date``, on a stop flag of its
        own, a thirty-second of the master's work each; first fit then places the others):
        their placements, and the dates where not all of them fit."""
        first, failed = sequence(self._runner.cand, assignment)
        dates = on_dates(assignment)
        placed: dict[int, Placement] = {}
        short: list[int] = []
        for d in sorted({d for d, _ in failed}):
            if self._own.stop.requested:
                break
            filled, whole = fill_date(self._own, d, dates[d], first, None, self._date_work)
            placed.update(filled)
            if not whole:
                short.append(d)
        return placed, short

    def _cores(
        self, assignment: Solution, short: list[int]
    ) -> tuple[list[tuple[int, list[int]]], dict[int, Placement]]:
        """Each of the ``short`` dates of ``assignment`` checked by CP-SAT whole
        (``date_cuts.check_date``, twice a date's filling work): the cases it proves cannot
        all be there, by date (each is a cut), and the placements of the dates it sequences
        whole after all."""
        dates = on_dates(assignment)
        cores: list[tuple[int, list[int]]] = []
        whole: dict[int, Placement] = {}
        for d in short:
            if self._own.stop.requested:
                break
            check = check_date(self._own, d, dates[d], None, 2 * self._date_work)
            if check.core is not None:
                cores.append((d, check.core))
            elif check.found is not None:
                whole.update(check.found)
        return cores, whole

    def watch(self, by_cap: _ByCap) -> None:
        with self._lock:
            self._watchers.append(by_cap)
            if self.bound is not None:
                by_cap.bound_known(self.bound, self.found is not None)

    def unwatch(self, by_cap: _ByCap) -> None:
        with self._lock:
            self._watchers.remove(by_cap)

    def wait(self, seconds: float | None = None) -> bool:
        """Wait up to ``seconds`` (``None``: however long) for its search to end; whether
        it has."""
        self._thread.join(seconds)
        return not self._thread.is_alive()

    def finish(self) -> None:
        """Stop its search (the level's has ended): its bound holds whatever stopped it."""
        self._own.stop.request()
        self._solver.stop_search()
        self._thread.join()

    def merged(self, level: Level, incumbent: Solution, out: Outcome) -> Outcome:
        """The level's outcome ``out`` (from ``incumbent``) with what the master proved, and
        its best schedule when that is lower on the level than the searches' own."""
        if self.found is not None and out.status != "OPTIMAL":
            return Outcome(self.found, "OPTIMAL", self.bound, out.work, out.wall, self._how)
        better = self.better
        if better is not None and level.value(better) < level.value(out.found or incumbent):
            out = Outcome(better, "FEASIBLE", out.bound, out.work, out.wall, out.method)
        if self.bound is None or (out.bound is not None and out.bound >= self.bound):
            return out
        value = level.value(out.found or incumbent)
        status = "OPTIMAL" if value <= self.bound else out.status
        return Outcome(out.found, status, self.bound, out.work, out.wall, METHOD)


def proven_beside(
    runner: Runner, level: Level, incumbent: Solution, budget: Budget, steps: Callable[[], Outcome]
) -> Outcome:
    """``steps`` (the level's searches from ``incumbent``) with the master of ``level`` solved
    beside them within ``budget`` when due (see :func:`start_master`), what it proved merged
    in."""
    k = runner.built.levels.index(level)
    assert budget.work is not None
    master = start_master(runner, k, incumbent, budget.seconds, budget.work)
    if master is None:
        return steps()
    runner.master_proof = master
    try:
        out = steps()
    finally:
        runner.master_proof = None
        master.finish()
    return master.merged(level, incumbent, out)


def start_master(
    runner: Runner, k: int, start: Solution, seconds: float | None, work: float
) -> MasterProof | None:
    """The master beside the level's searches, when a second worker is there for it (and no
    levers: their master's levels differ), under a clock."""
    if not runner.proof_thread or runner.cand.levers is not None or seconds is None:
        return None
    return MasterProof(runner, k, start, seconds, work)


def search_past_cap(
    runner: Runner, start: Solution, budget: Budget, most: float, master: MasterProof | None
) -> Outcome:
    """The whole model (its objective set) searched from ``start`` with one worker for up to
    ``most`` work within ``budget.seconds``, its schedule as the module says: the search's
    own when the level is proven or it completes ``most``, else its last one once it has
    done ``budget.work`` (``None`` when the clock stopped it before that much work)."""
    assert budget.work is not None
    if master is not None and master.found is not None:  # proven already: the master's
        return Outcome(None, "UNKNOWN", master.bound, 0.0, 0.0, METHOD)
    most = max(most, budget.work)
    solver = runner.solver(budget.seconds, most, workers=1)
    by_cap = _ByCap(runner, solver)
    if master is not None:
        master.watch(by_cap)
    add_hint(runner.built, runner.cand, start)
    try:
        out = runner.run(solver, callback=by_cap)
    finally:
        if master is not None:
            master.unwatch(by_cap)
    work, wall = work_of(solver), wall_of(solver)
    bound, method = out.bound, None
    if by_cap.bound is not None and (bound is None or by_cap.bound > bound):
        bound, method = by_cap.bound, METHOD
    if master is not None and master.found is not None:
        return Outcome(None, "UNKNOWN", bound, work, wall, method)  # the master's (merged)
    reached = by_cap.best is not None and bound is not None and by_cap.best <= bound
    if out.status == "OPTIMAL" or (out.found is not None and reached):
        return Outcome(out.found, "OPTIMAL", bound, work, wall, method)
    if work >= COMPLETED * most:
        return Outcome(out.found, out.status, bound, work, wall, method)
    found = by_cap.found if work >= COMPLETED * budget.work else None
    return Outcome(found, "FEASIBLE" if found else "UNKNOWN", bound, work, wall, method)
