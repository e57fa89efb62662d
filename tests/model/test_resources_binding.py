"""Each shared resource really binds: one unit less changes the kept count, as computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.scenario.schema import Case, Policy, ResourceCapacity, Room, Scenario, Session

DAY = dt.date(2024, 4, 16)


def four_cases(resource: str, capacity: int, **case_fields) -> Scenario:
    """Two rooms open 08:00-12:00, no turnover; four 120-min cases, two planned per room
    (08:00 and 10:00), each needing ``resource``."""
    cases = [
        Case(
            case_id=f"c{k}",
            specialty="gen",
            surgeon_id=f"S{k}",
            duration_min=120,
            urgency="P3",
            planned_date=DAY,
            planned_room=f"R{k % 2}",
            planned_start=480 + 120 * (k // 2),
            **case_fields,
        )
        for k in range(4)
    ]
    return Scenario(
        cases=tuple(cases),
        rooms=(Room(room_id="R0"), Room(room_id="R1")),
        sessions=tuple(Session(date=DAY, room_id=r, start=480, end=720) for r in ("R0", "R1")),
        resources=(ResourceCapacity(date=DAY, resource=resource, capacity=capacity),),
        policy=Policy(start_date=DAY, end_date=DAY, turnover_min=0),
    )


def kept(sc: Scenario) -> int:
    result = solve(sc, time_limit=10, workers=1)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
    return int(result.summary["totals"]["kept"])


@pytest.mark.parametrize(
    ("resource", "fields"),
    [
        ("anaesthetist", {}),
        ("c_arm", {"equipment": ("c_arm",), "anaesthesia": "local"}),
    ],
)
def test_one_unit_less_halves_the_day(resource, fields):
    """With two units all four cases run (two at a time for 4 h). With one unit only one case
    runs at a time: 4 h of the resource fit two 120-min cases, so two are kept."""
    assert kept(four_cases(resource, 2, **fields)) == 4
    assert kept(four_cases(resource, 1, **fields)) == 2


def test_icu_beds_cap_the_day():
    """Each case needs an ICU bed: 4 beds keep 4 cases, 3 beds keep 3."""
    fields = {"needs_icu": True, "anaesthesia": "local"}
    assert kept(four_cases("icu_bed", 4, **fields)) == 4
    assert kept(four_cases("icu_bed", 3, **fields)) == 3


def test_the_reason_names_the_binding_resource():
    """A case that loses its place to the anaesthetist shortage says so."""
    result = solve(four_cases("anaesthetist", 1), time_limit=10, workers=1)
    reasons = [r.reason for r in result.rows if r.status != "kept"]
    assert reasons and all("anaesthetist" in r for r in reasons)
