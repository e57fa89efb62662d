"""``solve --xlsx``: the workbook is written with the result, in the same atomic step."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from optimizer.check import check_result_folder
from optimizer.cli import cli
from optimizer.scenario import load_scenario

SEARCH = ["--workers", "1", "--work-limit", "2", "--seed", "0"]


def test_solve_xlsx_writes_schedule_xlsx_and_says_so(small_hospital: Path, tmp_path: Path) -> None:
    """The result folder holds schedule.xlsx (one schedule row per case) and calls.xlsx, the
    summary names both, and the folder still passes the checker."""
    out = tmp_path / "out"
    res = CliRunner().invoke(
        cli, ["solve", str(small_hospital), "--out", str(out), "--xlsx", *SEARCH]
    )
    assert res.exit_code == 0, res.output
    assert "schedule.xlsx" in res.output and "calls.xlsx" in res.output
    scenario = load_scenario(small_hospital)
    wb = openpyxl.load_workbook(out / "schedule.xlsx")
    assert wb.sheetnames[:3] == ["schedule", "calls", "kpis"]
    ids = [r[0] for r in wb["schedule"].iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(c.case_id for c in scenario.cases)
    assert check_result_folder(scenario, out) == []


def test_solve_without_xlsx_writes_no_schedule_workbook(
    small_hospital: Path, tmp_path: Path
) -> None:
    """Without --xlsx only the call list has a workbook."""
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["solve", str(small_hospital), "--out", str(out), *SEARCH])
    assert res.exit_code == 0, res.output
    assert (out / "calls.xlsx").is_file() and not (out / "schedule.xlsx").exists()
