"""Cases past their deadline placed in time by clearing a room-date for them.

:func:`~.construct.keep_first` keeps the planned cases first and may then miss
deadlines first fit meets: :func:`in_time` clears a room-date by such a case's
deadline for it, moving the cases due later (or due that date, to another
room-date) and taking out the others; kept only when the misses fall (the same
rule and journal as :mod:`.relocate`).
"""

from __future__ import annotations

import time
from collections import defaultdict

from ..facts.candidates import Candidates, RoomOption
from ..facts.solution import Placement, Solution
from .construct import priority
from .relocate import Dates, Score, compact, is_free, to_target

CLEAR_TRIES = 400  # room-dates tried for a case due, the cheapest first
AWAY_TRIES = 40  # room-dates tried for a surgeon's case moved off a date, the latest first


def in_time(cand: Candidates, schedule: Solution, deadline: float | None = None) -> Solution:
    """``schedule`` with each case it places past its deadline (or leaves out) placed in time
    where a room-date by its deadline can be cleared for it: the room's longest cases out
    (those due later moved to their :func:`~.relocate.to_target`, the others left out, for
    first fit), its other cases moved up, the room-date that costs the fewest planned cases
    first; where no room-date clears so, the case's surgeon's other cases of that date moved
    too (its surgeon may be busy there in other rooms: first fit, which places the case before
    them, meets its deadline); kept only when the misses fall (the most urgent first), until
    ``deadline``."""
    dates = Dates.of(cand, schedule)
    late = [
        i
        for i, p in enumerate(schedule)
        if dates.missed(i, p) and is_free(cand, i) and cand.room_options[i]
    ]
    late.sort(key=lambda i: priority(cand, i))
    by_surgeon: dict[str, list[int]] = defaultdict(list)
    for j, c in enumerate(cand.cases):
        if is_free(cand, j):
            by_surgeon[c.surgeon_id].append(j)
    for i in late:
        if deadline is not None and time.monotonic() > deadline:
            break
        _clear_for(dates, i, by_surgeon[cand.cases[i].surgeon_id])
    return dates.finished()


def _clear_for(dates: Dates, i: int, colleagues: list[int], tries: int = CLEAR_TRIES) -> None:
    """Case ``i`` placed by its deadline in a room-date cleared for it (see :func:`in_time`):
    the ``tries`` cheapest room-dates tried in turn, the first that lowers the misses kept;
    failing all, the same with the cases of ``colleagues`` (``i``'s surgeon's) that date
    moved too, where the surgeon has any."""
    ranked = _ranked(dates, i)
    before = dates.score()
    for _key, opt, outs in ranked[:tries]:
        if _cleared(dates, opt, outs, [], before, colleagues):
            return
    for _key, opt, outs in ranked[:tries]:
        busy = _busy(dates, i, opt, colleagues)
        rest = [j for j in outs if j not in busy]
        if busy and _cleared(dates, opt, rest, busy, before, colleagues):
            return


def _ranked(dates: Dates, i: int) -> list[tuple[tuple[int, ...], RoomOption, list[int]]]:
    """Case ``i``'s room-dates by its deadline with the room's cases that would make way
    (the longest: fewest out), the cheapest first: the fewest planned cases taken below a
    date's target, the fewest kept, the fewest out, the latest date."""
    cand, occ = dates.occ.cand, dates.occ
    dl = cand.deadline_day[i]
    assert dl is not None
    turnover = cand.scenario.policy.turnover_min
    size = cand.cases[i].duration_min
    ranked: list[tuple[tuple[int, ...], RoomOption, list[int]]] = []
    for opt in cand.room_options[i]:
        e, r = opt.day, opt.room
        if e > dl:
            continue
        s0, s1 = cand.session_span[e, r]
        free = s1 - s0 - occ.room_load[e, r]
        outs = [j for _s, _e, j in occ.room_day[e, r] if is_free(cand, j)]
        outs.sort(key=lambda j: (-cand.cases[j].duration_min, j))  # the longest: fewest out
        n = kept = 0
        while free < size and n < len(outs):
            free += cand.cases[outs[n]].duration_min + turnover
            kept += dates.kept(outs[n], dates.out[outs[n]])
            n += 1
        if free >= size:
            spare = max(0, dates.kept_on[e] - dates.needs.get(e, 0))
            ranked.append(((max(0, kept - spare), kept, n, -e, r), opt, outs[:n]))
    ranked.sort(key=lambda x: x[0])
    return ranked


def _busy(dates: Dates, i: int, opt: RoomOption, colleagues: list[int]) -> list[int]:
    """The cases of ``i``'s surgeon (``colleagues``) on ``opt``'s date that would make way for
    it, the longest first, until the surgeon's day leaves its minutes in ``opt``'s session
    (at least one; none if the surgeon has none that date, or too many held ones)."""
    cand, out = dates.occ.cand, dates.out
    e = opt.day
    mine = [j for j in colleagues if j != i and (p := out[j]) is not None and p.day == e]
    mine = [j for j in mine if (p := out[j]) is not None and p.room is not None]
    if not mine:
        return []
    mine.sort(key=lambda j: (-cand.cases[j].duration_min, j))
    s0, s1 = cand.session_span[e, opt.room]
    surgeon = cand.cases[i].surgeon_id
    busy = sum(b - a for a, b in dates.occ.surgeon_day[surgeon, e])
    n, room = 0, s1 - s0 - cand.cases[i].duration_min
    while n < len(mine) and (n == 0 or busy > room):
        busy -= cand.cases[mine[n]].duration_min
        n += 1
    return mine[:n] if busy <= room else []


def _cleared(
    dates: Dates,
    opt: RoomOption,
    outs: list[int],
    busy: list[int],
    before: Score,
    colleagues: list[int],
) -> bool:
    """``opt``'s room-date cleared for its case: ``busy`` (its surgeon's cases that date) moved
    to another date by their deadline or taken out, ``outs`` (the room's) moved by their
    deadline or taken out, the room's cases moved up, the case placed after them or before
    them all, then ``busy``'s cases taken out put back on that date where they fit; kept
    (``True``) only if the levels fall below ``before``, else undone."""
    cand, occ = dates.occ.cand, dates.occ
    i, e = opt.case, opt.day
    for first in (False, True):  # after the room's other cases, or before them all
        mark = len(dates.journal)
        if all(
            (_away(dates, j, e, colleagues) if j in busy else to_target(dates, j, e, True))
            if cand.deadline_day[j] is not None
            else _out(dates, j)
            for j in busy + outs
        ):
            compact(dates, e, opt.room, opt if first else None)
            if not first and (t := occ.earliest(opt)) is not None:
                dates.move(i, Placement(day=e, room=opt.room, start=t))
            for j in busy:
                if dates.out[j] is None:
                    _back(dates, j, e)
            if dates.score() < before:
                return True
        dates.undo(mark)
    return False


def _away(dates: Dates, j: int, e: int, colleagues: list[int]) -> bool:
    """Case ``j`` (of the surgeon of ``colleagues``) moved off date ``e`` by its deadline: to
    its :func:`~.relocate.to_target` on another date, else to the latest room-date where it
    fits once the surgeon's other cases of that date are placed again around it
    (:func:`_around`), those all placed again if one is, else the first where it fits."""
    if to_target(dates, j, e, anywhere=True, away=True):
        return True
    cand = dates.occ.cand
    dl = cand.deadline_day[j]
    assert dl is not None
    here = dates.out[j]
    options = sorted(
        (o for o in cand.room_options[j] if o.day != e and o.day <= dl),
        key=lambda o: (-o.day, o.room),
    )[:AWAY_TRIES]
    dates.move(j, None)
    for whole in (True, False):
        for o in options:
            mark = len(dates.journal)
            if _around(dates, o, colleagues, whole):
                return True
            dates.undo(mark)
    dates.move(j, here)
    return False


def _around(dates: Dates, opt: RoomOption, colleagues: list[int], whole: bool) -> bool:
    """``opt``'s case placed at its earliest start with its surgeon's other cases of that date
    (``colleagues``) taken out, then those placed again in their order, each at its earliest
    start, its room first, else any room that date; ``False`` if the case does not fit, or
    (if ``whole``) one of them no longer does."""
    occ, out = dates.occ, dates.out
    e, k = opt.day, opt.case
    mine = [j for j in colleagues if j != k and (p := out[j]) is not None and p.day == e]
    placed = sorted(
        (p.start or 0, j, p) for j in mine if (p := out[j]) is not None and p.room is not None
    )
    if not placed:
        return False
    for _s, j, _p in placed:
        dates.move(j, None)
    t = occ.earliest(opt)
    if t is None:
        return False
    dates.move(k, Placement(day=e, room=opt.room, start=t))
    for _s, j, p in placed:
        options = sorted(dates.options_on(j, e), key=lambda o: o.room != p.room)
        if not dates.place_first(j, options) and whole:
            return False
    return True


def _back(dates: Dates, j: int, e: int) -> None:
    """Case ``j`` placed on date ``e`` at its earliest start, the planned room first, if it
    fits anywhere there."""
    dates.place_first(j, dates.options_on(j, e))


def _out(dates: Dates, j: int) -> bool:
    dates.move(j, None)
    return True
