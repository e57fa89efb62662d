"""The lost planned cases of a date put in the gaps of its rooms: anywhere in a room's order,
where one of the room's cases moves to another room of the date, where a case not kept there
goes to a partner instead, and where a long kept case makes way for two.

After the moves of :mod:`.relocate` and the swaps of :mod:`.exchange`, a room
of a crowded date may still have the minutes for one of the date's lost
planned cases, but not at its end: the case's surgeon operates elsewhere then,
or its starts are bounded. :func:`filled` tries such a case at every place in
the room's order (the room's cases placed again around it, each at its earliest
start). A room whose free minutes are too few may get them from one of its
cases moving to another room of the date that has the minutes for it (at any
place of that room's order), or from a case on the date that is not kept there
(a case with a deadline that was never planned, or one planned on another date)
going to a partner with places left, by its deadline; and a long kept case
gives its place to two or more of the lost ones (anywhere in the order, where
:mod:`.exchange` refills the room's end only). Each change is undone
unless the levels gain in their order (:meth:`.relocate.Dates.score`); held
and announced cases never move, every placement passes the construction's own
tests, and a room's case that no longer fits goes where first fit puts it:
misses and shortfall never get worse.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ..facts.candidates import Candidates
from ..facts.solution import Placement, Solution
from .relocate import Dates, date_by_date, is_free, lost_on


def filled(cand: Candidates, schedule: Solution, deadline: float | None = None) -> Solution:
    """``schedule`` with the changes the module describes, date after date from the first,
    until ``deadline`` (a ``time.monotonic()``; ``None``: every date)."""
    return date_by_date(cand, schedule, _fill_on, deadline)


def _fill_on(dates: Dates, d: int, deadline: float | None) -> None:
    """Date ``d``'s rooms that its lost planned cases may take, each filled (see the
    module)."""
    lost = lost_on(dates, d)
    if not lost:
        return
    dates.journal.clear()
    by_room: dict[int, list[int]] = defaultdict(list)  # room -> the lost cases it may take
    for j in lost:
        for o in dates.options_on(j, d):
            by_room[o.room].append(j)
    for room in sorted(by_room):
        if deadline is not None and time.monotonic() > deadline:
            return
        takers = by_room[room]
        _insert(dates, d, room, takers)
        _make_way(dates, d, room, takers)
        _transfer(dates, d, room, takers)
        _swap(dates, d, room, takers)


def _free(dates: Dates, d: int, room: int) -> int:
    """The minutes ``room`` has left on ``d`` for one more case and its turnover."""
    cand = dates.occ.cand
    s0, s1 = cand.session_span[d, room]
    return s1 - s0 + cand.scenario.policy.turnover_min - dates.occ.room_load[d, room]


def _insert(dates: Dates, d: int, room: int, takers: list[int]) -> None:
    """Each case of ``takers`` (lost planned cases of ``d`` that ``room`` may take) that fits
    the room's free minutes put in its order (:func:`_put`); undone unless the levels gain."""
    cand, out = dates.occ.cand, dates.out
    turnover = cand.scenario.policy.turnover_min
    for j in takers:
        if cand.cases[j].duration_min + turnover > _free(dates, d, room):
            continue
        if dates.kept(j, out[j]):
            continue
        before, mark = dates.score(), len(dates.journal)
        if not _put(dates, d, room, j) or dates.score() >= before:
            dates.undo(mark)


def _put(dates: Dates, d: int, room: int, j: int) -> bool:
    """Case ``j`` in ``room`` on ``d`` at the latest place of the room's order where it fits
    with all the room's cases, each placed again at its earliest start in that order
    (``False``, nothing changed: at none)."""
    cand, occ, out = dates.occ.cand, dates.occ, dates.out
    placed = sorted((s, k) for s, _e, k in occ.room_day[d, room] if is_free(cand, k) and k != j)
    cases = [k for _s, k in placed]
    mark = len(dates.journal)
    for at in range(len(cases), -1, -1):
        if out[j] is not None:
            dates.move(j, None)
        for k in cases:
            dates.move(k, None)
        if _in_order(dates, d, room, [*cases[:at], j, *cases[at:]]):
            return True
        dates.undo(mark)
    return False


def _make_way(dates: Dates, d: int, room: int, takers: list[int]) -> None:
    """Each case of ``room`` on ``d`` whose minutes, with the room's free ones, would hold one
    of the date's lost planned cases, moved to another room of ``d`` with the minutes for it
    (:func:`_put`), and the room's gaps filled (:func:`_insert`); undone unless the levels
    gain."""
    cand, occ = dates.occ.cand, dates.occ
    turnover = cand.scenario.policy.turnover_min
    lost = [j for j in takers if not dates.kept(j, dates.out[j])]
    if not lost:
        return
    shortest = min(cand.cases[j].duration_min for j in lost) + turnover
    for k in sorted(j for _s, _e, j in occ.room_day[d, room] if is_free(cand, j)):
        size = cand.cases[k].duration_min + turnover
        if _free(dates, d, room) + size < shortest or dates.out[k] is None:
            continue
        for o in dates.options_on(k, d):
            if o.room == room or _free(dates, d, o.room) < size:
                continue
            before, mark = dates.score(), len(dates.journal)
            if _put(dates, d, o.room, k):
                _insert(dates, d, room, lost)
                if dates.score() < before:
                    break
            dates.undo(mark)


def _in_order(dates: Dates, d: int, room: int, order: list[int]) -> bool:
    """The cases of ``order`` (none placed) in ``room`` on ``d``, each at its earliest start
    in turn (``False``, with those placed so far left there, when one does not fit)."""
    for k in order:
        opt = next((o for o in dates.options_on(k, d) if o.room == room), None)
        start = None if opt is None else dates.occ.earliest(opt)
        if start is None:
            return False
        dates.move(k, Placement(day=d, room=room, start=start))
    return True


def _transfer(dates: Dates, d: int, room: int, takers: list[int]) -> None:
    """Each case of ``room`` on ``d`` not kept there sent to a partner with places left by
    its deadline, and the room's gaps filled (:func:`_insert`); undone unless the levels
    gain."""
    cand, occ, out = dates.occ.cand, dates.occ, dates.out
    for k in sorted(j for _s, _e, j in occ.room_day[d, room]):
        if dates.kept(k, out[k]) or not is_free(cand, k):
            continue
        if all(dates.kept(j, out[j]) for j in takers):
            return
        there = _partner(dates, k)
        if there is not None:
            _out_for(dates, d, room, takers, k, there)


def _partner(dates: Dates, k: int) -> Placement | None:
    """The first of case ``k``'s transfers by its deadline with a place left, if any."""
    cand, occ = dates.occ.cand, dates.occ
    dl = cand.deadline_day[k]
    for t in cand.transfer_options[k]:
        if (dl is None or t.day <= dl) and occ.partner_used[t.partner] < cand.partner_slots[
            t.partner
        ].capacity:
            return Placement(day=t.day, partner=t.partner)
    return None


def _swap(dates: Dates, d: int, room: int, takers: list[int]) -> None:
    """Each kept case of ``room`` on ``d`` without a deadline, the longest first, taken out
    (first fit places it at the end) when its minutes, with the room's free ones, would
    hold two of ``takers``, and the room's gaps filled (:func:`_insert`); undone unless the
    levels gain. (Two kept cases out for three: 3 cases more on the region, for a third
    more time.)"""
    cand, occ, out = dates.occ.cand, dates.occ, dates.out
    turnover = cand.scenario.policy.turnover_min
    kept = [
        k
        for _s, _e, k in occ.room_day[d, room]
        if is_free(cand, k) and cand.deadline_day[k] is None and dates.kept(k, out[k])
    ]
    for k in sorted(kept, key=lambda k: (-cand.cases[k].duration_min, k)):
        lost = sorted(cand.cases[j].duration_min for j in takers if not dates.kept(j, out[j]))
        size = cand.cases[k].duration_min + turnover
        if len(lost) < 2 or sum(lost[:2]) + 2 * turnover > _free(dates, d, room) + size:
            continue
        _out_for(dates, d, room, takers, k, None)


def _out_for(
    dates: Dates, d: int, room: int, takers: list[int], k: int, to: Placement | None
) -> None:
    """Case ``k`` out of ``room`` on ``d`` (to ``to``: a partner, or ``None`` for first fit
    to place it) and the room's gaps filled (:func:`_insert`); undone unless the levels
    gain."""
    before, mark = dates.score(), len(dates.journal)
    dates.move(k, to)
    _insert(dates, d, room, takers)
    if dates.score() >= before:
        dates.undo(mark)
