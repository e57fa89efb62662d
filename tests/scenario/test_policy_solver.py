"""The ``[solver]`` table of ``policy.toml``: the search's tuning values, validated at the edge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import optimizer
from optimizer import SolverParams
from optimizer.scenario import ScenarioError, load_scenario, write_scenario
from tests.support.paths import DEMO


def _demo_with_policy(tmp_path: Path, extra: str, source: Path = DEMO) -> Path:
    """The demo (or the scenario folder ``source``) with ``extra`` in its policy: a table
    goes last, a top-level key first."""
    folder = tmp_path / "s"
    shutil.copytree(source, folder)
    policy = folder / "policy.toml"
    text = policy.read_text(encoding="utf-8")
    both = text + "\n" + extra if extra.startswith("[") else extra + text
    policy.write_text(both, encoding="utf-8")
    return folder


def test_the_solver_table_sets_the_search_parameters(tmp_path: Path) -> None:
    folder = _demo_with_policy(tmp_path, "[solver]\nwindow_days = 2\nmax_options = 5000\n")
    policy = load_scenario(folder).policy
    assert policy.solver == SolverParams(window_days=2, max_options=5000)


def test_no_table_means_the_defaults_and_the_files_write_back_unchanged(tmp_path: Path) -> None:
    """A scenario without ``[solver]`` writes no table: existing folders stay byte for byte."""
    scenario = load_scenario(DEMO)
    assert scenario.policy.solver == SolverParams()
    out = write_scenario(scenario, tmp_path / "copy")
    assert "[solver]" not in (out / "policy.toml").read_text(encoding="utf-8")


def test_a_tuned_policy_round_trips(tmp_path: Path) -> None:
    folder = _demo_with_policy(tmp_path, "[solver]\nwindow_seconds = 1.5\n")
    scenario = load_scenario(folder)
    again = load_scenario(write_scenario(scenario, tmp_path / "copy"))
    assert again.policy.solver == scenario.policy.solver == SolverParams(window_seconds=1.5)


def test_a_switched_off_steady_search_writes_valid_toml(tmp_path: Path) -> None:
    """A bool of [solver] was written ``steady_days = False``, which TOML refuses: the folder
    written could not be loaded back. It is written ``false``."""
    folder = _demo_with_policy(tmp_path, "[solver]\nsteady_days = false\n")
    scenario = load_scenario(folder)
    out = write_scenario(scenario, tmp_path / "copy")
    assert "steady_days = false" in (out / "policy.toml").read_text(encoding="utf-8")
    assert load_scenario(out).policy.solver == SolverParams(steady_days=False)


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("[solver]\nwindow_days = 0\n", "solver.window_days"),
        ("[solver]\nnum_workers = 3\n", "solver.num_workers"),
        ('[solver]\nmax_options = "many"\n', "solver.max_options"),
        ("solver = 3\n", "solver"),
    ],
)
def test_a_bad_value_names_the_file_line_and_key(tmp_path: Path, table: str, column: str) -> None:
    folder = _demo_with_policy(tmp_path, table)
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    problems = [p for p in err.value.problems if p.column == column]
    assert problems, err.value.problems
    assert problems[0].file == "policy.toml" and problems[0].row is not None


def test_solve_takes_the_policy_parameters_unless_the_call_gives_its_own(
    tmp_path: Path, small_hospital: Path
) -> None:
    """The policy's ``max_options`` reaches the search: a budget of 1 restricts the model
    (of any scenario with more than one option: the small generated hospital's)."""
    folder = _demo_with_policy(tmp_path, "[solver]\nmax_options = 1\n", small_hospital)
    scenario = load_scenario(folder)
    restricted = optimizer.solve(scenario, workers=1, work_limit=2, time_limit=60)
    assert restricted.settings["days_ahead"] is not None
    free = optimizer.solve(scenario, workers=1, work_limit=2, time_limit=60, params=SolverParams())
    assert free.settings["days_ahead"] is None
