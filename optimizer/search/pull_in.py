"""Cases sent to a partner or left out, brought in by moving a case that costs less.

First fit places each case where a gap already fits it; a case with a deadline
that found none is sent to a partner (at a high cost in the weighted delay),
and a case that found none anywhere is left out (its delay counts to the end of
the horizon). Often a gap would open by moving one case that is neither kept
on its planned date, nor due by a deadline, nor held, nor announced: that case
goes to its own first fit, perhaps a later date. :func:`pulled_in` makes each
such exchange that lowers the weighted delay, the costliest cases first. No
case kept, due or held moves, so the levels before the weighted delay never get
worse.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..facts.candidates import Candidates
from ..facts.levels import scaled
from ..facts.solution import Placement, Solution
from .construct import _first_fit_here
from .occupancy import Occupancy


def pulled_in(cand: Candidates, schedule: Solution, deadline: float | None = None) -> Solution:
    """``schedule`` with the exchanges the module describes, until ``deadline`` (a
    ``time.monotonic()``; ``None``: every case tried once)."""
    occ = Occupancy(cand)
    out: Solution = list(schedule)
    for i, p in enumerate(out):
        if p is not None:
            occ.take(i, p)
    horizon = len(cand.dates)

    def cost(i: int, p: Placement | None) -> int:
        if p is not None and p.partner is not None:
            return scaled(cand.transfer_cost[i])
        day = horizon if p is None else p.day
        return scaled(cand.weight[i]) * (day - cand.base_day(i))

    def movable(j: int) -> bool:
        p = out[j]
        return not (
            cand.pinned[j]
            or cand.deadline_day[j] is not None
            or cand.announced[j] is not None
            or (p is not None and p.day == cand.planned_day[j])
        )

    waiting = [
        i
        for i, p in enumerate(out)
        if (p is None or p.partner is not None)
        and not (cand.pinned[i] or cand.out_of_run[i] or cand.announced[i] is not None)
        and cand.room_options[i]
    ]
    waiting.sort(key=lambda i: (-cost(i, out[i]), i))
    for i in waiting:
        if deadline is not None and time.monotonic() > deadline:
            break
        p = out[i]
        dl = cand.deadline_day[i]
        now = cost(i, p)
        for opt in sorted(cand.room_options[i], key=lambda o: (o.day, o.room)):
            if p is not None and dl is not None and opt.day > dl:
                break  # sent to a partner in time: in time here too, or not at all
            if scaled(cand.weight[i]) * (opt.day - cand.base_day(i)) >= now:
                break
            q = _exchange(occ, out, i, opt.day, opt.room, now, cost, movable)
            if q is not None:
                break
    return out


def _exchange(
    occ: Occupancy,
    out: Solution,
    i: int,
    day: int,
    room: int,
    now: int,
    cost: Callable[[int, Placement | None], int],
    movable: Callable[[int], bool],
) -> Placement | None:
    """Case ``i`` into ``room`` on ``day``: where a gap fits it, else in place of one
    movable case of that room that then goes to its first fit, when the two together
    cost less than ``now`` and the moved case's current cost; ``None``: no such move."""
    cand = occ.cand
    opt = next(o for o in cand.room_options[i] if o.day == day and o.room == room)
    old = out[i]
    if old is not None:
        occ.release(i, old)
    t = occ.earliest(opt)
    if t is not None:
        out[i] = occ.place(opt, t)
        return out[i]
    for _s, _e, j in list(occ.room_day[day, room]):
        if not movable(j):
            continue
        pj = out[j]
        assert pj is not None
        occ.release(j, pj)
        t = occ.earliest(opt)
        if t is None:
            occ.take(j, pj)
            continue
        pi = occ.place(opt, t)
        qj = _first_fit_here(occ, j, last_day=None)
        if cost(i, pi) + cost(j, qj) < now + cost(j, pj):
            out[i], out[j] = pi, qj
            return pi
        if qj is not None:
            occ.release(j, qj)
        occ.release(i, pi)
        occ.take(j, pj)
    if old is not None:
        occ.take(i, old)
    return None
