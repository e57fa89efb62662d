"""Assemble the CP-SAT model: variables, one builder per rule family, objective levels."""

from __future__ import annotations

import dataclasses
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
    return with_levels(model, cand, v, levers)


def with_levels(
    model: cp_model.CpModel, cand: Candidates, v: Variables, levers: LeverOptions | None
) -> Built:
    """The rules every model of ``cand`` ends with (transfers, levers) and its levels:
    the one tail of the whole model and of the master (``master.py``)."""
    add_transfers(model, cand, v)
    add_levers(model, cand, v)
    levels = build_levels(model, cand, v)
    levels = levels_with_cost(levels, cost_level(cand, v), levers or LeverOptions())
    return Built(model, v, levels)


def objective_levels(cand: Candidates, levers: LeverOptions | None = None) -> list[Level]:
    """The levels of :func:`build_model`'s model, to score a schedule found elsewhere
    (``insert``'s options): built on the variables alone, without the rules' constraints,
    which a level's ``value`` does not read. Without levers, on the variables of each case's
    options on its planned date only: all a value takes from the options is which cases the
    disruption levels follow (those with an option on their planned date). On a hospital of
    3,325 cases: 0.3 s instead of 2.2 with every option's variables."""
    if levers is None:
        n = len(cand.cases)
        planned = cand.planned_day
        cand = dataclasses.replace(
            cand,
            room_options=[[o for o in cand.room_options[i] if o.day == planned[i]]
                          for i in range(n)],
            transfer_options=[[] for _ in range(n)],
        )  # fmt: skip
    model = cp_model.CpModel()
    return with_levels(model, cand, add_variables(model, cand), levers).levels


def add_hint(built: Built, cand: Candidates, solution: Solution) -> dict[int, int]:
    """Hint ``solution`` to the model, a value for every variable (see
    :meth:`Variables.hint`); returns the hint, by variable index.

    Written to the proto in two bulk extends, not one ``add_hint`` call per variable: the
    same hint (same order), at a fraction of the cost (a university window hints about
    1,200 variables, the whole model hundreds of thousands)."""
    pairs = built.variables.hint(cand, solution)
    indices = [var.index for var, _ in pairs]
    values = [int(value) for _, value in pairs]
    proto = built.model.proto
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(indices)
    proto.solution_hint.values.extend(values)
    return dict(zip(indices, values, strict=True))


def read_solution(solver: cp_model.CpSolver, cand: Candidates, v: Variables) -> Solution:
    """The schedule the solver found: each case's date, room and start, or its transfer."""
    solution: Solution = [None] * len(cand.cases)
    on = solver.boolean_value
    for i, days in v.days_of.items():
        for d in days:
            if on(v.day[i, d]):
                room = next(r for r in v.rooms_of[i, d] if on(v.room[i, d, r]))
                solution[i] = Placement(day=d, room=room, start=solver.value(v.start[i, d]))
                break
    for i, options in v.transfers.items():
        for t, lit in options:
            if on(lit):
                solution[i] = Placement(day=t.day, partner=t.partner)
    return solution
