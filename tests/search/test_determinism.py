"""Same scenario, same seed, one worker and a deterministic work budget: the same
schedule, byte for byte, on the Python API and across separate processes.

The scenarios are small but make CP-SAT search several levels; one of them with a
budget small enough that the search is cut short, where ties between equally good
schedules are most likely to come out differently.

(This file absorbed ``test_reproducible.py``, whose two tests, the API twice and the
command twice on a smaller scenario, asserted exactly what the first two tests here
assert, on a scenario that searches fewer levels.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import optimizer
from optimizer.generate import generate, write_generated
from optimizer.scenario import Scenario


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6 rooms, 5 days, ~140 cases: every objective level after the first is searched."""
    folder = tmp_path_factory.mktemp("determinism") / "scenario"
    write_generated(generate(rooms=6, days=5, cases_per_day=25, seed=3), folder)
    return folder


@pytest.fixture(scope="module")
def cut_short() -> Scenario:
    """8 rooms, 5 days, ~160 cases: a work budget of 0.1 stops the search before the optimum."""
    return generate(rooms=8, days=5, cases_per_day=30, seed=3).disrupted


def solve_in_a_process(scenario_dir: Path, out: Path) -> bytes:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer",
            "solve",
            str(scenario_dir),
            "--out",
            str(out),
            "--workers",
            "1",
            "--work-limit",
            "2",
            "--seed",
            "7",
            "--time-limit",
            "600",  # generous: the work budget binds, not the clock
        ],
        check=True,
        capture_output=True,
    )
    return (out / "schedule.csv").read_bytes()


def test_two_processes_write_byte_identical_schedules(scenario_dir, tmp_path):
    """`solve --workers 1 --work-limit 2 --seed 7` twice, in separate processes: the same
    schedule.csv, byte for byte."""
    first = solve_in_a_process(scenario_dir, tmp_path / "first")
    second = solve_in_a_process(scenario_dir, tmp_path / "second")
    assert first == second


def test_the_api_gives_the_same_schedule_twice(scenario_dir):
    """`optimizer.solve(..., workers=1, work_limit=2, seed=7, time_limit=None)` twice: the
    same schedule, and CP-SAT was used (not only the constructive schedule)."""
    scenario = optimizer.load_scenario(scenario_dir)
    runs = [
        optimizer.solve(scenario, workers=1, work_limit=2, seed=7, time_limit=None)
        for _ in range(2)
    ]
    assert runs[0].settings["cp_sat_used"]
    assert sum(level.searched for level in runs[0].levels) >= 3
    assert runs[0].schedule.equals(runs[1].schedule)


def test_a_search_cut_short_by_its_work_budget_is_reproducible(cut_short):
    """With a budget too small to prove the optimum, the same seed still gives the same
    schedule and the same level values: the budget is deterministic work, not time."""
    runs = [
        optimizer.solve(cut_short, workers=1, work_limit=0.1, seed=7, time_limit=600)
        for _ in range(2)
    ]
    assert runs[0].limiting_level is not None  # the budget did bind
    assert runs[0].schedule.equals(runs[1].schedule)
    assert [lv.value for lv in runs[0].levels] == [lv.value for lv in runs[1].levels]
