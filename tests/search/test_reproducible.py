"""Same input, seed, one worker and a deterministic work budget: the same schedule, byte
for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import optimizer
from optimizer.generate import generate, write_generated


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scenario") / "small"
    write_generated(generate(rooms=4, days=3, cases_per_day=12, seed=3), folder)
    return folder


def test_api_same_seed_same_schedule(scenario_dir):
    """Two runs of the Python API give identical schedules."""
    scenario = optimizer.load_scenario(scenario_dir)
    runs = [
        optimizer.solve(scenario, workers=1, work_limit=2, seed=7, time_limit=600).schedule
        for _ in range(2)
    ]
    assert runs[0].equals(runs[1])


def test_cli_same_seed_same_bytes(scenario_dir, tmp_path):
    """Two runs of the command in separate processes write byte-identical schedule.csv."""
    outputs = []
    for k in range(2):
        out = tmp_path / f"run{k}"
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
                "600",
            ],
            check=True,
            capture_output=True,
        )
        outputs.append((out / "schedule.csv").read_bytes())
    assert outputs[0] == outputs[1]
