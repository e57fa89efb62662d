"""An unreachable patient whose known appointment is already past is called as any changed
case (contract, "Call outcomes in replan --events"), even when an earlier re-plan had called
them before: they were never told there is no date for now."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import optimizer
from optimizer.facts.booking import Booking
from optimizer.replan.files import Events, read_previous
from optimizer.replan.morning import next_morning
from optimizer.result.calls import call_rows
from tests.replan.test_replan import D2, D3, hospital


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = optimizer.solve(hospital(), workers=1, work_limit=2, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def test_an_unreachable_patient_whose_known_slot_passed_is_called(first: Path) -> None:
    """E had been told day 2, 08:00 by an earlier re-plan (announced_count 1); the previous
    result moved it and the call did not get through. On day 3 that appointment is past:
    left without a date, E is still called (its old appointment, a second call); so it is
    when given day 3."""
    previous = read_previous(first)
    cases = tuple(
        c.model_copy(update={"announced_date": D2, "announced_room": "R1",
                             "announced_start": 480, "announced_count": 1})
        if c.case_id == "E" else c
        for c in previous.scenario.cases
    )  # fmt: skip
    previous = dataclasses.replace(
        previous, scenario=previous.scenario.model_copy(update={"cases": cases})
    )
    events = Events()
    events["E"] = "unreachable"
    scenario = next_morning(previous, D3, events=events).scenario
    nothing = Booking(status="unscheduled", date=None, room=None, start=None, partner=None)
    day3 = Booking(status="postponed", date=D3, room="R1", start=480, partner=None)
    for new in (nothing, day3):
        placed = [(new if c.case_id == "E" else nothing, "x") for c in scenario.cases]
        calls = {r["case_id"]: r for r in call_rows(scenario, placed)}
        assert "E" in calls, new
        assert calls["E"]["old_date"] == D2.isoformat() and calls["E"]["call"] == "again"
