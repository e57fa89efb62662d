"""The dates' schedules go into the incumbent around the cases held at their slot."""

from __future__ import annotations

import datetime as dt

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.scenario.schema import Case, Policy, ResourceCapacity, Room, Scenario, Session

D1, D2 = dt.date(2024, 4, 15), dt.date(2024, 4, 16)


def _case(cid: str, day: dt.date, start: int, dur: int = 120, **kw: object) -> Case:
    return Case(case_id=cid, specialty="gen", surgeon_id=f"S{cid}", duration_min=dur,
                urgency="P3", planned_date=day, planned_room="R1", planned_start=start,
                **kw)  # type: ignore[arg-type]  # fmt: skip


def test_a_pinned_stay_is_counted_when_a_date_schedule_goes_in() -> None:
    """Regression (the desk, 2 ICU beds set on one date of the demo: every solve stopped
    with "a level is infeasible although a feasible schedule is known"). A and A2 (15/04)
    each hold an ICU bed two nights; P, pinned on 16/04, holds one there; 2 beds a date.
    The 15/04 schedule keeping both A and A2 went into the incumbent with P cleared, then
    P came back at its slot: three beds on 16/04, a schedule the model refused. P now stays
    in place and the date's schedule fits around it (or is not taken)."""
    cases = (
        _case("A", D1, 480, needs_icu=True, icu_days=2),
        _case("A2", D1, 600, needs_icu=True, icu_days=2),
        _case("P", D2, 480, needs_icu=True, pinned=True),
        _case("B", D2, 600, dur=400),  # longer than 16/04's room: 16/04 loses a case too
    )
    beds = tuple(ResourceCapacity(date=d, resource="icu_bed", capacity=2) for d in (D1, D2))
    scenario = Scenario(
        cases=cases,
        rooms=(Room(room_id="R1"),),
        sessions=(
            Session(date=D1, room_id="R1", start=480, end=960),
            Session(date=D2, room_id="R1", start=480, end=900),
        ),  # fmt: skip
        resources=beds,
        policy=Policy(start_date=D1, end_date=D2),
        name="held stay",
    )
    result = solve(scenario, work_limit=2, workers=1, seed=0)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
    placed = {r.case_id: r.status for r in result.rows}
    assert placed["P"] == "kept" and placed["B"] == "unscheduled"
    assert sorted(placed[c] for c in ("A", "A2")) == ["kept", "unscheduled"]
