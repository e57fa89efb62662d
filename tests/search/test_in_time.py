"""Cases past their deadline placed in time (search/in_time.py) when their surgeon, not their
room, is what is full: the surgeon's other cases of that date move."""

from __future__ import annotations

import datetime as dt

from optimizer.check import check_schedule, evaluate
from optimizer.facts.candidates import build_candidates
from optimizer.facts.solution import Placement, Solution
from optimizer.result.result import make_result
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session, UrgencyClass
from optimizer.search.in_time import in_time
from optimizer.search.relocate import misses_by_class

MON = dt.date(2024, 4, 15)
TUE = MON + dt.timedelta(days=1)
CLASSES = {
    "URGENT": UrgencyClass(name="URGENT", weight=3.0),
    "ELECTIVE": UrgencyClass(name="ELECTIVE", weight=1.0),
}


def _case(cid: str, minutes: int, due: dt.date, planned: dt.date | None = None) -> Case:
    return Case(
        case_id=cid,
        specialty="general",
        surgeon_id="X",  # one surgeon for every case
        duration_min=minutes,
        urgency="URGENT",
        planned_date=planned,
        planned_room="OR1" if planned else None,
        planned_start=540 if planned else None,
        due_date=due,
    )


def test_a_case_due_whose_surgeon_is_busy_gets_its_date_by_moving_the_surgeons_cases() -> None:
    """OR1 and OR2, 08:00-12:00 on Monday and Tuesday (turnover 30); one surgeon. u (150 min)
    is due Monday and left out; v (120 min, due Tuesday) holds the surgeon on Monday 08:00-10:00
    (in OR1); w (100 min, planned and due Tuesday) is on Tuesday 09:00-10:40 in OR1. Clearing
    a room on Monday is not enough (the surgeon is busy till 10:00, u would end after 12:00),
    and v fits nowhere on Tuesday around w, where it stands. Moving v to Tuesday 08:00 with w
    placed again after it (in OR2, 10:00) frees the surgeon's Monday: no miss, w still kept."""
    sc = Scenario(
        cases=(_case("u", 150, MON), _case("v", 120, TUE), _case("w", 100, TUE, TUE)),
        rooms=tuple(Room(room_id=r, specialties=frozenset({"general"})) for r in ("OR1", "OR2")),
        sessions=tuple(
            Session(date=d, room_id=r, start=480, end=720)
            for d in (MON, TUE)
            for r in ("OR1", "OR2")
        ),
        policy=Policy(start_date=MON, end_date=TUE, turnover_min=30, urgency=CLASSES),
    )
    cand = build_candidates(sc)
    or1 = sc.rooms.index(next(r for r in sc.rooms if r.room_id == "OR1"))
    start: Solution = [
        None,
        Placement(day=0, room=or1, start=480),
        Placement(day=1, room=or1, start=540),
    ]
    assert misses_by_class(cand, start) == (1,)
    placed = in_time(cand, start)
    assert misses_by_class(cand, placed) == (0,)
    result = make_result(sc, cand, placed, [], wall_time=0.0, interrupted=False, settings={})
    assert [str(v) for v in check_schedule(sc, result.schedule)] == []
    assert evaluate(sc, result.schedule)["deadline_misses"] == 0
    u, v, w = placed
    assert u is not None and u.day == 0
    assert v is not None and v.day == 1 and w is not None and w.day == 1  # w still kept
