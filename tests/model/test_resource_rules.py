"""The resource rules of the realism additions, each builder alone on tiny instances: beds
over the length of stay, and one anaesthetist for several rooms (one feasible, one
infeasible case each)."""

from __future__ import annotations

import datetime as dt

import pytest
from ortools.sat.python import cp_model

from optimizer.facts.candidates import build_candidates
from optimizer.model import constraints
from optimizer.model.variables import Variables, add_variables
from optimizer.scenario.schema import Case, Policy, ResourceCapacity, Room, Scenario, Session

D0 = dt.date(2024, 4, 16)
D1 = D0 + dt.timedelta(days=1)
D2 = D0 + dt.timedelta(days=2)


def scenario(cases, *, days=(D0, D1), rooms=("R1", "R2", "R3"), resources=(), per_room=1):
    return Scenario(
        cases=tuple(cases),
        rooms=tuple(Room(room_id=r) for r in rooms),
        sessions=tuple(Session(date=d, room_id=r, start=480, end=720) for d in days for r in rooms),
        resources=tuple(resources),
        policy=Policy(
            start_date=days[0], end_date=days[-1], turnover_min=0, anaesthetist_rooms=per_room
        ),
    )


def case(cid, **kw):
    return Case(
        case_id=cid,
        specialty="gen",
        surgeon_id=f"S_{cid}",
        duration_min=kw.pop("duration_min", 60),
        urgency="P3",
        planned_date=D0,
        **kw,
    )


def feasible(sc: Scenario, on: dict[str, tuple[dt.date, int | None]]) -> bool:
    """Build the variables and the shared-resource builder; each case of ``on`` is operated
    on that date (at that start when given)."""
    cand = build_candidates(sc)
    model = cp_model.CpModel()
    v = add_variables(model, cand)
    intervals = constraints.case_intervals(model, cand, v)
    constraints.add_shared_resources(model, cand, v, intervals)
    force(model, cand, v, on)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    assert status != cp_model.MODEL_INVALID
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def force(model, cand, v: Variables, on) -> None:
    ids = [c.case_id for c in cand.cases]
    for cid, (date, start) in on.items():
        i, d = ids.index(cid), cand.day_of[date]
        if (i, d) not in v.day:
            model.add_bool_or([])  # no option there: infeasible
            continue
        model.add(v.day[i, d] == 1)
        if start is not None:
            model.add(v.start[i, d] == start)


def beds(name, *rows):
    return [ResourceCapacity(date=d, resource=name, capacity=c) for d, c in rows]


@pytest.mark.parametrize(("capacity", "ok"), [(1, False), (2, True)])
def test_an_icu_stay_holds_its_bed_on_the_next_date(capacity, ok):
    """Case a (2 ICU days) operated on D0 still holds its bed on D1, when b is operated: one
    bed on D1 is not enough, two are."""
    cases = [case("a", needs_icu=True, icu_days=2), case("b", needs_icu=True)]
    sc = scenario(cases, resources=beds("icu_bed", (D0, 2), (D1, capacity)))
    assert feasible(sc, {"a": (D0, None), "b": (D1, None)}) is ok


@pytest.mark.parametrize(("capacity", "ok"), [(1, False), (2, True)])
def test_stays_are_checked_past_the_horizon(capacity, ok):
    """A one-day horizon D0; both cases stay 3 days on the ward, and the ward has a row on D2,
    past the horizon: one bed there is not enough for both, two are."""
    cases = [case(c, ward_days=3, anaesthesia="local") for c in "ab"]
    sc = scenario(cases, days=(D0,), resources=beds("ward_bed", (D2, capacity)))
    assert feasible(sc, {"a": (D0, None), "b": (D0, None)}) is ok


@pytest.mark.parametrize(("ward_capacity", "ok"), [(0, False), (1, True)])
def test_the_ward_follows_the_icu_stay(ward_capacity, ok):
    """A case with 1 ICU day then 1 ward day, operated on D0, holds a ward bed on D1 (not D0):
    no ward bed on D1 rules the date out, one allows it; D0's ward row of 0 never matters."""
    cases = [case("a", needs_icu=True, ward_days=1)]
    sc = scenario(cases, resources=beds("ward_bed", (D0, 0), (D1, ward_capacity)))
    assert feasible(sc, {"a": (D0, None)}) is ok


def anaesthetists(capacity):
    return [ResourceCapacity(date=d, resource="anaesthetist", capacity=capacity) for d in (D0,)]


@pytest.mark.parametrize(("cases_at_once", "ok"), [(3, False), (2, True)])
def test_one_anaesthetist_supervises_two_rooms(cases_at_once, ok):
    """One anaesthetist, two rooms each: two cases at 08:00 run together, three do not."""
    cases = [case(c) for c in "abc"[:cases_at_once]]
    sc = scenario(cases, days=(D0,), resources=anaesthetists(1), per_room=2)
    assert feasible(sc, {c.case_id: (D0, 480) for c in cases}) is ok


@pytest.mark.parametrize(("second_start", "ok"), [(480, False), (500, False), (510, True)])
def test_inductions_are_staggered(second_start, ok):
    """One anaesthetist for two rooms inducts one case at a time: with 30-min inductions, a
    second case may start at 08:30 but not at 08:00 or 08:20."""
    cases = [case(c, induction_min=30) for c in "ab"]
    sc = scenario(cases, days=(D0,), resources=anaesthetists(1), per_room=2)
    assert feasible(sc, {"a": (D0, 480), "b": (D0, second_start)}) is ok


@pytest.mark.parametrize(("per_room", "ok"), [(1, False), (2, True)])
def test_with_one_room_each_the_rule_is_as_before(per_room, ok):
    """No induction, one anaesthetist: two cases at once need ``anaesthetist_rooms`` = 2."""
    cases = [case(c) for c in "ab"]
    sc = scenario(cases, days=(D0,), resources=anaesthetists(1), per_room=per_room)
    assert feasible(sc, {"a": (D0, 480), "b": (D0, 480)}) is ok
