"""Waiting time: of two otherwise equal cases of a class, the one who has waited longer goes
first (the level after the weighted delay, and first fit's order)."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer import solve
from optimizer.check import check_schedule, evaluate
from optimizer.facts.candidates import build_candidates
from optimizer.model.build import build_model
from optimizer.model.objective import WAITING
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from optimizer.search.construct import first_fit

D0 = dt.date(2024, 4, 15)
D1 = D0 + dt.timedelta(days=1)


def _scenario(listed_a: dt.date | None, listed_b: dt.date | None) -> Scenario:
    """One room, 08:00-09:00 on D0 and D1: A and B (P3, 60 min) both planned on D0, so one of
    them slips a day; A comes first in the file."""
    cases = tuple(
        Case(case_id=cid, specialty="gen", surgeon_id=f"S{cid}", duration_min=60, urgency="P3",
             planned_date=D0, listed_date=listed)
        for cid, listed in (("A", listed_a), ("B", listed_b))
    )  # fmt: skip
    sessions = tuple(Session(date=d, room_id="R1", start=480, end=540) for d in (D0, D1))
    policy = Policy(start_date=D0, end_date=D1, turnover_min=0, target_ratio=0.5)
    return Scenario(cases=cases, rooms=(Room(room_id="R1"),), sessions=sessions, policy=policy)


@pytest.mark.parametrize(
    ("listed_a", "listed_b", "slips"),
    [
        (D0 - dt.timedelta(days=10), D0 - dt.timedelta(days=200), "A"),  # B waited longer
        (D0 - dt.timedelta(days=200), D0 - dt.timedelta(days=10), "B"),
        (D0 - dt.timedelta(days=30), None, "B"),  # B listed on its planned date
    ],
)
def test_the_one_who_waited_longer_goes_first(listed_a, listed_b, slips):
    """The weighted delay is 3 either way; the waiting level (weight 3 × days waited × 1 day)
    makes the patient listed more recently slip; first fit orders them the same way."""
    sc = _scenario(listed_a, listed_b)
    result = solve(sc, time_limit=5, work_limit=1.0, workers=1)
    by_case = result.schedule.set_index("case_id")["status"]
    assert by_case[slips] == "postponed" and (by_case == "kept").sum() == 1
    assert check_schedule(sc, result.schedule) == []
    cand = build_candidates(sc)
    fit = first_fit(cand)
    assert [p is not None and p.day == 1 for p in fit] == [slips == "A", slips == "B"]
    # the checker's own recomputation: 3 (weight) × the slipped patient's wait × 1 day
    waited = {"A": listed_a, "B": listed_b}[slips]
    assert evaluate(sc, result.schedule)["waiting"] == 3 * (D0 - (waited or D0)).days


def test_without_listed_dates_there_is_no_waiting_level():
    """A scenario with no listed_date keeps the levels it had (and so its schedule)."""
    built = build_model(build_candidates(_scenario(None, None)))
    assert WAITING not in [lv.name for lv in built.levels]
    built = build_model(build_candidates(_scenario(D0 - dt.timedelta(days=3), None)))
    assert WAITING in [lv.name for lv in built.levels]
