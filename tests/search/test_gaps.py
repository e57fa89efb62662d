"""A crowded date's lost planned cases put in its rooms' gaps (search/gaps.py): at any place
of a room's order, and where a case not kept there goes to a partner; never worse on the
first levels, valid (on generated hospitals: tests/search/test_exchange.py)."""

from __future__ import annotations

import datetime as dt

from optimizer.check import check_schedule, evaluate
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.solution import Placement, Solution
from optimizer.result.result import make_result
from optimizer.scenario.capacity_rows import PartnerCapacity
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session, UrgencyClass
from optimizer.search.exchange import exchanged
from optimizer.search.gaps import filled

MON = dt.date(2024, 4, 15)
TUE = MON + dt.timedelta(days=1)
# Monday and Tuesday, turnover 30, one urgency class.
_POLICY = Policy(
    start_date=MON,
    end_date=TUE,
    turnover_min=30,
    urgency={"ELECTIVE": UrgencyClass(name="ELECTIVE", weight=1.0)},
)
_ROOMS = (
    Room(room_id="OR1", specialties=frozenset({"general"})),
    Room(room_id="OR2", specialties=frozenset({"ortho"})),
)
_SESSIONS = tuple(Session(date=MON, room_id=r, start=480, end=720) for r in ("OR1", "OR2"))


def _case(
    cid: str, surgeon: str, minutes: int, room: str | None, specialty: str = "general",
    **more: object,
) -> Case:  # fmt: skip
    return Case(
        case_id=cid,
        specialty=specialty,
        surgeon_id=surgeon,
        duration_min=minutes,
        urgency="ELECTIVE",
        planned_date=MON if room is not None else None,
        planned_room=room,
        **more,  # type: ignore[arg-type]
    )


def _checked(sc: Scenario, cand: Candidates, solution: Solution) -> dict[str, object]:
    result = make_result(sc, cand, solution, [], wall_time=0.0, interrupted=False, settings={})
    assert [str(v) for v in check_schedule(sc, result.schedule)] == []
    return evaluate(sc, result.schedule)


def test_a_lost_case_goes_before_the_rooms_case() -> None:
    """Monday 08:00-12:00 in OR1 (general) and OR2 (ortho), turnover 30. A (60 min, surgeon
    S1) in OR1 at 08:00, c (ortho, 120 min, surgeon S2) in OR2 at 10:00; b (60 min, S2)
    planned in OR1 is out. After A, OR1 is free from 09:30, but S2 operates c from 10:00: b
    does not fit at the room's end (where the swaps and refills put it), and A has no other
    room, so exchanged keeps 2. b at 08:00 and A moved to 09:30 keeps all three."""
    sc = Scenario(
        cases=(
            _case("A", "S1", 60, "OR1"),
            _case("b", "S2", 60, "OR1"),
            _case("c", "S2", 120, "OR2", "ortho"),
        ),
        rooms=_ROOMS,
        sessions=_SESSIONS,
        policy=_POLICY,
    )
    cand = build_candidates(sc)
    start: Solution = [Placement(0, 0, 480), None, Placement(0, 1, 600)]
    assert _checked(sc, cand, start)["kept"] == 2
    assert _checked(sc, cand, exchanged(cand, start))["kept"] == 2
    done = filled(cand, start)
    assert _checked(sc, cand, done)["kept"] == 3
    assert done[1] == Placement(0, 0, 480) and done[0] == Placement(0, 0, 570)


def test_a_case_not_kept_goes_to_a_partner_for_a_lost_one() -> None:
    """OR1 alone, Monday 08:00-12:00 (turnover 30): X (never planned, due Tuesday,
    transferable, 200 min) at 08:00 leaves 10 minutes; a (60 min) planned there is out. A
    partner takes one general case on Monday: X there, a in OR1 (kept 0 -> 1, X still on
    time)."""
    sc = Scenario(
        cases=(
            _case("X", "S1", 200, None, due_date=TUE, transferable=True),
            _case("a", "S2", 60, "OR1"),
        ),
        rooms=_ROOMS[:1],
        sessions=_SESSIONS[:1],
        partners=(PartnerCapacity(partner_id="P", date=MON, specialty="general", capacity=1),),
        policy=_POLICY,
    )
    cand = build_candidates(sc)
    start: Solution = [Placement(0, 0, 480), None]
    before = _checked(sc, cand, start)
    assert before["kept"] == 0 and before["deadline_misses"] == 0
    done = filled(cand, start)
    after = _checked(sc, cand, done)
    assert after["kept"] == 1 and after["deadline_misses"] == 0
    assert done[0] is not None and done[0].partner is not None
    assert done[1] == Placement(0, 0, 480)
