"""The levels of planned cases kept (the shortfall, the cases kept), proven date by date.

A date keeps only its own planned cases, and every rule that limits how many
(rooms, turnovers, surgeons, anaesthetists, pools, beds, sequencing) acts on
that date's cases together: so the most planned cases of date ``d`` that any
valid schedule keeps on ``d`` is at most the optimum of ``d``'s relaxation
(:func:`optimizer.model.master.build_date`, ``d``'s planned cases alone, every
rule of the date), whatever the other dates do. Summed over the dates it bounds
both levels for the whole problem: kept at most ``sum C_d``, shortfall at least
``sum max(0, need_d - C_d)`` (CP-SAT's bound of a date, when its time ran out
before the proof, serves the same). Only the dates the incumbent does not keep
whole need a solve.

Each date's best schedule (among its most kept, the most urgent cases kept)
then goes into the incumbent, and first fit places the cases it displaced:
when every earlier level is as it was, that is the new incumbent; when it reaches the
bound, the level is proven. The bounds also become constraints of the whole
model (``kept on d <= C_d``): implied, but CP-SAT's linear relaxation sees them,
for this level's proof and the later ones'.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind, scaled
from ..facts.solution import Placement, Solution
from ..model.build import Built, DateBounds, add_hint, read_solution
from ..model.master import build_date
from ..model.objective import Level
from .construct import first_fit, held_at_a_slot, unplaced_held
from .occupancy import Occupancy
from .outcome import Budget
from .runner import Runner, work_of
from .stop import solve_interruptibly


@dataclass(frozen=True)
class DaysOutcome:
    found: Solution | None  # a better schedule, every earlier level as it was, or None
    bound: int | None  # the level's bound for the whole problem, or None
    work: float
    wall: float


def planned_on(built: Built, cand: Candidates) -> dict[int, list[int]]:
    """Per date, its planned cases that have an option on it (the others cannot be kept)."""
    out: dict[int, list[int]] = {}
    for i, d in enumerate(cand.planned_day):
        if d is not None and (i, d) in built.variables.day:
            out.setdefault(d, []).append(i)
    return out


def gains(cand: Candidates, weighted: bool) -> Callable[[int], int]:
    """What keeping case ``i`` counts (the kept level's own gain)."""
    return (lambda i: scaled(cand.weight[i])) if weighted else (lambda i: 1)


def search_days(runner: Runner, level: Level, incumbent: Solution, budget: Budget) -> DaysOutcome:
    """Bound ``level`` (shortfall or kept) date by date and try the dates' best schedules."""
    began = time.monotonic()
    cand, built = runner.cand, runner.built
    memo = built.dates
    weighted = level.kind is LevelKind.KEPT_WEIGHTED
    gain = gains(cand, weighted)
    planned = planned_on(built, cand)
    kept = _kept(cand, incumbent, planned)
    most = memo.most[weighted]
    todo = [d for d in sorted(planned) if kept[d] < len(planned[d]) and d not in most]
    work = 0.0
    for n, d in enumerate(todo):
        left_s = None if budget.seconds is None else budget.seconds - (time.monotonic() - began)
        left_w = None if budget.work is None else budget.work - work
        if (left_s is not None and left_s <= 0) or (left_w is not None and left_w <= 0):
            break
        if runner.stop.requested:
            break
        parts = len(todo) - n
        work += _solve_date(
            runner,
            memo,
            d,
            planned[d],
            gain,
            weighted,
            incumbent,
            None if left_s is None else left_s / parts,
            None if left_w is None else left_w / parts,
        )
    v = built.variables
    for d, m in most.items():  # implied, but the whole model's relaxation sees them
        if (weighted, d) not in memo.cut:
            memo.cut.add((weighted, d))
            built.model.add(sum(gain(i) * v.day[i, d] for i in planned[d]) <= m)
    # Dates kept whole (or not solved): at most every planned case with an option there.
    bound_on = {d: most.get(d, sum(gain(i) for i in cases)) for d, cases in planned.items()}
    # The dates whose best schedule keeps at least what the incumbent keeps there.
    days = set()
    for d, places in memo.best.items():
        cases = planned.get(d, [])
        if sum(gain(i) for i in cases if i in places) >= sum(
            gain(i) for i in cases if _on(incumbent[i], d)
        ):
            days.add(d)
    found = _assemble(runner, memo, incumbent, built.levels.index(level), days)
    return DaysOutcome(found, _level_bound(level, built, bound_on), work, time.monotonic() - began)


def _kept(cand: Candidates, sol: Solution, planned: dict[int, list[int]]) -> dict[int, int]:
    return {d: sum(1 for i in cases if _on(sol[i], d)) for d, cases in planned.items()}


def _solve_date(
    runner: Runner,
    memo: DateBounds,
    d: int,
    cases: list[int],
    gain: Callable[[int], int],
    weighted: bool,
    incumbent: Solution,
    seconds: float | None,
    work: float | None,
) -> float:
    """Date ``d``'s most kept (its bound), then, among the schedules keeping that many, the
    most urgent cases kept and the fewest moved; returns the work spent."""
    cand = runner.cand
    sub = build_date(cand, d)
    v, model = sub.variables, sub.model
    kept = sum(gain(i) * v.day[i, d] for i in cases)
    model.maximize(kept)
    add_hint(sub, cand, [p if p is not None and p.here and p.day == d else None for p in incumbent])
    half_s = None if seconds is None else seconds / 2
    half_w = None if work is None else work / 2
    solver = runner.solver(half_s, half_w)
    if run_apart(runner, solver, sub) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return work_of(solver)
    spent = work_of(solver)
    most = int(solver.best_objective_bound // 1)
    memo.most[weighted][d] = most
    found = round(solver.objective_value)
    best = read_solution(solver, cand, v)
    if found == most:
        # Among the schedules keeping that many: the most urgent cases kept (deadlines
        # near first), then the fewest patients moved.
        model.add(kept >= found)
        horizon = len(cand.dates)
        lost = sum(_urgency(cand, i, d, horizon) * (1 - v.day[i, d]) for i in cases)
        moved = sum(v.day[i, d] - stay for i, stay in v.stay.items() if i in set(cases))
        model.minimize((len(cases) + 1) * lost + moved)
        add_hint(sub, cand, best)
        solver = runner.solver(half_s, half_w)
        if run_apart(runner, solver, sub) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = read_solution(solver, cand, v)
        spent += work_of(solver)
    memo.best[d] = {i: p for i, p in enumerate(best) if p is not None and p.day == d}
    return spent


def _urgency(cand: Candidates, i: int, d: int, horizon: int) -> int:
    """How much leaving planned case ``i`` off its date ``d`` costs elsewhere: its weight,
    times more the nearer its deadline (a deadline on ``d`` itself: a miss)."""
    dl = cand.deadline_day[i]
    slack = horizon if dl is None else max(0, dl - d)
    return scaled(cand.weight[i]) * (horizon + 1) // (1 + slack)


def run_apart(runner: Runner, solver: cp_model.CpSolver, built: Built) -> int:
    """Solve a model of its own (a date's) with ``solver``, the run's stop flag attached:
    its status."""
    runner.stop.attach(solver)
    try:
        return int(solve_interruptibly(solver, built.model, None))
    finally:
        runner.stop.detach()


def _level_bound(level: Level, built: Built, most: dict[int, int]) -> int | None:
    """The level's bound for the whole problem from the dates' most kept ``most``."""
    if level.kind is LevelKind.SHORTFALL:
        return sum(max(0, s.need - most.get(s.day, 0)) for s in built.variables.shortfall)
    if level.kind.kept:
        return -sum(most.values())
    return None


def _on(p: Placement | None, d: int) -> bool:
    return p is not None and p.here and p.day == d


def _assemble(
    runner: Runner, memo: DateBounds, incumbent: Solution, k: int, days: set[int]
) -> Solution | None:
    """The incumbent with the best schedule of each of ``days`` in place of its own, the cases
    it displaced placed by first fit; ``None`` unless better from level ``k`` on with every
    earlier level as it is."""
    if not days:
        return None
    cand, levels = runner.cand, runner.built.levels
    # A case held at its slot stays in place: first fit puts it there before any date's
    # schedule, which must then fit around it (cleared, a pinned case's ICU stay came back
    # over the beds the date's schedule had given the cases of the day before)
    partial: Solution = [
        p if held_at_a_slot(cand, i)
        else None if p is None or p.day in days or cand.planned_day[i] in days else p
        for i, p in enumerate(incumbent)
    ]  # fmt: skip
    occ = Occupancy(cand)
    for i, p in enumerate(partial):
        if p is not None:
            occ.take(i, p)
    for d in sorted(days):
        for i, p in sorted(memo.best[d].items()):
            if partial[i] is not None or p.room is None or p.start is None:
                continue
            opt = next((o for o in cand.room_options[i] if o.day == d and o.room == p.room), None)
            if opt is not None and occ.fits(opt, p.start):
                partial[i] = occ.place(opt, p.start)
    schedule = first_fit(cand, keep_in_place=True, fixed=partial)
    if unplaced_held(cand, schedule):  # a case held on a date alone found no place again
        return None
    values = [lv.value(schedule) for lv in levels]
    target = [lv.value(incumbent) for lv in levels]
    # The earlier levels are fixed and reported: their values must stay as they are.
    if values[:k] != target[:k]:
        return None
    return schedule if values[k:] < target[k:] else None
