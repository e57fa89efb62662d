"""Changing a scenario in code (optimizer.scenario.edit): new validated scenarios, the
one given untouched, mistakes named as the loader names them."""

from __future__ import annotations

import datetime as dt

import pytest

import optimizer
from optimizer.scenario import Scenario
from tests.conftest import TINY_D0, TINY_D1


def test_closing_a_room_removes_its_session_that_date_only(tiny_hospital: Scenario) -> None:
    """R1 closed on D0: D0's session is gone, D1's stays; the original keeps both."""
    closed = optimizer.close_room(tiny_hospital, "R1", TINY_D0)
    assert [(s.date, s.room_id) for s in closed.sessions] == [(TINY_D1, "R1")]
    assert len(tiny_hospital.sessions) == 2
    assert closed.cases == tiny_hospital.cases  # the cases planned there are to be moved


def test_closing_takes_iso_text_and_every_date(tiny_hospital: Scenario) -> None:
    """A date as ISO text works; no date closes the room on every date."""
    assert len(optimizer.close_room(tiny_hospital, "R1", "2024-04-16").sessions) == 1
    assert optimizer.close_rooms(tiny_hospital, ["R1"]).sessions == ()


def test_closing_an_unknown_room_or_nothing_is_an_error(tiny_hospital: Scenario) -> None:
    """A typo is said, not ignored: an unknown room, or a date with no session."""
    with pytest.raises(optimizer.ScenarioError, match="room R9 is not listed"):
        optimizer.close_room(tiny_hospital, "R9", TINY_D0)
    with pytest.raises(optimizer.ScenarioError, match="no session"):
        optimizer.close_room(tiny_hospital, "R1", dt.date(2024, 5, 1))


def test_closing_the_room_of_a_pinned_case_is_refused(tiny_hospital: Scenario) -> None:
    """The rebuilt scenario passes the loader's pinned checks: a pinned case cannot move."""
    cases = list(tiny_hospital.cases)
    cases[0] = cases[0].model_copy(update={"pinned": True})
    pinned = tiny_hospital.model_copy(update={"cases": tuple(cases)})
    with pytest.raises(optimizer.ScenarioError) as err:
        optimizer.close_room(pinned, "R1", TINY_D0)
    assert [(p.file, p.row) for p in err.value.problems] == [("cases", 0)]


def test_shortening_sessions(tiny_hospital: Scenario) -> None:
    """By minutes or to a latest end; a session ending before that end is left as it is."""
    by = optimizer.shorten_sessions(tiny_hospital, by_min=30, dates=TINY_D0)
    assert [(s.start, s.end) for s in by.sessions] == [(480, 570), (480, 540)]
    to = optimizer.shorten_sessions(tiny_hospital, end="09:30")
    assert [(s.start, s.end) for s in to.sessions] == [(480, 570), (480, 540)]


def test_shortening_a_session_to_nothing_is_an_error(tiny_hospital: Scenario) -> None:
    """The loader's own message, on the session's row and its end column."""
    with pytest.raises(optimizer.ScenarioError) as err:
        optimizer.shorten_sessions(tiny_hospital, by_min=60, dates=TINY_D1)
    assert [(p.file, p.row, p.column) for p in err.value.problems] == [("sessions", 1, "end")]
    with pytest.raises(ValueError, match="end or by_min"):
        optimizer.shorten_sessions(tiny_hospital)


def test_adding_cases(tiny_hospital: Scenario) -> None:
    """New cases come after the scenario's own, validated; empty columns take defaults."""
    new = optimizer.add_cases(
        tiny_hospital,
        [{"case_id": "N", "specialty": "general", "surgeon_id": "SN", "duration_min": 45,
          "urgency": "P3", "planned_date": "2024-04-16"}],
    )  # fmt: skip
    assert [c.case_id for c in new.cases] == ["A", "B", "E", "N"]
    assert new.cases[3].planned_date == TINY_D1 and new.cases[3].anaesthesia == "general"
    assert len(tiny_hospital.cases) == 3


def test_adding_a_case_with_a_duplicate_id_is_an_error(tiny_hospital: Scenario) -> None:
    """The id already listed: named on the new row (the fourth of the cases frame)."""
    with pytest.raises(optimizer.ScenarioError) as err:
        optimizer.add_cases(
            tiny_hospital,
            [{"case_id": "A", "specialty": "general", "surgeon_id": "SN",
              "duration_min": 45, "urgency": "P3"}],
        )  # fmt: skip
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("cases", 3, "case_id")
    assert problem.message == "case A is already listed on row 0"  # the frame's row, too


def test_adding_cases_with_an_unknown_column_is_an_error(tiny_hospital: Scenario) -> None:
    """A misspelt column would be dropped silently: it is refused instead."""
    with pytest.raises(optimizer.ScenarioError, match="column duration:"):
        optimizer.add_cases(tiny_hospital, [{"case_id": "N", "duration": 45}])


def test_adding_case_objects_and_refusing_what_is_not_rows(tiny_hospital: Scenario) -> None:
    """An analyst holding Case objects (from another scenario, or built in code) adds them
    as they are; a single dict or a Case alone is a TypeError naming ``cases``, where it was
    "cases, column 0: this is not a column of cases.csv"."""

    moved = tiny_hospital.cases[1].model_copy(update={"case_id": "B2", "due_date": TINY_D1})
    new = optimizer.add_cases(tiny_hospital, [moved])
    assert new.cases[3] == moved
    row = {"case_id": "N", "specialty": "general", "surgeon_id": "SN", "duration_min": 45,
           "urgency": "P3"}  # fmt: skip
    for wrong in (row, moved, 3):
        with pytest.raises(TypeError, match="cases must be"):
            optimizer.add_cases(tiny_hospital, wrong)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="all dicts or all Case objects"):
        optimizer.add_cases(tiny_hospital, [row, moved])
