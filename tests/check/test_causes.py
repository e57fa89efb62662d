"""Causes on random scenarios: every row's code is backed by the facts (independent checker)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings

from optimizer import solve
from optimizer.check.causes import check_causes
from optimizer.explain import bookings_from_solution, find_causes, render
from optimizer.facts.candidates import build_candidates
from optimizer.result.result import make_result
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session, SurgeonWindow
from optimizer.search.construct import first_fit
from tests.support.strategies import scenarios

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
D1 = dt.date(2024, 4, 15)


def _problems(scenario: Scenario, result_schedule) -> list[str]:
    return [str(p) for p in check_causes(scenario, result_schedule)]


@SETTINGS
@given(scenarios())
def test_causes_of_the_first_fit_schedule_hold(scenario):
    """First fit leaves free places and odd orders: the causes still say only what is true,
    and every finding reads in both languages."""
    cand = build_candidates(scenario)
    solution = first_fit(cand)
    result = make_result(
        scenario, cand, solution, [], wall_time=0.0, interrupted=False, settings={}
    )
    assert _problems(scenario, result.schedule) == []
    for finding in find_causes(scenario, bookings_from_solution(cand, solution)):
        assert render(finding, "fr") or finding is None
    for row in result.rows:
        kept_in_place = row.status in ("kept", "scheduled") and not row.cause
        assert kept_in_place or (row.cause and row.reason), row


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_cases=8))
def test_causes_of_solved_schedules_hold(scenario):
    """The same on schedules CP-SAT returns (a small work budget, one worker)."""
    result = solve(scenario, time_limit=5, work_limit=0.5, workers=1)
    assert _problems(result.scenario, result.schedule) == []


def _tiny(cases: list[Case], sessions: list[Session]) -> Scenario:
    policy = Policy(start_date=D1, end_date=D1 + dt.timedelta(days=1), turnover_min=0)
    return Scenario(cases=tuple(cases), rooms=(Room(room_id="R1"),), sessions=tuple(sessions),
                    policy=policy)  # fmt: skip


def _case(cid: str, urgency: str, start: int, **kw: object) -> Case:
    return Case(case_id=cid, specialty="gen", surgeon_id=f"S{cid}", duration_min=60,
                urgency=urgency, planned_date=D1, planned_room="R1", planned_start=start,
                **kw)  # type: ignore[arg-type]  # fmt: skip


def test_capacity_taken_names_the_case_in_the_way_and_more_urgent_only_when_true():
    """R1 is open 08:00-09:00 on the planned date: one hour for two one-hour cases. The P1a
    case keeps it; the P4 case is postponed, blocked by the P1a case, which is more urgent.
    Swapped classes: the blocker is less urgent and the reason must not say otherwise."""
    sessions = [Session(date=D1 + dt.timedelta(days=k), room_id="R1", start=480, end=540)
                for k in (0, 1)]  # fmt: skip
    for urgent, other in (("P1a", "P4"), ("P4", "P4")):
        sc = _tiny([_case("A", urgent, 480), _case("B", other, 480)], sessions)
        result = solve(sc, time_limit=5, work_limit=1, workers=1)
        rows = {r.case_id: r for r in result.rows}
        late = "B" if rows["A"].status == "kept" else "A"
        row = rows[late]
        assert row.cause == "capacity_taken" and row.blocking == ({"A", "B"} - {late}).pop()
        assert ("more urgent" in row.reason) == (urgent == "P1a")
        assert _problems(sc, result.schedule) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_cases=8))
def test_causes_ignore_the_option_budget(scenario):
    """Issue 10: under the option budget, rows claimed "no compatible open session" from the
    restricted candidate list. Causes come from the full scenario, so they still hold."""
    result = solve(scenario, time_limit=5, work_limit=0.5, workers=1, max_options=2)
    assert _problems(result.scenario, result.schedule) == []
    assert not any("compatible" in r.reason for r in result.rows)


def test_a_surgeon_whose_only_window_is_too_short_is_said_so():
    """Issue 10: a surgeon whose only window is too short read "no open session for gen".
    R1 is open 08:00-12:00 both days; surgeon SA has 08:00-08:30 on the first day only."""
    sessions = [Session(date=D1 + dt.timedelta(days=k), room_id="R1", start=480, end=720)
                for k in (0, 1)]  # fmt: skip
    sc = _tiny([_case("A", "P3", 480)], sessions)
    windows = (SurgeonWindow(surgeon_id="SA", date=D1, start=480, end=510),)
    sc = sc.model_copy(update={"surgeon_windows": windows})
    result = solve(sc, time_limit=5, work_limit=1, workers=1)
    row = result.rows[0]
    assert row.status == "unscheduled" and row.cause == "surgeon_unavailable"
    assert row.blocking == "SA"
    assert "surgeon SA's hours on 15/04 (08:00-08:30) leave no 60 min" in row.reason
    assert "16/04 (SA not available)" in row.reason
    assert _problems(sc, result.schedule) == []


def test_a_waiting_case_operated_after_its_deadline_is_explained():
    """A waiting EMERGENCY case due on the first date, with a session only on the second:
    it is scheduled late, a deadline miss, and its row says why (no session by then)."""
    sc = _tiny(
        [Case(case_id="W", specialty="gen", surgeon_id="S", duration_min=30, urgency="EMERGENCY",
              due_date=D1)],
        [Session(date=D1 + dt.timedelta(days=1), room_id="R1", start=480, end=600)],
    )  # fmt: skip
    result = solve(sc, time_limit=5, work_limit=1, workers=1)
    row = result.rows[0]
    assert row.status == "scheduled" and row.deadline_missed
    assert row.cause == "no_session" and "DEADLINE MISSED (due 15/04)" in row.reason
    assert _problems(sc, result.schedule) == []
