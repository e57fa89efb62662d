"""The solver on tiny instances whose optimum is worked out by hand."""

from __future__ import annotations

import datetime as dt

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.scenario.schema import (
    Case,
    PartnerCapacity,
    Policy,
    Room,
    Scenario,
    Session,
)

D1 = dt.date(2024, 4, 16)
D2 = dt.date(2024, 4, 17)


def scenario(cases, sessions, *, partners=(), end=D2, target=0.9, turnover=30) -> Scenario:
    return Scenario(
        cases=tuple(cases),
        rooms=(Room(room_id="R1"), Room(room_id="R2")),
        sessions=tuple(sessions),
        partners=tuple(partners),
        policy=Policy(start_date=D1, end_date=end, target_ratio=target, turnover_min=turnover),
    )


def case(cid, dur, urgency, *, day=D1, room="R1", start=480, **kw) -> Case:
    return Case(
        case_id=cid,
        specialty="gen",
        surgeon_id=f"S_{cid}",
        duration_min=dur,
        urgency=urgency,
        planned_date=day,
        planned_room=room,
        planned_start=start,
        **kw,
    )


def by_id(result):
    return {r.case_id: r for r in result.rows}


def test_keeps_the_urgent_case_and_postpones_the_elective():
    """One 4 h session, turnover 30: A (P2, 120), B (P1a, 120), C (P4, 60) planned on day 1.

    At most 120 + 30 + 60 = 210 <= 240 fits with one 120-min case: two cases kept
    (level 3). Postponing A costs 10 x 1 day, B 100 x 1: so B and C are kept and A
    goes to day 2 (level 4).
    """
    sc = scenario(
        [case("A", 120, "P2"), case("B", 120, "P1a", start=630), case("C", 60, "P4", start=780)],
        [
            Session(date=D1, room_id="R1", start=480, end=720),
            Session(date=D2, room_id="R1", start=480, end=720),
        ],
    )
    result = solve(sc, time_limit=10, workers=1)
    rows = by_id(result)
    assert rows["B"].status == "kept" and rows["C"].status == "kept"
    assert rows["A"].status == "postponed" and rows["A"].date == D2
    assert rows["A"].delay_days == 1 and rows["A"].reason
    assert result.status == "OPTIMAL"
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


def test_transfer_only_to_avoid_a_deadline_miss():
    """Room closed both days. E (EMERGENCY, transferable) must go to the partner on day 1;
    F (P4, transferable, no deadline) stays unscheduled rather than leave (transfer costs more)."""
    sc = scenario(
        [case("E", 60, "EMERGENCY", transferable=True), case("F", 60, "P4", transferable=True)],
        [Session(date=D1, room_id="R2", start=480, end=490)],
        partners=[PartnerCapacity(partner_id="CHU", date=D1, specialty="gen", capacity=5)],
    )
    result = solve(sc, time_limit=10, workers=1)
    rows = by_id(result)
    assert rows["E"].status == "transferred" and rows["E"].partner_id == "CHU"
    assert rows["F"].status == "unscheduled" and rows["F"].reason
    assert result.summary["totals"]["deadline_misses"] == 0
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


def test_deadline_miss_is_listed_with_its_reason():
    """No capacity and no partner: the EMERGENCY case misses its deadline, and says so."""
    sc = scenario(
        [case("E", 60, "EMERGENCY")], [Session(date=D2, room_id="R2", start=480, end=500)]
    )
    result = solve(sc, time_limit=10, workers=1)
    row = by_id(result)["E"]
    assert row.status == "unscheduled" and row.deadline_missed
    assert "DEADLINE MISSED" in row.reason and "R1 is closed on 16/04" in row.reason
    assert row.cause == "no_session" and "not transferable" in row.reason
    assert result.summary["totals"]["deadline_misses"] == 1
    assert result.deadline_misses == ["E"]


def test_ninety_percent_is_reached_when_reachable():
    """Ten 60-min cases planned in R1; R2 is open too, both 8 h.

    A room holds 5 (5 x 60 + 4 x 30 = 420 <= 480, six need 510): R1 five, R2 five,
    so all 10 can be kept on the day and the target is met.
    """
    cases = [case(f"K{k}", 60, "P3", start=480 + 90 * k if k < 5 else 480) for k in range(10)]
    sc = scenario(
        cases,
        [
            Session(date=D1, room_id="R1", start=480, end=960),
            Session(date=D1, room_id="R2", start=480, end=960),
        ],
        end=D1,
    )
    result = solve(sc, time_limit=10, workers=1)
    assert result.summary["dates"][0]["kept"] == 10
    assert result.summary["dates"][0]["target_met"]
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


def test_latex_case_goes_first():
    """A latex-allergy case planned last in its room moves to the front; both keep the day."""
    cases = [
        case("N", 60, "P3", start=480),
        case("L", 60, "P3", start=570, flags=frozenset({"latex_allergy"})),
    ]
    sc = scenario(cases, [Session(date=D1, room_id="R1", start=480, end=720)], end=D1)
    result = solve(sc, time_limit=10, workers=1)
    rows = by_id(result)
    assert rows["L"].start < rows["N"].start
    assert rows["L"].status == rows["N"].status == "kept"
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


def test_policy_gives_the_default_seed_and_time_limit():
    """Without arguments, the policy's seed and time_limit_s apply (and are recorded)."""
    sc = scenario([case("A", 60, "P3")], [Session(date=D1, room_id="R1", start=480, end=720)])
    policy = sc.policy.model_copy(update={"seed": 5, "time_limit_s": 7.0})
    result = solve(sc.model_copy(update={"policy": policy}), workers=1)
    assert result.summary["run"]["seed"] == 5
    assert result.summary["run"]["time_limit_s"] == 7.0
