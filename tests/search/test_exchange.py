"""A long kept case swapped for shorter planned ones (search/exchange.py): more cases kept on
a date that lost capacity, never worse on the first levels, valid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from optimizer.check import check_schedule, evaluate
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.result.result import make_result
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session, UrgencyClass
from optimizer.search.construct import first_fit, keep_first
from optimizer.search.exchange import exchanged
from optimizer.search.gaps import filled
from optimizer.search.neighbourhoods import scoring_levels
from optimizer.search.relocate import relocated

MON = dt.date(2024, 4, 15)
TUE = MON + dt.timedelta(days=1)
# Monday and Tuesday, turnover 30, one urgency class.
_POLICY = Policy(
    start_date=MON,
    end_date=TUE,
    turnover_min=30,
    urgency={"ELECTIVE": UrgencyClass(name="ELECTIVE", weight=1.0)},
)


def _checked(sc: Scenario, cand: Candidates, solution: Solution) -> dict[str, object]:
    result = make_result(sc, cand, solution, [], wall_time=0.0, interrupted=False, settings={})
    assert [str(v) for v in check_schedule(sc, result.schedule)] == []
    return evaluate(sc, result.schedule)


def test_a_long_kept_case_makes_way_for_two_short_ones() -> None:
    """OR1 08:00-12:00 on Monday and Tuesday (turnover 30). Monday's plan: L (200 min) at 08:00,
    a and b (60 min each) after it: the room holds L alone (230 min with its turnover), so
    first fit keeps L and sends a and b to Tuesday (kept 1 of 3 on Monday). Nothing is due:
    relocated has nothing to move. L out, a and b in keeps 2 (L on Tuesday)."""
    cases = tuple(
        Case(
            case_id=cid,
            specialty="general",
            surgeon_id=f"S{cid}",
            duration_min=minutes,
            urgency="ELECTIVE",
            planned_date=MON,
            planned_room="OR1",
            planned_start=start,
        )
        for cid, minutes, start in (("L", 200, 480), ("a", 60, 710), ("b", 60, 800))
    )
    sc = Scenario(
        cases=cases,
        rooms=(Room(room_id="OR1", specialties=frozenset({"general"})),),
        sessions=tuple(Session(date=d, room_id="OR1", start=480, end=720) for d in (MON, TUE)),
        policy=_POLICY,
    )
    cand = build_candidates(sc)
    first = first_fit(cand)
    assert _checked(sc, cand, first)["kept"] == 1
    assert _checked(sc, cand, relocated(cand, first))["kept"] == 1
    swapped = exchanged(cand, first)
    assert _checked(sc, cand, swapped)["kept"] == 2
    long, a, b = swapped
    assert long is not None and long.day == 1  # L on Tuesday
    assert a is not None and a.day == 0 and b is not None and b.day == 0


@pytest.mark.parametrize("step", [exchanged, filled])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_valid_and_never_worse_on_the_first_levels(
    seed: int, step: Callable[[Candidates, Solution], Solution]
) -> None:
    """On generated hospitals (disrupted), from first fit and from keep_first, the swaps and
    the gaps filled (search/gaps.py): checked schedules, never worse on the misses, then the
    shortfall, then the planned cases kept."""
    sc = generate(seed=seed, rooms=5, days=5, cases_per_day=22).disrupted
    cand = build_candidates(sc)
    levels = scoring_levels(cand)
    upto = next(k for k, lv in enumerate(levels) if lv.kind is LevelKind.KEPT) + 1

    def score(solution: Solution) -> list[int]:
        return [lv.value(solution) for lv in levels[:upto]]

    for start in (first_fit(cand), keep_first(cand)):
        changed = step(cand, start)
        _checked(sc, cand, changed)
        assert score(changed) <= score(start)


def test_a_kept_case_moves_to_another_room_for_a_lost_one() -> None:
    """Monday, 08:00-12:00 in OR1 (general and ortho) and OR2 (general), turnover 30: A
    (general, 100 min) kept in OR1 at 08:00, C (general, 60 min) in OR2 at 08:00; b (ortho,
    130 min, planned in OR1 after A) fits neither after A nor in OR2 (its specialty): first
    fit sends it to Tuesday. A moved to OR2 after C leaves OR1 to b: all three kept."""

    def case(cid: str, specialty: str, minutes: int, room: str, start: int) -> Case:
        return Case(
            case_id=cid,
            specialty=specialty,
            surgeon_id=f"S{cid}",
            duration_min=minutes,
            urgency="ELECTIVE",
            planned_date=MON,
            planned_room=room,
            planned_start=start,
        )

    sc = Scenario(
        cases=(
            case("A", "general", 100, "OR1", 480),
            case("b", "ortho", 130, "OR1", 610),
            case("C", "general", 60, "OR2", 480),
        ),
        rooms=(
            Room(room_id="OR1", specialties=frozenset({"general", "ortho"})),
            Room(room_id="OR2", specialties=frozenset({"general"})),
        ),
        sessions=tuple(
            Session(date=d, room_id=r, start=480, end=720)
            for d in (MON, TUE)
            for r in ("OR1", "OR2")
        ),
        policy=_POLICY,
    )
    cand = build_candidates(sc)
    first = first_fit(cand)
    assert _checked(sc, cand, first)["kept"] == 2
    swapped = exchanged(cand, first)
    assert _checked(sc, cand, swapped)["kept"] == 3
    a, b, _c = swapped
    assert a is not None and b is not None and (a.day, b.day) == (0, 0) and a.room != b.room
