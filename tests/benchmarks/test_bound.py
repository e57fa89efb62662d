"""The independent HiGHS bounds: exact on hand-worked instances, never beaten by a schedule."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.bounds import kept_upper_bound, weighted_delay_lower_bound
from optimizer import solve
from optimizer.check import check_schedule, evaluate
from optimizer.facts.candidates import build_candidates
from optimizer.generate import generate
from optimizer.result.result import make_result
from optimizer.scenario.schema import (
    Case,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
    UrgencyClass,
)
from optimizer.search.construct import first_fit

DAY = dt.date(2024, 4, 15)


def one_day(*, icu_beds: int | None = None, icu: bool = False) -> Scenario:
    """One date; room OR1 (orthopaedics) open 08:00-12:00, OR2 (ent) 08:00-10:00; turnover 30.

    Planned that date, each with its own surgeon, class ELECTIVE (weight 1, no
    deadline): c1, c2 orthopaedics 100 min, c3 orthopaedics 60 min, c4 ent 150 min,
    c5 ent 60 min. With ``icu``, c1..c3 need an ICU bed.
    """
    durations = {"c1": 100, "c2": 100, "c3": 60, "c4": 150, "c5": 60}
    cases = tuple(
        Case(
            case_id=cid,
            specialty="ent" if cid in ("c4", "c5") else "orthopaedics",
            surgeon_id=f"S{cid}",
            duration_min=dur,
            urgency="ELECTIVE",
            planned_date=DAY,
            needs_icu=icu and cid in ("c1", "c2", "c3"),
        )
        for cid, dur in durations.items()
    )
    resources = (
        (ResourceCapacity(date=DAY, resource="icu_bed", capacity=icu_beds),)
        if icu_beds is not None
        else ()
    )
    return Scenario(
        cases=cases,
        rooms=(
            Room(room_id="OR1", specialties=frozenset({"orthopaedics"})),
            Room(room_id="OR2", specialties=frozenset({"ent"})),
        ),
        sessions=(
            Session(date=DAY, room_id="OR1", start=480, end=720),
            Session(date=DAY, room_id="OR2", start=480, end=600),
        ),
        resources=resources,
        policy=Policy(
            start_date=DAY,
            end_date=DAY,
            turnover_min=30,
            target_ratio=0.9,
            urgency={"ELECTIVE": UrgencyClass(name="ELECTIVE", weight=1.0)},
        ),
    )


def test_kept_bound_equals_the_hand_worked_optimum() -> None:
    """OR1 holds cases whose minutes plus 30 each fit in 240 + 30 = 270: 130, 130, 90
    -> two of c1..c3 (any three need 350). c4 (150 min) fits in no session; c5 fits OR2.
    At most 2 + 1 = 3 kept; the target needs ceil(0.9 x 5) = 5, so 2 short at least.
    """
    kb = kept_upper_bound(one_day())
    assert (kb.bound, kb.planned, kb.shortfall_lower, kb.proven) == (3, 5, 2, True)
    assert kb.per_date == {DAY: 3}


def test_icu_beds_cap_the_kept_bound() -> None:
    """With c1..c3 needing an ICU bed and one bed that date, one of them and c5: 2 kept."""
    assert kept_upper_bound(one_day(icu_beds=1, icu=True)).bound == 2
    assert kept_upper_bound(one_day(icu_beds=None, icu=True)).bound == 3


def test_overtime_counts_in_the_kept_bound() -> None:
    """With 80 minutes of overtime OR1 runs to 13:20: c3, c1, c2 with two turnovers take
    60 + 30 + 100 + 30 + 100 = 320 minutes from 08:00, so three of them and c5: 4 kept,
    which the solver reaches and the bound must allow (it said 3 when it ignored overtime)."""
    sc = one_day()
    sc = sc.model_copy(update={"policy": sc.policy.model_copy(update={"overtime_max_min": 80})})
    result = solve(sc, workers=1, work_limit=5)
    assert check_schedule(sc, result.schedule) == []
    assert evaluate(sc, result.schedule)["kept"] == 4
    assert kept_upper_bound(sc).bound == 4


def test_delay_bound_equals_the_hand_worked_optimum() -> None:
    """A one-date horizon: an unoperated case costs weight x 1 day. One of c1..c3 and
    c4 cannot be operated (see above): at least 2 x 1 = 2; the MIP proves it.
    """
    db = weighted_delay_lower_bound(one_day())
    assert db.bound == pytest.approx(2.0, abs=1e-4)
    assert db.method == "MIP optimal"


def test_delay_lp_bound_is_weaker_but_valid() -> None:
    """The LP alone packs fractions of cases: between 1 (c4 alone) and the optimum 2."""
    db = weighted_delay_lower_bound(one_day(), integer=False)
    assert db.method == "LP"
    assert db.bound is not None and 1.0 <= db.bound <= 2.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_schedule_beats_the_bounds(seed: int) -> None:
    """On small disrupted generated scenarios, the solver's schedule and the first-fit
    baseline (both checked valid) keep at most the bound's cases, miss the target by
    at least its shortfall, and have at least its weighted delay.
    """
    sc = generate(rooms=3, days=3, cases_per_day=12, seed=seed).disrupted
    kb = kept_upper_bound(sc, time_limit=5)
    db = weighted_delay_lower_bound(sc, time_limit=5)
    assert db.bound is not None

    cand = build_candidates(sc)
    baseline = make_result(
        sc, cand, first_fit(cand), [], wall_time=0, interrupted=False, settings={}
    )
    solved = solve(sc, time_limit=3, workers=1, seed=0)
    for result in (baseline, solved):
        assert check_schedule(sc, result.schedule) == []
        score = evaluate(sc, result.schedule)
        assert score["kept"] <= kb.bound
        assert score["shortfall"] >= kb.shortfall_lower
        assert score["weighted_delay"] >= db.bound - 1e-6


@pytest.mark.parametrize("seed", [0, 1])
def test_delay_window_is_a_relaxation(seed: int) -> None:
    """Later dates merged into one capacity-free column at the first later date's cost:
    the LP is never above the full one, nor above a valid schedule's delay."""
    sc = generate(rooms=3, days=4, cases_per_day=14, seed=seed).disrupted
    full = weighted_delay_lower_bound(sc, time_limit=5, integer=False)
    narrow = weighted_delay_lower_bound(sc, time_limit=5, integer=False, window=1)
    assert full.bound is not None and narrow.bound is not None
    assert narrow.method == "LP (window 1)" and full.method == "LP"
    assert narrow.bound <= full.bound + 1e-6
    cand = build_candidates(sc)
    baseline = make_result(
        sc, cand, first_fit(cand), [], wall_time=0, interrupted=False, settings={}
    )
    assert evaluate(sc, baseline.schedule)["weighted_delay"] >= full.bound - 1e-6
