"""A level that looks only at dates, by decomposition: the master picks room-dates, each
date is sequenced apart.

The master (:func:`optimizer.model.master.build_master`) is solved for the
level; its best bound is a bound for the whole problem. Its room-dates are then
sequenced date by date (Occupancy: every rule, as first fit obeys them); a date
that sequencing fails is given to CP-SAT (``date_cuts.py``): when it proves the
date's cases cannot all be there, their core becomes a cut of the master, valid
for every schedule, and the master is solved again, a few rounds while the
budget lasts; when it sequences them, its placements are used. Every round's
master is a relaxation of the whole problem, so the best of its bounds is a
bound; a schedule sequenced whole and lexicographically better replaces the
incumbent, and when it reaches that bound the level is proven. For the
weighted delay the master first gets each date's caps (``date_cuts.add_caps``).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind
from ..facts.solution import Placement, Solution
from ..model.build import Built, add_hint, read_solution
from ..model.master import build_master
from ..model.objective import Level
from .construct import first_fit, held_at_a_slot, priority
from .date_cuts import add_caps, check_date, cut, master_solver, on_dates
from .occupancy import Occupancy
from .outcome import Budget, Outcome
from .runner import Runner, work_of
from .stop import solve_interruptibly

log = logging.getLogger("optimizer.solve")
# Share of what is left of the decomposition's budget the weighted delay's caps may take
# (and the master's first round, before them, the rest).
CAPS_SHARE = 0.5
DELAY_ROUNDS = 100


@dataclass(frozen=True)
class MasterOutcome:
    """What the decomposition gave for one level."""

    found: Solution | None  # a whole schedule better than the incumbent, or None
    bound: int | None  # the best bound of the master's rounds (valid cuts only), or None
    work: float
    wall: float
    rounds: int
    cuts: int = 0  # dates' cores proven impossible and cut


class _Left:
    """What is left of a budget, in seconds and in work, as the decomposition spends it."""

    def __init__(self, budget: Budget) -> None:
        self.began, self.budget, self.work = time.monotonic(), budget, 0.0

    def seconds(self, share: float = 1.0) -> float | None:
        s = self.budget.seconds
        return None if s is None else share * (s - (time.monotonic() - self.began))

    def work_left(self, share: float = 1.0) -> float | None:
        w = self.budget.work
        return None if w is None else share * (w - self.work)

    def out(self) -> bool:
        s, w = self.seconds(), self.work_left()
        return (s is not None and s <= 0) or (w is not None and w <= 0)


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
    left = _Left(budget)
    bound: int | None = None
    best: Solution | None = None
    target = [lv.value(incumbent) for lv in levels]
    # the caps cost a solve per date: only when the master without them proves nothing
    caps = levels[k].kind is LevelKind.DELAY
    done = cuts = 0
    while done < rounds and not left.out() and not runner.stop.requested:
        done += 1
        share = 1 - CAPS_SHARE if caps else 1.0
        solver = master_solver(runner, left.seconds(share), left.work_left(share))
        add_hint(master, cand, best or incumbent)
        runner.stop.attach(solver)
        try:
            status = solve_interruptibly(solver, master.model, None)
        finally:
            runner.stop.detach()
        left.work += work_of(solver)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break  # nothing found: keep what we have
        # each round's master holds only valid cuts: each of its bounds holds
        round_bound = max(mlevel.lower_bound, int(-(-solver.best_objective_bound // 1)))
        bound = round_bound if bound is None else max(bound, round_bound)
        assignment = read_solution(solver, cand, master.variables)
        schedule, failed = sequence(cand, assignment)
        new_cuts, sequenced = 0, 0
        placed: dict[int, Placement] = {}
        dates = on_dates(assignment)
        for d in sorted({d for d, _ in failed}):
            if left.out() or runner.stop.requested:
                break
            check = check_date(runner, d, dates[d], left.seconds(0.5), left.work_left(0.5))
            left.work += check.work
            if check.core is not None:
                cut(master, d, check.core)
                new_cuts += 1
            elif check.found is not None:
                placed.update(check.found)
                sequenced += 1
        if failed and placed:
            schedule, _ = sequence(cand, assignment, placed)
        values = [lv.value(schedule) for lv in levels]
        if values[:k] == target[:k] and values[k:] < target[k:]:
            best, target = schedule, values
        cuts += new_cuts
        log.info(
            "decomposition round %d: master %s, bound %s, best %s; dates: %d failed, %d cut, "
            "%d sequenced by CP-SAT",
            done,
            solver.status_name(status),
            bound,
            target[k],
            len({d for d, _ in failed}),
            new_cuts,
            sequenced,
        )
        if target[k] <= bound:
            break
        if caps:
            caps = False
            left.work += add_caps(
                runner, master, levels, target, left.seconds(CAPS_SHARE), left.work_left(CAPS_SHARE)
            )
        elif not new_cuts:
            break
    return MasterOutcome(best, bound, left.work, time.monotonic() - left.began, done, cuts)


METHOD = "decomposition: a master of dates with each date's caps and proven cuts"


def delay_by_master(runner: Runner, incumbent: Solution, k: int, budget: Budget) -> Outcome:
    """The weighted delay (level ``k``) by decomposition, every earlier level fixed at the
    value ``incumbent`` has (as in the whole model): a better schedule, if found, and the
    bound, which holds for the whole problem with those earlier values. Rounds while the
    budget lasts (a tiny hospital needed 6; ``DELAY_ROUNDS`` only guards the loop)."""
    cand, levels = runner.cand, runner.built.levels
    master = build_master(cand)
    for n in range(k):
        master.model.add(master.levels[n].expr <= levels[n].value(incumbent))
    out = decompose(runner, master, levels, k, incumbent, budget, DELAY_ROUNDS)
    status = "FEASIBLE" if out.found is not None else "UNKNOWN"
    log.info("weighted delay by decomposition: bound %s, %d round(s), %d cut(s)",
             out.bound, out.rounds, out.cuts)  # fmt: skip
    return Outcome(out.found, status, out.bound, out.work, out.wall, METHOD)


def sequence(
    cand: Candidates, assignment: Solution, placed: dict[int, Placement] | None = None
) -> tuple[Solution, list[tuple[int, int]]]:
    """A valid schedule with each case on the date (and, where it fits, the room) the
    master gave it, and the room-dates whose cases could not all be sequenced there
    (their cases left over are then placed by first fit, wherever they fit). ``placed``:
    placements to take first where they fit (dates CP-SAT sequenced)."""
    occ = Occupancy(cand)
    out: Solution = [None] * len(cand.cases)
    for i in range(len(cand.cases)):
        if held_at_a_slot(cand, i):  # a case fixed on a date alone is sequenced with it
            opt = cand.room_options[i][0]
            out[i] = occ.place(opt, opt.starts[0][0])
    for i, at in sorted((placed or {}).items()):
        if out[i] is None and at.room is not None and at.start is not None:
            out[i] = _try(occ, cand, i, at.day, at.room, at.start)
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
