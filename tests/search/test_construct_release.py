"""Regression: the first fit's release() must undo everything take() records, the
emergency reserve's elective minutes included (a leak made keep_first's ejection assert
on scenarios with a reserve: ``test_solve_with_levers_passes_the_checker`` found it)."""

from __future__ import annotations

import datetime as dt

from optimizer.facts.candidates import build_candidates
from optimizer.facts.solution import Placement
from optimizer.scenario.schema import Case, Policy, ResourceCapacity, Room, Scenario, Session
from optimizer.search.occupancy import Occupancy

D0 = dt.date(2024, 4, 15)


def test_release_undoes_take_reserve_beds_and_anaesthetists():
    """Take then release one elective ICU case with a ward stay and an induction: the
    reserve's load, the beds and the anaesthetists' minutes are back to nothing."""
    c = Case(case_id="a", specialty="gen", surgeon_id="S", duration_min=60, urgency="P3",
             planned_date=D0, needs_icu=True, icu_days=2, ward_days=1,
             induction_min=15)  # fmt: skip
    sc = Scenario(
        cases=(c,),
        rooms=(Room(room_id="R1"),),
        sessions=(Session(date=D0, room_id="R1", start=480, end=720),),
        resources=tuple(
            ResourceCapacity(date=D0 + dt.timedelta(days=k), resource=r, capacity=2)
            for k in range(3)
            for r in ("icu_bed", "ward_bed", "anaesthetist")
        ),
        policy=Policy(start_date=D0, end_date=D0, reserve_min=60),
    )
    occ = Occupancy(build_candidates(sc))
    p = occ.take(0, Placement(day=0, room=0, start=480))
    assert sum(occ.elective_load.values()) == 90 and sum(occ.beds_used.values()) == 3
    occ.release(0, p)
    assert not any(occ.elective_load.values()) and not any(occ.beds_used.values())
    assert not any(any(used) for used in occ.usage.values())
