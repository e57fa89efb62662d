"""What would let a case go ahead as planned, found by the solver.

The case is forced onto its planned date (and its planned room and start when
it already goes ahead elsewhere that day); every case not operated that date
stays exactly where the current schedule has it, and the cases of that date
may move anywhere their options allow. CP-SAT then finds the least change:
first the fewest deadline misses, then the fewest cases moved to another date
or out (a change of room or start counts far less), then the best value of
each other objective level in turn.
When even that has no solution, or the case has no option that date at all,
nothing short of more capacity would do, and the answer says which capacity
(a session, the surgeon's hours, a resource) is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates, RoomOption, TransferOption, build_candidates
from ..facts.levels import LevelKind
from ..facts.solution import Placement, Solution
from ..model.build import add_hint, build_model, read_solution
from ..model.objective import Level
from ..scenario.schema import Scenario
from .facts import Book, Booking
from .indices import bookings_from_solution, to_solution
from .verdict import Verdict, verdict

DATE_MOVE = 100  # a case sent to another date (or out) weighs this many room or start changes
# The work budget (deterministic) decides, so that the same result folder gets the same
# answer; the wall-clock limit is only a safety net on slow machines.
TIME_LIMIT_S = 10.0
WORK_LIMIT = 2.0
# shares of the time: deadline misses first, then the fewest moves, then the other levels
MISS_SHARE, MOVES_SHARE = 0.25, 0.45
NARROW_SHARE = 0.4  # of the time for the search that moves only the cases nearest to it
NEAR_DAYS = 7  # a case moved off the date goes at most this many days later (or out)


@dataclass(frozen=True)
class Move:
    """A case the forced schedule places differently: before and after."""

    case_id: str
    urgency: str
    before: Booking
    after: Booking


@dataclass(frozen=True)
class LevelChange:
    """One objective level before and after the counterfactual, in the user's units."""

    kind: LevelKind
    name: str  # the words of summary.json
    urgency: str | None  # the class of a per-class deadline level
    before: float
    after: float


@dataclass(frozen=True)
class WhatItTakes:
    """The solver's answer for one case.

    ``found``: a schedule exists with the case as planned (``moves`` then lists
    the other cases that change, ``levels`` each objective level before and
    after, ``proven`` whether the fewest moves is proven). Otherwise
    ``missing`` is the verdict on that date (what capacity is lacking), or
    ``pinned`` the pinned cases in the way.
    """

    case_id: str
    date: dt.date
    found: bool
    place: Booking | None = None
    moves: tuple[Move, ...] = ()
    levels: tuple[LevelChange, ...] = ()
    proven: bool = False
    missing: Verdict | None = None
    timed_out: bool = False  # no answer within the time limit (neither found nor disproved)
    seconds: float = 0.0
    scope: str = "day"  # "rooms": only cases in the rooms it could use, and its surgeon's, moved


def _neighbourhood(
    cand: Candidates, current: Solution, i: int, day: int, free: set[int]
) -> Candidates:
    """Options of case i and of the ``free`` cases (near ``day``) kept; every other case
    fixed as it is."""
    room_options: list[list[RoomOption]] = []
    transfer_options: list[list[TransferOption]] = []
    for j, p in enumerate(current):
        if j == i or cand.pinned[j]:
            room_options.append(cand.room_options[j])
            transfer_options.append(cand.transfer_options[j])
        elif j in free:
            room_options.append([o for o in cand.room_options[j] if o.day <= day + NEAR_DAYS])
            transfer_options.append(cand.transfer_options[j])
        elif p is None:
            room_options.append([])
            transfer_options.append([])
        elif p.partner is not None:
            room_options.append([])
            transfer_options.append([t for t in cand.transfer_options[j] if t.partner == p.partner])
        else:
            assert p.room is not None and p.start is not None
            room_options.append([RoomOption(j, p.day, p.room, ((p.start, p.start),))])
            transfer_options.append([])
    return Candidates(
        scenario=cand.scenario,
        dates=cand.dates,
        rooms=cand.rooms,
        room_options=room_options,
        transfer_options=transfer_options,
        partner_slots=cand.partner_slots,
        session_span=cand.session_span,
        out_of_run=cand.out_of_run,
        earliest_day=cand.earliest_day,
        deadline_day=cand.deadline_day,
        planned_day=cand.planned_day,
        pinned=cand.pinned,
        day_of=cand.day_of,
    )


def what_it_takes(
    scenario: Scenario,
    bookings: Sequence[Booking],
    case_id: str,
    date: dt.date,
    *,
    in_place: bool = False,
    time_limit: float = TIME_LIMIT_S,
    work_limit: float = WORK_LIMIT,
    seed: int = 0,
) -> WhatItTakes:
    """Force ``case_id`` to be operated here on ``date`` (in its planned room and start too
    when ``in_place``), and find the least change to ``bookings`` that allows it.

    First only the cases of that date in the rooms it could use and its surgeon's cases
    may move; if that cannot make room, every case of that date may.
    """
    full = build_candidates(scenario)
    i = next(k for k, c in enumerate(scenario.cases) if c.case_id == case_id)
    book = Book(scenario, tuple(bookings))
    day = full.day_of.get(date)
    if day is None or not any(o.day == day for o in full.room_options[i]):
        return WhatItTakes(case_id, date, False, missing=verdict(book, i, date))
    current = to_solution(full, bookings)
    rooms = {full.room_index[s.room_id] for s in book.hosting(i, date)}
    on_day = {j for j, p in enumerate(current) if p is not None and p.here and p.day == day}
    surgeon = scenario.cases[i].surgeon_id
    near = set()
    for j in on_day:
        p = current[j]
        if p is not None and (p.room in rooms or scenario.cases[j].surgeon_id == surgeon):
            near.add(j)
    answer = None
    for free, share in ((near, NARROW_SHARE), (on_day, 1 - NARROW_SHARE)):
        if answer is not None and free == near:
            continue
        answer = _search(
            book,
            full,
            current,
            i,
            day,
            free,
            in_place,
            time_limit * share,
            work_limit * share,
            seed,
        )
        answer = replace(answer, scope="rooms" if free is near and near != on_day else "day")
        if answer.found:
            return answer
    assert answer is not None
    return answer


def _search(
    book: Book,
    full: Candidates,
    current: Solution,
    i: int,
    day: int,
    free: set[int],
    in_place: bool,
    time_limit: float,
    work_limit: float,
    seed: int,
) -> WhatItTakes:
    """One least-change search with case i forced on ``day`` and only ``free`` cases moving."""
    scenario = book.scenario
    c = scenario.cases[i]
    date = full.dates[day]
    cand = _neighbourhood(full, current, i, day, free)
    built = build_model(cand)
    model, v = built.model, built.variables
    model.add(v.day[i, day] == 1)
    if in_place and c.planned_room is not None and c.planned_start is not None:
        r = full.room_index[c.planned_room]
        if (i, day, r) not in v.room:
            return WhatItTakes(c.case_id, date, False, missing=verdict(book, i, date))
        model.add(v.room[i, day, r] == 1)
        model.add(v.start[i, day] == c.planned_start)
    for j, p in enumerate(current):  # the fixed cases stay exactly where they are
        if p is not None and j != i and j not in free and not cand.pinned[j]:
            model.add(v.unscheduled[j] == 0)
    add_hint(built, cand, _first_guess(book, full, current, i, date, in_place, free))
    cost = []
    for j, p in enumerate(current):
        if j == i or cand.pinned[j] or not cand.room_options[j] and not cand.transfer_options[j]:
            continue
        if p is None:
            cost.append(DATE_MOVE * (1 - v.unscheduled[j]))
        elif p.partner is not None:
            lit = next(lit for t, lit in v.transfers[j] if t.partner == p.partner)
            cost.append(DATE_MOVE * (1 - lit))
        elif (j, p.day) not in v.day:
            continue
        else:
            assert p.room is not None
            same = model.new_bool_var(f"same_{j}")
            if (j, p.day, p.room) in v.room:
                model.add_implication(same, v.room[j, p.day, p.room])
                model.add(v.start[j, p.day] == p.start).only_enforce_if(same)
            else:
                model.add(same == 0)
            cost.append(DATE_MOVE * (1 - v.day[j, p.day]) + (1 - same))
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = 1
    prm.random_seed = seed
    prm.catch_sigint_signal = False
    # No repair_hint: on OR-Tools 9.15 it can abort the whole process ("Check failed:
    # heuristics.fixed_search != nullptr") when a later stage re-solves the same model.
    best: Solution | None = None
    proven = False
    misses = [lv for lv in built.levels if lv.kind.misses]
    others = [lv for lv in built.levels if lv not in misses]
    stages = [
        *[(lv.expr, MISS_SHARE / len(misses)) for lv in misses],
        (sum(cost), MOVES_SHARE),
        *[(lv.expr, (1 - MISS_SHARE - MOVES_SHARE) / len(others)) for lv in others],
    ]
    for k, (objective, share) in enumerate(stages):
        prm.max_time_in_seconds = time_limit * share
        prm.max_deterministic_time = work_limit * share
        model.minimize(objective)
        if best is not None:
            _hint(model, solver)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if best is not None:
                break
            if status == cp_model.INFEASIBLE:
                return WhatItTakes(c.case_id, date, False, missing=verdict(book, i, date))
            seconds = time_limit * share
            return WhatItTakes(c.case_id, date, False, timed_out=True, seconds=seconds)
        best = read_solution(solver, cand, v)
        if k == len(misses):
            proven = status == cp_model.OPTIMAL
        model.add(objective <= round(solver.objective_value))
    assert best is not None
    after = bookings_from_solution(full, best)
    moves = tuple(
        Move(o.case_id, o.urgency, book.bookings[j], after[j])
        for j, o in enumerate(scenario.cases)
        if j != i and after[j] != book.bookings[j]
    )
    levels = tuple(
        LevelChange(lv.kind, lv.name, lv.urgency, _value(cand, lv, current), _value(cand, lv, best))
        for lv in built.levels
    )
    return WhatItTakes(c.case_id, date, True, after[i], moves, levels, proven)


def _value(cand: Candidates, level: Level, solution: Solution) -> float:
    """A level's value in the user's units; the combined deadline level as a count of misses
    (its own value weighs each class above all less urgent ones together)."""
    if level.kind is LevelKind.MISSES:
        return float(
            sum(
                dl is not None and (p is None or p.day > dl)
                for p, dl, out in zip(solution, cand.deadline_day, cand.out_of_run, strict=True)
                if not out
            )
        )
    return level.value(solution) * level.unit


def _first_guess(
    book: Book,
    cand: Candidates,
    current: Solution,
    i: int,
    date: dt.date,
    in_place: bool,
    free: set[int],
) -> Solution:
    """The current schedule with the case put where the fewest cases are in its way (its
    planned room and start when ``in_place``), those cases taken out: a start for the search."""
    c = book.scenario.cases[i]
    guess = list(current)
    day = cand.day_of[date]
    if in_place and c.planned_room is not None and c.planned_start is not None:
        room, start = c.planned_room, c.planned_start
        on = book.day(date)
        in_way = [*book.room_conflicts(i, on, room, start), *book.surgeon_conflicts(i, on, start)]
    else:
        v = verdict(book, i, date)
        if v.room is None or v.start is None:
            return guess
        room, start, in_way = v.room, v.start, list(v.blocking_cases)
    for j in in_way:
        if j in free:
            guess[j] = None
    guess[i] = Placement(day=day, room=cand.room_index[room], start=start)
    return guess


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Start the next level from the last solution found."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for k in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(k)
        model.add_hint(var, solver.value(var))
