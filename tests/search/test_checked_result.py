"""A result checks itself against the independent checker, once per solve, and
write_result writes nothing that was not checked or that failed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
import optimizer.check
from optimizer.check import Violation
from optimizer.cli import cli
from optimizer.result.output import ScheduleRefused

from .test_solve_arguments import tiny


@pytest.fixture
def count_checks(monkeypatch):
    """How many times the independent checker ran."""
    calls: list[int] = []
    real = optimizer.check.check_schedule

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr("optimizer.check.check_schedule", counting)
    return calls


def written(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith((out.name, ".")))


def test_a_solved_result_is_checked_once_and_written(tmp_path, count_checks):
    """`optimizer.solve` checks its schedule once; write_result relies on that check."""
    result = optimizer.solve(tiny(), workers=1, work_limit=1)
    assert result.violations == () and result.check() == []
    optimizer.write_result(result, tmp_path / "out")
    assert len(count_checks) == 2  # the solve's check and the explicit result.check() above
    assert (tmp_path / "out" / "schedule.csv").exists()


def test_the_cli_checks_once(tmp_path, count_checks):
    """`solve` on the command line: one check, then the result is written."""
    scenario = tmp_path / "s"
    optimizer.write_scenario(tiny(), scenario)
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["solve", str(scenario), "--out", str(out), "--work-limit", "1"])
    assert run.exit_code == 0, run.output
    assert len(count_checks) == 1 and (out / "summary.json").exists()


def test_write_result_refuses_an_unchecked_result(tmp_path):
    """A Result nobody checked (violations None) is refused: nothing is written."""
    result = dataclasses.replace(optimizer.solve(tiny(), workers=1, work_limit=1), violations=None)
    out = tmp_path / "out"
    with pytest.raises(ScheduleRefused, match="never checked"):
        optimizer.write_result(result, out)
    assert written(out) == []


def test_write_result_refuses_a_failing_schedule_and_keeps_the_old_result(tmp_path):
    """A schedule the checker failed is refused through the API too; a previous result
    stays as it was."""
    broken = Violation("3", "A", "surgeon S operates two cases at once")
    result = dataclasses.replace(
        optimizer.solve(tiny(), workers=1, work_limit=1), violations=(broken,)
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "schedule.csv").write_text("old", encoding="utf-8")
    with pytest.raises(ScheduleRefused, match="rule 3") as err:
        optimizer.write_result(result, out)
    assert err.value.violations == (broken,)
    assert (out / "schedule.csv").read_text(encoding="utf-8") == "old"
    assert written(out) == ["out"]


def test_checked_fills_in_what_the_checker_finds(monkeypatch):
    """`result.checked()` records the checker's verdict, which write_result then reads."""
    result = optimizer.solve(tiny(), workers=1, work_limit=1)
    broken = Violation("1", "A", "case A is missing from the schedule")
    monkeypatch.setattr("optimizer.check.check_schedule", lambda *a, **k: [broken])
    assert result.check() == [broken]
    assert result.checked().violations == (broken,)
