"""The start's windows in rounds (search/parallel_windows.py): the same schedule in this
process, on a real Dask LocalCluster and on a running cluster by its address; the windows of
a round on distinct dates, each case free in one of them at most; a task carrying only its
window's cases; every schedule passing the checker, beds across dates included."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from optimizer.check import check_schedule
from optimizer.cli import cli
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.model.build import build_model
from optimizer.result.result import Result, make_result
from optimizer.scenario import write_scenario
from optimizer.scenario.params import SolverParams
from optimizer.scenario.schema import Scenario
from optimizer.search.construct import first_fit
from optimizer.search.driver import search
from optimizer.search.neighbourhoods import _order, _Search, scoring_levels
from optimizer.search.options import SolveOptions
from optimizer.search.parallel_windows import Rounds, solve_window
from optimizer.search.stop import StopFlag
from optimizer.search.window_index import Placed
from tests.support.clusters import running_scheduler
from tests.support.stays import hospital_with_stays

# max_options=1: the model cannot hold the options, so the start is improved by windows
ROUNDS = dict(work_limit=2, workers=1, seed=1, max_options=1)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """Stays across dates on a ward of one bed: two windows of a round that each took a
    ward patient in on neighbouring dates would overbook it."""
    return hospital_with_stays(ward_beds=1)


@pytest.fixture(scope="module")
def serial(scenario: Scenario) -> Result:
    result = search(scenario, SolveOptions(**ROUNDS, dask_workers=0))
    assert result.violations == ()
    windows = result.summary["run"]["start_windows"]
    assert windows["cluster"] == "serial, in this process"
    assert windows["rounds"] > 1 and windows["windows"] > windows["rounds"]
    return result


def test_this_process_and_a_local_cluster_give_the_same_schedule(
    scenario: Scenario, serial: Result
) -> None:
    """Two worker processes of a LocalCluster: the same rounds, answers and bytes."""
    cluster = search(scenario, SolveOptions(**ROUNDS, dask_workers=2))
    assert cluster.violations == ()
    assert check_schedule(scenario, cluster.schedule) == []
    assert serial.schedule.to_csv(index=False) == cluster.schedule.to_csv(index=False)
    windows = cluster.summary["run"]["start_windows"]
    assert windows["cluster"] == "local Dask cluster, 2 worker(s)"
    for key in ("windows", "improved", "rounds", "refused_beds"):
        assert windows[key] == serial.summary["run"]["start_windows"][key]


def test_a_running_cluster_by_its_address_gives_the_same_schedule(
    scenario: Scenario, serial: Result
) -> None:
    with running_scheduler() as address:
        found = search(scenario, SolveOptions(**ROUNDS, scheduler=address))
    assert found.summary["run"]["start_windows"]["cluster"] == (
        f"Dask cluster at {address}, 1 worker(s)"
    )
    assert serial.schedule.to_csv(index=False) == found.schedule.to_csv(index=False)


@pytest.fixture(scope="module")
def cand(scenario: Scenario) -> Candidates:
    return build_candidates(scenario)


def _search(cand: Candidates) -> _Search:
    start = first_fit(cand, keep_in_place=True)
    params = SolverParams(neighbourhood_rooms=2)
    return _Search(cand, scoring_levels(cand), start, params, 0, 1, StopFlag(), None, 3.0)


def test_a_round_has_distinct_dates_and_each_free_case_once(cand: Candidates) -> None:
    """Each date once in a round; a case free in one window is held (or absent) in the
    others; a task carries its window's cases only, not the run's options."""
    search = _search(cand)
    k = next(k for k, lv in enumerate(search.levels) if lv.kind.name == "DELAY")
    pending = _order(cand, search.levels[k], search.incumbent, search.params, 0)
    rounds = Rounds(None, "here")
    picks, later, late = rounds._round(search, k, pending, 3.0, 0.0, None)
    assert len(picks) > 1 and not late
    assert len(picks) + len(later) <= len(pending)
    days = [d for p in picks for d in p.dates]
    assert len(days) == len(set(days))
    free = [i for p in picks for i, f in zip(p.keep, p.free, strict=True) if f]
    assert free and len(free) == len(set(free))
    for p in picks:
        assert len(p.task.cand.cases) == len(p.keep) < len(cand.cases)
        assert all(o.case == j for j, opts in enumerate(p.task.cand.room_options) for o in opts)
        assert len(pickle.dumps(p.task)) < len(pickle.dumps(cand)) / 2


def test_an_answer_never_worsens_the_window_and_merges_keep_every_rule(
    scenario: Scenario, cand: Candidates
) -> None:
    """Every answer betters its window's level from its hint (or is none); merged in round
    order, the schedule still passes the checker, the one-bed ward above all."""
    search = _search(cand)
    rounds = Rounds(None, "here")
    before = search.scores(search.incumbent)
    for k, lv in enumerate(search.levels):
        if lv.kind.name in ("SHORTFALL", "KEPT", "DELAY"):
            rounds(search, k, None, 1.0)
    assert search.improved > 0 and search.scores(search.incumbent) < before
    # what the merges followed, move by move, is the schedule's own (scored, indexed) whole
    placed, scores = rounds._placed, rounds._scores
    assert placed is not None and scores is not None
    assert placed.sol is search.incumbent and scores.sol is search.incumbent
    assert scores.values == search.scores(search.incumbent)
    assert placed.on == Placed(cand, search.incumbent).on
    for k, lv in enumerate(search.levels):
        if lv.kind.name == "DELAY":
            pending = _order(cand, lv, search.incumbent, search.params, 1)
            picks, _later, _late = rounds._round(search, k, pending, 1.0, 0.0, None)
            for p in picks:
                answer = solve_window(p.task)
                if answer.found is not None:
                    delay = next(x for x in build_model(p.task.cand).levels if x.kind == lv.kind)
                    assert delay.value(answer.found) < delay.value(p.task.hint)
    result = make_result(scenario, cand, search.incumbent, [], wall_time=0.0,
                         interrupted=False, settings={})  # fmt: skip
    assert check_schedule(scenario, result.schedule) == []


def test_the_cli_runs_the_rounds_without_blocks(scenario: Scenario, tmp_path: Path) -> None:
    """`solve --dask-workers 0` without `--blocks`: the start's windows in rounds, here."""
    policy = scenario.policy.model_copy(update={"solver": SolverParams(max_options=1)})
    folder = write_scenario(scenario.model_copy(update={"policy": policy}), tmp_path / "sc")
    out = tmp_path / "out"
    args = ["solve", str(folder), "--out", str(out), "--work-limit", "2", "--workers", "1",
            "--seed", "1", "--dask-workers", "0", "--json"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["run"]["start_windows"]["cluster"] == "serial, in this process"
    assert summary["run"]["start_windows"]["rounds"] > 0


def test_a_scheduler_nobody_answers_at_is_a_usage_error(scenario: Scenario, tmp_path: Path) -> None:
    """`solve --scheduler ADDRESS` where no Dask scheduler listens: exit status 2, the
    address named, nothing written (it said "cannot write to OUT" before)."""
    import socket

    import dask

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    policy = scenario.policy.model_copy(update={"solver": SolverParams(max_options=1)})
    folder = write_scenario(scenario.model_copy(update={"policy": policy}), tmp_path / "sc")
    out = tmp_path / "out"
    args = ["solve", str(folder), "--out", str(out), "--work-limit", "2", "--workers", "1",
            "--scheduler", f"tcp://127.0.0.1:{port}"]  # fmt: skip
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert f"no Dask scheduler answers at tcp://127.0.0.1:{port}" in result.output
    assert "--scheduler" in result.output and "cannot write" not in result.output
    assert not out.exists()


def test_threads_in_this_process_give_the_same_schedule(scenario: Scenario, serial: Result) -> None:
    """Two search workers: a round's windows solved on two threads of this process (CP-SAT
    lets go of Python's lock while it solves), the same answers merged in the same order."""
    threaded = search(scenario, SolveOptions(**{**ROUNDS, "workers": 2}, dask_workers=0))
    assert threaded.violations == ()
    windows = threaded.summary["run"]["start_windows"]
    assert windows["cluster"] == "in this process, 2 threads"
    for key in ("windows", "improved", "rounds", "refused_beds"):
        assert windows[key] == serial.summary["run"]["start_windows"][key]
    assert serial.schedule.to_csv(index=False) == threaded.schedule.to_csv(index=False)


def test_a_level_that_stops_gaining_is_searched_with_wider_windows(
    cand: Candidates, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole pass of windows that brings nothing is not the end of the level: the next
    pass groups twice the rooms, up to WIDEST times the first group, then the level ends."""
    from optimizer.search import parallel_windows

    search = _search(cand)
    widths: list[int] = []

    def order(*args: Any) -> list[tuple[int, frozenset[int]]]:
        widths.append(args[3].neighbourhood_rooms)
        return _order(*args)

    monkeypatch.setattr(parallel_windows, "_order", order)
    k = next(k for k, lv in enumerate(search.levels) if lv.kind.name == "DELAY")
    assert Rounds(None, "here")(search, k, None, 50.0) is True  # out of moves, not of work
    first = search.params.neighbourhood_rooms
    assert sorted(set(widths)) == [first, 2 * first, parallel_windows.WIDEST * first]
    assert widths == sorted(widths)  # widened only, never narrowed
    assert widths[-1] == parallel_windows.WIDEST * first  # the widest pass gained nothing
    # cut by its work before a whole pass: not out of moves
    assert Rounds(None, "here")(_search(cand), k, None, 0.001) is False


@pytest.mark.parametrize(
    ("address", "said"),
    [("notanaddress", "is not a Dask scheduler's address"),
     ("tcp://host:notaport", "is not a Dask scheduler's address"),
     ("http://127.0.0.1:8786", "is not a Dask scheduler's address"),
     ("", "scheduler: String should have at least 1 character")],
)  # fmt: skip
def test_a_malformed_scheduler_address_is_a_usage_error(
    scenario: Scenario, tmp_path: Path, address: str, said: str
) -> None:
    """A --scheduler that is no address at all: exit status 2 naming it, nothing written
    (it was "internal error (a bug, please report it): ValueError")."""
    policy = scenario.policy.model_copy(update={"solver": SolverParams(max_options=1)})
    folder = write_scenario(scenario.model_copy(update={"policy": policy}), tmp_path / "sc")
    out = tmp_path / "out"
    args = ["solve", str(folder), "--out", str(out), "--work-limit", "2", "--workers", "1",
            "--scheduler", address]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert said in result.output and "nothing was written" in result.output
    assert not out.exists()


@pytest.mark.parametrize("address", ["notanaddress", "tcp://host:notaport", "http://h:8786"])
def test_a_malformed_address_starts_no_dask_client(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The address is read before a client is made: a client made for a malformed one starts
    Dask's event loop, and in a long-lived process the next one failed inside Dask
    ("assert loop is not None", exit 1) instead of being refused; each also waited 60 s at
    exit to close."""
    import distributed

    from optimizer.search.cluster import ClusterUnreachable, open_client

    made: list[str] = []
    monkeypatch.setattr(distributed, "Client", lambda address, *a, **k: made.append(address))
    with pytest.raises(ClusterUnreachable), open_client(address):
        pass
    assert made == []
