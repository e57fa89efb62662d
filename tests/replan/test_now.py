"""The day begun (``--now``, ``policy.now``): what started before the plan was made stays
where it is, nothing else starts before it that day, and the reasons and the checker say
so."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import optimizer
from optimizer.check import check_result_folder, check_schedule
from optimizer.cli import cli
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from optimizer.scenario.writer import write_scenario
from tests.replan.test_replan import D2, hospital, write

HEADER = "case_id,specialty,surgeon_id,duration_min,urgency,due_date\n"


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = optimizer.solve(hospital(), workers=1, work_limit=2, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["case_id"]: r for r in csv.DictReader(fh)}


def test_an_urgent_case_arriving_at_ten_starts_after_what_has_begun(
    first: Path, tmp_path: Path
) -> None:
    """Day 2 holds D at 08:00 and E at 09:30 (R1, 08:00-12:00). U, due today, arrives at
    10:00: D and E have begun and stay (fixed where they are); U goes after E (11:00, its
    turnover kept), not in front of them; the result is checked."""
    before = _rows(first / "schedule.csv")
    assert (before["D"]["start"], before["E"]["start"]) == ("08:00", "09:30")
    urgent = write(tmp_path / "u.csv", HEADER + f"U,gen,S_U,60,P1a,{D2}\n")
    out = tmp_path / "ins"
    search = ["--top", "1", "--work-limit", "1", "--workers", "1"]
    args = ["insert", str(first), "--cases", str(urgent), "--today", str(D2), *search]
    res = CliRunner().invoke(cli, [*args, "--out", str(out), "--now", "10h00"])
    assert res.exit_code == 0, res.output
    after = _rows(out / "result" / "schedule.csv")
    assert (after["U"]["date"], after["U"]["start"]) == (str(D2), "11:00")
    assert [(after[c]["date"], after[c]["start"]) for c in "DE"] == [
        (str(D2), "08:00"), (str(D2), "09:30")
    ]  # fmt: skip
    scenario = optimizer.load_scenario(out / "result" / "scenario")
    assert scenario.policy.now == 600
    held = {c.case_id: (c.fixed_date, c.fixed_room, c.fixed_start) for c in scenario.cases}
    assert held["D"] == (D2, "R1", 480) and held["E"] == (D2, "R1", 570)
    assert check_result_folder(scenario, out / "result") == []


def test_a_letter_for_later_today_asks_to_come_at_once_when_its_arrival_time_is_past(
    first: Path, tmp_path: Path
) -> None:
    """U, given 11:00 today at 10:00: its arrival time (start less arrival_before_min, 09:30)
    is already past, so its letter asks the patient to come as soon as they can, giving
    the operation's time, in English and French."""
    from optimizer.report import build_letters, read_result_folder

    urgent = write(tmp_path / "u.csv", HEADER + f"U,gen,S_U,60,P1a,{D2}\n")
    out = tmp_path / "ins"
    args = ["insert", str(first), "--cases", str(urgent), "--today", str(D2), "--top", "1",
            "--work-limit", "1", "--workers", "1", "--now", "10:00", "--out", str(out)]  # fmt: skip
    assert CliRunner().invoke(cli, args).exit_code == 0
    folder = read_result_folder(out / "result")
    [en] = [x for x in build_letters(folder, "en").letters if x.case_id == "U"]
    assert en.arrival == ["Please come to the operating theatre reception as soon as you can: "
                          "the operation is at 11:00."]  # fmt: skip
    [fr] = [x for x in build_letters(folder, "fr").letters if x.case_id == "U"]
    assert "au plus vite" in fr.arrival[0] and "11 h" in fr.arrival[0]


def test_a_replan_made_at_noon_holds_the_morning_and_moves_nothing_before_noon(
    first: Path, tmp_path: Path
) -> None:
    """replan --today on a day begun: the cases the previous result started before --now
    are held (fixed) where they are; the policy keeps the time; a later re-plan of another
    day does not."""
    out, search = tmp_path / "noon", ["--workers", "1", "--work-limit", "1"]
    args = ["replan", str(first), "--today", str(D2), "--now", "12:00", "--out", str(out)]
    res = CliRunner().invoke(cli, [*args, *search])
    assert res.exit_code == 0, res.output
    scenario = optimizer.load_scenario(out / "scenario")
    assert scenario.policy.now == 720
    begun = {c for c, r in _rows(first / "schedule.csv").items()
             if r["date"] == str(D2) and r["start"] and r["start"] < "12:00"}  # fmt: skip
    assert begun >= {"D", "E"}
    assert {c.case_id for c in scenario.cases if c.fixed_date == D2} == begun
    nxt = tmp_path / "next"
    later = str(D2 + dt.timedelta(days=1))
    res = CliRunner().invoke(
        cli, ["replan", str(out), "--today", later, "--out", str(nxt), *search]
    )
    assert res.exit_code == 0, res.output
    assert optimizer.load_scenario(nxt / "scenario").policy.now is None


def _late_morning(now: int) -> Scenario:
    day = dt.date(2024, 4, 16)
    cases = (
        Case(case_id="A", specialty="gen", surgeon_id="S1", duration_min=60, urgency="P3",
             planned_date=day, planned_room="R1", planned_start=480),
    )  # fmt: skip
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="R1"),),
        sessions=tuple(
            Session(date=day + dt.timedelta(days=k), room_id="R1", start=480, end=720)
            for k in range(2)
        ),  # fmt: skip
        policy=Policy(start_date=day, end_date=day + dt.timedelta(days=1), now=now),
    )


def test_a_case_whose_day_has_run_out_is_postponed_and_says_why() -> None:
    """Planned at 08:00 on a day the plan is made at 11:30 (not begun: nothing holds it),
    a 60-min case no longer fits before 12:00: it goes to the next day, and its reason says
    the plan was made too late in the day, which the checker accepts."""
    result = optimizer.solve(_late_morning(690), workers=1, work_limit=1, seed=0)
    row = result.schedule.set_index("case_id").loc["A"]
    assert (row["status"], str(row["date"])) == ("postponed", "2024-04-17")
    assert row["cause"] == "other"
    assert "the plan was made at 11:30 on 16/04" in row["reason"]
    assert check_schedule(result.scenario, result.schedule) == []
    result = optimizer.solve(_late_morning(600), workers=1, work_limit=1, seed=0)
    row = result.schedule.set_index("case_id").loc["A"]
    assert (row["status"], str(row["date"]), row["start"]) == ("kept", "2024-04-16", "10:00")


def test_the_checker_refuses_a_case_started_before_the_plan_was_made() -> None:
    """A case not held there that starts before ``now`` on the first date breaks rule
    ``now``."""
    sc = _late_morning(600)
    row = {"case_id": "A", "status": "kept", "date": "2024-04-16", "room_id": "R1",
           "start": "08:00", "end": "09:00", "partner_id": "", "delay_days": 0,
           "reason": ""}  # fmt: skip
    [broken] = [v for v in check_schedule(sc, pd.DataFrame([row])) if v.rule == "now"]
    assert broken.case_id == "A" and "before the plan was made (10:00)" in broken.message


def test_now_travels_with_the_scenario_and_a_bad_one_is_named(tmp_path: Path) -> None:
    """policy.toml's ``now`` ("HH:MM") is written and read back; a time that is not one is
    bad input naming the key; the command line takes 10h30 as planners write it."""
    folder = write_scenario(_late_morning(630), tmp_path / "sc")
    assert 'now = "10:30"' in (folder / "policy.toml").read_text(encoding="utf-8")
    assert optimizer.load_scenario(folder).policy.now == 630
    text = (folder / "policy.toml").read_text(encoding="utf-8")
    (folder / "policy.toml").write_text(text.replace('"10:30"', '"25:00"'), encoding="utf-8")
    res = CliRunner().invoke(cli, ["validate", str(folder)])
    assert res.exit_code == 2 and "now" in res.output and "25:00" in res.output, res.output
    bad = CliRunner().invoke(cli, ["replan", str(folder), "--today", "2024-04-16", "--now",
                                   "dix heures", "--out", str(tmp_path / "x")])  # fmt: skip
    assert bad.exit_code == 2 and "is not a time of day" in bad.output, bad.output


def test_ten_thirty_as_planners_write_it_is_read_everywhere_now_is(
    first: Path, tmp_path: Path
) -> None:
    """``--now 10h30`` was taken on the command line only: the API (``now="10h30"``) and
    policy.toml (``now = "10h30"``) refused it as "not a clock time HH:MM". One parser now
    reads it wherever a time is read."""
    from optimizer.replan.command import prepare

    assert prepare(first, D2, now="10h30").scenario.policy.now == 630  # replan()'s reading
    folder = write_scenario(_late_morning(630), tmp_path / "sc")
    text = (folder / "policy.toml").read_text(encoding="utf-8")
    (folder / "policy.toml").write_text(text.replace('"10:30"', '"10h30"'), encoding="utf-8")
    assert optimizer.load_scenario(folder).policy.now == 630
