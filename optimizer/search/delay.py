"""The weighted delay improved date by date: which waiting cases each date takes in.

On a hospital with every rule the whole model's search of the weighted delay
starts far from first fit's value (the levels before it keep more planned cases,
and the cases with a deadline that did not fit were sent to a partner at a high
cost) and in 10 s it does not get back there. Here each date in turn is a small
model of its own (every rule of the date, :func:`optimizer.model.master.build_date`'s
kind): the cases kept on it, the held ones and those in time for a deadline stay
on it (any room, any start); every other case that could go there is a choice: a
case placed later, not at all, or sent to a partner comes in at the delay of this
date, a case of this date that is none of these may leave it (costed as if it
found no place: what first fit then gives it is never worse). The date's best
choice goes into the schedule, first fit places what it displaced, and the result
replaces the incumbent only when it leaves every earlier level as it is and is
lexicographically better from this level on: each step is a valid schedule, no
worse. One worker and a work limit per date: the same dates give the same schedule
on any machine; a clock only decides how many dates are visited. No bound comes
from this (the dates are not independent on this level).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.levels import scaled
from ..facts.solution import Placement, Solution
from ..model.build import Built, add_hint, build_model, read_solution
from ..model.objective import Level
from .construct import first_fit
from .days import gains
from .occupancy import Occupancy
from .outcome import Budget, Outcome
from .runner import Runner, work_of
from .stop import solve_interruptibly

# A date's solve that spent less than this share of its work was cut by the clock.
COMPLETED = 0.95


@dataclass(frozen=True)
class _Date:
    """Date ``day``'s model: the cases that stay on it and the ones it may take in."""

    day: int
    built: Built
    stay: frozenset[int]
    choice: frozenset[int]


def improve_delay(
    runner: Runner, incumbent: Solution, level: Level, k: int, budget: Budget, work: float
) -> Outcome:
    """Rounds over the dates, in order, while a round lowers ``level`` (the ``k``-th) and
    ``budget`` lasts; each date's solve one worker and at most ``work``. A schedule is
    taken when lexicographically better from level ``k`` on, every earlier level equal."""
    master = runner.master_proof
    if master is not None:  # its schedules come here while these steps run
        master.dates_running = True
    try:
        return _rounds(runner, incumbent, k, budget, work)
    finally:
        if master is not None:
            master.dates_running = False


def _rounds(runner: Runner, incumbent: Solution, k: int, budget: Budget, work: float) -> Outcome:
    """:func:`improve_delay`'s rounds over the dates."""
    began = time.monotonic()
    levels = runner.built.levels
    best: Solution | None = None
    current = incumbent
    target = [lv.value(current) for lv in levels]
    spent = 0.0
    improved = True
    while improved and not _out(runner, budget, began, spent):
        improved = False
        sent = _transfers(runner.cand, current)
        values = [lv.value(sent) for lv in levels]
        if values[:k] == target[:k] and values[k:] < target[k:]:
            current, target, best, improved = sent, values, sent, True
        for d in range(len(runner.cand.dates)):
            if _out(runner, budget, began, spent):
                break
            master = runner.master_proof  # its schedule, if lower, is the one to go on from
            better = None if master is None else master.better
            values = target if better is None else [lv.value(better) for lv in levels]
            if values[:k] == target[:k] and values[k:] < target[k:]:
                assert better is not None
                current, target, best, improved = better, values, better, True
            left = None if budget.seconds is None else budget.seconds - (time.monotonic() - began)
            found, w = _improve_date(runner, current, d, left, work)
            spent += w
            if found is None:
                continue
            values = [lv.value(found) for lv in levels]
            if values[:k] == target[:k] and values[k:] < target[k:]:
                # another round only for a lower delay: the later levels get their own search
                improved = improved or values[k] < target[k]
                current, target, best = found, values, found
    return Outcome(best, "FEASIBLE" if best else "UNKNOWN", None, spent, time.monotonic() - began)


def _out(runner: Runner, budget: Budget, began: float, spent: float) -> bool:
    """A stop requested, ``budget``'s seconds or work spent, or the level proven by the
    master beside it (``prove.py``: its schedule is the level's)."""
    late = budget.seconds is not None and time.monotonic() - began >= budget.seconds
    spent_all = budget.work is not None and spent >= budget.work
    proven = runner.master_proof is not None and runner.master_proof.found is not None
    return runner.stop.requested or late or spent_all or proven


def _cost(cand: Candidates, i: int, day: int | None) -> int:
    """The delay level's cost of case ``i`` on ``day`` (``None``: not placed)."""
    horizon = len(cand.dates)
    return scaled(cand.weight[i]) * ((horizon if day is None else day) - cand.base_day(i))


def _now(cand: Candidates, sol: Solution, i: int) -> int:
    p = sol[i]
    if p is not None and p.partner is not None:
        return scaled(cand.transfer_cost[i])
    return _cost(cand, i, None if p is None else p.day)


def _date_model(cand: Candidates, sol: Solution, d: int) -> _Date | None:
    """Date ``d``'s model (see the module), or ``None`` when no case may come or go."""
    n = len(cand.cases)
    stay: set[int] = set()
    choice: set[int] = set()
    for i in range(n):
        if cand.out_of_run[i] or not any(o.day == d for o in cand.room_options[i]):
            continue
        p, pd, dl = sol[i], cand.planned_day[i], cand.deadline_day[i]
        here = _on(sol, i, d)
        kept_elsewhere = p is not None and p.here and pd is not None and p.day == pd
        held = cand.pinned[i] or cand.announced[i] is not None
        if here and (held or (dl is not None and dl <= d)):
            stay.add(i)
        elif here:
            choice.add(i)
        elif kept_elsewhere or held:
            continue  # moving it would change an earlier level
        elif dl is not None and d > dl:
            continue  # a miss
        elif _cost(cand, i, d) < _now(cand, sol, i):
            choice.add(i)
    if all(_on(sol, i, d) for i in choice):
        return None
    sub = cand.on_date(stay | choice, d, stay)
    return _Date(d, build_model(sub), frozenset(stay), frozenset(choice))


def _improve_date(
    runner: Runner, sol: Solution, d: int, seconds: float | None, work: float
) -> tuple[Solution | None, float]:
    """The schedule with date ``d`` chosen anew (or ``None``), and the work spent."""
    cand = runner.cand
    date = _date_model(cand, sol, d)
    if date is None:
        return None, 0.0
    v, model = date.built.variables, date.built.model
    # what each choice costs off the date: a case on it as if unplaced, another as it is now
    away = {i: _cost(cand, i, None) if _on(sol, i, d) else _now(cand, sol, i) for i in date.choice}

    def value(s: Solution) -> int:
        return sum(_cost(cand, i, d) if _on(s, i, d) else away[i] for i in date.choice)

    delay = sum(_cost(cand, i, d) * v.day[i, d] + away[i] * v.unscheduled[i] for i in date.choice)
    planned = [i for i in date.stay | date.choice if cand.planned_day[i] == d]
    if planned:  # as many (or as much) kept on the date: the shortfall and kept levels hold
        gain = gains(cand, cand.scenario.policy.level3 == "weighted")
        now = sum(gain(i) for i in planned if _on(sol, i, d))
        model.add(sum(gain(i) * v.day[i, d] for i in planned) == now)
    model.minimize(delay)
    add_hint(date.built, cand, [p if _on(sol, i, d) else None for i, p in enumerate(sol)])
    chosen, spent = _solve(runner, date.built, seconds, work)
    if chosen is None or value(chosen) >= value(sol):
        return None, spent
    # Then, as good on the delay, the fewest kept cases moved from their room or start (a
    # patient called for nothing), with half the work again.
    model.add(delay <= value(chosen))
    model.minimize(sum(v.day[i, d] - stay for i, stay in v.stay.items()))
    add_hint(date.built, cand, chosen)
    fewer, more = _solve(runner, date.built, seconds, work / 2)
    return _assemble(cand, sol, d, date, fewer or chosen), spent + more


def _solve(
    runner: Runner, built: Built, seconds: float | None, work: float
) -> tuple[Solution | None, float]:
    """The date model solved (one worker, ``work`` at most): its schedule and the work
    spent; ``None`` when nothing was found or the clock cut the solve short (it may have
    stopped anywhere: not taken, so that the dates give the same schedule on any machine
    that had the time for them)."""
    solver = runner.solver(seconds, work, workers=1)
    runner.stop.attach(solver)
    try:
        status = solve_interruptibly(solver, built.model, None)
    finally:
        runner.stop.detach()
    spent = work_of(solver)
    cut = status != cp_model.OPTIMAL and spent < COMPLETED * work
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or cut:
        return None, spent
    return read_solution(solver, runner.cand, built.variables), spent


def _assemble(
    cand: Candidates, sol: Solution, d: int, date: _Date, chosen: Solution
) -> Solution | None:
    """``sol`` with date ``d`` as ``chosen`` has it, what no longer fits placed by first fit."""
    moved = date.stay | {i for i in date.choice if chosen[i] is not None}
    moved |= {i for i in date.choice if _on(sol, i, d)}
    partial: Solution = [None if i in moved else p for i, p in enumerate(sol)]
    occ = Occupancy(cand)
    for i, p in enumerate(partial):
        if p is not None:
            occ.take(i, p)
    for i in sorted(moved, key=lambda i: (i not in date.stay, i)):
        p = chosen[i]
        if p is None or p.room is None or p.start is None:
            continue
        opt = next((o for o in cand.room_options[i] if o.day == d and o.room == p.room), None)
        if opt is not None and occ.fits(opt, p.start):
            partial[i] = occ.place(opt, p.start)
    out = first_fit(cand, keep_in_place=False, fixed=partial)
    return None if out == sol else out


def _on(sol: Solution, i: int, d: int) -> bool:
    p = sol[i]
    return p is not None and p.here and p.day == d


def _transfers(cand: Candidates, sol: Solution) -> Solution:
    """``sol`` with each case that costs more here than a transfer sent to a partner that
    has room (the costliest first; a case in time for its deadline in time still, a missed
    one missed still): the capacity it frees is for the dates' next round."""
    occ = Occupancy(cand)
    for i, p in enumerate(sol):
        if p is not None:
            occ.take(i, p)
    out = list(sol)

    def saving(i: int) -> int:
        return _now(cand, sol, i) - scaled(cand.transfer_cost[i])

    movable = [
        i
        for i, p in enumerate(sol)
        if cand.transfer_options[i]
        and not cand.out_of_run[i]
        and not cand.pinned[i]
        and cand.announced[i] is None
        and not (p is not None and p.here and p.day == cand.planned_day[i])
        and not (p is not None and p.partner is not None)
        and saving(i) > 0
    ]
    for i in sorted(movable, key=lambda i: (-saving(i), i)):
        p, dl = out[i], cand.deadline_day[i]
        in_time = dl is None or (p is not None and p.day <= dl)
        for t in cand.transfer_options[i]:
            slot = cand.partner_slots[t.partner]
            if (dl is None or (t.day <= dl) == in_time) and occ.partner_used[
                t.partner
            ] < slot.capacity:
                if p is not None:
                    occ.release(i, p)
                occ.partner_used[t.partner] += 1
                out[i] = Placement(day=t.day, partner=t.partner)
                break
    return out
