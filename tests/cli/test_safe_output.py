"""Results are safe to open in a spreadsheet, written whole or not at all, never for bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from optimizer.check import check_result_folder, read_schedule_csv
from optimizer.cli import cli
from optimizer.output import escape_cell, unescape_cell
from optimizer.scenario import load_scenario, write_scenario
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from tests.support.paths import DEMO

DAY = dt.date(2024, 4, 16)
# (a leading tab is trimmed by the loader, as any space around a cell: not an id that can exist)
NASTY = [
    '=HYPERLINK("x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "'quoted",
    "a,b",
    'say "hi"',
    "line\nbreak",
]
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def nasty_scenario(folder: Path) -> Path:
    cases = [
        Case(
            case_id=cid,
            specialty="gen",
            surgeon_id=f"S{k}",
            duration_min=30,
            urgency="P3",
            planned_date=DAY,
            planned_room="=R1",
            planned_start=480 + 60 * k,
        )
        for k, cid in enumerate(NASTY)
    ]
    sc = Scenario(
        cases=tuple(cases),
        rooms=(Room(room_id="=R1"),),
        sessions=(Session(date=DAY, room_id="=R1", start=480, end=720),),
        policy=Policy(start_date=DAY, end_date=DAY),
    )
    return write_scenario(sc, folder)


def test_escape_round_trips():
    """One more leading quote on risky cells; reading strips exactly one."""
    for text in NASTY + ["plain", "", "''twice", "\tTAB", "\rCR"]:
        assert unescape_cell(escape_cell(text)) == text
        assert not escape_cell(text).startswith(FORMULA)


def test_no_cell_runs_as_a_formula_and_ids_come_back(tmp_path):
    """Ids starting with formula characters are neutralised in schedule.csv and read back exact."""
    folder = nasty_scenario(tmp_path / "nasty")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(folder), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    raw = (out / "schedule.csv").read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(raw, newline="")):
        for cell in row:
            assert not cell.startswith(FORMULA), cell
    schedule = read_schedule_csv(out / "schedule.csv")
    assert sorted(schedule["case_id"]) == sorted(NASTY)
    assert set(schedule["room_id"]) <= {"=R1", ""}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["planned"] == len(NASTY)
    assert check_result_folder(load_scenario(folder), out) == []


def test_bad_input_writes_nothing(tmp_path):
    """A broken scenario: exit 2, the problem located, and no result folder created."""
    folder = nasty_scenario(tmp_path / "broken")
    (folder / "cases.csv").write_text(
        "case_id,specialty,surgeon_id,duration_min,urgency\nc1,gen,S1,-5,P3\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(folder), "--out", str(out)])
    assert result.exit_code == 2
    assert "cases.csv, row 2, column duration_min" in result.output
    assert not out.exists()


def test_internal_error_writes_nothing(tmp_path, monkeypatch):
    """If the self-check finds a broken rule (a bug), exit 1 and the old result stays as it was."""
    from optimizer.check import Violation

    folder = nasty_scenario(tmp_path / "s")
    out = tmp_path / "out"
    out.mkdir()
    (out / "schedule.csv").write_text("old", encoding="utf-8")
    monkeypatch.setattr(
        "optimizer.check.check_schedule", lambda *a, **k: [Violation("2", "x", "overlap")]
    )
    result = CliRunner().invoke(cli, ["solve", str(folder), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 1
    assert (out / "schedule.csv").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in out.iterdir()) == ["schedule.csv"]


def test_a_killed_run_leaves_the_old_result_or_the_new_one(tmp_path):
    """SIGKILL at any moment: the result folder is the old one or a complete new one."""
    demo = DEMO
    out = tmp_path / "out"
    out.mkdir()
    (out / "schedule.csv").write_text("old", encoding="utf-8")
    (out / "summary.json").write_text("{}", encoding="utf-8")
    for delay in (0.5, 2.0, 4.0):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "optimizer",
                "solve",
                str(demo),
                "--out",
                str(out),
                "--time-limit",
                "3",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        names = sorted(p.name for p in out.iterdir())
        assert names in (
            ["schedule.csv", "summary.json"],
            ["scenario", "schedule.csv", "summary.json"],
        )
        if (out / "schedule.csv").read_text(encoding="utf-8") != "old":
            assert check_result_folder(load_scenario(demo), out) == []


def test_stale_temporary_folders_are_cleaned(tmp_path):
    """Temporary folders a killed run left beside the result go at the next successful write."""
    import os

    from optimizer.output import STALE_AFTER_S, write_atomically

    stale = tmp_path / ".out.new-abc"
    stale.mkdir()
    (stale / "schedule.csv").write_text("half", encoding="utf-8")
    old = time.time() - STALE_AFTER_S - 60
    os.utime(stale, (old, old))
    fresh = tmp_path / ".out.new-live"  # another run writing right now: left alone
    fresh.mkdir()
    write_atomically(tmp_path / "out", lambda d: (d / "x.txt").write_text("ok"))
    assert not stale.exists() and fresh.exists()
    assert (tmp_path / "out" / "x.txt").read_text() == "ok"


def test_the_scenario_travels_with_its_result(tmp_path):
    """``RESULT/scenario/`` is what was solved, with the effective target: the folder
    alone can be checked, reported on and re-planned."""
    folder = nasty_scenario(tmp_path / "s")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["solve", str(folder), "--out", str(out), "--time-limit", "5", "--target", "0.75"]
    )
    assert result.exit_code == 0, result.output
    copy = load_scenario(out / "scenario")
    original = load_scenario(folder)
    assert copy.cases == original.cases
    assert copy.sessions == original.sessions
    assert copy.policy.target_ratio == 0.75
    assert check_result_folder(copy, out) == []
