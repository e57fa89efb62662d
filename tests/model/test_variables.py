"""Variables owns every variable of the model: the hint and the groupings cover them all."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from ortools.sat.python import cp_model

import optimizer
from optimizer.facts.candidates import build_candidates
from optimizer.model.build import add_hint, build_model
from optimizer.scenario.schema import Scenario
from optimizer.search.construct import first_fit
from tests.support.paths import DEMO
from tests.support.strategies import scenarios


def assert_owned(scenario: Scenario) -> None:
    cand = build_candidates(scenario)
    built = build_model(cand)
    proto = built.model.proto
    every = set(range(len(proto.variables)))
    hint = add_hint(built, cand, first_fit(cand))
    assert set(proto.solution_hint.vars) == every == set(hint)
    assert len(proto.solution_hint.vars) == len(every)  # each variable hinted once
    v = built.variables
    grouped = {x for xs in v.by_case().values() for x in xs}
    grouped |= {x for xs in v.by_day().values() for x in xs}
    assert grouped == every


def test_the_demo_hint_sets_every_variable():
    """On the demo, where every family exists (cuts, shortfalls, stays, shifts, transfers),
    the hint gives each variable of the proto a value and each belongs to a case or a date."""
    scenario = optimizer.load_scenario(DEMO)
    v = build_model(build_candidates(scenario)).variables
    assert v.cuts and v.shortfall and v.stay and v.shift and any(v.transfers.values())
    assert_owned(scenario)


def test_the_bulk_hint_is_the_one_add_hint_writes_variable_by_variable():
    """add_hint writes the hint in two bulk extends: the proto holds exactly what
    CpModel.add_hint, one variable at a time, writes (same variables, order, values)."""
    cand = build_candidates(optimizer.load_scenario(DEMO))
    built = build_model(cand)
    solution = first_fit(cand)
    hint = add_hint(built, cand, solution)
    reference = cp_model.CpModel()
    pairs = built.variables.hint(cand, solution)
    for var, value in pairs:
        reference.add_hint(var, value)  # reads only the variable's index
    assert str(built.model.proto.solution_hint) == str(reference.proto.solution_hint)
    assert hint == {var.index: int(value) for var, value in pairs}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_model_is_hinted_completely(scenario):
    """Whatever the scenario, no variable is left out of the hint or of the groupings."""
    assert_owned(scenario)
