"""Long planned cases swapped for shorter ones on the dates that lose planned cases.

The kept level counts cases (or their weights), not minutes: on a date whose
capacity shrank, a long case kept in a room may hold the minutes of two or
more of the date's planned cases that lost their place. :func:`exchanged`,
room by room, takes out such a case (or the room's two longest for three;
with, if need be, the room's cases due later moved to their later date, as
:mod:`.relocate` moves them), it goes, like every case taken out, where first
fit puts it; or moves one of the room's cases to another room that date
where it fits (kept there). The room's cases are then moved up and the date's
lost cases that fit put back, the due-that-date first, then the shortest
(:func:`.relocate.refill`). Each change is undone unless the levels gain in
their order (:meth:`.relocate.Dates.score`); held and announced cases never
move, a case with a deadline only by it.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ..facts.candidates import Candidates
from ..facts.solution import Placement, Solution
from .relocate import Dates, compact, date_by_date, is_free, lost_on, movable, refill, to_target

TRIES = 2  # the longest cases of a room tried, one at a time


def exchanged(cand: Candidates, schedule: Solution, deadline: float | None = None) -> Solution:
    """``schedule`` with the swaps the module describes, date after date from the first,
    until ``deadline`` (a ``time.monotonic()``; ``None``: every date)."""
    return date_by_date(cand, schedule, _exchange_on, deadline)


def _exchange_on(dates: Dates, d: int, deadline: float | None) -> None:
    """Date ``d``'s rooms, each with its longest kept cases tried in turn (see the module)."""
    cand, occ, out = dates.occ.cand, dates.occ, dates.out
    lost = lost_on(dates, d)
    if not lost:
        return
    turnover = cand.scenario.policy.turnover_min
    by_room: dict[int, list[int]] = defaultdict(list)  # room -> the lost cases it may take
    for j in lost:
        for o in dates.options_on(j, d):
            by_room[o.room].append(j)
    dates.journal.clear()
    for room in sorted(by_room):
        if deadline is not None and time.monotonic() > deadline:
            return
        s0, s1 = cand.session_span[d, room]
        longest = sorted(
            (
                j
                for _s, _e, j in occ.room_day[d, room]
                if is_free(cand, j) and cand.deadline_day[j] is None and dates.kept(j, out[j])
            ),
            key=lambda j: (-cand.cases[j].duration_min, j),
        )[:TRIES]
        for group in [[k] for k in longest] + [longest[:2]] * (len(longest) > 1):
            takers = [j for j in by_room[room] if not dates.kept(j, out[j])]
            n = len(group)
            if len(takers) <= n:
                break
            if not all(dates.kept(k, out[k]) for k in group):
                continue
            fewest = sorted(cand.cases[j].duration_min for j in takers)[: n + 1]
            free = s1 - s0 - occ.room_load[d, room]
            free += sum(cand.cases[k].duration_min for k in group) + n * turnover
            if sum(fewest) + (n + 1) * turnover > free:
                continue  # not even the shortest would fit in their place
            before, mark = dates.score(), len(dates.journal)
            for movers in ([], _due_later(dates, d, room)):
                if all(to_target(dates, m, d) for m in movers):
                    for k in group:
                        dates.move(k, None)
                    compact(dates, d, room)
                    refill(dates, d, takers, room)
                    if dates.score() < before:
                        break
                dates.undo(mark)
        _shift(dates, d, room, by_room[room])


def _shift(dates: Dates, d: int, room: int, lost: list[int]) -> None:
    """Each case of ``room`` on ``d`` moved to another room that date where it fits (kept
    there, if it was), the room's cases moved up, and ``lost``'s cases (planned on ``d``)
    put back in the minutes it left; undone unless the levels gain."""
    cand, occ, out = dates.occ.cand, dates.occ, dates.out
    s0, s1 = cand.session_span[d, room]
    for k in sorted(j for _s, _e, j in occ.room_day[d, room] if is_free(cand, j)):
        takers = [j for j in lost if not dates.kept(j, out[j])]
        if not takers:
            return
        free = s1 - s0 - occ.room_load[d, room] + cand.cases[k].duration_min
        if min(cand.cases[j].duration_min for j in takers) > free:
            continue
        here = out[k]
        assert here is not None
        before, mark = dates.score(), len(dates.journal)
        dates.move(k, None)
        for o in dates.options_on(k, d):
            if o.room != room and (t := occ.earliest(o)) is not None:
                dates.move(k, Placement(day=d, room=o.room, start=t))
                compact(dates, d, room)
                refill(dates, d, takers, room)
                if dates.score() < before:
                    break
                dates.undo(mark + 1)
        else:
            dates.undo(mark)


def _due_later(dates: Dates, d: int, room: int) -> list[int]:
    """The cases of ``room`` on ``d`` :func:`.relocate.relocated` may move to a later date by
    their deadline (:func:`.relocate.movable`)."""
    cand = dates.occ.cand
    return sorted(j for _s, _e, j in dates.occ.room_day[d, room] if movable(cand, j, d))
