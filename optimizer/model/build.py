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


def add_hint(built: Built, solution: Solution) -> None:
    """Hint a full assignment of the decision variables (derived ones are completed by CP-SAT)."""
    model, v = built.model, built.variables
    model.clear_hints()
    for i, days in v.days_of.items():
        p = solution[i]
        for d in days:
            on = p is not None and p.here and p.day == d
            model.add_hint(v.day[i, d], on)
            if on:
                assert p is not None and p.start is not None
                model.add_hint(v.start[i, d], p.start)
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
