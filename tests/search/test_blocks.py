"""The block search (search/blocks.py): the same schedule serially and on a real Dask
LocalCluster of two worker processes, every case in one block, and blocks solved at the same
time that never overbook a bed together."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer.check import check_schedule
from optimizer.facts.candidates import build_candidates
from optimizer.result.result import Result
from optimizer.scenario.schema import BEDS, Scenario
from optimizer.search.block_scenario import assign, block_scenario, date_blocks, hint_of
from optimizer.search.blocks import BlockTask, _frame, _members_moves, _with, solve_block
from optimizer.search.construct import first_fit
from optimizer.search.driver import search, search_solution
from optimizer.search.options import SolveOptions
from tests.support.clusters import running_scheduler
from tests.support.stays import hospital_with_stays


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """A small hospital whose ICU patients stay three days and every tenth patient two days
    on a ward of three beds: stays that cross the blocks' boundaries."""
    return hospital_with_stays(ward_beds=3)


def test_date_blocks_cut_every_date_once_and_shift() -> None:
    dates = [dt.date(2024, 4, 1) + dt.timedelta(days=k) for k in range(10)]
    first = date_blocks(dates, 4, 0)
    shifted = date_blocks(dates, 4, 2)
    assert [len(b) for b in first] == [4, 4, 2]
    assert [len(b) for b in shifted] == [2, 4, 4]
    for blocks in (first, shifted):
        assert [d for b in blocks for d in b] == dates


BLOCKS = dict(work_limit=0.3, workers=1, seed=1, block_days=5)


@pytest.fixture(scope="module")
def serial(scenario: Scenario) -> Result:
    result = search(scenario, SolveOptions(**BLOCKS, dask_workers=0))
    assert result.violations == ()
    assert result.summary["run"]["blocks"]["cluster"] == "serial, in this process"
    assert result.summary["run"]["blocks"]["blocks_solved"] == 5  # 2 blocks, then 3 shifted
    return result


def test_serial_and_local_cluster_give_the_same_schedule(
    scenario: Scenario, serial: Result
) -> None:
    """The default: a LocalCluster of two worker processes."""
    cluster = search(scenario, SolveOptions(**BLOCKS, dask_workers=2))
    assert cluster.violations == ()
    assert serial.schedule.to_csv(index=False) == cluster.schedule.to_csv(index=False)
    blocks = cluster.summary["run"]["blocks"]
    assert blocks["cluster"] == "local Dask cluster, 2 worker(s)"
    for key in ("rounds", "blocks_solved", "blocks_kept"):
        assert blocks[key] == serial.summary["run"]["blocks"][key]


def test_a_running_cluster_by_its_address_gives_the_same_schedule(
    scenario: Scenario, serial: Result
) -> None:
    with running_scheduler() as address:
        found = search(scenario, SolveOptions(**BLOCKS, scheduler=address))
    assert found.summary["run"]["blocks"]["cluster"] == f"Dask cluster at {address}, 1 worker(s)"
    assert serial.schedule.to_csv(index=False) == found.schedule.to_csv(index=False)


def test_blocks_solved_together_keep_every_rule(scenario: Scenario) -> None:
    """Each case a member of one block; each block searched apart from the first-fit
    schedule; all of their answers merged at once still pass the checker (the beds above
    all), whichever subset is merged."""
    params = scenario.policy.solver
    cand = build_candidates(scenario, max_options=params.max_built_options)
    start = first_fit(cand)
    blocks = date_blocks(cand.dates, 3, 0)
    parts = assign(cand, start, blocks)
    placed = [i for part in parts for i in part.members]
    assert len(placed) == len(set(placed))
    assert set(placed) | {i for i, p in enumerate(start) if p is None} == set(range(len(start)))
    assert any(part.guests for part in parts)  # cases operated away from their date's block
    moves = []
    options = SolveOptions(work_limit=0.5, workers=1, seed=2)
    for dates, part in zip(blocks, parts, strict=True):
        sub = block_scenario(cand, start, dates, part)
        assert {s.date for s in sub.sessions} <= set(dates)
        task = BlockTask(sub, hint_of(cand, start, dates, part), options)
        moves.append(_members_moves(cand, start, part, task, solve_block(task, search_solution)))
    assert check_schedule(scenario, _frame(cand, _with(cand, start, moves))) == []
    for k in range(len(moves)):
        assert check_schedule(scenario, _frame(cand, _with(cand, start, moves[k : k + 2]))) == []


def test_the_blocks_share_each_bed_without_overlap(scenario: Scenario) -> None:
    """Over the blocks of a round, a bed's capacities on a date add up to the scenario's:
    what one block may fill, no other block may."""
    cand = build_candidates(scenario, max_options=scenario.policy.solver.max_built_options)
    start = first_fit(cand)
    blocks = date_blocks(cand.dates, 3, 1)
    parts = assign(cand, start, blocks)
    subs = [block_scenario(cand, start, b, p) for b, p in zip(blocks, parts, strict=True)]
    beds = {(r.resource, r.date): r.capacity for r in scenario.resources if r.resource in BEDS}
    shares = {key: sum(s.capacity[key] for s in subs) for key in beds}
    assert shares == beds
    assert any(0 < s.capacity[key] < beds[key] for s in subs for key in beds)
