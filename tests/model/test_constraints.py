"""Each constraint builder alone, on tiny instances: one feasible, one infeasible."""

from __future__ import annotations

import datetime as dt

import pytest
from ortools.sat.python import cp_model

from optimizer.facts.candidates import build_candidates
from optimizer.model import constraints
from optimizer.model.variables import Variables, add_variables
from optimizer.scenario.schema import (
    Case,
    PartnerCapacity,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
)

DAY = dt.date(2024, 4, 16)


def scenario(cases, *, end=600, resources=(), partners=(), turnover=30, rooms=("R1", "R2")):
    return Scenario(
        cases=tuple(cases),
        rooms=tuple(Room(room_id=r) for r in rooms),
        sessions=tuple(Session(date=DAY, room_id=r, start=480, end=end) for r in rooms),
        resources=tuple(resources),
        partners=tuple(partners),
        policy=Policy(start_date=DAY, end_date=DAY, turnover_min=turnover),
    )


def case(cid, *, surgeon=None, **kw):
    return Case(
        case_id=cid,
        specialty="gen",
        surgeon_id=surgeon or f"S_{cid}",
        duration_min=kw.pop("duration_min", 60),
        urgency="P3",
        planned_date=DAY,
        **kw,
    )


def feasible(sc: Scenario, builder, *, force) -> bool:
    """Build the variables and one builder; ``force(model, v)`` pins the decisions tested."""
    cand = build_candidates(sc)
    model = cp_model.CpModel()
    v = add_variables(model, cand)
    builder(model, cand, v)
    force(model, v)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    assert status != cp_model.MODEL_INVALID
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def all_in_room(room: int):
    def force(model: cp_model.CpModel, v: Variables) -> None:
        for (_i, _d, r), x in v.room.items():
            model.add(x == (1 if r == room else 0))

    return force


def all_operated(model: cp_model.CpModel, v: Variables) -> None:
    for y in v.day.values():
        model.add(y == 1)


def all_transferred(model: cp_model.CpModel, v: Variables) -> None:
    for options in v.transfers.values():
        model.add(sum(lit for _t, lit in options) == 1)


def with_intervals(add):
    """Adapt a builder that takes the per-(case, date) intervals."""

    def builder(model, cand, v):
        add(model, cand, v, constraints.case_intervals(model, cand, v))

    return builder


@pytest.mark.parametrize(("end", "ok"), [(630, True), (620, False)])
def test_room_capacity_counts_turnover(end, ok):
    """Two 60-min cases in one room with 30 min turnover need 150 min: 08:00-10:30 fits."""
    sc = scenario([case("a"), case("b")], end=end)
    assert feasible(sc, constraints.add_room_capacity, force=all_in_room(0)) is ok


@pytest.mark.parametrize(("end", "ok"), [(600, True), (590, False)])
def test_a_surgeon_operates_one_case_at_a_time(end, ok):
    """One surgeon, two 60-min cases in two rooms: they need 120 min of the 08:00-end window."""
    sc = scenario([case("a", surgeon="S"), case("b", surgeon="S")], end=end)

    def builder(model, cand, v):
        constraints.add_surgeons(model, cand, constraints.case_intervals(model, cand, v))

    def force(model, v):
        all_operated(model, v)
        for (i, _d, r), x in v.room.items():
            model.add(x == (1 if r == i else 0))  # case 0 in R1, case 1 in R2

    assert feasible(sc, builder, force=force) is ok


@pytest.mark.parametrize(
    ("anaesthesia", "capacity", "ok"),
    [("general", 2, True), ("general", 1, False), ("local", 1, True), ("regional", 1, False)],
)
def test_anaesthetists_at_every_moment(anaesthesia, capacity, ok):
    """Two 60-min cases in two 08:00-09:00 sessions run together: they need two anaesthetists,
    unless one is under local anaesthesia."""
    sc = scenario(
        [case("a"), case("b", anaesthesia=anaesthesia)],
        end=540,
        resources=[ResourceCapacity(date=DAY, resource="anaesthetist", capacity=capacity)],
    )
    builder = with_intervals(constraints.add_shared_resources)
    assert feasible(sc, builder, force=all_operated) is ok


@pytest.mark.parametrize(("capacity", "ok"), [(2, True), (1, False)])
def test_mobile_pool_at_every_moment(capacity, ok):
    """Two cases needing the C-arm at the same time need two C-arms."""
    cases = [case(c, equipment=("c_arm",), anaesthesia="local") for c in "ab"]
    sc = scenario(
        cases,
        end=540,
        resources=[ResourceCapacity(date=DAY, resource="c_arm", capacity=capacity)],
    )
    builder = with_intervals(constraints.add_shared_resources)
    assert feasible(sc, builder, force=all_operated) is ok


@pytest.mark.parametrize(("capacity", "ok"), [(2, True), (1, False)])
def test_icu_beds_per_date(capacity, ok):
    """Two cases needing an ICU bed on the same date need two beds, whatever the times."""
    cases = [case(c, needs_icu=True, anaesthesia="local") for c in "ab"]
    sc = scenario(
        cases, resources=[ResourceCapacity(date=DAY, resource="icu_bed", capacity=capacity)]
    )
    builder = with_intervals(constraints.add_shared_resources)
    assert feasible(sc, builder, force=all_operated) is ok


@pytest.mark.parametrize(
    ("first", "second", "ok"),
    [
        ("latex_allergy", None, True),
        (None, "latex_allergy", False),
        ("paediatric", None, True),
        (None, "paediatric", False),
        (None, "infectious", True),
        ("infectious", None, False),
    ],
)
def test_sequencing_in_a_room(first, second, ok):
    """The first case starts at 08:00, the second after it, in one room: is that order allowed?"""
    flags = [frozenset({f}) if f else frozenset() for f in (first, second)]
    sc = scenario([case("a", flags=flags[0]), case("b", flags=flags[1])], end=720, rooms=("R1",))

    def builder(model, cand, v):
        constraints.add_room_capacity(model, cand, v)
        constraints.add_sequencing(model, cand, v)

    def force(model, v):
        all_operated(model, v)
        model.add(v.start[0, 0] == 480)

    assert feasible(sc, builder, force=force) is ok


@pytest.mark.parametrize(("capacity", "ok"), [(2, True), (1, False)])
def test_partner_capacity(capacity, ok):
    """Two transferable cases sent to one partner on one date need two places there."""
    cases = [case(c, transferable=True) for c in "ab"]
    partners = [PartnerCapacity(partner_id="CHU", date=DAY, specialty="gen", capacity=capacity)]
    sc = scenario(cases, partners=partners)
    assert feasible(sc, constraints.add_transfers, force=all_transferred) is ok
