"""The weighted delay proven beside its search (search/prove.py): the decomposition's master
bounds the whole problem, its dates sequenced prove the level, and the one-worker search
stops at its first schedule as good as that bound."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.check import check_schedule
from optimizer.generate import generate
from optimizer.result.result import make_result
from optimizer.scenario.params import SolverParams
from optimizer.search.delay import improve_delay
from optimizer.search.driver import _Run
from optimizer.search.outcome import Budget, Outcome
from optimizer.search.prove import IMPROVED, SEQUENCED, MasterProof, search_past_cap
from tests.search.test_delay import _at_delay


@pytest.fixture(scope="module")
def at_delay() -> tuple[_Run, int]:
    """8 rooms x 6 days (~260 cases, stays, one anaesthetist for two rooms, disrupted), every
    level before the weighted delay searched and fixed, the delay the model's objective."""
    scenario = generate(
        rooms=8, days=6, cases_per_day=40, seed=1, stays=True, anaesthetist_rooms=2
    ).disrupted
    run, k = _at_delay(scenario)
    run.built.model.minimize(run.built.levels[k].expr)
    return run, k


def _optimum(run: _Run, k: int) -> int:
    """The whole model's proven optimum of the delay (one worker, work 20)."""
    out = run.runner.whole(run.incumbent, Budget(None, 20.0, None))
    assert out.status == "OPTIMAL" and out.bound is not None
    return out.bound


def test_the_masters_dates_sequenced_prove_the_delay(at_delay: tuple[_Run, int]) -> None:
    """Here the master's optimum (a bound for the whole problem) is the whole model's optimum,
    and its dates sequenced reach it: a valid schedule, every earlier level as it was."""
    run, k = at_delay
    levels = run.built.levels
    master = MasterProof(run.runner, k, run.incumbent, None, 2.0)
    assert master.wait(60)
    assert master.bound == _optimum(run, k)
    assert master.found is not None
    assert levels[k].value(master.found) == master.bound
    assert [lv.value(master.found) for lv in levels[:k]] == [
        lv.value(run.incumbent) for lv in levels[:k]
    ]
    scenario = run.cand.scenario
    result = make_result(
        scenario, run.cand, master.found, [], wall_time=0.0, interrupted=False, settings={}
    )
    assert check_schedule(scenario, result.schedule) == []


def test_the_search_stops_at_the_masters_bound(at_delay: tuple[_Run, int]) -> None:
    """Given work enough to prove the level by itself, the one-worker search ends at once
    once the master has proven it: the level is the master's schedule, proven, and says how;
    the same twice."""
    run, k = at_delay
    level = run.built.levels[k]
    runner = dataclasses.replace(run.runner, proof_thread=True)
    outcomes = []
    for _ in range(2):
        master = MasterProof(runner, k, run.incumbent, None, 2.0)
        assert master.wait(60)
        out = search_past_cap(runner, run.incumbent, Budget(None, 0.05, None), 50.0, master)
        master.finish()
        assert out.work < 1.0  # stopped long before its 50
        outcomes.append(master.merged(level, run.incumbent, out))
    first, second = outcomes
    assert first.status == "OPTIMAL" and first.method == SEQUENCED
    assert first.found is not None and level.value(first.found) == first.bound
    assert first.found == second.found


def test_the_masters_schedule_is_taken_when_lower_though_not_proven(
    at_delay: tuple[_Run, int],
) -> None:
    """The master's best schedule (every earlier level as at the start) is where the dates'
    improvement goes on from, and the level's when lower than what the searches found, even
    when it proved nothing: given one date's work (too little to get there alone), the dates'
    steps end at or below it, and the merged outcome holds it, not the start."""
    run, k = at_delay
    levels = run.built.levels
    level = levels[k]
    master = MasterProof(run.runner, k, run.incumbent, None, 2.0)
    assert master.wait(60)
    assert master.better is not None
    master.found = None  # as if its dates had not reached its bound
    runner = dataclasses.replace(run.runner, master_proof=master)
    alone = improve_delay(run.runner, run.incumbent, level, k, Budget(None, 1e-6, None), 0.001)
    out = improve_delay(runner, run.incumbent, level, k, Budget(None, 1e-6, None), 0.001)
    assert out.found is not None
    assert level.value(out.found) <= level.value(master.better)
    assert alone.found is None or level.value(alone.found) > level.value(master.better)
    assert [lv.value(out.found) for lv in levels[:k]] == [
        lv.value(run.incumbent) for lv in levels[:k]
    ]
    merged = master.merged(level, run.incumbent, Outcome(None, "UNKNOWN", None, 0.0, 0.0))
    assert merged.found == master.better
    assert merged.status == "OPTIMAL" and merged.bound == level.value(master.better)


def test_the_masters_schedule_is_improved_date_by_date(at_delay: tuple[_Run, int]) -> None:
    """A schedule of the master's rounds goes through the dates' steps in its thread: from the
    start's schedule, the master's best is lower, every earlier level as it was, and says
    how it was found."""
    run, k = at_delay
    levels = run.built.levels
    master = MasterProof(run.runner, k, run.incumbent, None, 2.0)
    assert master.wait(60)
    master.better = None
    master._improve(run.incumbent)
    assert master.better is not None
    assert levels[k].value(master.better) < levels[k].value(run.incumbent)
    assert [lv.value(master.better) for lv in levels[:k]] == [
        lv.value(run.incumbent) for lv in levels[:k]
    ]
    assert master._how == IMPROVED


def test_a_longer_time_limit_gives_the_delays_proof_more_work() -> None:
    """Under a wall clock the delay's proof work grows with the limit (delay_proof_work_per_s),
    never below delay_proof_work; a work-limited run keeps it as given."""
    params = SolverParams(delay_proof_work=10, delay_proof_work_per_s=0.5)
    assert params.for_time_limit(None, 1_000).delay_proof_work == 10  # a work limit
    assert params.for_time_limit(10, 1_000).delay_proof_work == 10
    assert params.for_time_limit(60, 1_000).delay_proof_work == 30
    off = params.model_copy(update={"delay_proof_work_per_s": 0})
    assert off.for_time_limit(600, 1_000).delay_proof_work == 10
