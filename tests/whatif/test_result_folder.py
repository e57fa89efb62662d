"""whatif RESULT_DIR uses the folder's scenario/, as report and replan do (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

import optimizer
from optimizer.result.output import load_scenario_or_copy
from optimizer.scenario import Scenario, ScenarioError


def test_a_result_folder_gives_its_scenario_copy(tiny_hospital: Scenario, tmp_path: Path) -> None:
    """The scenario of a result folder is its scenario/; a scenario folder is itself."""
    result = optimizer.solve(tiny_hospital, workers=1, work_limit=1, seed=0)
    out = optimizer.write_result(result, tmp_path / "r")
    assert load_scenario_or_copy(out).cases == tiny_hospital.cases
    assert load_scenario_or_copy(out / "scenario").cases == tiny_hospital.cases
    (out / "scenario" / "rooms.csv").unlink()
    with pytest.raises(ScenarioError) as err:
        load_scenario_or_copy(out)
    assert err.value.problems[0].file == "scenario/rooms.csv"
