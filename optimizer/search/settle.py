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
there). A date that cannot be rebuilt so is left as it was, but for the cases whose
own slot is free there: they go back to it. The result is always valid, and never
worse on the levels.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ..facts.candidates import Candidates, RoomOption
from ..facts.solution import Placement, Solution
from ..model.objective import Level
from ..result.collector import collector_paused
from .construct import priority
from .occupancy import Occupancy


@collector_paused()
def settled(
    cand: Candidates,
    levels: list[Level],
    schedule: Solution,
    k: int = 0,
    deadline: float | None = None,
) -> Solution:
    """``schedule`` with each date rebuilt as the module says, date by date when that is
    better; the dates left at ``deadline`` (a ``time.monotonic()``: the run's search end,
    past which the result's time is spent) as they are, the first dates settled first.

    Levels ``0..k-1`` are fixed in the model: a date's rebuild is taken only if it
    leaves them as they are and is lexicographically no worse from level ``k`` on
    (an equal one is taken too: it is the same whatever the search left on the date).
    A date judged alone: one whose rebuild would cost more than it gains elsewhere
    does not hold back the others.
    """
    occ = Occupancy(cand)
    out: Solution = list(schedule)
    by_day: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(schedule):
        if p is not None:
            occ.take(i, p)
            if p.here and not cand.pinned[i]:
                by_day[p.day].append(i)
    for day in sorted(by_day):
        if deadline is not None and time.monotonic() >= deadline:
            break
        cases = sorted(by_day[day], key=lambda i: priority(cand, i))
        for tries in (_rebuild_day, _put_back):
            placed = tries(occ, schedule, cases, day)
            if not placed:
                continue
            if _no_worse(levels, k, out, placed):
                for i, q in placed.items():
                    out[i] = q
                break
            _undo(occ, schedule, placed)
    return out


def _no_worse(levels: list[Level], k: int, out: Solution, placed: dict[int, Placement]) -> bool:
    """Whether ``out`` with ``placed`` in it (cases moved within their date) leaves levels
    ``0..k-1`` as they are and is lexicographically no worse from level ``k`` on.

    Only the levels such moves can change are scored (not those of dates alone), and by
    what the moves change: a level summed case by case (``Level.term``) by the terms of
    the moved cases alone, any other on the whole schedule before and after. A region's
    50,000 cases are then not scored again for each of its dates."""
    change: list[int] = []  # per level scored: its value after the moves less before
    fixed = 0
    trial: Solution | None = None
    for j, lv in enumerate(levels):
        if lv.kind.by_dates:
            continue
        fixed += j < k
        term = lv.term
        if lv.kind.per_case and term is not None:
            change.append(sum(term(i, q) - term(i, out[i]) for i, q in placed.items()))
            continue
        if trial is None:
            trial = list(out)
            for i, q in placed.items():
                trial[i] = q
        change.append(lv.value(trial) - lv.value(out))
    # the first level that changes decides, as the values' lexicographic order would
    return not any(change[:fixed]) and change[fixed:] <= [0] * (len(change) - fixed)


def taken_if_no_worse(
    levels: list[Level], out: Solution, best: list[int], placed: dict[int, Placement], k: int
) -> tuple[Solution, list[int]] | None:
    """``out`` with ``placed`` in it and its level values, when that leaves levels
    ``0..k-1`` at ``best`` and is lexicographically no worse from ``k`` on; else ``None``."""
    trial = list(out)
    for i, q in placed.items():
        trial[i] = q
    values = [lv.value(trial) for lv in levels]
    if values[:k] == best[:k] and values[k:] <= best[k:]:
        return trial, values
    return None


def _undo(occ: Occupancy, schedule: Solution, placed: dict[int, Placement]) -> None:
    """``placed`` taken back: its cases where ``schedule`` has them again."""
    for i, q in placed.items():
        p = schedule[i]
        assert p is not None
        occ.release(i, q)
        occ.take(i, p)


def _put_back(
    occ: Occupancy, schedule: Solution, cases: list[int], day: int
) -> dict[int, Placement]:
    """The cases of ``day`` (all in ``occ``) moved back to their own slot where it is free,
    the others left where ``schedule`` has them."""
    cand = occ.cand
    moved: dict[int, Placement] = {}
    again = True
    while again:  # a case back in its slot may free another's: until none moves
        again = False
        for i in cases:
            p = moved.get(i, schedule[i])
            room, start = _own_slot(cand, i, day)
            assert p is not None
            if room is None or start is None or (p.room, p.start) == (room, start):
                continue
            occ.release(i, p)
            for opt in cand.room_options[i]:
                if opt.day == day and opt.room == room and occ.fits(opt, start):
                    moved[i] = occ.place(opt, start)
                    again = True
                    break
            else:
                occ.take(i, p)
    return moved


def _rebuild_day(
    occ: Occupancy, schedule: Solution, cases: list[int], day: int
) -> dict[int, Placement]:
    """``cases`` (all in ``occ``, on ``day``) placed anew as the module says, or none of
    them (``{}``) when that fails ``REBUILDS`` times: ``occ`` then as found.

    A case that no longer fits anywhere once the others took their slots is left where
    the schedule has it, placed before the others, and the date rebuilt again: the
    schedule's own places are compatible, so each retry is closer to one that fits."""
    held: list[int] = []
    cand = occ.cand
    on_day = {i: [o for o in cand.room_options[i] if o.day == day] for i in cases}
    for i in cases:
        p = schedule[i]
        assert p is not None
        occ.release(i, p)
    for _ in range(REBUILDS):
        placed, failed = _place_day(occ, schedule, cases, day, held, on_day)
        if failed is None:
            return placed
        for j, q in placed.items():
            occ.release(j, q)
        held.append(failed)
    for i in cases:
        p = schedule[i]
        assert p is not None
        occ.take(i, p)
    return {}


# Rebuilds of one date at most (each holds one more case where the schedule has it).
REBUILDS = 12


def _place_day(
    occ: Occupancy,
    schedule: Solution,
    cases: list[int],
    day: int,
    held: list[int],
    on_day: dict[int, list[RoomOption]],
) -> tuple[dict[int, Placement], int | None]:
    """Place ``cases`` (none in ``occ``; ``on_day``: their options on the date): ``held``
    where the schedule has them, the others in their own slot, where the schedule had them,
    or at the earliest start. Returns the placements and the first case that did not fit
    (``None``: all did)."""
    cand = occ.cand
    placed: dict[int, Placement] = {}

    def options(i: int) -> list[RoomOption]:
        return on_day[i]

    def try_at(i: int, room: int | None, start: int | None) -> bool:
        if room is None or start is None:
            return False
        for opt in options(i):
            if opt.room == room and occ.fits(opt, start):
                placed[i] = occ.place(opt, start)
                return True
        return False

    for i in held:  # as the schedule has it (it may be outside the regular session)
        p = schedule[i]
        assert p is not None
        placed[i] = occ.take(i, p)
    for i in cases:  # back to the patient's own slot
        if i not in placed:
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
            return placed, i
    return placed, None


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
