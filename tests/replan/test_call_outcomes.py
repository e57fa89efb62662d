"""Call outcomes in ``replan --events``: declined (with until), unreachable, confirmed; and
``calls.csv``'s column ``call`` with every waiting-list patient given a date."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
from optimizer.check import check_result_folder
from optimizer.cli import cli
from optimizer.replan.command import prepare
from optimizer.replan.files import Events, read_previous
from optimizer.replan.morning import next_morning
from optimizer.result.calls import call_rows, placed_of_cells
from optimizer.scenario import ScenarioError
from tests.replan.test_replan import D1, D2, D3, SEARCH, hospital, rows, write


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = optimizer.solve(hospital(), workers=1, work_limit=2, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def test_a_waiting_patient_given_a_date_is_called_in(first: Path) -> None:
    """W (waiting list) is given a date by day 1's result: calls.csv lists it, with no old
    appointment, as a first call."""
    [w] = [r for r in rows(first / "calls.csv") if r["case_id"] == "W"]
    assert w["status"] == "scheduled" and w["old_date"] == "" and w["call"] == "first"


def test_declined_until_writes_the_unavailability_and_no_date_comes_before(
    first: Path, tmp_path: Path
) -> None:
    """D declines its day-2 slot until the day after the horizon: the re-plan's scenario/
    holds D unavailable from --today to the day before until, D gets no date, and the result
    passes the checker; E confirmed keeps its slot."""
    after = D3 + (D3 - D2)
    events = write(tmp_path / "e.csv", f"case_id,event,until\nD,declined,{after}\nE,confirmed,\n")
    out = tmp_path / "day2"
    res = CliRunner().invoke(cli, ["replan", str(first), "--today", str(D2), "--out", str(out),
                                   "--events", str(events), *SEARCH])  # fmt: skip
    assert res.exit_code == 0, res.output
    away = rows(out / "scenario" / "unavailable.csv")
    assert [(r["case_id"], r["from"], r["to"]) for r in away] == [("D", str(D2), str(D3))]
    sched = {r["case_id"]: r for r in rows(out / "schedule.csv")}
    assert sched["D"]["status"] == "unscheduled" and sched["D"]["cause"] == "patient_unavailable"
    assert sched["E"]["status"] == "kept"
    scenario = optimizer.load_scenario(out / "scenario")
    assert check_result_folder(scenario, out) == []


def test_an_unreachable_patient_keeps_the_appointment_they_knew(first: Path) -> None:
    """E had been told day 3 by an earlier re-plan, then the previous result moved it to day 2
    but could not reach the patient: E's appointment is day 3 again, its count unchanged; a
    known appointment already past is none."""
    previous = read_previous(first)
    cases = tuple(
        c.model_copy(update={"announced_date": D3, "announced_room": "R1",
                             "announced_start": 480, "announced_count": 1})
        if c.case_id == "E" else c
        for c in previous.scenario.cases
    )  # fmt: skip
    previous = dataclasses.replace(
        previous, scenario=previous.scenario.model_copy(update={"cases": cases})
    )
    events = Events()
    events["E"] = "unreachable"
    [e] = [c for c in next_morning(previous, D2, events=events).scenario.cases if c.case_id == "E"]
    assert (e.announced_date, e.announced_room, e.announced_start) == (D3, "R1", 480)
    assert e.announced_count == 1
    [e] = [c for c in next_morning(previous, D3 + (D3 - D2) * 0, events=events).scenario.cases
           if c.case_id == "E"]  # fmt: skip
    assert e.announced_date == D3


def test_declined_needs_a_date_from_today_on(first: Path, tmp_path: Path) -> None:
    """A declined row without until, or with one before --today, is bad input by row and
    column; an unknown outcome is named too."""
    bad = write(tmp_path / "e.csv",
                f"case_id,event,until\nD,declined,\nE,declined,{D1}\nW,maybe,\n")  # fmt: skip
    with pytest.raises(ScenarioError) as err:
        prepare(first, D2, events=bad)
    assert [(p.row, p.column) for p in err.value.problems] == [
        (2, "until"),
        (3, "until"),
        (4, "event"),
    ]


def test_call_says_first_or_again() -> None:
    """A patient re-announced before (announced_count 1) whose appointment changes again is
    called again; one never called before is a first call."""
    sc = hospital()
    cases = tuple(
        c.model_copy(update={"announced_date": D1, "announced_room": "R1",
                             "announced_start": 480, "announced_count": 1})
        if c.case_id == "A" else c
        for c in sc.cases
    )  # fmt: skip
    sc = sc.model_copy(update={"cases": cases})
    moved = {"status": "postponed", "date": str(D3), "room_id": "R1", "start": "08:00",
             "partner_id": None, "reason": "x"}  # fmt: skip
    kept = {"status": "kept", "partner_id": None, "reason": ""}
    schedule = []
    for c in sc.cases:
        if c.case_id in ("A", "B"):
            schedule.append(moved)
        elif c.planned_date is None:
            schedule.append({**kept, "status": "unscheduled", "date": None, "room_id": None,
                             "start": None})  # fmt: skip
        else:
            start = f"{c.planned_start // 60:02d}:{c.planned_start % 60:02d}"
            schedule.append({**kept, "date": str(c.planned_date), "room_id": c.planned_room,
                             "start": start})  # fmt: skip
    calls = {r["case_id"]: r["call"] for r in call_rows(sc, placed_of_cells(schedule))}
    assert calls == {"A": "again", "B": "first"}


def test_declined_clears_a_fixed_date_the_patient_refuses(first: Path) -> None:
    """D, fixed by the planner on day 2, declines until day 3: the re-plan clears the fixed
    date (the patient refuses it) rather than stopping as bad input; a fixed date on or after
    until stays."""
    previous = read_previous(first)

    def fixed_on(day: object) -> object:
        cases = tuple(
            c.model_copy(update={"fixed_date": day}) if c.case_id == "D" else c
            for c in previous.scenario.cases
        )
        return dataclasses.replace(
            previous, scenario=previous.scenario.model_copy(update={"cases": cases})
        )

    events = Events()
    events["D"] = "declined"
    events.until["D"] = D3
    for day, kept in ((D2, None), (D3, D3)):
        morning = next_morning(fixed_on(day), D2, events=events)  # type: ignore[arg-type]
        [d] = [c for c in morning.scenario.cases if c.case_id == "D"]
        assert d.fixed_date == kept


@pytest.mark.parametrize(
    ("lang", "said"), [("en", f"declined: not before {D3}"), ("fr", "refusé : pas avant le {fr}")]
)
def test_declined_reason_is_written_in_the_policy_language(
    first: Path, lang: str, said: str
) -> None:
    """The unavailability a declined call writes (scenario/unavailable.csv, read by planners in
    a spreadsheet) gives its reason in the policy's language: a French hospital's file said
    "declined: not before 2024-04-23", English and an ISO date; it now says "refusé : pas
    avant le 23/04/2024"."""
    previous = read_previous(first)
    policy = previous.scenario.policy.model_copy(update={"language": lang})
    french = dataclasses.replace(
        previous, scenario=previous.scenario.model_copy(update={"policy": policy})
    )
    events = Events()
    events["D"] = "declined"
    events.until["D"] = D3
    morning = next_morning(french, D2, events=events)
    [away] = [u for u in morning.scenario.unavailable if u.case_id == "D"]
    assert away.reason == said.format(fr=D3.strftime("%d/%m/%Y"))
