"""The demo solved once for the report tests that read or print its pages."""

from __future__ import annotations

from pathlib import Path

import pytest

import optimizer
from tests.support.paths import DEMO


@pytest.fixture(scope="session")
def demo_fr_result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo solved in French (one worker, a work budget), written out."""
    scenario = optimizer.load_scenario(DEMO)
    policy = scenario.policy.model_copy(update={"language": "fr"})
    result = optimizer.solve(
        scenario.model_copy(update={"policy": policy}),
        workers=1,
        work_limit=1,
        time_limit=300,
        seed=0,
    )
    out = tmp_path_factory.mktemp("demo_fr") / "result"
    optimizer.write_result(result, out)
    return out
