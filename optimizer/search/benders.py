"""A level that looks only at dates, by decomposition: the master picks room-dates, each
date is sequenced apart.

The master (:func:`optimizer.model.master.build_master`) is solved for the
level; its best bound is a bound for the whole problem. Its room-dates are then
sequenced date by date (Occupancy: every rule, as first fit obeys them): a
room-date that cannot be sequenced gets a cut in the master (not these cases
together there) and the master is solved again, a few rounds while the budget
lasts. A schedule sequenced whole and lexicographically better replaces the
incumbent; when it reaches the master's bound the level is proven for the
whole problem. The cuts come from a greedy sequencing, which may fail where a
sequence exists: they steer the next rounds, and the bound reported is the
first round's, taken before any cut.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.solution import Placement, Solution
from ..model.build import Built, add_hint, read_solution
from ..model.objective import Level
from .construct import first_fit, held_at_a_slot, priority
from .occupancy import Occupancy
from .outcome import Budget
from .runner import Runner, work_of
from .stop import solve_interruptibly


@dataclass(frozen=True)
class MasterOutcome:
    """What the decomposition gave for one level."""

    found: Solution | None  # a whole schedule better than the incumbent, or None
    bound: int | None  # the master's bound of the level (before any cut), or None
    work: float
    wall: float
    rounds: int


def decompose(
    runner: Runner,
    master: Built,
    levels: list[Level],
    k: int,
    incumbent: Solution,
    budget: Budget,
    rounds: int,
) -> MasterOutcome:
    """Search level ``k`` on the master, sequence its dates, cut and retry (see module)."""
    cand = runner.cand
    mlevel = master.levels[k]
    master.model.minimize(mlevel.expr)
    began = time.monotonic()
    work = 0.0
    bound: int | None = None
    best: Solution | None = None
    target = [lv.value(incumbent) for lv in levels]
    cuts: list[cp_model.Constraint] = []
    done = 0
    try:
        while done < rounds:
            done += 1
            left_s = None if budget.seconds is None else budget.seconds - (time.monotonic() - began)
            left_w = None if budget.work is None else budget.work - work
            if (left_s is not None and left_s <= 0) or (left_w is not None and left_w <= 0):
                break
            solver = runner.solver(left_s, left_w)
            add_hint(master, cand, best or incumbent)
            runner.stop.attach(solver)
            try:
                status = solve_interruptibly(solver, master.model, None)
            finally:
                runner.stop.detach()
            work += work_of(solver)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                break  # nothing found (or the cuts left nothing): keep what we have
            if bound is None:
                bound = max(mlevel.lower_bound, int(-(-solver.best_objective_bound // 1)))
            assignment = read_solution(solver, cand, master.variables)
            schedule, failed = sequence(cand, assignment)
            values = [lv.value(schedule) for lv in levels]
            if values[:k] == target[:k] and values[k:] < target[k:]:
                best, target = schedule, values
            if not failed or target[k] <= bound or runner.stop.requested:
                break
            for d, r in failed:
                cases = [i for i, p in enumerate(assignment) if p and p.day == d and p.room == r]
                lits = [master.variables.room[i, d, r] for i in cases]
                cuts.append(master.model.add(sum(lits) <= len(lits) - 1))
    finally:
        for c in cuts:  # the cuts are heuristic: they never outlive this level
            c.proto.clear_linear()
    return MasterOutcome(best, bound, work, time.monotonic() - began, done)


def sequence(cand: Candidates, assignment: Solution) -> tuple[Solution, list[tuple[int, int]]]:
    """A valid schedule with each case on the date (and, where it fits, the room) the
    master gave it, and the room-dates whose cases could not all be sequenced there
    (their cases left over are then placed by first fit, wherever they fit)."""
    occ = Occupancy(cand)
    out: Solution = [None] * len(cand.cases)
    for i in range(len(cand.cases)):
        if held_at_a_slot(cand, i):  # a case fixed on a date alone is sequenced with it
            opt = cand.room_options[i][0]
            out[i] = occ.place(opt, opt.starts[0][0])
    by_day: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(assignment):
        if p is None or out[i] is not None:
            continue
        if p.partner is not None:
            out[i] = occ.take(i, p)
        else:
            by_day[p.day].append(i)
    failed: set[tuple[int, int]] = set()
    for day in sorted(by_day):
        cases = sorted(by_day[day], key=lambda i: priority(cand, i))
        for i in cases:  # the patient's own slot first
            own = _own(cand, i, day)
            if own is not None:
                out[i] = _try(occ, cand, i, day, own[0], own[1])
        for i in cases:  # then the master's room, else any room of the date
            if out[i] is not None:
                continue
            p = assignment[i]
            assert p is not None and p.room is not None
            rooms = sorted(
                {o.room for o in cand.room_options[i] if o.day == day},
                key=lambda r: (r != p.room, r),
            )
            for r in rooms:
                out[i] = _try(occ, cand, i, day, r, None)
                if out[i] is not None:
                    break
            if out[i] is None:
                failed.add((day, p.room))
    if failed:
        out = first_fit(cand, keep_in_place=False, fixed=out)
    return out, sorted(failed)


def _own(cand: Candidates, i: int, day: int) -> tuple[int, int] | None:
    slot = cand.announced[i]
    if slot is not None:
        if slot.day == day and slot.room is not None and slot.start is not None:
            return slot.room, slot.start
        return None
    start, room = cand.cases[i].planned_start, cand.planned_room[i]
    if cand.planned_day[i] == day and room is not None and start is not None:
        return room, start
    return None


def _try(
    occ: Occupancy, cand: Candidates, i: int, day: int, room: int, start: int | None
) -> Placement | None:
    for opt in cand.room_options[i]:
        if opt.day != day or opt.room != room:
            continue
        if start is None:
            t = occ.earliest(opt)
            return None if t is None else occ.place(opt, t)
        return occ.place(opt, start) if occ.fits(opt, start) else None
    return None
