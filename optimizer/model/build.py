"""Assemble the CP-SAT model: variables, one builder per rule family, objective levels."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..solution import Placement, Solution
from .candidates import Candidates
from .constraints import (
    add_room_capacity,
    add_sequencing,
    add_shared_resources,
    add_surgeons,
    add_transfers,
    case_intervals,
)
from .objective import Level, build_levels
from .variables import Variables, add_variables


@dataclass
class Built:
    model: cp_model.CpModel
    variables: Variables
    levels: list[Level]


def build_model(cand: Candidates) -> Built:
    model = cp_model.CpModel()
    v = add_variables(model, cand)
    add_room_capacity(model, cand, v)
    intervals = case_intervals(model, cand, v)
    add_surgeons(model, cand, intervals)
    add_shared_resources(model, cand, v, intervals)
    add_sequencing(model, cand, v)
    add_transfers(model, cand, v)
    return Built(model, v, build_levels(model, cand, v))


def add_hint(built: Built, cand: Candidates, solution: Solution) -> None:
    """Hint a value for every variable, so the hint is a complete first solution."""
    model, v = built.model, built.variables
    model.clear_hints()  # type: ignore[no-untyped-call]
    for i, days in v.days_of.items():
        p = solution[i]
        for d in days:
            on = p is not None and p.here and p.day == d
            model.add_hint(v.day[i, d], on)
            start = v.start[i, d]
            if on:
                assert p is not None and p.start is not None
                model.add_hint(start, p.start)
            else:  # any value of its domain: the start of an absent case is free
                model.add_hint(start, start.proto.domain[0])
            rooms = v.rooms_of[i, d]
            if len(rooms) > 1:
                for r in rooms:
                    model.add_hint(v.room[i, d, r], on and p is not None and p.room == r)
    for i, options in v.transfers.items():
        p = solution[i]
        for t, lit in options:
            model.add_hint(lit, p is not None and p.partner == t.partner)
    for i, u in v.unscheduled.items():
        model.add_hint(u, solution[i] is None)

    def at(i: int, d: int, r: int | None = None) -> Placement | None:
        p = solution[i]
        if p is None or not p.here or p.day != d or (r is not None and p.room != r):
            return None
        return p

    for cut, d, r, before, _after in v.cuts:
        ends = [
            p.start + cand.cases[i].duration_min
            for i in before
            if (p := at(i, d, r)) is not None and p.start is not None
        ]
        model.add_hint(cut, max(ends, default=cand.session_span[d, r][0]))
    for short, need, cases in v.shortfall:
        pd = cand.planned_day[cases[0]]
        assert pd is not None
        kept = sum(at(i, pd) is not None for i in cases)
        model.add_hint(short, max(0, need - kept))
    for i, stay in v.stay.items():
        c = cand.cases[i]
        pd = cand.planned_day[i]
        assert pd is not None
        p = at(i, pd)
        same = (
            p is not None
            and (c.planned_room is None or p.room == cand.planned_room[i])
            and (c.planned_start is None or p.start == c.planned_start)
        )
        model.add_hint(stay, same)
        if i in v.shift:
            assert c.planned_start is not None
            shift = abs(p.start - c.planned_start) if p is not None and p.start is not None else 0
            model.add_hint(v.shift[i], shift)


def read_solution(solver: cp_model.CpSolver, cand: Candidates, v: Variables) -> Solution:
    solution: Solution = [None] * len(cand.cases)
    for i, days in v.days_of.items():
        for d in days:
            if solver.boolean_value(v.day[i, d]):
                room = next(r for r in v.rooms_of[i, d] if solver.boolean_value(v.room[i, d, r]))
                solution[i] = Placement(day=d, room=room, start=solver.value(v.start[i, d]))
    for i, options in v.transfers.items():
        for t, lit in options:
            if solver.boolean_value(lit):
                solution[i] = Placement(day=t.day, partner=t.partner)
    return solution
