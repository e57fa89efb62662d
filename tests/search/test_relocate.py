"""Cases with a deadline moved off the dates they crowd (search/relocate.py): valid schedules,
never worse on the misses, the shortfall and the planned cases kept."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer.check import check_schedule, evaluate
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.result.result import make_result
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session, UrgencyClass
from optimizer.search.construct import first_fit, keep_first
from optimizer.search.in_time import in_time
from optimizer.search.neighbourhoods import scoring_levels
from optimizer.search.relocate import first_levels, misses_by_class, relocated

MON = dt.date(2024, 4, 15)
TUE = MON + dt.timedelta(days=1)
WED = MON + dt.timedelta(days=2)
CLASSES = {
    "URGENT": UrgencyClass(name="URGENT", weight=3.0),
    "ELECTIVE": UrgencyClass(name="ELECTIVE", weight=1.0),
}


def _case(
    cid: str, minutes: int, planned: dt.date | None, start: int | None, due: dt.date | None
) -> Case:
    return Case(
        case_id=cid,
        specialty="general",
        surgeon_id=f"S{cid}",
        duration_min=minutes,
        urgency="URGENT" if planned is None else "ELECTIVE",
        planned_date=planned,
        planned_room="OR1" if planned else None,
        planned_start=start,
        due_date=due,
    )


def _scenario(cases: tuple[Case, ...], days: tuple[dt.date, ...]) -> Scenario:
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="OR1", specialties=frozenset({"general"})),),
        sessions=tuple(Session(date=d, room_id="OR1", start=480, end=720) for d in days),
        policy=Policy(start_date=MON, end_date=WED, turnover_min=30, urgency=CLASSES),
    )


def _checked(sc: Scenario, cand: Candidates, solution: Solution) -> dict[str, object]:
    result = make_result(sc, cand, solution, [], wall_time=0.0, interrupted=False, settings={})
    assert [str(v) for v in check_schedule(sc, result.schedule)] == []
    return evaluate(sc, result.schedule)


def test_a_case_due_later_leaves_the_first_date_and_a_planned_case_is_kept() -> None:
    """OR1 08:00-12:00 on Monday and Wednesday (turnover 30). p1 and p2 (105 min each) are
    planned on Monday; u (URGENT, waiting list, 105 min) is due Wednesday. First fit places u
    first, on Monday at 08:00: p2 stays at 10:15, p1 goes to Wednesday (kept 1). Wednesday is
    free: u there, p1 back on Monday keeps both (the optimum: kept 2, no miss)."""
    sc = _scenario(
        (
            _case("p1", 105, MON, 480, None),
            _case("p2", 105, MON, 615, None),
            _case("u", 105, None, None, WED),
        ),
        (MON, WED),
    )
    cand = build_candidates(sc)
    first = first_fit(cand)
    before = _checked(sc, cand, first)
    assert (before["deadline_misses"], before["kept"]) == (0, 1)
    assert first[2] is not None and first[2].day == 0
    moved = relocated(cand, first)
    after = _checked(sc, cand, moved)
    assert (after["deadline_misses"], after["kept"]) == (0, 2)
    assert moved[2] is not None and moved[2].day == 2  # u on Wednesday, by its deadline


def test_a_case_keep_first_makes_miss_is_placed_in_time_by_moving_one_due_later() -> None:
    """OR1 08:00-12:00 on Tuesday and Wednesday (turnover 30). Tuesday holds q (due Wednesday)
    and r (due Tuesday), 105 min each, as planned; Wednesday holds p (210 min, no deadline);
    u (URGENT, 105 min) is due Tuesday. keep_first keeps the three planned cases and can
    eject none without a deadline for u: u misses. Moving q to Wednesday (p out) makes room:
    no miss (first fit's schedule: no miss either, kept 1)."""
    sc = _scenario(
        (
            _case("q", 105, TUE, 480, WED),
            _case("r", 105, TUE, 615, TUE),
            _case("p", 210, WED, 480, None),
            _case("u", 105, None, None, TUE),
        ),
        (TUE, WED),
    )
    cand = build_candidates(sc)
    kept_first = keep_first(cand)
    assert misses_by_class(cand, kept_first) == (1, 0)  # u (URGENT), none ELECTIVE
    placed = in_time(cand, kept_first)
    after = _checked(sc, cand, placed)
    assert after["deadline_misses"] == 0
    assert placed[3] is not None and placed[3].day == 1  # u on Tuesday
    assert placed[0] is not None and placed[0].day == 2  # q on Wednesday, by its deadline


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_valid_and_never_worse_on_the_first_levels(seed: int) -> None:
    """On generated hospitals (disrupted): both steps give checked schedules, never worse than
    where they started on the misses, then the shortfall, then the planned cases kept; their
    own tally of the shortfall and the kept cases is the levels'."""
    sc = generate(seed=seed, rooms=5, days=5, cases_per_day=22).disrupted
    cand = build_candidates(sc)
    levels = scoring_levels(cand)
    upto = next(k for k, lv in enumerate(levels) if lv.kind is LevelKind.KEPT) + 1

    def score(solution: Solution) -> list[int]:
        return [lv.value(solution) for lv in levels[:upto]]

    first, kept_first = first_fit(cand), keep_first(cand)
    for start, step in ((first, relocated(cand, first)), (kept_first, in_time(cand, kept_first))):
        _checked(sc, cand, step)
        assert score(step) <= score(start)
        short = next(lv for lv in levels if lv.kind is LevelKind.SHORTFALL)
        assert first_levels(cand, step)[1:] == (short.value(step), levels[upto - 1].value(step))
