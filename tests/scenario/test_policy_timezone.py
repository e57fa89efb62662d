"""``timezone`` in ``policy.toml``: the hospital's offset for the exports, checked at the edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.scenario import ScenarioError, load_scenario, write_scenario
from tests.scenario.test_policy_solver import _demo_with_policy
from tests.support.paths import DEMO


def test_the_default_is_paris_and_is_not_written_back(tmp_path: Path) -> None:
    """Without the key the hospital is in Europe/Paris, and policy.toml stays as it was."""
    scenario = load_scenario(DEMO)
    assert scenario.policy.timezone == "Europe/Paris"
    out = write_scenario(scenario, tmp_path / "copy")
    assert "timezone" not in (out / "policy.toml").read_text(encoding="utf-8")


def test_a_timezone_is_read_and_round_trips(tmp_path: Path) -> None:
    """An overseas hospital's zone is read, and the scenario copy keeps it."""
    folder = _demo_with_policy(tmp_path, 'timezone = "America/Guadeloupe"\n')
    scenario = load_scenario(folder)
    assert scenario.policy.timezone == "America/Guadeloupe"
    assert not any("timezone" in w for w in scenario.warnings)
    again = load_scenario(write_scenario(scenario, tmp_path / "copy"))
    assert again.policy.timezone == "America/Guadeloupe"


@pytest.mark.parametrize("value", ['"Paris"', '"../../etc/passwd"', "2"])
def test_an_unknown_timezone_names_file_line_and_key(tmp_path: Path, value: str) -> None:
    """A zone this machine does not know is bad input, named by file, line and key."""
    folder = _demo_with_policy(tmp_path, f"timezone = {value}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("policy.toml", 1, "timezone")
    assert "time zone" in problem.message
