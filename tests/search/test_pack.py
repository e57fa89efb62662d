"""The dates packed whole (search/pack.py): a date packed badly gains its lost planned case,
every answer keeps every rule (beds across dates included) and never makes an earlier
level worse, and a run whose options are cut packs its start the same way twice."""

from __future__ import annotations

import optimizer
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.solution import Placement, Solution
from optimizer.scenario.params import SolverParams
from optimizer.scenario.schema import Room, Scenario
from optimizer.search.construct import first_fit, keep_first
from optimizer.search.neighbourhoods import scoring_levels
from optimizer.search.pack import lossy_dates, pack_start
from optimizer.search.stop import StopFlag
from tests.support import checker_fixtures as fx
from tests.support.stays import hospital_with_stays, violations


def _packed(cand: Candidates, start: Solution, work: float = 2.0) -> Solution:
    packed, done = pack_start(cand, [start], SolverParams(), seed=0, workers=1,
                              stop=StopFlag(), seconds=None, work=work)  # fmt: skip
    assert done["dates"] > 0
    return packed


def badly_packed() -> tuple[Scenario, Candidates, Solution]:
    """Two rooms of 4 hours on D0, no turnover; planned there: a, b (150 min), c, d (90 min),
    each with their own surgeon. Packed well (R1: a, c; R2: b, d) the date keeps all four;
    here R1 holds c and d (60 min left) and R2 holds a (90 min left), so b fits in neither
    gap and waits for D1: kept 3 of 4, and no single case's move brings b back."""
    rooms = (Room(room_id="R1"), Room(room_id="R2"))
    sessions = (
        fx.session("R1", fx.D0, "08:00", "12:00"),
        fx.session("R2", fx.D0, "08:00", "12:00"),
        fx.session("R1", fx.D1, "08:00", "16:00"),
    )
    cases = [
        fx.case(name, planned_date=fx.D0, duration_min=minutes)
        for name, minutes in (("a", 150), ("b", 150), ("c", 90), ("d", 90))
    ]
    scenario = fx.scenario(cases, rooms=rooms, sessions=sessions, windows=(), partners=(),
                           turnover_min=0)  # fmt: skip
    cand = build_candidates(scenario)
    r1, r2 = cand.rooms.index("R1"), cand.rooms.index("R2")
    start: Solution = [
        Placement(day=0, room=r2, start=fx.hm("08:00")),  # a
        Placement(day=1, room=r1, start=fx.hm("08:00")),  # b, postponed
        Placement(day=0, room=r1, start=fx.hm("08:00")),  # c
        Placement(day=0, room=r1, start=fx.hm("09:30")),  # d
    ]
    assert violations(scenario, cand, start) == []
    return scenario, cand, start


def test_a_date_packed_badly_keeps_its_lost_planned_case() -> None:
    scenario, cand, start = badly_packed()
    levels = scoring_levels(cand)
    kept = next(k for k, lv in enumerate(levels) if lv.kind.kept)
    assert lossy_dates(cand, start) == [0]
    packed = _packed(cand, start)
    assert levels[kept].value(start) == -3
    assert levels[kept].value(packed) == -4  # every planned case of D0 kept
    assert [lv.value(packed) for lv in levels[:kept]] <= [lv.value(start) for lv in levels[:kept]]
    assert violations(scenario, cand, packed) == []


def test_packing_keeps_every_rule_and_no_level_up_to_the_kept_gets_worse() -> None:
    """On a hospital whose ward of one bed the stays across dates fill, from both starts."""
    scenario = hospital_with_stays(ward_beds=1)
    cand = build_candidates(scenario)
    levels = scoring_levels(cand)
    kept = next(k for k, lv in enumerate(levels) if lv.kind.kept)
    for start in (first_fit(cand, keep_in_place=True), keep_first(cand)):
        packed = _packed(cand, start)
        before = [lv.value(start) for lv in levels[: kept + 1]]
        assert [lv.value(packed) for lv in levels[: kept + 1]] <= before
        assert violations(scenario, cand, packed) == []


def test_a_run_whose_options_are_cut_packs_its_dates_the_same_twice() -> None:
    """max_options below the scenario's options and ``pack_share`` set: the start's dates are
    packed whole before the windows; the run is valid and, with one worker and a work limit,
    the same twice."""
    scenario = hospital_with_stays(ward_beds=1)
    runs = [
        optimizer.solve(
            scenario, workers=1, work_limit=4, seed=0, max_options=150, params={"pack_share": 0.5}
        )  # fmt: skip
        for _ in range(2)
    ]
    windows = runs[0].summary["run"]["start_windows"]
    assert windows["dates"] > 0
    assert runs[0].violations == ()
    assert runs[0].schedule.equals(runs[1].schedule)
