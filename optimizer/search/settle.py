"""Put back what need not move: each case on the date a schedule gives it, where the
patient was told if it still fits there.

The levels before the disruption levels (deadlines, shortfall, kept, weighted
delay) look only at dates; a search of them leaves the cases of a date in any
rooms and order. Every such needless change is a patient called for nothing,
and a short time limit leaves many of them. :func:`settled` keeps every case on
its date (so those levels keep their values) and rebuilds the date: first the
cases that can go back to their own slot (announced, else planned), then the
others where the schedule had them if they still fit, then at their earliest
start on the date (their own room first; a waiting case, told nothing yet, always
there). A date that cannot be rebuilt so is
left as it was: the result is always valid, and never worse on the levels.
"""

from __future__ import annotations

from collections import defaultdict

from ..facts.candidates import Candidates, RoomOption
from ..facts.solution import Placement, Solution
from ..model.objective import Level
from .construct import priority
from .occupancy import Occupancy


def settled(cand: Candidates, levels: list[Level], schedule: Solution, k: int = 0) -> Solution:
    """``schedule`` with each date rebuilt as the module says, when that is better.

    Levels ``0..k-1`` are fixed in the model: the rebuilt schedule is taken only if
    it leaves them as they are and is lexicographically no worse from level ``k`` on
    (an equal one is taken too: it is the same whatever the search left on the date).
    """
    candidate = _rebuilt(cand, schedule)
    ours = [lv.value(candidate) for lv in levels]
    theirs = [lv.value(schedule) for lv in levels]
    if ours[:k] == theirs[:k] and ours[k:] <= theirs[k:]:
        return candidate
    return schedule


def _rebuilt(cand: Candidates, schedule: Solution) -> Solution:
    occ = Occupancy(cand)
    out: Solution = list(schedule)
    by_day: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(schedule):
        if p is not None:
            occ.take(i, p)
            if p.here and not cand.pinned[i]:
                by_day[p.day].append(i)
    for day in sorted(by_day):
        cases = sorted(by_day[day], key=lambda i: priority(cand, i))
        for i in cases:
            p = schedule[i]
            assert p is not None
            occ.release(i, p)
        placed = _rebuild_day(occ, schedule, cases, day)
        if placed is None:  # cannot be rebuilt: the date stays as it was
            for i in cases:
                p = schedule[i]
                assert p is not None
                occ.take(i, p)
        else:
            for i, q in placed.items():
                out[i] = q
    return out


def _rebuild_day(
    occ: Occupancy, schedule: Solution, cases: list[int], day: int
) -> dict[int, Placement] | None:
    """Place ``cases`` on ``day`` (in ``occ``), or ``None`` with ``occ`` left as found."""
    cand = occ.cand
    placed: dict[int, Placement] = {}

    def options(i: int) -> list[RoomOption]:
        return [o for o in cand.room_options[i] if o.day == day]

    def try_at(i: int, room: int | None, start: int | None) -> bool:
        if room is None or start is None:
            return False
        for opt in options(i):
            if opt.room == room and occ.fits(opt, start):
                placed[i] = occ.place(opt, start)
                return True
        return False

    for i in cases:  # back to the patient's own slot
        room, start = _own_slot(cand, i, day)
        try_at(i, room, start)
    for i in cases:  # where the schedule had it (a case that holds an appointment)
        p = schedule[i]
        if i not in placed and p is not None and _holds_appointment(cand, i):
            try_at(i, p.room, p.start)
    for i in cases:  # the earliest start, the own room first
        if i in placed:
            continue
        own = _own_slot(cand, i, day)[0]
        for opt in sorted(options(i), key=lambda o: (o.room != own, o.room)):
            t = occ.earliest(opt)
            if t is not None:
                placed[i] = occ.place(opt, t)
                break
        else:
            for j, q in placed.items():
                occ.release(j, q)
            return None
    return placed


def _holds_appointment(cand: Candidates, i: int) -> bool:
    """A waiting case was told no time: it goes to the earliest start left, the same
    whatever the search happened to give it."""
    return cand.announced[i] is not None or cand.planned_day[i] is not None


def _own_slot(cand: Candidates, i: int, day: int) -> tuple[int | None, int | None]:
    """The room and start the patient was told for ``day`` (announced, else planned)."""
    slot = cand.announced[i]
    if slot is not None:
        if slot.day != day:
            return None, None
        return slot.room, slot.start
    if cand.planned_day[i] != day:
        return None, None
    return cand.planned_room[i], cand.cases[i].planned_start
