"""Re-planning from a result folder: the next morning's scenario, done.csv, calls.csv, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
from optimizer.cli import cli
from optimizer.replan.command import prepare, replan, write_replanned
from optimizer.replan.files import read_previous
from optimizer.replan.morning import next_morning
from optimizer.result.announced import announced_change
from optimizer.scenario import ScenarioError
from optimizer.scenario.schema import Case, PartnerCapacity, Policy, Room, Scenario, Session

D1, D2, D3 = dt.date(2024, 4, 16), dt.date(2024, 4, 17), dt.date(2024, 4, 18)
SEARCH = ["--workers", "1", "--work-limit", "2", "--seed", "0"]


def case(cid: str, day: dt.date, start: int, **kw: object) -> Case:
    values: dict[str, object] = {"duration_min": 60, "urgency": "P2", **kw}
    return Case(
        case_id=cid,
        specialty="gen",
        surgeon_id=f"S_{cid}",
        planned_date=day,
        planned_room="R1",
        planned_start=start,
        **values,
    )  # type: ignore[arg-type]


def hospital() -> Scenario:
    """Day 1: R1 08:00-12:00 holds A, B, C (60 min each, turnover 30: three fit in 4 h).
    Day 2: D, E and the emergency T (240 min, transferable) are planned in R1. T alone
    would fill the session (kept 1 of 3) while its transfer keeps D and E (2 of 3):
    T goes to the partner. W waits (P4)."""
    cases = [
        case("A", D1, 480), case("B", D1, 570), case("C", D1, 660),
        case("D", D2, 480), case("E", D2, 570),
        case("T", D2, 480, transferable=True, urgency="EMERGENCY", duration_min=240),
        Case(case_id="W", specialty="gen", surgeon_id="S_W", duration_min=60, urgency="P4"),
    ]  # fmt: skip
    sessions = [Session(date=d, room_id="R1", start=480, end=720) for d in (D1, D2, D3)]
    return Scenario(
        cases=tuple(cases),
        rooms=(Room(room_id="R1"), Room(room_id="R2")),
        sessions=tuple(sessions),
        partners=(PartnerCapacity(partner_id="P", date=D2, specialty="gen", capacity=1),),
        policy=Policy(start_date=D1, end_date=D3),
    )


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = optimizer.solve(hospital(), workers=1, work_limit=2, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:  # calls.csv has a BOM
        return list(csv.DictReader(fh))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_next_morning_moves_done_cases_out_and_announces_the_rest(first):
    """On day 2, A, B, C (operated on day 1) are done; D, E carry their slot as announced
    appointment, T (transferred on day 2, not before it) its transfer; B cancelled on the
    day comes back without one."""
    previous = read_previous(first)
    assert previous.slots["T"].status == "transferred"
    plan = next_morning(previous, D2, events={"B": "cancelled", "W": "withdrawn"})
    done = {d.case.case_id: d.status for d in plan.done}
    assert done == {"A": "done", "C": "done", "W": "withdrawn"}
    by_id = {c.case_id: c for c in plan.scenario.cases}
    assert set(by_id) == {"B", "D", "E", "T"}
    assert not by_id["B"].announced and by_id["B"].planned_date == D1  # delay counts from D1
    d = by_id["D"]
    assert (d.announced_date, d.announced_room, d.announced_start) == (D2, "R1", 480)
    assert plan.scenario.policy.start_date == D2 and plan.scenario.policy.end_date == D3
    assert all(s.date >= D2 for s in plan.scenario.sessions)


def test_replan_with_nothing_changed_changes_nothing_and_is_reproducible(first, tmp_path):
    """No event, same capacity: no call, every announced appointment kept, same bytes twice."""
    runner = CliRunner()
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        res = runner.invoke(cli, ["replan", str(first), "--today", str(D2), "--out", str(out),
                                  *SEARCH])  # fmt: skip
        assert res.exit_code == 0, res.output
        outs.append(out)
    a, b = outs
    assert rows(a / "calls.csv") == []
    assert {r["case_id"] for r in rows(a / "done.csv")} == {"A", "B", "C"}
    summary = json.loads((a / "summary.json").read_text())
    # D, E, W and T's transfer on day 2
    assert summary["announced"]["changed"] == 0 and summary["announced"]["kept"] == 4
    for name in ("schedule.csv", "done.csv", "calls.csv", "calls.xlsx", "scenario/cases.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # the next morning from that result: the chain goes on, again nothing changes
    res = runner.invoke(cli, ["replan", str(a), "--today", str(D3), "--out",
                              str(tmp_path / "c"), *SEARCH])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert {r["case_id"] for r in rows(tmp_path / "c" / "done.csv")} == {"D", "E", "W", "T"}


def test_replan_writes_the_workbook_when_asked(first, tmp_path):
    """``replan --xlsx`` writes schedule.xlsx in the new result, a sheet per date operated."""
    import openpyxl

    out = tmp_path / "x"
    res = CliRunner().invoke(cli, ["replan", str(first), "--today", str(D2), "--out", str(out),
                                   "--xlsx", *SEARCH])  # fmt: skip
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out / "schedule.xlsx")
    dates = sorted({r["date"] for r in rows(out / "schedule.csv") if r["room_id"]})
    assert wb.sheetnames == ["schedule", "calls", "kpis", *dates]
    assert wb["schedule"].max_row == 1 + len(rows(out / "schedule.csv"))


def test_a_cancelled_case_and_a_new_emergency_are_planned(first, tmp_path):
    """B cancelled on day 1 and a new emergency N planned on day 2 both get a slot."""
    events = write(tmp_path / "events.csv", "case_id,event\nB,cancelled\n")
    cases = write(
        tmp_path / "new.csv",
        "case_id,specialty,surgeon_id,duration_min,urgency,planned_date\nN,gen,S_N,60,P1a,2024-04-17\n",
    )
    morning = prepare(first, D2, events=events, cases=cases)
    result = optimizer.solve(morning.scenario, workers=1, work_limit=2, seed=0)
    got = {r.case_id: r for r in result.rows}
    assert got["N"].status == "kept" and got["B"].status == "postponed"
    assert (got["B"].delay_days or 0) >= 1


@pytest.mark.parametrize(
    ("option", "text", "row", "column"),
    [
        ("--events", "case_id,event\nA,operated\n", 2, "event"),
        ("--events", "case_id,event\nZZ,done\n", 2, "case_id"),
        ("--events", "case_id,event\nA,done\nA,withdrawn\n", 3, "case_id"),
        ("--events", "case_id,event\nD,cancelled\n", 2, "event"),  # its day has not come
        ("--events", "case_id\nA\n", 1, "event"),
        ("--sessions", "date,room_id,start,end\n2024-04-17,R7,08:00,12:00\n", 2, "room_id"),
        ("--cases", "case_id,specialty,surgeon_id,duration_min,urgency\nD,gen,S,60,P2\n", 2,
         "case_id"),
        ("--cases", "case_id,specialty,surgeon_id,duration_min,urgency\nN,gen,S,0,P2\n", 2,
         "duration_min"),
    ],
)  # fmt: skip
def test_bad_input_names_file_row_and_column_and_writes_nothing(
    first, tmp_path, option, text, row, column
):
    """Exit status 2, the problem named by the user's file, row and column, no folder."""
    path = write(tmp_path / "input.csv", text)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        cli, ["replan", str(first), "--today", str(D2), "--out", str(out), option, str(path)]
    )
    assert res.exit_code == 2, res.output
    assert f"{path}, row {row}, column {column}" in res.output
    assert not out.exists()


def test_a_today_outside_the_horizon_is_bad_input(first):
    """Before the previous horizon, or after it without new sessions."""
    for today in (dt.date(2024, 4, 15), dt.date(2024, 4, 19)):
        with pytest.raises(ScenarioError, match="--today"):
            prepare(first, today)


def test_a_folder_without_scenario_copy_is_refused(first, tmp_path):
    """Results written before scenario/ existed cannot be re-planned: the message says why."""
    old = tmp_path / "old"
    old.mkdir()
    (old / "schedule.csv").write_bytes((first / "schedule.csv").read_bytes())
    with pytest.raises(ScenarioError, match="no scenario/"):
        prepare(old, D2)


def test_a_lost_room_calls_only_the_patients_it_moves(first, tmp_path):
    """On day 2, R1 is lost and R2 opens instead; D and E move to R2 on the same day, W
    (waiting, given day 2 in R1) too: each is called with its old and new slot, and a
    session on a new date D4 extends the horizon."""
    d4 = D3 + dt.timedelta(days=1)
    sessions = write(
        tmp_path / "sessions.csv",
        f"date,room_id,start,end\n{D1},R1,08:00,12:00\n{D2},R2,08:00,12:00\n"
        f"{D3},R1,08:00,12:00\n{d4},R1,08:00,12:00\n",
    )
    morning, result = replan(first, D2, sessions=sessions, workers=1, work_limit=2, seed=0)
    assert morning.scenario.policy.end_date == d4
    assert any("1 session(s) before --today" in w for w in morning.scenario.warnings)
    out = write_replanned(morning, result, tmp_path / "out")
    calls = {r["case_id"]: r for r in rows(out / "calls.csv")}
    moved = {
        c.case_id
        for c, r in zip(morning.scenario.cases, result.rows, strict=True)
        if announced_change(c, r.booking)
    }
    assert set(calls) == moved and {"D", "E"} <= moved
    assert calls["D"]["old_room"] == "R1" and calls["D"]["new_room"] == "R2"
    assert calls["D"]["new_date"] == str(D2)  # same day: only the room changes
    summary = json.loads((out / "summary.json").read_text())
    assert summary["announced"]["changed"] == len(moved)
    # the report of a re-planned folder draws the announced slots as the old ones
    from optimizer.report import write_report

    assert write_report(out, "fr").is_file()


def test_calls_compare_with_the_announced_appointment():
    """calls.csv after a re-plan: the announced slot is the old one; a date given alone is
    compared by date; a patient told there is no date is called only when given one."""
    from optimizer.result.calls import call_rows, placed_of_cells

    base = hospital()
    cases = [
        case("K", D2, 480, announced_date=D3, announced_room="R1", announced_start=480),
        case("M", D2, 480, announced_date=D3, announced_room="R1", announced_start=480),
        case("Q", D2, 480, announced_date=D3),
        case("U", D1, 480, announced_count=1),
        case("V", D1, 480, announced_count=1),
    ]
    sc = base.model_copy(update={"cases": tuple(cases)})

    def row(cid: str, status: str, date: dt.date | None = None, start: str = "") -> dict:
        return {"case_id": cid, "status": status, "date": date and date.isoformat(),
                "room_id": "R1" if date else None, "start": start or None,
                "partner_id": None, "reason": "x"}  # fmt: skip

    rows_ = [
        row("K", "postponed", D3, "08:00"),  # as announced: not called
        row("M", "postponed", D3, "09:30"),  # another time: called
        row("Q", "postponed", D3, "10:00"),  # only the date was given: not called
        row("U", "unscheduled"),  # already told: not called again
        row("V", "postponed", D3, "08:00"),  # given a date: called
    ]
    calls = {c["case_id"]: c for c in call_rows(sc, placed_of_cells(rows_))}
    assert set(calls) == {"M", "V"}
    assert (calls["M"]["old_date"], calls["M"]["old_start"]) == (str(D3), "08:00")
    assert calls["V"]["old_date"] is None
