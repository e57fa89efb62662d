"""A patient's unavailable dates: no option there, first fit and CP-SAT avoid them, the cause
says so, and the independent checker holds a schedule to it."""

from __future__ import annotations

import datetime as dt

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.check.causes import check_causes
from optimizer.facts.candidates import build_candidates
from optimizer.result.result import make_result
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session, Unavailability
from optimizer.search.construct import first_fit

D0 = dt.date(2024, 4, 15)
D1, D2 = D0 + dt.timedelta(days=1), D0 + dt.timedelta(days=2)


def _scenario(*away: Unavailability) -> Scenario:
    """One room open 08:00-16:00 on D0..D2; A planned D0 08:00 (P3), W waiting (P1b, due D0+3),
    T planned D1 and transferable to a partner on D1 and D2."""
    from optimizer.scenario.schema import PartnerCapacity

    cases = (
        Case(case_id="A", specialty="gen", surgeon_id="S1", duration_min=60, urgency="P3",
             planned_date=D0, planned_room="R1", planned_start=480),
        Case(case_id="W", specialty="gen", surgeon_id="S2", duration_min=60, urgency="P1b"),
        Case(case_id="T", specialty="gen", surgeon_id="S3", duration_min=60, urgency="P3",
             planned_date=D1, transferable=True),
    )  # fmt: skip
    sessions = tuple(Session(date=d, room_id="R1", start=480, end=960) for d in (D0, D1, D2))
    partners = tuple(
        PartnerCapacity(partner_id="P", date=d, specialty="gen", capacity=1) for d in (D1, D2)
    )
    policy = Policy(start_date=D0, end_date=D2, turnover_min=0)
    return Scenario(cases=cases, rooms=(Room(room_id="R1"),), sessions=sessions,
                    partners=partners, unavailable=away, policy=policy)  # fmt: skip


def _away(case_id: str, first: dt.date, last: dt.date) -> Unavailability:
    return Unavailability(case_id=case_id, from_date=first, to_date=last)


def test_no_option_on_a_date_the_patient_cannot_come():
    """A away on D0: no room option on D0; T away D1..D2: no transfer and no room option then."""
    cand = build_candidates(_scenario(_away("A", D0, D0), _away("T", D1, D2)))
    a, _w, t = (0, 1, 2)
    assert {o.day for o in cand.room_options[a]} == {1, 2}
    assert cand.room_options[t] == [] and cand.transfer_options[t] == []


def test_first_fit_and_the_solver_move_the_case_and_say_why():
    """A away on D0 goes to D1 with the cause patient_unavailable; the schedule and its causes
    pass the independent checkers."""
    sc = _scenario(_away("A", D0, D0))
    cand = build_candidates(sc)
    fit = make_result(sc, cand, first_fit(cand), [], wall_time=0.0, interrupted=False,
                      settings={})  # fmt: skip
    result = solve(sc, time_limit=5, work_limit=1.0, workers=1)
    for res in (fit, result):
        row = res.schedule.set_index("case_id").loc["A"]
        assert row["status"] == "postponed" and row["date"] == D1.isoformat()
        assert row["cause"] == "patient_unavailable" and not row["blocking"]
        assert "cannot come" in row["reason"]
        assert check_schedule(sc, res.schedule) == []
        assert check_causes(sc, res.schedule) == []


def test_a_waiting_case_kept_past_its_deadline_by_its_own_absence():
    """W (due D0+3, after the horizon's D2) away on every date: unscheduled, patient_unavailable."""
    sc = _scenario(_away("W", D0, D2))
    result = solve(sc, time_limit=5, work_limit=1.0, workers=1)
    row = result.schedule.set_index("case_id").loc["W"]
    assert row["status"] == "unscheduled" and row["cause"] == "patient_unavailable"
    assert check_causes(sc, result.schedule) == []


def test_not_released_wins_over_unavailability():
    """A not released before D1 and away on D0: the cause is not_released; the cause checker
    refuses patient_unavailable there."""
    sc = _scenario(_away("A", D0, D0))
    cases = tuple(c.model_copy(update={"release_date": D1}) if c.case_id == "A" else c
                  for c in sc.cases)  # fmt: skip
    sc = sc.model_copy(update={"cases": cases})
    sc = Scenario(**{name: getattr(sc, name) for name in Scenario.model_fields})
    result = solve(sc, time_limit=5, work_limit=1.0, workers=1)
    schedule = result.schedule
    assert schedule.set_index("case_id").loc["A", "cause"] == "not_released"
    schedule.loc[schedule["case_id"] == "A", "cause"] = "patient_unavailable"
    assert [p.case_id for p in check_causes(sc, schedule)] == ["A"]


def test_the_checker_refuses_a_case_on_a_date_its_patient_cannot_come():
    """The schedule that keeps A on D0 is valid until A says they cannot come on D0."""
    good = _scenario()
    schedule = solve(good, time_limit=5, work_limit=1.0, workers=1).schedule
    assert schedule.set_index("case_id").loc["A", "date"] == D0.isoformat()
    assert check_schedule(good, schedule) == []
    violations = check_schedule(_scenario(_away("A", D0, D0)), schedule)
    assert {(v.rule, v.case_id) for v in violations} == {("availability", "A")}
