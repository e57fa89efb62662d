"""The first fit (optimizer.search.construct): every case once, pinned cases and deadlines first,
cases kept in place when asked, given placements taken as they are.

The schedules below are worked out by hand from the module's order: pinned cases; cases
with a deadline in the horizon, earliest first; cases that can stay exactly where they
were planned; the others on their planned date; the rest, at the earliest (date, room,
start), a transfer before a missed deadline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from optimizer.check import check_schedule
from optimizer.facts.candidates import build_candidates
from optimizer.facts.solution import Placement
from optimizer.result.result import make_result
from optimizer.scenario import Scenario, load_scenario
from optimizer.scenario.schema import Case, PartnerCapacity, Policy, Room, Session
from optimizer.search.construct import first_fit

D0, D1 = dt.date(2024, 4, 15), dt.date(2024, 4, 16)


def case(cid: str, **kw: object) -> Case:
    fields: dict[str, object] = {
        "case_id": cid,
        "specialty": "general",
        "surgeon_id": f"S{cid}",
        "duration_min": 60,
        "urgency": "P3",
    }
    fields.update(kw)
    return Case.model_validate(fields)


def scenario(cases: list[Case], *, rooms: tuple[str, ...] = ("R1",), **kw: object) -> Scenario:
    """One session per room 08:00-12:00 on D0 (and D1 if asked), no turnover."""
    days = kw.pop("days", (D0,))
    assert isinstance(days, tuple)
    return Scenario.model_validate(
        {
            "cases": tuple(cases),
            "rooms": tuple(Room(room_id=r) for r in rooms),
            "sessions": tuple(
                Session(date=d, room_id=r, start=480, end=kw.get("end", 720))
                for d in days
                for r in rooms
            ),
            "partners": kw.get("partners", ()),
            "policy": Policy(start_date=D0, end_date=D1, turnover_min=0),
        }
    )


def test_every_case_once_and_the_checker_agrees(small_hospital: Path) -> None:
    """On a generated hospital: one entry per case, in input order, and the schedule
    made of it passes the independent checker."""
    sc = load_scenario(small_hospital)
    cand = build_candidates(sc)
    solution = first_fit(cand)
    assert len(solution) == len(sc.cases)
    result = make_result(sc, cand, solution, [], wall_time=0.0, interrupted=False, settings={})
    assert [r.case_id for r in result.rows] == [c.case_id for c in sc.cases]
    assert check_schedule(sc, result.schedule, result.summary) == []


def test_deadlines_first(tiny_hospital: Scenario) -> None:
    """The emergency (deadline today, not planned) takes D0 08:00 before the planned
    cases: B still fits in place at 09:00, A (planned 08:00) goes to D1 08:00."""
    solution = first_fit(build_candidates(tiny_hospital))
    a, b, e = solution
    assert e == Placement(day=0, room=0, start=480)
    assert b == Placement(day=0, room=0, start=540)
    assert a == Placement(day=1, room=0, start=480)


def test_pinned_cases_before_deadlines() -> None:
    """A pinned case keeps its 08:00 even against an emergency, which gets 09:00."""
    pinned = case("Q", planned_date=D0, planned_room="R1", planned_start=480, pinned=True)
    emergency = case("E", urgency="EMERGENCY")
    a, b = first_fit(build_candidates(scenario([pinned, emergency])))
    assert a == Placement(day=0, room=0, start=480)
    assert b == Placement(day=0, room=0, start=540)


def test_keep_in_place() -> None:
    """A case planned at 10:00 in R2, alone: kept exactly there with ``keep_in_place``;
    without it, the first fit on its planned date, its planned room first: R2 at 08:00."""
    alone = case("A", planned_date=D0, planned_room="R2", planned_start=600)
    cand = build_candidates(scenario([alone], rooms=("R1", "R2")))
    r2 = cand.rooms.index("R2")
    assert first_fit(cand) == [Placement(day=0, room=r2, start=600)]
    assert first_fit(cand, keep_in_place=False) == [Placement(day=0, room=r2, start=480)]


def test_given_placements_are_taken_as_they_are(tiny_hospital: Scenario) -> None:
    """``fixed`` puts B on D1 08:00; the rest is fitted around it: E at D0 08:00 first
    (its deadline), then A on its planned date at the start left, 09:00."""
    fixed = [None, Placement(day=1, room=0, start=480), None]
    a, b, e = first_fit(build_candidates(tiny_hospital), fixed=fixed)
    assert b == fixed[1]
    assert e == Placement(day=0, room=0, start=480)
    assert a == Placement(day=0, room=0, start=540)


def test_a_transfer_before_a_missed_deadline_and_none_where_nothing_fits() -> None:
    """D0 holds one hour, taken by a pinned case. The transferable emergency goes to the
    partner on D0 rather than to a room on D1 (past its deadline); a four-hour-and-a-half
    case fits no session and is left out (``None``); the P3 case goes to D1 08:00."""
    pinned = case("Q", planned_date=D0, planned_room="R1", planned_start=480, pinned=True)
    emergency = case(
        "E",
        urgency="EMERGENCY",
        planned_date=D0,
        planned_room="R1",
        planned_start=480,
        transferable=True,
    )
    too_long = case("L", duration_min=270)
    later = case("P", planned_date=D0)
    partner = PartnerCapacity(partner_id="P1", date=D0, specialty="general", capacity=1)
    sc = scenario([pinned, emergency, too_long, later], days=(D0, D1), end=540, partners=(partner,))
    q, e, long_, p = first_fit(build_candidates(sc))
    assert q == Placement(day=0, room=0, start=480)
    assert e == Placement(day=0, partner=0)
    assert long_ is None
    assert p == Placement(day=1, room=0, start=480)


def test_the_rows_of_cases_csv_re_sorted_give_the_same_first_fit() -> None:
    """Five waiting cases alike on every priority (no deadline, one class, not planned, no
    wait) for four hours: the first fit took those on the earlier rows, so a planner who
    re-sorted cases.csv got another schedule. The last tie-break is now the case id."""
    cases = [case(cid) for cid in ("c", "a", "e", "b", "d")]
    sc = scenario(cases)

    def placed(rows: list[Case]) -> dict[str, Placement | None]:
        cand = build_candidates(sc.model_copy(update={"cases": tuple(rows)}))
        return {c.case_id: p for c, p in zip(cand.cases, first_fit(cand), strict=True)}

    first = placed(cases)
    assert first["e"] is None and all(first[c] is not None for c in "abcd")
    assert placed(list(reversed(cases))) == first
