"""``replan --sessions`` taking away the slot of a pinned case: the error names the row of the
sessions file the user wrote, and says the case is pinned there (not "the re-planned
cases.csv", a file the user never wrote)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
from optimizer.cli import cli
from optimizer.replan.command import prepare
from optimizer.scenario import ScenarioError
from optimizer.scenario.problem_words import message
from tests.replan.test_replan import D2, SEARCH, hospital, write

HEADER = "date,room_id,start,end\n"
PINNED = (
    "case D is pinned there from 08:00 to 09:00; a pinned case keeps its slot: keep room R1 "
    "open from 08:00 to 09:00 at least, or unpin the case in the previous result's "
    "scenario/cases.csv"
)


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Day 1 solved with D pinned on day 2 in R1 at 08:00 (60 min)."""
    base = hospital()
    cases = tuple(c.model_copy(update={"pinned": c.case_id == "D"}) for c in base.cases)
    result = optimizer.solve(base.model_copy(update={"cases": cases}), workers=1, work_limit=1)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def _problem(first: Path, sessions: Path) -> tuple[str, int | None, str | None, str]:
    with pytest.raises(ScenarioError) as exc:
        prepare(first, D2, sessions=sessions)
    [p] = exc.value.problems
    return p.file, p.row, p.column, p.message


def test_a_row_closing_the_room_of_a_pinned_case_is_named(first: Path, tmp_path: Path) -> None:
    """Regression: "the re-planned cases.csv, column planned_room: case D is pinned in room
    R1, which has no session on 2024-04-17". Row 2 closes R1 on day 2, where D is pinned:
    that row and its column start are named, with the pinned slot; in French too."""
    sessions = write(tmp_path / "s.csv", HEADER + f"{D2},R1,,\n")
    file, row, column, said = _problem(first, sessions)
    assert (file, row, column) == (str(sessions), 2, "start")
    assert said == f"this row closes room R1 on {D2}, but {PINNED}"
    assert message(said, "fr") == (
        f"cette ligne ferme la salle R1 le {D2:%d/%m/%Y}, mais le cas D y est verrouillé de "
        "08:00 à 09:00 ; un cas verrouillé garde son créneau : gardez la salle R1 ouverte de "
        "08:00 à 09:00 au moins, ou déverrouillez-le dans le fichier scenario/cases.csv du "
        "résultat précédent"
    )


def test_new_hours_cutting_a_pinned_slot_are_named(first: Path, tmp_path: Path) -> None:
    """Row 3 gives R1 from 08:30 on day 2: D's pinned 08:00 start is taken away, that row's
    start is named (row 2, another room, is fine)."""
    sessions = write(tmp_path / "s.csv", HEADER + f"{D2},R2,08:00,12:00\n{D2},R1,08:30,12:00\n")
    file, row, column, said = _problem(first, sessions)
    assert (file, row, column) == (str(sessions), 3, "start")
    assert said == f"this row gives room R1 on {D2} 08:30-12:00, but {PINNED}"
    assert "réservés" not in message(said, "fr") and "verrouillé" in message(said, "fr")


def test_a_date_listed_without_the_room_of_a_pinned_case(first: Path, tmp_path: Path) -> None:
    """Day 2 listed with R2 only closes R1: no row to name, the column room_id and the date."""
    sessions = write(tmp_path / "s.csv", HEADER + f"{D2},R2,08:00,12:00\n")
    file, row, column, said = _problem(first, sessions)
    assert (file, row, column) == (str(sessions), None, "room_id")
    assert said == f"the file lists {D2} without room R1, which closes it, but {PINNED}"


def test_the_command_says_it_and_writes_nothing(first: Path, tmp_path: Path) -> None:
    """The command exits 2, names the file, row and column, and writes nothing."""
    sessions = write(tmp_path / "s.csv", HEADER + f"{D2},R1,,\n")
    out = tmp_path / "out"
    args = ["replan", str(first), "--today", str(D2), "--sessions", str(sessions),
            "--out", str(out), *SEARCH]  # fmt: skip
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 2 and not out.exists()
    assert f"{sessions}, row 2, column start: this row closes room R1" in res.output
    assert "re-planned" not in res.output
