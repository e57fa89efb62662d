"""Fixtures every test family shares: where the repository's files are, the demo solved
once, the nasty scenario, a small generated hospital and a tiny hand-made one.

Module-level constants (for ``parametrize`` or paths built at import) come from
:mod:`tests.support.paths`; these fixtures are the same paths for test functions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import optimizer
from optimizer.generate import generate, write_generated
from optimizer.scenario import Scenario, write_scenario
from optimizer.scenario.schema import Case, PartnerCapacity, Policy, Room, Session
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


@pytest.fixture(scope="session")
def demo_result(demo_folder: Path) -> optimizer.Result:
    """The demo solved once for every test that reads its answer (one worker, seed 0, a
    work budget of 3: reproducible, whatever the machine's load). The result is frozen;
    a test that needs it on disk writes it to its own folder (or uses
    :func:`demo_result_folder`)."""
    scenario = optimizer.load_scenario(demo_folder)
    return optimizer.solve(scenario, workers=1, work_limit=3, time_limit=300, seed=0)


@pytest.fixture(scope="session")
def demo_result_folder(
    demo_result: optimizer.Result, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """:func:`demo_result` written as a result folder. Tests read it; none may edit it."""
    return optimizer.write_result(demo_result, tmp_path_factory.mktemp("demo") / "result")


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


TINY_D0, TINY_D1 = dt.date(2024, 4, 15), dt.date(2024, 4, 16)


@pytest.fixture
def tiny_hospital() -> Scenario:
    """Three cases, one room, two days, worked out by hand.

    Room R1: 08:00-10:00 on D0 (15/04), 08:00-09:00 on D1; no turnover; target 0.5.
    Partner P1 takes one general case on D1.

    | case | class (weight, delay)  | planned        | note                       |
    |------|------------------------|----------------|----------------------------|
    | A    | P2 (10, 28 days)       | D0 R1 08:00    | deadline out of horizon    |
    | B    | P3 (3, 90 days)        | D0 R1 09:00    | transferable               |
    | E    | EMERGENCY (1000, 0)    | not planned    | deadline D0: may not wait  |

    All 60 min, distinct surgeons. D0 holds two of the three: E must be one (its
    deadline), so one planned case waits. The optimum keeps A (weight 10) at its
    planned 08:00, puts E at 09:00 and postpones B to D1 08:00 (the only start
    there): no miss, no shortfall (1 of 2 kept, need 1), kept 1, weighted delay
    3 (B, one day, weight 3), nobody moved, no minute shifted. A transfer of B
    would cost 281 (1 + the largest weight x delay of the classes, P2's 280).

    The first fit, which places deadlines first, puts E at D0 08:00, keeps B in
    place at 09:00 and postpones A to D1: weighted delay 10.
    """
    gen = "general"
    return Scenario(
        cases=(
            Case(
                case_id="A",
                specialty=gen,
                surgeon_id="SA",
                duration_min=60,
                urgency="P2",
                planned_date=TINY_D0,
                planned_room="R1",
                planned_start=480,
            ),
            Case(
                case_id="B",
                specialty=gen,
                surgeon_id="SB",
                duration_min=60,
                urgency="P3",
                planned_date=TINY_D0,
                planned_room="R1",
                planned_start=540,
                transferable=True,
            ),
            Case(case_id="E", specialty=gen, surgeon_id="SE", duration_min=60, urgency="EMERGENCY"),
        ),
        rooms=(Room(room_id="R1"),),
        sessions=(
            Session(date=TINY_D0, room_id="R1", start=480, end=600),
            Session(date=TINY_D1, room_id="R1", start=480, end=540),
        ),
        partners=(PartnerCapacity(partner_id="P1", date=TINY_D1, specialty=gen, capacity=1),),
        policy=Policy(start_date=TINY_D0, end_date=TINY_D1, turnover_min=0, target_ratio=0.5),
    )
