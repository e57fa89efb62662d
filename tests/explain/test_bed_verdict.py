"""A bed other cases fill for the whole date is what stops a case, not the room it would use."""

from __future__ import annotations

import datetime as dt

from optimizer import solve
from optimizer.check.causes import check_causes
from optimizer.scenario.schema import Case, Policy, ResourceCapacity, Room, Scenario, Session

D0 = dt.date(2024, 5, 3)
D1 = D0 + dt.timedelta(days=1)


def test_a_case_without_an_icu_bed_on_its_date_is_stopped_by_the_bed() -> None:
    """One ICU bed on D0, held by A (cardiac, a room B cannot use). B (needs ICU) and C were
    both planned in R1 at 08:00, a one-case session: C keeps it, B goes to D1. Moving C would
    not let B go ahead (no bed), so B's cause is the ICU bed, not "capacity_taken" with C
    blocking, as it was."""

    def case(cid: str, spec: str, urgency: str, room: str, icu: bool) -> Case:
        return Case(
            case_id=cid,
            specialty=spec,
            surgeon_id=f"S{cid}",
            duration_min=60,
            urgency=urgency,
            planned_date=D0,
            planned_room=room,
            planned_start=480,
            needs_icu=icu,
        )

    sc = Scenario(
        cases=(
            case("A", "cardiac", "P1a", "R2", True),
            case("B", "gen", "P3", "R1", True),
            case("C", "gen", "P2", "R1", False),
        ),
        rooms=(
            Room(room_id="R1", specialties=("gen",)),
            Room(room_id="R2", specialties=("cardiac",)),
        ),
        sessions=tuple(
            Session(date=d, room_id=r, start=480, end=540) for d in (D0, D1) for r in ("R1", "R2")
        ),
        resources=(ResourceCapacity(date=D0, resource="icu_bed", capacity=1),),
        policy=Policy(start_date=D0, end_date=D1),
    )
    result = solve(sc, work_limit=1.0, workers=1, seed=0)
    rows = result.schedule.set_index("case_id")
    assert list(rows["status"]) == ["kept", "postponed", "kept"], rows
    assert (rows.loc["B", "cause"], rows.loc["B", "blocking"]) == ("resource_full", "icu_bed")
    assert check_causes(sc, result.schedule) == []
