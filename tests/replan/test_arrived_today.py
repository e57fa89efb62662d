"""A case added on the morning of a re-plan (``insert``, ``replan --cases``) with no planned
date arrived that morning: the reasons of the cases it displaces say so, not that it came
from the waiting list, and its own listed date is that morning from then on."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import optimizer
from optimizer.check import check_result_folder
from optimizer.replan.insert import insert, write_insert
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session

D0, D1 = dt.date(2024, 5, 6), dt.date(2024, 5, 7)


def _day_before() -> Scenario:
    """A (P3, 60 min) planned on D1 at 09:00 in R1, open 08:00-11:00 on D0 and D1: alone,
    A stays where it was planned."""
    a = Case(case_id="A", specialty="gen", surgeon_id="S1", duration_min=60, urgency="P3",
             planned_date=D1, planned_room="R1", planned_start=540)  # fmt: skip
    return Scenario(
        cases=(a,),
        rooms=(Room(room_id="R1"),),
        sessions=tuple(Session(date=d, room_id="R1", start=480, end=660) for d in (D0, D1)),
        policy=Policy(start_date=D0, end_date=D1, turnover_min=0),
    )


@pytest.fixture(scope="module")
def inserted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """U (P1a, 120 min, no planned date, due on D1) inserted on D1: only moving A within D1
    lets it in by its deadline."""
    tmp = tmp_path_factory.mktemp("arrived")
    first = optimizer.solve(_day_before(), workers=1, work_limit=1, seed=0)
    day0 = optimizer.write_result(first, tmp / "day0")
    urgent = tmp / "u.csv"
    header = "case_id,specialty,surgeon_id,duration_min,urgency,due_date\n"
    urgent.write_text(f"{header}U,gen,S2,120,P1a,{D1}\n")
    morning, options, names = insert(day0, urgent, D1, top=1, workers=1, work_limit=1, seed=0)
    return write_insert(morning, options, names, tmp / "ins") / "result"


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["case_id"]: r for r in csv.DictReader(fh)}


def test_a_case_moved_for_an_urgent_case_of_the_morning_names_it_arrived(inserted: Path) -> None:
    """A, moved within D1 to make room for U, said "to make room for U (P1a, from the waiting
    list)": U was inserted that morning and was never on the list. It now says U arrived
    on 07/05, in English and in French; the cause checker reads the reason."""
    schedule = _rows(inserted / "schedule.csv")
    assert (schedule["U"]["status"], schedule["U"]["date"]) == ("scheduled", D1.isoformat())
    reason = schedule["A"]["reason"]
    assert schedule["A"]["cause"] == "rearranged", reason
    assert "U (P1a, arrived on 07/05)" in reason and "waiting list" not in reason
    scenario = optimizer.load_scenario(inserted / "scenario")
    french = scenario.model_copy(
        update={"policy": scenario.policy.model_copy(update={"language": "fr"})}
    )
    result = optimizer.solve(french, workers=1, work_limit=1, seed=0)
    said = result.schedule.set_index("case_id").loc["A", "reason"]
    assert "U (P1a, arrivé le 07/05)" in said and "liste d'attente" not in said, said
    assert check_result_folder(scenario, inserted) == []


def test_the_new_case_is_listed_on_the_morning_it_arrived(inserted: Path) -> None:
    """U's listed date was left empty, which means "the first date of the run": the next
    morning's re-plan would have listed it a day later, and its wait restarted every
    morning. It is written as the morning it arrived."""
    cases = _rows(inserted / "scenario" / "cases.csv")
    assert cases["U"]["listed_date"] == D1.isoformat()
    assert cases["A"]["listed_date"] == ""
