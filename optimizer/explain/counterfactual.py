"""What would let a case go ahead as planned, found by the solver.

The case is forced onto its planned date (and its planned room and start when
it already goes ahead elsewhere that day); every case not operated that date
stays exactly where the current schedule has it, and the cases of that date
may move anywhere their options allow. CP-SAT then finds the least change:
first the fewest cases moved to another date or out (a change of room or
start counts far less), then the best value of each objective level in turn.
When even that has no solution, or the case has no option that date at all,
nothing short of more capacity would do, and the answer says which capacity
(a session, the surgeon's hours, a resource) is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..model.build import add_hint, build_model, read_solution
from ..model.candidates import Candidates, RoomOption, TransferOption, build_candidates
from ..scenario.schema import Scenario
from ..solution import Solution
from .facts import Book, Booking
from .indices import bookings_from_solution, to_solution
from .verdict import Verdict, verdict

DATE_MOVE = 100  # a case sent to another date (or out) weighs this many room or start changes
TIME_LIMIT_S = 4.0
WORK_LIMIT = 2.0


@dataclass(frozen=True)
class Move:
    """A case the forced schedule places differently: before and after."""

    case_id: str
    urgency: str
    before: Booking
    after: Booking


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
    levels: tuple[tuple[str, float, float], ...] = ()
    proven: bool = False
    missing: Verdict | None = None


def _neighbourhood(cand: Candidates, current: Solution, i: int, day: int) -> Candidates:
    """Options of the cases of ``day`` (and of case i) kept; every other case fixed as it is."""
    room_options: list[list[RoomOption]] = []
    transfer_options: list[list[TransferOption]] = []
    for j, p in enumerate(current):
        free = j == i or (p is not None and p.day == day and p.here)
        if free or cand.pinned[j]:
            room_options.append(cand.room_options[j])
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
    when ``in_place``), and find the least change to ``bookings`` that allows it."""
    full = build_candidates(scenario)
    i = next(k for k, c in enumerate(scenario.cases) if c.case_id == case_id)
    c = scenario.cases[i]
    book = Book(scenario, tuple(bookings))
    day = full.day_of.get(date)
    if day is None or not any(o.day == day for o in full.room_options[i]):
        return WhatItTakes(case_id, date, False, missing=verdict(book, i, date))
    current = to_solution(full, bookings)
    cand = _neighbourhood(full, current, i, day)
    built = build_model(cand)
    model, v = built.model, built.variables
    model.add(v.day[i, day] == 1)
    if in_place and c.planned_room is not None and c.planned_start is not None:
        r = full.room_index[c.planned_room]
        if (i, day, r) not in v.room:
            return WhatItTakes(case_id, date, False, missing=verdict(book, i, date))
        model.add(v.room[i, day, r] == 1)
        model.add(v.start[i, day] == c.planned_start)
    for j, p in enumerate(current):  # the cases of other dates stay exactly where they are
        if p is not None and j != i and p.day != day and not cand.pinned[j]:
            model.add(v.unscheduled[j] == 0)
    add_hint(built, cand, current)
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
    share = 1 + len(built.levels)
    best: Solution | None = None
    proven = False
    for k, objective in enumerate([sum(cost), *[lv.expr for lv in built.levels]]):
        prm.max_time_in_seconds = time_limit / share
        prm.max_deterministic_time = work_limit / share
        model.minimize(objective)
        if best is not None:
            _hint(model, solver)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if best is None:
                return WhatItTakes(case_id, date, False, missing=verdict(book, i, date))
            break
        best = read_solution(solver, cand, v)
        if k == 0:
            proven = status == cp_model.OPTIMAL
        model.add(objective <= round(solver.objective_value))
    assert best is not None
    after = bookings_from_solution(full, best)
    moves = tuple(
        Move(o.case_id, o.urgency, bookings[j], after[j])
        for j, o in enumerate(scenario.cases)
        if j != i and after[j] != bookings[j]
    )
    levels = tuple(
        (lv.name, lv.value(current) * lv.unit, lv.value(best) * lv.unit) for lv in built.levels
    )
    return WhatItTakes(case_id, date, True, after[i], moves, levels, proven)


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Start the next level from the last solution found."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for k in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(k)
        model.add_hint(var, solver.value(var))
