"""Statuses that say only what was shown (issue 14).

- a model whose options were cut by the option budget never reports a searched
  level OPTIMAL, and the summary says what the cut was;
- the repair between levels never changes a level already fixed;
- a work-limited run gives the same schedule whether the clock would have bound or not;
- the deadline level reports misses per class, not the weights that encode them.
"""

from __future__ import annotations

import datetime as dt

import pytest

import optimizer
from optimizer.facts.candidates import build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.model.objective import Level
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session, UrgencyClass
from optimizer.search import driver, start
from optimizer.search.repair import repaired


@pytest.fixture(scope="module")
def small() -> Scenario:
    return generate(rooms=5, days=5, cases_per_day=15, seed=1).disrupted


def test_an_option_budget_never_claims_optimal(small: Scenario) -> None:
    full = optimizer.solve(small, workers=1, work_limit=2, seed=0)
    assert full.settings["options_restricted"] is None
    assert any(lv.searched and lv.status == "OPTIMAL" for lv in full.levels)  # it can prove

    cut = optimizer.solve(small, workers=1, work_limit=2, seed=0, max_options=150)
    note = cut.settings["options_restricted"]
    assert note is not None and "options cut to" in note and "first" in note
    assert cut.summary["run"]["options_restricted"] == note
    searched = [lv for lv in cut.levels if lv.searched]
    assert searched  # the restricted model was searched...
    for lv in searched:  # ...and proves nothing about the full problem
        assert lv.status != "OPTIMAL" and lv.best_bound is None, lv
    assert cut.status != "OPTIMAL"
    assert cut.check() == []


def _levels(values: dict[str, list[int]], found: Solution) -> list[Level]:
    """Fake levels scoring ``found`` and any other schedule from ``values``: index 0, 1."""
    return [
        Level(
            LevelKind.DELAY,
            name,
            0,
            lambda sol, v=v: v[0] if sol is found else v[1],  # type: ignore[misc]
            0,
        )
        for name, v in values.items()
    ]


def test_the_repair_never_changes_a_fixed_level(small: Scenario) -> None:
    """Level 1 is fixed (k = 2): a repair better on level 0 but worse on level 1 is refused,
    though it is lexicographically better over levels 0..2; one equal on 0..1 and better
    after is taken."""
    cand = build_candidates(small)
    found: Solution = optimizer.search.construct.first_fit(cand)
    worse_on_fixed = _levels({"a": [5, 4], "b": [0, 3], "c": [9, 0]}, found)
    assert repaired(cand, worse_on_fixed, found, 2) is found
    better_after = _levels({"a": [5, 5], "b": [0, 0], "c": [9, 1]}, found)
    assert repaired(cand, better_after, found, 2) is not found
    worse_on_level_k = _levels({"a": [5, 5], "b": [0, 0], "c": [1, 2], "d": [9, 0]}, found)
    assert repaired(cand, worse_on_level_k, found, 2) is found


def test_a_work_limited_run_ignores_a_binding_clock(small: Scenario) -> None:
    """0.1 s would cut the search short (the unlimited run takes longer); with a work
    limit the clock is not applied, so both give the same schedule."""
    slow = optimizer.solve(small, workers=1, work_limit=1.0, seed=0, time_limit=600)
    assert slow.wall_time_s > 0.1
    fast = optimizer.solve(small, workers=1, work_limit=1.0, seed=0, time_limit=0.1)
    assert fast.settings["wall_clock"].startswith("not applied")
    assert fast.schedule.to_csv() == slow.schedule.to_csv()
    assert [lv.value for lv in fast.levels] == [lv.value for lv in slow.levels]


def test_deadline_misses_are_counts_per_class() -> None:
    """u (URGENT, due Tuesday) cannot be operated: only Wednesday is open. e (EMERGENCY,
    planned Wednesday) is. One miss, of class URGENT, not a weight."""
    mon = dt.date(2024, 4, 15)
    wed = mon + dt.timedelta(days=2)
    classes = {
        "EMERGENCY": UrgencyClass(name="EMERGENCY", max_delay_days=0, weight=10.0),
        "URGENT": UrgencyClass(name="URGENT", max_delay_days=1, weight=3.0),
    }
    sc = Scenario(
        cases=(
            Case(case_id="e", specialty="g", surgeon_id="S1", duration_min=60,
                 urgency="EMERGENCY", planned_date=wed),
            Case(case_id="u", specialty="g", surgeon_id="S2", duration_min=60,
                 urgency="URGENT"),
        ),
        rooms=(Room(room_id="OR1"),),
        sessions=(Session(date=wed, room_id="OR1", start=480, end=720),),
        policy=Policy(start_date=mon, end_date=wed, urgency=classes),
    )  # fmt: skip
    result = optimizer.solve(sc, workers=1, work_limit=1, seed=0)
    level = result.levels[0]
    assert level.name.startswith("deadline misses")
    assert level.value == 1
    assert level.by_class == {"EMERGENCY": 0, "URGENT": 1}
    entry = result.summary["solver"]["levels"][0]
    assert entry["value"] == 1 and entry["misses_by_class"] == {"EMERGENCY": 0, "URGENT": 1}
    assert result.check() == []


@pytest.mark.parametrize("starts", [True, False])
def test_a_level_not_searched_is_feasible_once_the_start_beats_first_fit(
    monkeypatch: pytest.MonkeyPatch, starts: bool
) -> None:
    """A level the run had no budget for is FEASIBLE when the best starting schedule beats
    first fit (the steps of search/start.py, as on a region given 60 s), UNKNOWN when the
    schedule is first fit's: the status says whether the schedule is still first fit's."""
    scenario = generate(rooms=8, days=6, cases_per_day=30, seed=4).disrupted
    monkeypatch.setattr(driver._Run, "_out_of_budget", lambda self, k: True)
    if not starts:
        monkeypatch.setattr(start, "_moved_starts", lambda *args: [])
    result = optimizer.solve(scenario, workers=1, work_limit=1, seed=0)
    levels = [lv for lv in result.levels if lv.status != "OPTIMAL"]
    assert levels and not any(lv.searched for lv in result.levels)
    assert {lv.status for lv in levels} == ({"FEASIBLE"} if starts else {"UNKNOWN"})


def test_no_case_kept_is_zero_not_minus_zero() -> None:
    """The kept level is a negated count: none kept reports 0.0, never -0.0 (summary.json)."""
    from optimizer.search.outcome import level_report

    kept = Level(LevelKind.KEPT, "planned cases kept", 0, lambda s: 0, 0, unit=-1.0)
    report = level_report(kept, 0, 0, "OPTIMAL", 0.0, searched=True)
    assert str(report.to_dict()["value"]) == "0.0" and str(report.best_bound) == "0.0"
