"""Cases with a deadline moved off the dates they crowd, and cases past their deadline placed
in time by moving others: chains of moves on a starting schedule.

First fit (:mod:`.construct`) places the cases with a deadline first, each at its
earliest date: on a region whose first dates lost capacity, they fill those dates
and push out the cases planned there, although most are due weeks later.
:func:`relocated` takes such a case off its date to a later one by its deadline
(the latest with a free place, else the latest where one case without a deadline,
the shortest, makes way, on a date above its kept-ratio target if any is), then
puts back in the room it left (its cases moved up) the planned cases of that date
that now fit there; the cases of one room together when one alone frees too
little. :func:`keep_first` keeps the planned cases first and misses deadlines
first fit meets: :func:`in_time` clears a room-date by such a case's deadline for
it, moving the cases due later (or due that date, to another room-date) and
taking out the others.

Every change is undone unless it lowers the levels it may touch, in their order:
the deadline misses by class, the shortfall below the kept-ratio target, the
planned cases kept (:meth:`Dates.score`). No held or announced case moves, every
placement passes the construction's own tests (:class:`.occupancy.Occupancy`),
and the cases taken out are placed again as first fit would: the levels before
the weighted delay never get worse.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..facts.candidates import Candidates, RoomOption
from ..facts.levels import scaled
from ..facts.solution import Placement, Solution
from ..model.objective import need
from .construct import place_the_rest, priority
from .occupancy import Occupancy

PASSES = 3  # over the dates, at most


Score = tuple[tuple[int, ...], int, int]  # misses by class (most urgent first), shortfall, -kept


@dataclass
class Dates:
    """The schedule being changed, with its first levels' tallies and a journal of its moves
    (to undo those that do not pay)."""

    occ: Occupancy
    out: Solution
    planned_on: dict[int, list[int]]
    needs: dict[int, int]
    gain: list[int]  # what keeping each case is worth to the kept level (its weight, if weighted)
    kept_on: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    kept_value: int = 0
    misses: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # per class rank
    shortfall: int = 0
    journal: list[tuple[int, Placement | None]] = field(default_factory=list)
    # per (case, date): its options on that date, the planned room first (read at each move)
    on: dict[tuple[int, int], list[RoomOption]] = field(default_factory=dict)

    @classmethod
    def of(cls, cand: Candidates, schedule: Solution, *, record: bool = True) -> Dates:
        """``schedule``, tallied (and recorded in the occupancy, unless not ``record``)."""
        planned_on: dict[int, list[int]] = defaultdict(list)
        for i, pd in enumerate(cand.planned_day):
            if pd is not None:
                planned_on[pd].append(i)
        policy = cand.scenario.policy
        needs = {d: need(len(cases), policy.target_ratio) for d, cases in planned_on.items()}
        weighted = policy.level3 == "weighted"
        gain = [scaled(w) if weighted else 1 for w in cand.weight]
        out: Solution = [None] * len(cand.cases)
        dates = cls(Occupancy(cand), out, planned_on, needs, gain, shortfall=sum(needs.values()))
        for i in range(len(out)):  # the tallies of a schedule with nothing placed
            if not cand.out_of_run[i]:
                dates.misses[cand.rank[i]] += dates.missed(i, None)
        for i, p in enumerate(schedule):
            if record:
                dates.move(i, p)
            else:
                dates.tally(i, p)
        dates.journal.clear()
        return dates

    def finished(self) -> Solution:
        """The schedule, the cases left out placed as first fit would (:func:`place_the_rest`)."""
        cand = self.occ.cand
        order = sorted(range(len(cand.cases)), key=lambda i: priority(cand, i))
        return place_the_rest(self.occ, self.out, order)

    def options_on(self, j: int, d: int) -> list[RoomOption]:
        known = self.on.get((j, d))
        if known is None:
            pr = self.occ.cand.planned_room[j]
            known = [o for o in self.occ.cand.room_options[j] if o.day == d]
            known = self.on[j, d] = sorted(known, key=lambda o: (o.room != pr, o.room))
        return known

    def kept(self, i: int, p: Placement | None) -> bool:
        return p is not None and p.here and p.day == self.occ.cand.planned_day[i]

    def missed(self, i: int, p: Placement | None) -> bool:
        dl = self.occ.cand.deadline_day[i]
        return dl is not None and (p is None or p.day > dl)

    def move(self, i: int, p: Placement | None) -> None:
        """Case ``i`` from where it is to ``p`` (``None``: out), the tallies kept."""
        old = self.out[i]
        self.journal.append((i, old))
        if old is not None:
            self.occ.release(i, old)
        if p is not None:
            self.occ.take(i, p)
        self.tally(i, p)

    def tally(self, i: int, p: Placement | None) -> None:
        """Case ``i``'s placement set to ``p`` with the levels' tallies (not the occupancy)."""
        old = self.out[i]
        if old is not None:
            self._keep(i, old.day, -self.kept(i, old))
        if p is not None:
            self._keep(i, p.day, self.kept(i, p))
        if not self.occ.cand.out_of_run[i]:
            self.misses[self.occ.cand.rank[i]] += self.missed(i, p) - self.missed(i, old)
        self.out[i] = p

    def _keep(self, i: int, d: int, more: int) -> None:
        if more:
            short = self.short(d)
            self.kept_on[d] += more
            self.shortfall += self.short(d) - short
            self.kept_value += more * self.gain[i]

    def short(self, d: int) -> int:
        """Date ``d``'s shortfall below its target."""
        return max(0, self.needs.get(d, 0) - self.kept_on[d])

    def score(self) -> Score:
        """The levels this step may not worsen, in their order (lower is better)."""
        misses = tuple(self.misses[r] for r in sorted(self.misses))
        return misses, self.shortfall, -self.kept_value

    def place_first(self, j: int, options: Iterable[RoomOption]) -> bool:
        """Case ``j`` (out) at its earliest start in the first of ``options`` where it fits
        (``False``: none)."""
        for o in options:
            t = self.occ.earliest(o)
            if t is not None:
                self.move(j, Placement(day=o.day, room=o.room, start=t))
                return True
        return False

    def undo(self, mark: int) -> None:
        """Every move since the journal had ``mark`` entries, undone (the last first)."""
        while len(self.journal) > mark:
            i, p = self.journal.pop()
            self.move(i, p)
            self.journal.pop()


def relocated(cand: Candidates, schedule: Solution, deadline: float | None = None) -> Solution:
    """``schedule`` with the moves the module describes, date after date from the first,
    until ``deadline`` (a ``time.monotonic()``; ``None``: every date); the schedule so far
    when it passes (each move kept is whole and valid)."""
    return date_by_date(cand, schedule, _relieve, deadline)


def date_by_date(
    cand: Candidates,
    schedule: Solution,
    step: Callable[[Dates, int, float | None], None],
    deadline: float | None = None,
) -> Solution:
    """``step`` on each date of ``schedule`` with planned cases, from the first, until
    ``deadline``, in at most :data:`PASSES` passes: again while a pass gains (a change
    frees places later changes can use)."""
    dates = Dates.of(cand, schedule)
    for _ in range(PASSES):
        before = dates.score()
        for d in sorted(dates.planned_on):
            if deadline is not None and time.monotonic() > deadline:
                break
            step(dates, d, deadline)
        if dates.score() >= before:
            break
    return dates.finished()


def _relieve(dates: Dates, d: int, deadline: float | None) -> None:
    """Date ``d``'s lost planned cases put back where they fit, then its cases with a later
    deadline moved off it one by one, then those of one room together (one alone may free
    too little for a planned case), each move kept only if the levels gain."""
    cand, out = dates.occ.cand, dates.out
    lost = lost_on(dates, d)
    if not lost:
        return
    dates.journal.clear()
    refill(dates, d, lost)
    movers = [
        k
        for k, p in enumerate(out)
        if p is not None and p.here and p.day == d and movable(cand, k, d)
    ]
    movers.sort(key=lambda k: (-(cand.deadline_day[k] or 0), k))
    for k in movers:
        lost = [j for j in lost if not dates.kept(j, out[j])]
        if not lost or (deadline is not None and time.monotonic() > deadline):
            return
        _try_move(dates, [k], d, lost)
    by_room: dict[int, list[int]] = defaultdict(list)
    for k in movers:
        p = out[k]
        if p is not None and p.day == d and p.room is not None:
            by_room[p.room].append(k)
    for ks in by_room.values():
        lost = [j for j in lost if not dates.kept(j, out[j])]
        if not lost or (deadline is not None and time.monotonic() > deadline):
            return
        if len(ks) > 1:
            _try_move(dates, ks, d, lost)


def movable(cand: Candidates, k: int, d: int) -> bool:
    """Is case ``k``, on date ``d``, one this step may move later: due after ``d`` (in the
    horizon), not planned on ``d``, neither held nor announced?"""
    dl = cand.deadline_day[k]
    return (
        dl is not None
        and dl > d
        and cand.planned_day[k] != d
        and not cand.pinned[k]
        and cand.announced[k] is None
    )


def is_free(cand: Candidates, j: int) -> bool:
    """May case ``j`` be taken out or moved at all (not held, announced or outside the run)?"""
    return not (cand.pinned[j] or cand.announced[j] is not None or cand.out_of_run[j])


def lost_on(dates: Dates, d: int) -> list[int]:
    """The cases planned on ``d`` that are not kept there but could be (they have an option
    on ``d``, by their deadline), due that date first, then the shortest."""
    cand = dates.occ.cand
    lost = [
        j
        for j in dates.planned_on[d]
        if not dates.kept(j, dates.out[j])
        and is_free(cand, j)
        and ((dl := cand.deadline_day[j]) is None or d <= dl)
        and any(o.day == d for o in cand.room_options[j])
    ]
    lost.sort(key=lambda j: (cand.deadline_day[j] != d, cand.cases[j].duration_min, j))
    return lost


def refill(dates: Dates, d: int, lost: list[int], room: int | None = None) -> None:
    """Each case of ``lost`` (planned on ``d``) placed back on ``d`` where it fits now (in
    ``room`` only, if given: the room a case just left), at its earliest start, the planned
    room first; else left where it was."""
    cand, occ = dates.occ.cand, dates.occ
    for j in lost:
        old = dates.out[j]
        if dates.kept(j, old):
            continue
        options = [o for o in dates.options_on(j, d) if room in (None, o.room)]
        if room is not None:
            s0, s1 = cand.session_span[d, room]
            if not options or occ.room_load[d, room] + cand.cases[j].duration_min > s1 - s0:
                continue
        if old is not None:
            dates.move(j, None)
        if not dates.place_first(j, options):
            dates.move(j, old)


def _try_move(dates: Dates, movers: list[int], d: int, lost: list[int]) -> None:
    """``movers`` (of one room on ``d``) moved to later dates by their deadlines, then
    ``lost`` put back in that room; undone unless the levels gain (:meth:`Dates.score`)."""
    room = dates.out[movers[0]]
    assert room is not None and room.room is not None
    before, mark = dates.score(), len(dates.journal)
    for k in movers:
        to_target(dates, k, d)
    compact(dates, d, room.room)
    refill(dates, d, lost, room.room)
    if dates.score() >= before:
        dates.undo(mark)


def to_target(dates: Dates, k: int, d: int, anywhere: bool = False, *, away: bool = False) -> bool:
    """Case ``k`` moved from ``d`` to its :func:`_target` (on another date, if ``away``), if
    it has one (``False``: none)."""
    here = dates.out[k]
    assert here is not None
    dates.move(k, None)
    target = _target(dates, k, d, here.room if anywhere else None, away=away)
    if target is None:
        dates.move(k, here)
        return False
    opt, made_way = target
    for j in made_way:
        dates.move(j, None)
    start = dates.occ.earliest(opt)
    assert start is not None
    dates.move(k, Placement(day=opt.day, room=opt.room, start=start))
    return True


def compact(dates: Dates, d: int, room: int, first: RoomOption | None = None) -> None:
    """The cases of ``room`` on ``d`` placed again in their order, each at its earliest start
    (after ``first``'s case, if given, placed at its earliest): the room's free minutes,
    scattered between cases that stayed at their planned starts, at its end, where a planned
    case may fit (held and announced cases stay where they are)."""
    cand, occ = dates.occ.cand, dates.occ
    cases = sorted((s, j) for s, _e, j in occ.room_day[d, room] if is_free(cand, j))
    options = {}
    for _s, j in cases:
        opt = next((o for o in dates.options_on(j, d) if o.room == room), None)
        if opt is not None:
            options[j] = opt
            dates.move(j, None)
    if first is not None and (t := occ.earliest(first)) is not None:
        dates.move(first.case, Placement(day=d, room=room, start=t))
    for _s, j in cases:
        if j in options:
            # without ``first``, never later than it was: the cases before it end sooner
            t = occ.earliest(options[j])
            dates.move(j, None if t is None else Placement(day=d, room=room, start=t))


def _target(
    dates: Dates, k: int, d: int, room: int | None = None, *, away: bool = False
) -> tuple[RoomOption, tuple[int, ...]] | None:
    """Where case ``k`` (taken off ``d``) goes: the room-date after ``d`` (or, given the
    ``room`` it left, any other room-date) by its deadline with a free place, the latest;
    else the one where taking out one case without a deadline lets it in at the least cost
    (no date falling below its target if possible, a case not kept if possible, the latest
    date, the shortest case), with that case; else (given ``room``) two cases of one room,
    the same way. With ``away``, no room-date on ``d`` (its surgeon is needed there)."""
    cand, occ = dates.occ.cand, dates.occ
    dl = cand.deadline_day[k]
    assert dl is not None
    turnover = cand.scenario.policy.turnover_min
    size = cand.cases[k].duration_min
    options = sorted(
        (
            o
            for o in cand.room_options[k]
            if o.day <= dl
            and (d < o.day or (room is not None and (o.day, o.room) != (d, room)))
            and not (away and o.day == d)
        ),
        key=lambda o: (-o.day, o.room),
    )
    for opt in options:
        if occ.earliest(opt) is not None:
            return opt, ()
    for n in (1, 2) if room is not None else (1,):
        best: tuple[tuple[int, int, int, int], RoomOption, tuple[int, ...]] | None = None
        for opt in options:
            e = opt.day
            if best is not None and best[0][:2] == (0, 0):
                break  # options come latest first: none left beats cases not kept
            spare = max(0, dates.kept_on[e] - dates.needs.get(e, 0))
            s0, s1 = cand.session_span[e, opt.room]
            load = occ.room_load[e, opt.room]
            free = [
                j
                for _s, _t, j in occ.room_day[e, opt.room]
                if cand.deadline_day[j] is None and is_free(cand, j)
            ]
            for outs in itertools.combinations(free, n):
                kept = sum(dates.kept(j, dates.out[j]) for j in outs)
                minutes = sum(cand.cases[j].duration_min for j in outs)
                key = (max(0, kept - spare), kept, -e, minutes)
                if (
                    best is not None and key >= best[0]
                ) or load - minutes - n * turnover + size > s1 - s0:
                    continue
                placed = [(j, dates.out[j]) for j in outs]
                for j, p in placed:
                    assert p is not None
                    occ.release(j, p)
                fits = occ.earliest(opt) is not None
                for j, p in placed:
                    assert p is not None
                    occ.take(j, p)
                if fits:
                    best = (key, opt, outs)
        if best is not None:
            return best[1], best[2]
    return None


def first_levels(cand: Candidates, schedule: Solution) -> Score:
    """What :meth:`Dates.score` says of ``schedule``: the deadline misses by class (the most
    urgent first), the shortfall, minus the planned cases kept (lower is better)."""
    return Dates.of(cand, schedule, record=False).score()


def misses_by_class(cand: Candidates, schedule: Solution) -> tuple[int, ...]:
    """The deadline misses of ``schedule`` per class, the most urgent first."""
    return first_levels(cand, schedule)[0]
