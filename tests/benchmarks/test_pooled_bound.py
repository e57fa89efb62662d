"""The pooled horizon bound (sessions alike pooled, :mod:`benchmarks.families`): a relaxation.

Never tighter than the exact program where that one is proven, never beaten
by a valid schedule (first fit, the solver with a small work limit), and equal
to the exact one where pooling gives nothing away.
"""

from __future__ import annotations

import datetime as dt

import pytest

import benchmarks.horizon as horizon
from benchmarks.families import family_fits, session_families
from benchmarks.horizon import horizon_bounds
from benchmarks.relax import _facts
from optimizer import solve
from optimizer.check import check_schedule, evaluate
from optimizer.facts.candidates import build_candidates
from optimizer.generate import generate
from optimizer.result.result import make_result
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session, UrgencyClass
from optimizer.search.construct import first_fit

DAY = dt.date(2024, 4, 15)


def _scenario(seed: int) -> Scenario:
    return generate(rooms=4, days=3, cases_per_day=16, seed=seed).disrupted


@pytest.mark.parametrize("seed", [0, 2, 4])
def test_pooled_is_never_tighter_than_exact_nor_beaten_by_a_schedule(seed: int) -> None:
    sc = _scenario(seed)
    cand = build_candidates(sc)
    baseline = make_result(
        sc, cand, first_fit(cand), [], wall_time=0, interrupted=False, settings={}
    )
    solved = solve(sc, work_limit=2, workers=1, seed=0)
    for result in (baseline, solved):
        assert check_schedule(sc, result.schedule) == []
        score = evaluate(sc, result.schedule)
        misses = score["misses_by_class"]
        pooled = horizon_bounds(sc, misses, time_limit=4, pooled=True)
        exact = horizon_bounds(sc, misses, time_limit=4, pooled=False)
        assert "pooled" in pooled.method and "pooled" not in exact.method
        # the schedule is one that misses no more than itself: neither bound beats it
        assert pooled.kept >= score["kept"] and pooled.shortfall <= score["shortfall"]
        assert exact.kept >= score["kept"] and exact.shortfall <= score["shortfall"]
        if exact.proven:
            assert pooled.kept >= exact.kept
            assert pooled.shortfall <= exact.shortfall


def _two_sessions(
    afternoon_start: int, extra: tuple[Case, ...] = (), start: dt.date = DAY
) -> Scenario:
    """Rooms OR1 and OR2 alike (general), 08:00-12:00 and ``afternoon_start``-18:00; turnover 0.

    Three cases of 150 min planned that date, each with its own surgeon: two fit
    in neither session together, so at most two go ahead whatever the pooling.
    """
    cases = tuple(
        Case(
            case_id=f"c{i}",
            specialty="general",
            surgeon_id=f"S{i}",
            duration_min=150,
            urgency="ELECTIVE",
            planned_date=DAY,
        )
        for i in range(3)
    )
    return Scenario(
        cases=cases + extra,
        rooms=tuple(Room(room_id=r, specialties=frozenset({"general"})) for r in ("OR1", "OR2")),
        sessions=(
            Session(date=DAY, room_id="OR1", start=480, end=720),
            Session(date=DAY, room_id="OR2", start=afternoon_start, end=1080),
        ),
        policy=Policy(
            start_date=start,
            end_date=DAY,
            turnover_min=0,
            target_ratio=1.0,
            urgency={
                "ELECTIVE": UrgencyClass(name="ELECTIVE", weight=1.0),
                "URGENT": UrgencyClass(name="URGENT", weight=3.0, max_delay_days=1),
            },
        ),
    )


def test_families_pool_sessions_alike_whatever_their_hours() -> None:
    sc = _two_sessions(afternoon_start=840)
    facts = _facts(sc)
    pooled = session_families(facts, pooled=True)[DAY]
    exact = session_families(facts, pooled=False)[DAY]
    assert len(pooled) == 1 and len(exact) == 2
    (family,) = pooled
    assert family.capacity == 240 + 240 and family.spans == ((480, 720), (840, 1080))
    assert all(family_fits(facts, c, DAY, family) for c in sc.cases)


def test_pooling_gives_away_only_the_split_between_sessions() -> None:
    """240 + 240 pooled minutes hold three 150-min cases as far as minutes go, each
    session alone one: the per-date MIP (each session alone) caps the date at two, the
    horizon bounds keep that cap, so both read 2 here."""
    sc = _two_sessions(afternoon_start=840)
    assert horizon_bounds(sc, [0, 0], time_limit=5, pooled=False).kept == 2
    assert horizon_bounds(sc, [0, 0], time_limit=5, pooled=True).kept == 2


def test_large_programs_are_pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above EXACT_COLUMNS (estimated from the pooled program) the pooled one is solved."""
    sc = _scenario(0)
    misses = [0] * len(sc.policy.urgency)
    assert "pooled" not in horizon_bounds(sc, misses, time_limit=5).method
    monkeypatch.setattr(horizon, "EXACT_COLUMNS", 0)
    assert "pooled" in horizon_bounds(sc, misses, time_limit=5).method


def test_a_class_that_cannot_meet_its_misses_needs_no_solve() -> None:
    """A case released after its deadline can never be in time: asking for no miss
    in its class is hopeless, and the member is skipped (here it is the only one)."""
    late = Case(
        case_id="late",
        specialty="general",
        surgeon_id="SL",
        duration_min=30,
        urgency="URGENT",
        release_date=DAY,
        due_date=DAY - dt.timedelta(days=1),
    )
    sc = _two_sessions(840, extra=(late,), start=DAY - dt.timedelta(days=1))
    with pytest.raises(RuntimeError, match="infeasible"):
        horizon_bounds(sc, [0, 0], time_limit=5, pooled=True)
    assert horizon_bounds(sc, [1, 0], time_limit=5, pooled=True).kept == 2
