"""A re-planned result keeps the name of the scenario it comes from, in words of no language."""

from __future__ import annotations

import json
from pathlib import Path

import optimizer
from optimizer.replan.command import replan, write_replanned
from optimizer.report import write_report
from tests.replan.test_replan import D2, hospital


def test_replanned_report_names_the_scenario_in_french(tmp_path: Path) -> None:
    """Regression: a re-plan of the demo's result was named "scenario re-planned 2024-04-17"
    (its scenario/ copy's folder name, English words, an ISO date), and its French report
    read "Scénario scenario re-planned 2024-04-17"; it keeps "cannes" now."""
    day1 = tmp_path / "day1"
    scenario = hospital().model_copy(update={"name": "cannes"})
    optimizer.write_result(optimizer.solve(scenario, workers=1, work_limit=2, seed=0), day1)
    morning, result = replan(day1, D2, workers=1, work_limit=2, seed=0)
    out = write_replanned(morning, result, tmp_path / "day2")
    assert json.loads((out / "summary.json").read_text())["run"]["scenario"] == "cannes"
    html = write_report(out, "fr").read_text(encoding="utf-8")
    assert "Scénario cannes ·" in html and "re-planned" not in html
