"""Causes with beds over the length of stay and anaesthetists for several rooms: the code
names the bed that binds, the words say which date of the stay, and the independent cause
checker backs every row on random scenarios with these rules."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings

from optimizer import solve
from optimizer.check.causes import check_causes
from optimizer.explain import bookings_from_solution, find_causes, render
from optimizer.facts.candidates import build_candidates
from optimizer.result.result import make_result
from optimizer.scenario.schema import Case, Policy, ResourceCapacity, Room, Scenario, Session
from optimizer.search.construct import first_fit
from tests.support.strategies import realistic_scenarios

D1 = dt.date(2024, 4, 15)
D2, D3 = D1 + dt.timedelta(days=1), D1 + dt.timedelta(days=2)


def test_an_icu_stay_that_runs_on_names_the_icu_bed() -> None:
    """One ICU bed a date. A (P1b, 2 ICU days) is operated on D1 and holds the bed on D2,
    so B, planned on D2 and needing ICU, goes to D3: resource_full, blocking icu_bed, and
    the reason says the bed is taken on D2 (its own first date of stay)."""
    cases = [
        Case(case_id="A", specialty="gen", surgeon_id="SA", duration_min=60, urgency="P1b",
             planned_date=D1, planned_room="R1", planned_start=480, needs_icu=True, icu_days=2),
        Case(case_id="B", specialty="gen", surgeon_id="SB", duration_min=60, urgency="P3",
             planned_date=D2, planned_room="R1", planned_start=480, needs_icu=True),
    ]  # fmt: skip
    sc = Scenario(
        cases=tuple(cases),
        rooms=(Room(room_id="R1"),),
        sessions=tuple(Session(date=d, room_id="R1", start=480, end=720) for d in (D1, D2, D3)),
        resources=tuple(
            ResourceCapacity(date=d, resource="icu_bed", capacity=1) for d in (D1, D2, D3)
        ),
        policy=Policy(start_date=D1, end_date=D3),
    )
    result = solve(sc, workers=1, work_limit=2, seed=0)
    b = result.schedule.set_index("case_id").loc["B"]
    assert (b["status"], b["date"], b["cause"], b["blocking"]) == (
        "postponed", D3.isoformat(), "resource_full", "icu_bed"
    )  # fmt: skip
    assert "ICU beds" in b["reason"] and "16/04" in b["reason"]
    assert check_causes(sc, result.schedule) == []


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(realistic_scenarios())
def test_causes_of_first_fit_with_stays_and_inductions_hold(scenario):
    """On the first fit's schedules, every cause is backed by the facts and reads in French."""
    cand = build_candidates(scenario)
    solution = first_fit(cand)
    result = make_result(
        scenario, cand, solution, [], wall_time=0.0, interrupted=False, settings={}
    )
    assert [str(p) for p in check_causes(scenario, result.schedule)] == []
    for finding in find_causes(scenario, bookings_from_solution(cand, solution)):
        assert finding is None or render(finding, "fr")
