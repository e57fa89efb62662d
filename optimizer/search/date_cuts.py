"""What each date alone proves about the decomposition's master: caps and cuts, all valid.

The master (``model/master.py``) knows a date only by energy sums, so its bound
of the weighted delay was far below the truth (hospital-14: 1,258 where no
schedule found does better than 1,988). Two kinds of facts, each proven by
CP-SAT on one date with every rule of that date, make it a stronger relaxation
without cutting off any valid schedule:

* caps, once the planned cases kept are fixed (the delay and later levels):
  date ``d`` keeps at most ``C_d`` (the dates' relaxations of ``days.py``), so
  with ``K`` kept in all it keeps at least ``L_d = K - sum of the other C``;
  keeping that many, it takes in at most ``E_d`` cases not planned on it
  (:func:`add_caps`: the best bound of that date's solve, so a solve cut by
  the clock still gives a valid, weaker cap);
* cuts (logic-based Benders): a set of cases the master put on ``d`` that
  CP-SAT proves cannot all be there (``INFEASIBLE`` under assumptions, never a
  solve that ran out of time) may not be there together again, in any
  schedule (:func:`check_date`; the core CP-SAT names, often 3 to 10 cases).

A date the master overfills is filled for the schedule's sake by :func:`fill_date`
(no bound comes from it: it only places cases).

A date's model leaves out what other dates bring (the beds of stays begun
earlier): it has fewer constraints than the whole problem, which is what makes
its proofs of "at most" and "cannot" hold for the whole problem.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind, scaled
from ..facts.solution import Placement, Solution
from ..model.build import Built, add_hint, build_model, read_solution
from ..model.objective import Level
from .days import gains, run_apart
from .runner import Runner, work_of


@dataclass(frozen=True)
class DateCheck:
    """One date's set of cases, checked: ``core`` when proven impossible together (a subset
    that already is), ``found`` (their placements) when sequenced; neither: unknown."""

    core: list[int] | None
    found: dict[int, Placement] | None
    work: float


def held_on(cand: Candidates, i: int, d: int) -> bool:
    """Case ``i`` is held and every option it has is on ``d``: on ``d`` in every schedule."""
    opts = cand.room_options[i]
    return cand.pinned[i] and bool(opts) and all(o.day == d for o in opts)


def add_caps(
    runner: Runner,
    master: Built,
    levels: list[Level],
    target: list[int],
    seconds: float | None,
    work: float | None,
) -> float:
    """Add each date's caps (see the module) to ``master``, for schedules whose levels before
    the first after the kept level are as ``target`` has them; returns the work spent.
    Nothing when no kept level is fixed yet or the dates' relaxations have not run."""
    cand, memo = runner.cand, runner.built.dates
    kk = next((n for n, lv in enumerate(levels) if lv.kind.kept), None)
    if kk is None:
        return 0.0
    weighted = levels[kk].kind is LevelKind.KEPT_WEIGHTED
    gain, most = gains(cand, weighted), memo.most[weighted]
    v = master.variables
    planned: dict[int, list[int]] = {}
    for i, pd in enumerate(cand.planned_day):
        if pd is not None and (i, pd) in v.day:
            planned.setdefault(pd, []).append(i)
    cap = {d: most.get(d, sum(gain(i) for i in cases)) for d, cases in planned.items()}
    for d, m in most.items():
        if d in planned:
            master.model.add(sum(gain(i) * v.day[i, d] for i in planned[d]) <= m)
    kept = -target[kk]
    dates = sorted({d for _i, d in v.day})
    spent, began = 0.0, time.monotonic()
    for n, d in enumerate(dates):
        if runner.stop.requested:
            break
        parts = len(dates) - n
        left_w = None if work is None else (work - spent) / parts
        left_s = None if seconds is None else (seconds - (time.monotonic() - began)) / parts
        if (left_w is not None and left_w <= 0) or (left_s is not None and left_s <= 0):
            break
        floor = kept - sum(c for e, c in cap.items() if e != d)
        extra, w = _most_extra(runner, d, planned.get(d, []), gain, floor, left_s, left_w)
        spent += w
        if extra is not None:
            others = [
                v.day[i, d]
                for i in range(len(cand.cases))
                if (i, d) in v.day and cand.planned_day[i] != d and not held_on(cand, i, d)
            ]
            if len(others) > extra:
                master.model.add(sum(others) <= extra)
    return spent


def _most_extra(
    runner: Runner,
    d: int,
    planned: list[int],
    gain: Callable[[int], int],
    floor: int,
    seconds: float | None,
    work: float | None,
) -> tuple[int | None, float]:
    """The most cases not planned on ``d`` (held ones aside) that ``d`` takes in while
    keeping at least ``floor`` of its planned ones (in the kept level's gains): CP-SAT's
    best bound, or ``None`` when it proved none; and the work spent."""
    cand = runner.cand
    held = {i for i in range(len(cand.cases)) if held_on(cand, i, d)}
    # every case that may be on d: a held one there, any other free to be or not (one held
    # with options on other dates too counts among the cases taken in, as in the master)
    cases = {i for i, opts in enumerate(cand.room_options) if any(o.day == d for o in opts)}
    extra = [i for i in sorted(cases) if cand.planned_day[i] != d and i not in held]
    if not extra:
        return None, 0.0
    sub = build_model(cand.on_date(cases, d, held))
    v = sub.variables
    mine = [i for i in planned if (i, d) in v.day]
    if mine and floor > 0:
        sub.model.add(sum(gain(i) * v.day[i, d] for i in mine) >= floor)
    sub.model.maximize(sum(v.day[i, d] for i in extra if (i, d) in v.day))
    solver = _solver(runner, seconds, work)
    status = run_apart(runner, solver, sub)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, work_of(solver)
    return int(solver.best_objective_bound + 1e-6), work_of(solver)


def check_date(
    runner: Runner, d: int, cases: list[int], seconds: float | None, work: float | None
) -> DateCheck:
    """Can ``cases`` all be on date ``d`` with the cases held there (every rule of the date,
    nothing else there)? A core never names a held case: they are there in any schedule."""
    cand = runner.cand
    held = {i for i in range(len(cand.cases)) if held_on(cand, i, d)}
    sub = build_model(cand.on_date(held | set(cases), d, held))
    v = sub.variables
    free = [i for i in sorted(set(cases) - held) if (i, d) in v.day]
    sub.model.add_assumptions([v.day[i, d] for i in free])
    solver = _solver(runner, seconds, work)
    status = run_apart(runner, solver, sub)
    spent = work_of(solver)
    if status == cp_model.INFEASIBLE:
        by_index = {v.day[i, d].index: i for i in free}
        core = sorted(
            by_index[c] for c in solver.sufficient_assumptions_for_infeasibility() if c in by_index
        )
        return DateCheck(core or free, None, spent)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        placed = read_solution(solver, cand, v)
        return DateCheck(None, {i: p for i, p in enumerate(placed) if p is not None}, spent)
    return DateCheck(None, None, spent)


def fill_date(
    runner: Runner,
    d: int,
    cases: list[int],
    hint: Solution,
    seconds: float | None,
    work: float | None,
) -> tuple[dict[int, Placement], bool]:
    """As many of ``cases`` on date ``d`` as fit there: the held ones, those planned on ``d``
    and those with a deadline all there (the earlier levels), the others in as much as their
    weight times the dates to the horizon says (about what first fit elsewhere costs them);
    ``hint``'s placements on ``d`` to start from. Their placements (none when CP-SAT found
    none), and whether every one of ``cases`` is placed."""
    cand = runner.cand
    held = {i for i in range(len(cand.cases)) if held_on(cand, i, d)}
    sub = build_model(cand.on_date(held | set(cases), d, held))
    v = sub.variables
    free = [i for i in sorted(set(cases) - held) if (i, d) in v.day]
    must = {i for i in free if cand.planned_day[i] == d or cand.deadline_day[i] is not None}
    rest = [i for i in free if i not in must]
    for i in sorted(must):
        sub.model.add(v.day[i, d] == 1)
    left = len(cand.dates) - d
    sub.model.maximize(sum(scaled(cand.weight[i]) * left * v.day[i, d] for i in rest))
    add_hint(sub, cand, [p if p is not None and p.here and p.day == d else None for p in hint])
    solver = _solver(runner, seconds, work)
    if run_apart(runner, solver, sub) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, False
    placed = {i: p for i, p in enumerate(read_solution(solver, cand, v)) if p is not None}
    return placed, all(i in placed for i in cases)


def cut(master: Built, d: int, core: list[int]) -> None:
    """Not every case of ``core`` on ``d`` (proven: :func:`check_date`)."""
    lits = [master.variables.day[i, d] for i in core if (i, d) in master.variables.day]
    if lits:
        master.model.add(sum(lits) <= len(lits) - 1)


def on_dates(assignment: Solution) -> dict[int, list[int]]:
    """The cases ``assignment`` puts in a room, by date."""
    out: dict[int, list[int]] = {}
    for i, p in enumerate(assignment):
        if p is not None and p.partner is None:
            out.setdefault(p.day, []).append(i)
    return out


def _solver(runner: Runner, seconds: float | None, work: float | None) -> cp_model.CpSolver:
    """One worker (the same proofs on any machine with a work limit), the linear relaxation
    at its strongest: a date's bound and a master's come from it."""
    solver = runner.solver(seconds, work, workers=1)
    solver.parameters.linearization_level = 2
    return solver


def master_solver(runner: Runner, seconds: float | None, work: float | None) -> cp_model.CpSolver:
    """The master's solver: measured on hospital-15, one worker with the strongest linear
    relaxation proves its optimum in 6 s where two default workers had no bound in 10 s."""
    return _solver(runner, seconds, work)
