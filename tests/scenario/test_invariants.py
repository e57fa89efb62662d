"""The scenario checks itself: a Scenario built in code breaking an invariant is refused,
each problem named by collection, position and id; the same scenario in a folder gives
the same problems by file, row and column (the loader only maps them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import optimizer
from optimizer.scenario import Scenario, ScenarioError, load_scenario, write_scenario
from optimizer.scenario.errors import InvalidScenario
from optimizer.scenario.schema import Case, ResourceCapacity, Session
from tests.conftest import TINY_D0, TINY_D1


def _refused(scenario: Scenario, **update: object) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(InvalidScenario) as err:
        scenario.model_copy(update=update)
    return [(p.file, p.row, p.column) for p in err.value.problems]


def _messages(scenario: Scenario, **update: object) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        scenario.model_copy(update=update)
    return [p.message for p in err.value.problems]


def test_a_duplicate_case_id_is_named_by_object_and_id(tiny_hospital: Scenario) -> None:
    """A case listed twice in code: ``cases, row 3, column case_id``, the id and its first row."""
    cases = (*tiny_hospital.cases, tiny_hospital.cases[0])
    assert _refused(tiny_hospital, cases=cases) == [("cases", 3, "case_id")]
    assert _messages(tiny_hospital, cases=cases) == ["case A is already listed on row 0"]


def test_an_unknown_room_is_named_by_object_and_id(tiny_hospital: Scenario) -> None:
    """A case planned in a room not in the rooms, and a session of an unknown room."""
    cases = list(tiny_hospital.cases)
    cases[1] = cases[1].model_copy(update={"planned_room": "R9"})
    assert _refused(tiny_hospital, cases=tuple(cases)) == [("cases", 1, "planned_room")]
    assert _messages(tiny_hospital, cases=tuple(cases)) == ["room R9 is not listed in rooms"]
    sessions = (*tiny_hospital.sessions, Session(date=dt.date(2024, 4, 17), room_id="R9",
                                                 start=480, end=600))  # fmt: skip
    assert _refused(tiny_hospital, sessions=sessions) == [("sessions", 2, "room_id")]


def test_a_pinned_case_that_does_not_fit_is_refused_in_code(tiny_hospital: Scenario) -> None:
    """Pinned at 09:30 for 60 min in a session ending at 10:00: named by case and column."""
    cases = list(tiny_hospital.cases)
    cases[1] = cases[1].model_copy(update={"pinned": True, "planned_start": 570})
    assert _refused(tiny_hospital, cases=tuple(cases)) == [("cases", 1, "planned_start")]
    [message] = _messages(tiny_hospital, cases=tuple(cases))
    assert message.startswith("pinned case B (09:30-10:30) does not fit the session of room R1")


def test_the_same_problems_from_a_folder_name_file_row_and_column(
    tiny_hospital: Scenario, tmp_path: Path
) -> None:
    """The folder of the scenario with a pinned case that does not fit: the loader maps the
    data model's own flaw to the case's row (row 3: the header is row 1) and the same column,
    with the same words."""
    cases = list(tiny_hospital.cases)
    cases[1] = cases[1].model_copy(update={"planned_start": 570})
    write_scenario(tiny_hospital.model_copy(update={"cases": tuple(cases)}), tmp_path)
    text = (tmp_path / "cases.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = text[2].split(",")
    row[header.index("pinned")] = "true"
    text[2] = ",".join(row)
    (tmp_path / "cases.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(tmp_path)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("cases.csv", 3, "planned_start")
    assert problem.message.startswith("pinned case B (09:30-10:30) does not fit the session")


def test_two_pinned_cases_name_each_other_by_row(tiny_hospital: Scenario) -> None:
    """Pinned A and B 30 min apart in R1 overlap: B's row names A's row (its position)."""
    cases = list(tiny_hospital.cases)
    cases[0] = cases[0].model_copy(update={"pinned": True})
    cases[1] = cases[1].model_copy(update={"pinned": True, "planned_start": 510})
    [message] = _messages(tiny_hospital, cases=tuple(cases))
    assert "A (08:00-09:00, row 0) and B (08:30-09:30)" in message


def test_a_copy_is_validated_and_its_lookups_are_its_own(tiny_hospital: Scenario) -> None:
    """``model_copy(update=...)`` checks the copy and never carries a cached lookup over."""
    assert (TINY_D1, "R1") in tiny_hospital.session_by_key
    fewer = tiny_hospital.model_copy(update={"sessions": tiny_hospital.sessions[:1]})
    assert (TINY_D1, "R1") not in fewer.session_by_key
    resources = (ResourceCapacity(date=TINY_D1, resource="anaesthetist", capacity=1),) * 2
    assert _refused(tiny_hospital, resources=resources) == [("resources", 1, "resource")]


def test_closing_the_room_of_a_pinned_case_names_the_case(tiny_hospital: Scenario) -> None:
    """An edit in code makes a new scenario, which refuses a pinned case left without session."""
    cases = list(tiny_hospital.cases)
    cases[0] = cases[0].model_copy(update={"pinned": True})
    pinned = tiny_hospital.model_copy(update={"cases": tuple(cases)})
    with pytest.raises(ScenarioError, match="case A is pinned in room R1, which has no session"):
        optimizer.close_room(pinned, "R1", TINY_D0)


def test_a_case_built_in_code_keeps_its_own_checks() -> None:
    """A pinned case needs its whole slot: the Case itself says so, with its id."""
    with pytest.raises(ValueError, match="case X is pinned but has no planned date"):
        Case(case_id="X", specialty="g", surgeon_id="S", duration_min=30, urgency="P2",
             pinned=True)  # fmt: skip


def test_equipment_is_fixed_in_a_room_or_a_pool_and_never_a_reserved_name(
    tiny_hospital: Scenario, tmp_path: Path
) -> None:
    """A scenario built in code accepted a case needing equipment no room or pool holds (it
    came out unscheduled without a word), a reserved name as equipment, and a name both fixed
    in a room and a pool. Refused as the loader refuses the same files, in the same words."""
    a, b, e = tiny_hospital.cases
    room = tiny_hospital.rooms[0]
    pool = ResourceCapacity(date=TINY_D0, resource="c_arm", capacity=1)
    bad = {
        "cases": (
            a.model_copy(update={"equipment": ("laser",)}),
            b.model_copy(update={"equipment": ("icu_bed",)}),
            e,
        ),
        "rooms": (room.model_copy(update={"equipment": frozenset({"c_arm"})}),),
        "resources": (*tiny_hospital.resources, pool),
    }
    where = _refused(tiny_hospital, **bad)
    said = _messages(tiny_hospital, **bad)
    assert ("cases", 0, "equipment") in where and ("cases", 1, "equipment") in where
    assert ("resources", len(tiny_hospital.resources), "resource") in where
    assert "laser is neither fixed in a room (rooms.csv) nor a mobile pool (resources.csv)" in said
    assert "icu_bed is a reserved resource name, not equipment (use the needs_icu and icu_days " \
        "columns)" in said  # fmt: skip
    # equipment a room holds, or a pool, is fine
    fine = tiny_hospital.model_copy(
        update={
            "cases": (a.model_copy(update={"equipment": ("c_arm",)}), b, e),
            "resources": (*tiny_hospital.resources, pool),
        }
    )
    assert Scenario.model_validate(fine.model_dump()).cases[0].equipment == ("c_arm",)
