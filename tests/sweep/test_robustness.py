"""The robustness simulation against figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from optimizer import solve, write_result
from optimizer.cli import cli
from optimizer.generate import generate
from optimizer.scenario.schema import Case, Policy, RobustnessSettings, Room, Scenario, Session
from optimizer.sweep.robustness import cv_of, load_robustness, simulate, write_robustness

D1 = dt.date(2024, 4, 16)


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _day(cases: list[tuple[str, int, int]], *, cv: float, end: int = 600) -> Scenario:
    """One room, one session 08:00-``end``; cases (id, start, duration), all of CV ``cv``."""
    return Scenario(
        cases=tuple(Case(case_id=cid, specialty="gen", surgeon_id="S", duration_min=dur,
                         urgency="P3", planned_date=D1, planned_room="R1", planned_start=start)
                    for cid, start, dur in cases),
        rooms=(Room(room_id="R1"),),
        sessions=(Session(date=D1, room_id="R1", start=480, end=end),),
        policy=Policy(start_date=D1, end_date=D1, turnover_min=30,
                      robustness=RobustnessSettings(duration_cv={"gen": cv})),
    )  # fmt: skip


def _schedule(sc: Scenario) -> pd.DataFrame:
    rows = [{"case_id": c.case_id, "status": "kept", "date": D1.isoformat(), "room_id": "R1",
             "start": f"{c.planned_start // 60:02d}:{c.planned_start % 60:02d}"}
            for c in sc.cases if c.planned_start is not None]  # fmt: skip
    return pd.DataFrame(rows)


def test_zero_spread_never_overruns_nor_cancels():
    """CV 0: every case lasts its expected duration; a schedule that fits stays on time."""
    sc = _day([("A", 480, 60), ("B", 570, 90)], cv=0.0, end=660)  # exactly full
    rob = simulate(sc, _schedule(sc), samples=500)
    assert rob.rooms.loc[0, "p_overrun"] == 0
    assert rob.rooms.loc[0, "expected_overtime_min"] == 0
    assert rob.cases["p_cancelled"].tolist() == [0, 0]


def test_a_session_exactly_full_overruns_about_half_the_time():
    """One case filling the session, mean = booked: P(overrun) = P(LN > mean) = 1 - Phi(sigma/2),
    44 % for CV 0.3 (a lognormal's median is below its mean); the first case is never cancelled."""
    sc = _day([("A", 480, 120)], cv=0.3, end=600)
    rob = simulate(sc, _schedule(sc), samples=40_000, seed=7)
    sigma = math.sqrt(math.log(1 + 0.3**2))
    assert rob.rooms.loc[0, "p_overrun"] == pytest.approx(1 - _phi(sigma / 2), abs=0.01)
    # E[max(0, X - m)] for X lognormal of mean m: m * (2 Phi(sigma/2) - 1)
    assert rob.rooms.loc[0, "expected_overtime_min"] == pytest.approx(
        120 * (2 * _phi(sigma / 2) - 1), abs=0.6
    )
    assert rob.cases.loc[0, "p_cancelled"] == 0


def test_a_late_case_is_cancelled_when_it_would_end_past_the_grace():
    """A (180 min) then B (30 min, 11:30-12:00) in a session ending 12:00, 30 min of grace:
    B is cancelled when it cannot start by 12:00, i.e. A ends after 11:30 (over 210 min):
    P = P(LN(mean 180) > 210)."""
    sc = _day([("A", 480, 180), ("B", 690, 30)], cv=0.3, end=720)
    rob = simulate(sc, _schedule(sc), samples=40_000, seed=1)
    sigma = math.sqrt(math.log(1 + 0.3**2))
    p = 1 - _phi((math.log(210 / 180) + sigma**2 / 2) / sigma)
    assert rob.cases.set_index("case_id").loc["B", "p_cancelled"] == pytest.approx(p, abs=0.01)


def test_defaults_and_policy_override_of_the_spread():
    sc = _day([("A", 480, 60)], cv=0.5)
    assert cv_of(sc, "gen") == 0.5  # the policy's table
    assert cv_of(sc, "Orthopedics") == 0.30  # the defaults, by alias
    assert cv_of(sc, "unknown") == 0.35  # the fallback


def test_command_on_a_result_folder_lists_every_case_once(tmp_path: Path):
    """The command on a solved result folder: every case appears once, unscheduled ones with no
    figures; the folder gives the same figures as the Result it was written from."""
    sc = generate(rooms=3, days=3, cases_per_day=10, seed=2).disrupted
    result = solve(sc, work_limit=0.2, workers=1, time_limit=60)
    write_result(result, tmp_path / "res")
    out = CliRunner().invoke(cli, ["robustness", str(tmp_path / "res"), "--samples", "3000"])
    assert out.exit_code == 0, out.output
    loaded = load_robustness(tmp_path / "res")
    assert loaded is not None
    rooms, cases = loaded
    assert sorted(cases["case_id"]) == sorted(c.case_id for c in sc.cases)
    unplaced = cases["room_id"].isna()
    assert unplaced.any() and not unplaced.all()
    assert cases.loc[unplaced, "p_cancelled"].isna().all()
    assert cases.loc[~unplaced, "p_cancelled"].between(0, 1).all()
    assert len(rooms) == len(sc.sessions)
    serial = simulate(result.scenario, result.schedule, samples=3000)
    pd.testing.assert_series_equal(rooms["p_overrun"], serial.rooms["p_overrun"])


def test_policy_robustness_table_is_read_checked_and_written_back(tmp_path: Path):
    """``[robustness]`` in policy.toml: read, a bad CV named by key and line, and written back
    by write_scenario so that a result's scenario/ keeps it."""
    from optimizer import ScenarioError, load_scenario, write_scenario

    sc = _day([("A", 480, 60)], cv=0.5)
    write_scenario(sc, tmp_path / "a")
    assert "[robustness.duration_cv]" in (tmp_path / "a" / "policy.toml").read_text()
    assert load_scenario(tmp_path / "a").policy.robustness == sc.policy.robustness
    policy = tmp_path / "a" / "policy.toml"
    policy.write_text(policy.read_text().replace("gen = 0.5", "gen = -2"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"column robustness.duration_cv.gen: -2 is not a CV"):
        load_scenario(tmp_path / "a")


def test_a_schedule_that_does_not_fit_the_scenario_is_said_by_row():
    """Regression: ``simulate`` raised ``KeyError: 'Z'`` for a case the scenario does not
    hold, played a case listed twice twice (two rows in its cases table, its room's
    day overlapping itself), and let ``samples="100"`` or ``seed=-1`` fail inside
    range() or NumPy. Each is now an error naming the argument, or the row and column."""
    sc = _day([("A", 480, 60), ("B", 570, 60)], cv=0.3)
    schedule = _schedule(sc)
    with pytest.raises(ValueError, match="schedule, row 2, column case_id: case Z is not in"):
        simulate(sc, pd.concat([schedule, schedule.iloc[[0]].assign(case_id="Z")]), samples=10)
    with pytest.raises(
        ValueError, match="row 2, column case_id: case A is already listed on row 0"
    ):
        simulate(sc, pd.concat([schedule, schedule.iloc[[0]]]), samples=10)
    with pytest.raises(ValueError, match="schedule, row 1, column start: '8.00' is not a clock"):
        simulate(sc, schedule.assign(start=["08:00", "8.00"]), samples=10)
    with pytest.raises(TypeError, match="samples must be a whole number, not str"):
        simulate(sc, schedule, samples="100")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed must be at least 0, not -1"):
        simulate(sc, schedule, samples=10, seed=-1)
    assert len(simulate(sc, schedule.iloc[:1], samples=10).cases) == 1  # one case's day: fine


def test_a_folder_read_back_keeps_ids_as_written(tmp_path: Path):
    """A room named ``NA`` and a case id a spreadsheet would take for a formula come back
    as they were, not as a missing value or with the writer's guard quote."""
    sc = Scenario(
        cases=(Case(case_id="=A", specialty="gen", surgeon_id="S", duration_min=60,
                    urgency="P3", planned_date=D1, planned_room="NA", planned_start=480),),
        rooms=(Room(room_id="NA"),),
        sessions=(Session(date=D1, room_id="NA", start=480, end=600),),
        policy=Policy(start_date=D1, end_date=D1, turnover_min=30),
    )  # fmt: skip
    schedule = pd.DataFrame([{"case_id": "=A", "status": "kept", "date": D1.isoformat(),
                              "room_id": "NA", "start": "08:00"}])  # fmt: skip
    write_robustness(simulate(sc, schedule, samples=200), tmp_path)
    loaded = load_robustness(tmp_path)
    assert loaded is not None
    rooms, cases = loaded
    assert list(rooms["room_id"]) == ["NA"] and list(rooms["session_start"]) == ["08:00"]
    assert list(cases["case_id"]) == ["=A"] and list(cases["room_id"]) == ["NA"]
    assert cases["p_cancelled"].between(0, 1).all()
