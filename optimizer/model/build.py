"""Assemble the CP-SAT model: variables, one builder per rule family, objective levels."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.solution import Placement, Solution
from .capacity import LeverOptions, add_levers, cost_level, levels_with_cost
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
class DateBounds:
    """What the dates' relaxations (``search/days.py``) proved for this model, kept for the
    run: one solve per date and measure, and each bound added to the model once.

    ``most[weighted][d]``: the most (urgency-weighted with ``weighted``) planned cases of
    date ``d`` any valid schedule keeps on it; ``best[d]``: the date's best schedule found
    (its cases' placements); ``cut``: the ``(weighted, d)`` bounds the model holds.
    """

    most: dict[bool, dict[int, int]] = field(default_factory=lambda: {False: {}, True: {}})
    best: dict[int, dict[int, Placement]] = field(default_factory=dict)
    cut: set[tuple[bool, int]] = field(default_factory=set)


@dataclass
class Built:
    model: cp_model.CpModel
    variables: Variables
    levels: list[Level]
    dates: DateBounds = field(default_factory=DateBounds)


def build_model(cand: Candidates, levers: LeverOptions | None = None) -> Built:
    """The model of ``cand``; with levers (overtime, reserve, extra sessions), their
    constraints and the added-cost level, placed as ``levers`` says."""
    model = cp_model.CpModel()
    v = add_variables(model, cand)
    add_room_capacity(model, cand, v)
    intervals = case_intervals(model, cand, v)
    add_surgeons(model, cand, intervals)
    add_shared_resources(model, cand, v, intervals)
    add_sequencing(model, cand, v)
    add_transfers(model, cand, v)
    add_levers(model, cand, v)
    levels = build_levels(model, cand, v)
    levels = levels_with_cost(levels, cost_level(cand, v), levers or LeverOptions())
    return Built(model, v, levels)


def add_hint(built: Built, cand: Candidates, solution: Solution) -> dict[int, int]:
    """Hint ``solution`` to the model, a value for every variable (see
    :meth:`Variables.hint`); returns the hint, by variable index."""
    model = built.model
    model.clear_hints()  # type: ignore[no-untyped-call]
    hint: dict[int, int] = {}
    for var, value in built.variables.hint(cand, solution):
        model.add_hint(var, value)
        hint[var.index] = int(value)
    return hint


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
