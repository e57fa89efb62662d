"""Regression tests of issue 19's re-planning defects, each named after it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
from optimizer.cli import cli
from optimizer.facts import schedule_file
from optimizer.replan.command import prepare
from optimizer.replan.files import read_previous
from optimizer.replan.morning import next_morning
from optimizer.scenario import ScenarioError
from optimizer.scenario.schema import ExtraSession, Session, SurgeonWindow
from tests.replan.test_replan import D1, D2, D3, SEARCH, hospital, rows, write


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Day 1's result of the hospital of test_replan (T transferred to P on day 2), with an
    extra session on offer on day 3 (R2 opened 08:00-12:00)."""
    offer = ExtraSession(date=D3, room_id="R2", start=480, end=720)
    scenario = hospital().model_copy(update={"extra_sessions": (offer,)})
    result = optimizer.solve(scenario, workers=1, work_limit=2, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def test_a_transfer_on_or_after_today_is_an_announced_appointment_not_done(first: Path) -> None:
    """T, transferred on day 2: re-planned on day 2 it is not done but holds its transfer as
    its appointment (announced_room = the partner's id); re-planned on day 3 it is done."""
    previous = read_previous(first)
    assert previous.slots["T"].status == "transferred" and previous.slots["T"].date == D2
    on_day2 = next_morning(previous, D2)
    assert "T" not in {d.case.case_id for d in on_day2.done}
    [t] = [c for c in on_day2.scenario.cases if c.case_id == "T"]
    assert (t.announced_date, t.announced_room, t.announced_start) == (D2, "P", None)
    on_day3 = next_morning(previous, D3)
    assert {d.case.case_id: d.status for d in on_day3.done}["T"] == "transferred"


def test_an_announced_transfer_is_kept_and_nobody_is_called(first: Path, tmp_path: Path) -> None:
    """With nothing changed the re-plan keeps T's transfer: no call, no done row, and the
    new scenario/ (T's announced room a partner) loads again."""
    out = tmp_path / "day2"
    res = CliRunner().invoke(
        cli, ["replan", str(first), "--today", str(D2), "--out", str(out), *SEARCH]
    )
    assert res.exit_code == 0, res.output
    assert rows(out / "calls.csv") == []
    assert "T" not in {r["case_id"] for r in rows(out / "done.csv")}
    [t] = [r for r in rows(out / "schedule.csv") if r["case_id"] == "T"]
    assert (t["status"], t["partner_id"], t["date"]) == ("transferred", "P", str(D2))
    assert optimizer.load_scenario(out / "scenario").cases


def test_replan_keeps_the_extra_sessions_on_offer(first: Path) -> None:
    """extra_sessions.csv carries on from --today, so a whatif on the next morning has them."""
    morning = prepare(first, D2)
    assert [(e.date, e.room_id) for e in morning.scenario.extra_sessions] == [(D3, "R2")]
    assert prepare(first, D2).scenario.extra_sessions == morning.scenario.extra_sessions


def test_sessions_file_replaces_only_the_dates_it_lists(first: Path, tmp_path: Path) -> None:
    """A file listing day 3 only: day 3 gets R2 instead of R1, day 2 keeps its session; a row
    with empty start and end closes that room that date."""
    only_day3 = write(tmp_path / "s.csv", f"date,room_id,start,end\n{D3},R2,08:00,12:00\n")
    morning = prepare(first, D2, sessions=only_day3)
    keys = [(s.date, s.room_id) for s in morning.scenario.sessions]
    assert keys == [(D2, "R1"), (D3, "R2")]
    closing = write(tmp_path / "c.csv", f"date,room_id,start,end\n{D3},R1,,\n")
    closed = prepare(first, D2, sessions=closing)
    assert [(s.date, s.room_id) for s in closed.scenario.sessions] == [(D2, "R1")]


def test_sessions_file_closing_an_unknown_room_is_bad_input(first: Path, tmp_path: Path) -> None:
    """A closing row names a room of rooms.csv, on a date: else its row and column."""
    bad = write(tmp_path / "c.csv", f"date,room_id,start,end\n{D3},R9,,\n2024-02-31,R1,,\n")
    with pytest.raises(ScenarioError) as err:
        prepare(first, D2, sessions=bad)
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "room_id"), (3, "date")]


def test_sessions_file_closing_and_opening_one_room_one_date_is_bad_input(
    first: Path, tmp_path: Path
) -> None:
    """A room closed (empty start and end) and opened on the same date by two rows: one of
    them would silently win; the closing row is named."""
    both = write(tmp_path / "b.csv", f"date,room_id,start,end\n{D3},R1,,\n{D3},R1,08:00,10:00\n")
    with pytest.raises(ScenarioError) as err:
        prepare(first, D2, sessions=both)
    [problem] = err.value.problems
    assert (problem.row, problem.column) == (2, "start")
    assert "closed on 2024-04-18 by this row" in problem.message


def test_a_bug_in_a_parser_is_a_bug_not_bad_input(
    first: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The result folder's reader (facts/schedule_file.py) catches the parsers' CellError
    only: any other exception escapes (exit 1, a bug), instead of being reported as a
    problem of schedule.csv (exit 2)."""

    def broken(text: str) -> dt.date:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(schedule_file, "parse_date", broken)
    with pytest.raises(ZeroDivisionError):
        read_previous(first)


def test_today_accepts_a_french_date(first: Path, tmp_path: Path) -> None:
    """--today 17/04/2024 is 2024-04-17; a date that is none is said in the planner's words."""
    out = tmp_path / "fr"
    res = CliRunner().invoke(
        cli, ["replan", str(first), "--today", "17/04/2024", "--out", str(out), *SEARCH]
    )
    assert res.exit_code == 0, res.output
    bad = CliRunner().invoke(
        cli, ["replan", str(first), "--today", "31/02/2024", "--out", str(out), *SEARCH]
    )
    assert bad.exit_code == 2 and "is not a date (YYYY-MM-DD or DD/MM/YYYY)" in bad.output


def test_sessions_option_help_says_what_it_replaces() -> None:
    """replan --help says that the dates listed are replaced and how a room is closed."""
    res = CliRunner().invoke(cli, ["replan", "--help"])
    text = " ".join(res.output.split())
    assert "each date the file lists gets exactly its rows" in text
    assert "empty start and end closing that room" in text


def test_session_rows_before_today_are_still_ignored(first: Path, tmp_path: Path) -> None:
    """A session before --today in the file is noted and left out, as before."""
    early = write(tmp_path / "e.csv", f"date,room_id,start,end\n{D1},R1,08:00,12:00\n")
    morning = prepare(first, D2, sessions=early)
    assert any("1 session(s) before --today" in w for w in morning.scenario.warnings)
    assert Session(date=D1, room_id="R1", start=480, end=720) not in morning.scenario.sessions


def test_today_after_the_previous_horizon_with_new_sessions(first: Path, tmp_path: Path) -> None:
    """--today the day after the previous horizon, with sessions from it on: the new
    horizon is those dates (a copy of a model that validates itself cannot be left with
    its start after its end)."""
    d4, d5 = D3 + dt.timedelta(days=1), D3 + dt.timedelta(days=2)
    later = write(
        tmp_path / "s.csv", f"date,room_id,start,end\n{d4},R1,08:00,12:00\n{d5},R1,08:00,12:00\n"
    )
    morning = prepare(first, d4, sessions=later)
    policy = morning.scenario.policy
    assert (policy.start_date, policy.end_date) == (d4, d5)
    assert [s.date for s in morning.scenario.sessions] == [d4, d5]


def test_the_soft_problems_of_the_files_read_are_kept(first: Path, tmp_path: Path) -> None:
    """An unknown column of a --sessions or a --cases file is warned about, naming the file's
    path (not sessions.csv or cases.csv): the re-plan used to drop these warnings."""
    extra = write(tmp_path / "s.csv", f"date,room_id,start,end,note\n{D3},R2,08:00,12:00,x\n")
    morning = prepare(first, D2, sessions=extra)
    assert f"{extra}: unknown column(s) ignored: note" in morning.scenario.warnings
    new = write(
        tmp_path / "n.csv",
        "case_id,surgeon_id,specialty,duration_min,urgency,colour\nN1,S1,ortho,60,P3,red\n",
    )
    morning = prepare(first, D2, cases=new)
    assert f"{new}: unknown column(s) ignored: colour" in morning.scenario.warnings
    assert not any(w.startswith(("sessions.csv", "cases.csv")) for w in morning.scenario.warnings)


def test_a_surgeon_absent_from_today_on_stays_absent_after_the_replan(tmp_path: Path) -> None:
    """S_D, listed in surgeons.csv with hours on day 1 only (absent on days 2 and 3), lost
    every row in the re-plan of day 2 (its windows before today are dropped), and a surgeon
    with no row is free whenever a room is open: D (planned on day 2) was operated by an
    absent surgeon. Now S_D keeps one minute before the new horizon: listed, no hours."""
    window = SurgeonWindow(surgeon_id="S_D", date=D1, start=480, end=720)
    scenario = hospital().model_copy(update={"surgeon_windows": (window,)})
    result = optimizer.solve(scenario, workers=1, work_limit=2, seed=0)
    day1 = optimizer.write_result(result, tmp_path / "day1")
    plan = next_morning(read_previous(day1), D2)
    assert "S_D" in plan.scenario.windows_by_surgeon
    assert not [w for w in plan.scenario.surgeon_windows if w.surgeon_id == "S_D" and w.date >= D2]
    again = optimizer.solve(plan.scenario, workers=1, work_limit=2, seed=0)
    [status] = again.schedule.loc[again.schedule["case_id"] == "D", "status"]
    assert status in ("transferred", "unscheduled"), status  # not operated here
