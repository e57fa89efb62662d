"""The keep-first constructive schedule: valid, keeps more, meets deadlines by ejection."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer.check import check_schedule, evaluate
from optimizer.facts.candidates import build_candidates
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.result.result import make_result
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session, UrgencyClass
from optimizer.search.construct import first_fit, keep_first

MON = dt.date(2024, 4, 15)
TUE = MON + dt.timedelta(days=1)


def score(sc: Scenario, solution: Solution) -> tuple[list[str], dict[str, object]]:
    cand = build_candidates(sc)
    result = make_result(sc, cand, solution, [], wall_time=0.0, interrupted=False, settings={})
    return [str(v) for v in check_schedule(sc, result.schedule)], evaluate(sc, result.schedule)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_valid_and_no_fewer_kept_than_first_fit(seed: int) -> None:
    sc = generate(seed=seed, rooms=5, days=5, cases_per_day=22).disrupted
    cand = build_candidates(sc)
    violations, ours = score(sc, keep_first(cand))
    assert violations == []
    _, theirs = score(sc, first_fit(cand))
    assert (ours["deadline_misses"], -ours["kept"]) <= (theirs["deadline_misses"], -theirs["kept"])


def _case(cid: str, urgency: str, minutes: int, planned: dt.date | None, start: int | None) -> Case:
    return Case(
        case_id=cid,
        specialty="general",
        surgeon_id=f"S{cid}",
        duration_min=minutes,
        urgency=urgency,
        planned_date=planned,
        planned_room="OR1" if planned else None,
        planned_start=start,
    )


def crowded() -> Scenario:
    """Tuesday OR1 08:00-12:00 (turnover 30) holds p1 and p2 (105 min each) as planned;
    u (URGENT, waiting list, 105 min) is due Tuesday and Monday is closed: u can only
    go in by taking a planned case's place."""
    classes = {
        "URGENT": UrgencyClass(name="URGENT", max_delay_days=1, weight=3.0),
        "ELECTIVE": UrgencyClass(name="ELECTIVE", weight=1.0),
    }
    return Scenario(
        cases=(
            _case("p1", "ELECTIVE", 105, TUE, 480),
            _case("p2", "ELECTIVE", 105, TUE, 615),
            _case("u", "URGENT", 105, None, None),
        ),
        rooms=(Room(room_id="OR1", specialties=frozenset({"general"})),),
        sessions=(Session(date=TUE, room_id="OR1", start=480, end=720),),
        policy=Policy(start_date=MON, end_date=TUE, turnover_min=30, urgency=classes),
    )


def test_ejects_a_planned_case_to_meet_a_deadline() -> None:
    sc = crowded()
    cand = build_candidates(sc)
    violations, ejecting = score(sc, keep_first(cand))
    assert violations == []
    assert (ejecting["deadline_misses"], ejecting["kept"]) == (0, 1)
    _, keeping = score(sc, keep_first(cand, eject=False))
    assert (keeping["deadline_misses"], keeping["kept"]) == (1, 2)


def test_ejects_two_cases_of_a_room_when_one_is_not_enough() -> None:
    """Tuesday OR1 08:00-13:00 (turnover 30) holds p1, p2, p3 (60 min each) as planned;
    u (URGENT, 150 min) is due Tuesday: no single planned case out lets it in (60 + 30
    minutes freed, 180 needed), two do; the third stays kept."""
    classes = {
        "URGENT": UrgencyClass(name="URGENT", max_delay_days=1, weight=3.0),
        "ELECTIVE": UrgencyClass(name="ELECTIVE", weight=1.0),
    }
    sc = Scenario(
        cases=(
            _case("p1", "ELECTIVE", 60, TUE, 480),
            _case("p2", "ELECTIVE", 60, TUE, 570),
            _case("p3", "ELECTIVE", 60, TUE, 660),
            _case("u", "URGENT", 150, None, None),
        ),
        rooms=(Room(room_id="OR1", specialties=frozenset({"general"})),),
        sessions=(Session(date=TUE, room_id="OR1", start=480, end=780),),
        policy=Policy(start_date=MON, end_date=TUE, turnover_min=30, urgency=classes),
    )
    cand = build_candidates(sc)
    violations, ejecting = score(sc, keep_first(cand))
    assert violations == []
    assert (ejecting["deadline_misses"], ejecting["kept"]) == (0, 1)
    _, keeping = score(sc, keep_first(cand, eject=False))
    assert (keeping["deadline_misses"], keeping["kept"]) == (1, 3)
