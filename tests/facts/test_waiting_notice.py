"""Notice for the waiting list: a waiting patient is called in before being operated, and a
planned patient moved on their own date is told what for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.check.causes import check_causes
from optimizer.facts.candidates import build_candidates
from optimizer.scenario import ScenarioError, load_scenario, write_scenario
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session

D0 = dt.date(2024, 4, 15)
D1 = D0 + dt.timedelta(days=1)


def _scenario(notice: int) -> Scenario:
    """One room 08:00-16:00 on D0 and D1; W waiting (P3), E waiting (EMERGENCY: due D0)."""
    cases = (
        Case(case_id="W", specialty="gen", surgeon_id="S1", duration_min=60, urgency="P3"),
        Case(case_id="E", specialty="gen", surgeon_id="S2", duration_min=60, urgency="EMERGENCY"),
    )
    sessions = tuple(Session(date=d, room_id="R1", start=480, end=960) for d in (D0, D1))
    policy = Policy(start_date=D0, end_date=D1, turnover_min=0, waiting_notice_days=notice)
    return Scenario(cases=cases, rooms=(Room(room_id="R1"),), sessions=sessions, policy=policy)


def test_a_waiting_patient_is_not_operated_before_being_called_in():
    """With waiting_notice_days = 1, W has no option on D0 and goes on D1; the emergency E, due
    on D0, still goes on D0. With the default 0 both go on D0, as before."""
    cand = build_candidates(_scenario(1))
    assert {o.day for o in cand.room_options[0]} == {1}
    assert {o.day for o in cand.room_options[1]} == {0, 1}
    sc = _scenario(1)
    result = solve(sc, time_limit=5, work_limit=1.0, workers=1)
    dates = result.schedule.set_index("case_id")["date"]
    assert (dates["W"], dates["E"]) == (D1.isoformat(), D0.isoformat())
    assert check_schedule(sc, result.schedule) == [] and check_causes(sc, result.schedule) == []
    before = solve(_scenario(0), time_limit=5, work_limit=1.0, workers=1).schedule
    assert set(before["date"]) == {D0.isoformat()}


def test_the_checker_refuses_a_waiting_patient_operated_without_notice():
    """The schedule that operates W on D0 breaks the rule once the notice is one day."""
    schedule = solve(_scenario(0), time_limit=5, work_limit=1.0, workers=1).schedule
    violations = check_schedule(_scenario(1), schedule)
    assert {(v.rule, v.case_id) for v in violations} == {("notice", "W")}


def test_waiting_notice_days_is_read_checked_and_written(tmp_path: Path):
    """The key round-trips through policy.toml; a negative value is bad input, named by key."""
    sc = _scenario(2)
    folder = write_scenario(sc, tmp_path / "a")
    assert "waiting_notice_days = 2" in (folder / "policy.toml").read_text()
    assert load_scenario(folder).policy.waiting_notice_days == 2
    text = (
        (folder / "policy.toml")
        .read_text()
        .replace("waiting_notice_days = 2", "waiting_notice_days = -1")
    )
    (folder / "policy.toml").write_text(text)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(folder)
    assert [(p.file, p.column) for p in exc.value.problems] == [
        ("policy.toml", "waiting_notice_days")
    ]


def test_a_planned_patient_moved_on_their_own_date_is_told_what_for():
    """A (planned 09:00, 60 min) in a 08:00-11:00 session leaves no 120 min for the waiting W;
    moving A within its date lets W in: A's reason names W, from the waiting list."""
    cases = (
        Case(case_id="A", specialty="gen", surgeon_id="S1", duration_min=60, urgency="P3",
             planned_date=D0, planned_room="R1", planned_start=540),
        Case(case_id="W", specialty="gen", surgeon_id="S2", duration_min=120, urgency="P3"),
    )  # fmt: skip
    sc = Scenario(
        cases=cases,
        rooms=(Room(room_id="R1"),),
        sessions=(Session(date=D0, room_id="R1", start=480, end=660),),
        policy=Policy(start_date=D0, end_date=D0, turnover_min=0),
    )
    result = solve(sc, time_limit=5, work_limit=1.0, workers=1)
    row = result.schedule.set_index("case_id").loc["A"]
    assert row["status"] == "kept" and row["cause"] == "rearranged"
    assert "to make room for W (P3, from the waiting list)" in row["reason"]
    assert check_causes(sc, result.schedule) == []
