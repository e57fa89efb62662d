"""A fast constructive schedule: first fit by urgency.

It is three things at once: the baseline the benchmarks compare against, the
hint that starts CP-SAT's search, and the answer written when CP-SAT finds
nothing in time. It obeys every rule of the contract by construction: pinned
cases first; then cases with a deadline in the horizon, earliest deadline
first, where planned if they still fit there; then every case that can stay
exactly where it was planned; then the others on their planned date; then the
rest, most urgent first, each at the earliest feasible (date, room, start). A
case with an announced appointment (a re-plan) is "where it was planned" at
its announced slot, and "on its planned date" on its announced date.

:func:`keep_first` is the other order, for the levels after the deadlines: it
keeps every case that still fits first, then repacks each shrunken date, and
only then fits the displaced cases with a deadline (by ejection if need be).
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict

from ..facts.candidates import Candidates, RoomOption
from ..facts.solution import Placement, Solution
from .occupancy import NEVER
from .occupancy import Occupancy as Occupancy


def priority(cand: Candidates, i: int) -> tuple[int, int, int, int, str]:
    """Earliest deadline first (cases whose deadline falls in the horizon), then the most
    urgent class, then the earliest planned, then the longest wait, then by id (not the
    row order: a re-sorted cases.csv gives the same schedule)."""
    dl = cand.deadline_day[i]
    planned = cand.base_day(i)
    return (
        dl if dl is not None else NEVER,
        cand.rank[i],
        planned,
        -cand.waited[i],
        cand.cases[i].case_id,
    )


def _start(
    cand: Candidates, given: Solution | None = None
) -> tuple[Occupancy, Solution, list[int]]:
    """A schedule with the held cases in place (and the ``given`` placements, see
    :func:`place_held`), and the cases in priority order."""
    n = len(cand.cases)
    solution: Solution = [None] * n
    occ = Occupancy(cand)
    order = sorted(range(n), key=lambda i: priority(cand, i))
    place_held(occ, solution, order, given)
    return occ, solution, order


def first_fit(
    cand: Candidates, *, keep_in_place: bool = True, fixed: Solution | None = None
) -> Solution:
    """The constructive schedule described in the module docstring.

    ``fixed`` placements (from a valid schedule) are taken as they are, like
    pins: the solver uses this to repair a schedule level by level.
    """
    occ, solution, order = _start(cand, fixed)

    def in_place(i: int) -> Placement | None:
        c, pr, pd = cand.cases[i], cand.planned_room[i], cand.planned_day[i]
        announced = cand.announced[i]
        if announced is not None and announced.partner is not None:  # a transfer announced
            return occ.transfer_to(i, announced.partner, announced.day)
        if announced is not None:  # the patient holds this slot: try it first
            pr, pd = announced.room, announced.day
            if announced.start is None:  # a date (and perhaps a room) alone
                return (
                    _first_fit_here(occ, i, first_day=pd, last_day=pd) if pd is not None else None
                )
            for opt in cand.room_options[i]:
                if (
                    opt.day == pd
                    and (pr is None or opt.room == pr)
                    and occ.fits(opt, announced.start)
                ):
                    return occ.place(opt, announced.start)
            return None
        if c.planned_start is None:
            return None
        for opt in cand.room_options[i]:
            if opt.day == pd and opt.room == pr:
                return occ.place(opt, c.planned_start) if occ.fits(opt, c.planned_start) else None
        return None

    # Cases with a deadline in the horizon first, earliest deadline first: where
    # they were planned if they still fit there, else as early as possible.
    for i in order:
        pd, dl = cand.planned_day[i], cand.deadline_day[i]
        if solution[i] is None and dl is not None:
            solution[i] = (in_place(i) if keep_in_place else None) or _first_fit_here(
                occ, i, first_day=pd or 0, last_day=dl
            )
    if keep_in_place:
        for i in order:
            if solution[i] is None and (
                cand.planned_day[i] is not None or cand.announced[i] is not None
            ):
                solution[i] = in_place(i)
    # Then planned cases on their planned date (an announced case on its announced
    # date), so a case postponed from an earlier date never takes the place of one
    # planned later.
    for i in order:
        announced = cand.announced[i]
        pd = cand.planned_day[i] if announced is None else announced.day
        if solution[i] is None and pd is not None:
            solution[i] = _first_fit_here(occ, i, first_day=pd, last_day=pd)

    return place_the_rest(occ, solution, order)


def place_the_rest(occ: Occupancy, solution: Solution, order: list[int]) -> Solution:
    """Every case still without a place, in ``order``: by its deadline here, else by a
    transfer before it, else here after it (or as early as it fits, with no deadline)."""
    cand = occ.cand
    for i in order:
        if solution[i] is not None or not (cand.room_options[i] or cand.transfer_options[i]):
            continue
        deadline = cand.deadline_day[i]
        placed = _first_fit_here(occ, i, last_day=deadline)
        if placed is None and deadline is not None:
            placed = occ.transfer(i, before=deadline) or _first_fit_here(occ, i, last_day=None)
        solution[i] = placed
    return solution


def place_held(
    occ: Occupancy, solution: Solution, order: list[int], given: Solution | None = None
) -> None:
    """The held cases first: those at a whole slot (pinned, or fixed there by the planner)
    where they are; then the ``given`` placements as they are; then the cases fixed on a
    date (and room) alone, in ``order``, at the earliest start there. One that does not
    fit is left unplaced (see :func:`unplaced_held`)."""
    cand = occ.cand
    for i in range(len(cand.cases)):
        if held_at_a_slot(cand, i):
            opt = cand.room_options[i][0]
            solution[i] = occ.place(opt, opt.starts[0][0])
    for i, p in enumerate(given or ()):
        if p is not None and solution[i] is None:
            solution[i] = occ.take(i, p)
    for i in order:
        if cand.pinned[i] and solution[i] is None:
            solution[i] = _first_fit_here(occ, i, last_day=None)


def held_at_a_slot(cand: Candidates, i: int) -> bool:
    """Is case ``i`` held at a whole slot (pinned, or fixed at a date, room and start)? Its
    one option is then that slot, taken as it is."""
    slot = cand.cases[i].fixed_slot
    return cand.pinned[i] and slot is not None and slot.full


def unplaced_held(cand: Candidates, solution: Solution) -> list[int]:
    """The held cases (pinned or fixed) a schedule leaves unplaced, in case order."""
    return [i for i, p in enumerate(solution) if cand.pinned[i] and p is None]


def _first_fit_here(
    occ: Occupancy, i: int, last_day: int | None, first_day: int = 0
) -> Placement | None:
    pr = occ.cand.planned_room[i]
    by_day: dict[int, list[RoomOption]] = defaultdict(list)
    for opt in occ.cand.room_options[i]:
        if opt.day >= first_day and (last_day is None or opt.day <= last_day):
            by_day[opt.day].append(opt)
    for d in sorted(by_day):
        # the planned room first: fewer changes for the team
        for opt in sorted(by_day[d], key=lambda o: (o.room != pr, o.room)):
            t = occ.earliest(opt)
            if t is not None:
                return occ.place(opt, t)
    return None


class OutOfTime(Exception):
    """A constructive schedule given a deadline did not finish by it."""


def keep_first(cand: Candidates, *, eject: bool = True, deadline: float | None = None) -> Solution:
    """A constructive schedule that keeps first: every case that still fits where it was
    planned stays; then, date by date, the planned cases that lost their place, the
    shortest first (most kept cases on a date whose capacity shrank); then the cases
    with a deadline in the horizon, earliest deadline first, in the capacity left up to
    their deadline, else by transfer, else (with ``eject``) by ejecting one kept case
    without a deadline from a date that can best spare it; then the rest, as
    :func:`first_fit` does.

    Displaced cases with a deadline only use capacity nobody planned on, unless
    nothing is left: :func:`first_fit` places them first, at the earliest date, and
    pushes out cases planned there.

    ``deadline`` (a ``time.monotonic()``): given up when it passes, raising
    :class:`OutOfTime` (a region's ejections cost many first fits; the first fit is
    there anyway).
    """

    def late() -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise OutOfTime

    occ, solution, order = _start(cand)
    by_day: dict[int, list[int]] = defaultdict(list)
    for i in order:
        pd = cand.planned_day[i]
        if solution[i] is None and pd is not None:
            by_day[pd].append(i)
    for _day, cases in sorted(by_day.items()):
        late()
        in_place = _keep_day(occ, solution, cases, repack=False)
        kept = sum(solution[i] is not None for i in cases)
        for i in cases:
            p = solution[i]
            if p is not None:
                occ.release(i, p)
                solution[i] = None
        _keep_day(occ, solution, cases, repack=True)
        if sum(solution[i] is not None for i in cases) <= kept:
            for i in cases:
                p = solution[i]
                if p is not None:
                    occ.release(i, p)
                q = in_place[i]
                solution[i] = q if q is None else occ.take(i, q)
    kept_on: dict[int, int] = defaultdict(int)
    planned_on: dict[int, int] = defaultdict(int)
    for i, p in enumerate(solution):
        pd = cand.planned_day[i]
        if pd is not None:
            planned_on[pd] += 1
            kept_on[pd] += p is not None and p.day == pd
    for i in order:
        dl = cand.deadline_day[i]
        if solution[i] is not None or dl is None:
            continue
        late()
        first = cand.earliest_day[i] or 0
        placed = _first_fit_here(occ, i, first_day=first, last_day=dl)
        placed = placed or occ.transfer(i, before=dl)
        if placed is None and eject:
            placed = _eject_for(occ, solution, i, first, dl, kept_on, planned_on)
        if placed is None and eject:  # one case out is not enough: two of one room
            placed = _eject_two_for(occ, solution, i, first, dl, kept_on, planned_on)
        solution[i] = placed
    return place_the_rest(occ, solution, order)


def _keep_day(
    occ: Occupancy, solution: Solution, cases: list[int], *, repack: bool
) -> dict[int, Placement | None]:
    """Place the planned cases of one date on it: each where planned if it fits there
    (unless ``repack``), then the others, those due that date first, then the shortest,
    each at its earliest start (the planned room first)."""
    cand = occ.cand
    rest = []
    for i in cases:
        c, pd, pr = cand.cases[i], cand.planned_day[i], cand.planned_room[i]
        opt = next((o for o in cand.room_options[i] if o.day == pd and o.room == pr), None)
        if (
            not repack
            and opt is not None
            and c.planned_start is not None
            and occ.fits(opt, c.planned_start)
        ):
            solution[i] = occ.place(opt, c.planned_start)
        else:
            rest.append(i)
    rest.sort(
        key=lambda i: (cand.deadline_day[i] != cand.planned_day[i], cand.cases[i].duration_min, i)
    )
    for i in rest:
        pd = cand.planned_day[i]
        assert pd is not None
        solution[i] = _first_fit_here(occ, i, first_day=pd, last_day=pd)
    return {i: solution[i] for i in cases}


def _eject_for(
    occ: Occupancy,
    solution: Solution,
    i: int,
    first: int,
    last: int,
    kept_on: dict[int, int],
    planned_on: dict[int, int],
) -> Placement | None:
    """Place case ``i`` by taking out one placed case that has no deadline in the horizon.

    Of all (date, room, case out) that let ``i`` in, the one that costs the
    kept-ratio target least: the date keeping the largest share of its planned
    cases, then the shortest case out. The case taken out is left unplaced, for
    the last pass.
    """
    cand = occ.cand
    turnover = cand.scenario.policy.turnover_min
    need = cand.cases[i].duration_min
    best: tuple[tuple[float, int], RoomOption, int] | None = None
    for opt in cand.room_options[i]:
        if not first <= opt.day <= last:
            continue
        s0, s1 = cand.session_span[opt.day, opt.room]
        held = occ.room_day[opt.day, opt.room]
        for entry in list(held):
            j = entry[2]
            if cand.pinned[j] or cand.deadline_day[j] is not None:
                continue
            key = (-kept_on[opt.day] / max(1, planned_on[opt.day]), cand.cases[j].duration_min)
            if best is not None and key >= best[0]:
                continue

            p = solution[j]
            assert p is not None
            out = cand.cases[j].duration_min + turnover
            if occ.room_load[opt.day, opt.room] - out + need > s1 - s0:
                # i cannot fit even with j out (earliest() would say so first): only move j
                # to the end of the room's list, as releasing and retaking it would, so that
                # later ties are broken as before
                held.remove(entry)
                held.append(entry)
                continue
            occ.release(j, p)
            if occ.earliest(opt) is not None:
                best = (key, opt, j)
            occ.take(j, p)
    if best is None:
        return None
    return _out_and_in(occ, solution, kept_on, best[1], best[2:])


def _eject_two_for(
    occ: Occupancy,
    solution: Solution,
    i: int,
    first: int,
    last: int,
    kept_on: dict[int, int],
    planned_on: dict[int, int],
) -> Placement | None:
    """Place case ``i`` by taking out two placed cases of one room-date that have no deadline
    in the horizon, when no single one lets it in (a long urgent case; a region's first dates
    full of planned cases): the same choice as :func:`_eject_for`, the pair with the fewest
    minutes on the date keeping the largest share of its planned cases. Both are left
    unplaced, for the last pass; the placements of the cases tried are restored as found."""
    cand = occ.cand
    turnover = cand.scenario.policy.turnover_min
    need = cand.cases[i].duration_min
    best: tuple[tuple[float, int], RoomOption, int, int] | None = None
    for opt in cand.room_options[i]:
        if not first <= opt.day <= last:
            continue
        share = -kept_on[opt.day] / max(1, planned_on[opt.day])
        if best is not None and share > best[0][0]:
            continue
        s0, s1 = cand.session_span[opt.day, opt.room]
        free = [
            e[2]
            for e in occ.room_day[opt.day, opt.room]
            if not cand.pinned[e[2]] and cand.deadline_day[e[2]] is None
        ]
        load = occ.room_load[opt.day, opt.room]
        for j, k in itertools.combinations(free, 2):
            minutes = cand.cases[j].duration_min + cand.cases[k].duration_min
            key = (share, minutes)
            if (
                best is not None and key >= best[0]
            ) or load - minutes - 2 * turnover + need > s1 - s0:
                continue
            pj, pk = solution[j], solution[k]
            assert pj is not None and pk is not None
            occ.release(j, pj)
            occ.release(k, pk)
            if occ.earliest(opt) is not None:
                best = (key, opt, j, k)
            occ.take(j, pj)
            occ.take(k, pk)
    if best is None:
        return None
    return _out_and_in(occ, solution, kept_on, best[1], best[2:])


def _out_and_in(
    occ: Occupancy,
    solution: Solution,
    kept_on: dict[int, int],
    opt: RoomOption,
    outs: tuple[int, ...],
) -> Placement:
    """The cases ``outs`` taken out (left unplaced, for the last pass), then ``opt``'s case
    placed at its earliest start (which the choice of ``outs`` made sure exists)."""
    for out in outs:
        p = solution[out]
        assert p is not None
        occ.release(out, p)
        solution[out] = None
        if occ.cand.planned_day[out] == p.day:
            kept_on[p.day] -= 1
    t = occ.earliest(opt)
    assert t is not None
    return occ.place(opt, t)
