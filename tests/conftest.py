"""Fixtures every test family shares: where the repository's files are, the nasty
scenario, and a small generated hospital.

Module-level constants (for ``parametrize`` or paths built at import) come from
:mod:`tests.support.paths`; these fixtures are the same paths for test functions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.generate import generate, write_generated
from optimizer.scenario import Scenario, write_scenario
from tests.support import nasty, paths


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (``optimizer/``, ``data/``, ``notebooks/``, ``tests/``)."""
    return paths.REPO


@pytest.fixture(scope="session")
def demo_folder() -> Path:
    """The bundled demo scenario, ``data/cannes_demo``."""
    return paths.DEMO


@pytest.fixture(scope="session")
def corpus_folder() -> Path:
    """The input corpus, ``tests/corpus``: one folder per kind of bad or odd input."""
    return paths.CORPUS


@pytest.fixture
def nasty_scenario() -> Scenario:
    """Risky ids everywhere (see :mod:`tests.support.nasty`): a fresh object per test."""
    return nasty.nasty_scenario()


@pytest.fixture
def nasty_folder(tmp_path: Path, nasty_scenario: Scenario) -> Path:
    """The nasty scenario written as a scenario folder, one per test (tests edit it)."""
    return write_scenario(nasty_scenario, tmp_path / "nasty")


@pytest.fixture(scope="session")
def small_hospital(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated hospital (3 rooms, 2 days, ~16 cases) that solves in a fraction
    of a second, as a scenario folder. Tests read it; none may edit it."""
    folder = tmp_path_factory.mktemp("small_hospital") / "scenario"
    write_generated(generate(rooms=3, days=2, cases_per_day=8, seed=5), folder)
    return folder
