"""The windows with every option (search/neighbourhoods.py) and the exchanges of pull_in.py:
each answer merged into the schedule keeps every rule (beds across dates included), never
makes a level before the one searched worse, and a work-limited run gives the same schedule."""

from __future__ import annotations

import logging

import pytest

import optimizer
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.scenario.params import SolverParams
from optimizer.scenario.schema import Scenario
from optimizer.search.construct import first_fit, keep_first
from optimizer.search.neighbourhoods import improve_start, scoring_levels, window_candidates
from optimizer.search.occupancy import Occupancy
from optimizer.search.pull_in import pulled_in
from optimizer.search.stop import StopFlag
from tests.support.stays import hospital_with_stays, violations


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """A small hospital with stays across dates, on a ward of one bed (a window that forgot
    the stays reaching its dates would overbook it)."""
    return hospital_with_stays(ward_beds=1)


@pytest.fixture(scope="module")
def cand(scenario: Scenario) -> Candidates:
    return build_candidates(scenario)


def test_a_window_frees_its_cases_and_fixes_the_others(cand: Candidates) -> None:
    start = keep_first(cand)
    dates = range(2, 3)
    window = window_candidates(cand, start, dates, frozenset({0, 1}))
    members = set(window.members)
    for i, p in enumerate(start):
        options = window.cand.room_options[i]
        if p is not None and p.day in dates:
            assert i in members  # every case operated on the window's date is in its model
            if p.here and p.room not in (0, 1):  # another room: fixed where it is
                assert window.cand.pinned[i] and len(options) == 1
                assert options[0].starts == ((p.start, p.start),)
        kept_elsewhere = p is not None and p.here and p.day == cand.planned_day[i] != 2
        if kept_elsewhere and not window.cand.pinned[i]:
            assert not options  # a case kept on another date never moves
        if i not in members:
            assert not options and not window.cand.transfer_options[i]
        for o in options:
            assert o.day in dates or (p is not None and o.day == p.day)


def test_the_improved_start_keeps_every_rule_and_no_level_gets_worse(
    scenario: Scenario, cand: Candidates
) -> None:
    starts = [first_fit(cand), keep_first(cand)]
    params = SolverParams(neighbourhood_rooms=2)
    better, done = improve_start(
        cand, starts, params, seed=0, workers=1, stop=StopFlag(), seconds=None, work=3.0
    )
    levels = scoring_levels(cand)
    scores = [[lv.value(s) for lv in levels] for s in (*starts, better)]
    assert done["windows"] > 0 and done["improved"] > 0
    assert scores[-1] <= min(scores[:-1])
    assert violations(scenario, cand, better) == []
    again, _ = improve_start(
        cand, starts, params, seed=0, workers=1, stop=StopFlag(), seconds=None, work=3.0
    )
    assert again == better  # one worker and a work limit: the same schedule


def test_pull_in_lowers_the_delay_and_keeps_the_levels_before_it(
    scenario: Scenario, cand: Candidates
) -> None:
    start = keep_first(cand)
    pulled = pulled_in(cand, start)
    levels = scoring_levels(cand)
    delay = next(k for k, lv in enumerate(levels) if lv.kind.name == "DELAY")
    before = [lv.value(start) for lv in levels]
    after = [lv.value(pulled) for lv in levels]
    assert after[:delay] <= before[:delay] and after[: delay + 1] <= before[: delay + 1]
    assert violations(scenario, cand, pulled) == []
    for i, p in enumerate(start):  # no kept or held case moved, no deadline met then missed
        kept = p is not None and p.here and p.day == cand.planned_day[i]
        if kept or cand.pinned[i]:
            assert pulled[i] == p
        dl, q = cand.deadline_day[i], pulled[i]
        if dl is not None and p is not None and p.day <= dl:
            assert q is not None and q.day <= dl


def test_pull_in_brings_a_case_operated_late_back_to_an_earlier_gap(
    scenario: Scenario, cand: Candidates
) -> None:
    """A case of first fit's schedule moved by hand to a later date, where it also fits: its
    first place is free again, so the exchanges bring it back at least that early (before,
    only cases left out or sent to a partner were brought in: it stayed late)."""
    start = first_fit(cand)
    occ = Occupancy(cand)
    for i, p in enumerate(start):
        if p is not None:
            occ.take(i, p)
    moved = None
    for i, p in enumerate(start):
        if p is None or not p.here or cand.pinned[i] or cand.deadline_day[i] is not None:
            continue
        if cand.announced[i] is not None or p.day == cand.planned_day[i]:
            continue
        occ.release(i, p)
        late = next((o for o in cand.room_options[i] if o.day > p.day
                     and occ.earliest(o) is not None), None)  # fmt: skip
        if late is not None:
            moved = i, p, occ.place(late, occ.earliest(late) or 0)
            break
        occ.take(i, p)
    assert moved is not None, "the scenario has a case that could be operated later"
    i, first, later = moved
    delayed = list(start)
    delayed[i] = later
    assert violations(scenario, cand, delayed) == []
    pulled = pulled_in(cand, delayed)
    assert violations(scenario, cand, pulled) == []
    assert pulled[i] is not None and pulled[i].day <= first.day < later.day
    levels = scoring_levels(cand)
    assert [lv.value(pulled) for lv in levels] < [lv.value(delayed) for lv in levels]


def test_a_run_whose_options_are_cut_improves_its_start_by_windows(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    """max_options below the scenario's options: the start is improved window by window;
    the run is valid and, with one worker and a work limit, the same twice."""
    caplog.set_level(logging.INFO, logger="optimizer.solve")
    runs = [
        optimizer.solve(scenario, workers=1, work_limit=2, seed=0, max_options=150)
        for _ in range(2)
    ]
    assert any("windows with every option" in r.getMessage() for r in caplog.records)
    windows = runs[0].summary["run"]["start_windows"]
    assert windows["windows"] > 0
    if windows["improved"]:  # the schedule is no longer first fit's: never UNKNOWN
        assert all(lv.status != "UNKNOWN" for lv in runs[0].levels)
    assert runs[0].violations == ()
    assert runs[0].schedule.equals(runs[1].schedule)
