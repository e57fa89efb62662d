"""A French planner's workbook: every problem said in French, sheets named as sheets.

The readers write their sentences in English naming files (``rooms.csv``); a workbook's
problems name sheets instead (``sheet rooms``), and the French catalogue did not know
those sentences: they came out in English in the middle of the French list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from optimizer.cli import cli
from tests.scenario.test_workbook import CASES, D16, T8, T16, book, small

POLICY_FR = [["key", "value"], ["start_date", D16], ["end_date", D16], ["language", "fr"]]


def _validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", str(path)])
    return result.exit_code, result.output


def french(**replace: list[list[Any]]) -> dict[str, list[list[Any]]]:
    """test_workbook's small workbook, one date, in French."""
    sessions = [["date", "room_id", "start", "end"], [D16, "OR1", T8, T16]]
    return small(sessions=sessions, policy=POLICY_FR) | replace


def test_an_unknown_room_or_case_is_said_in_french_naming_the_sheet(tmp_path: Path) -> None:
    """A session in room OR9 (sheet rooms lists OR1 and 2) and an unavailability of a case
    the sheet cases does not hold: both in French, "dans la feuille ...", no English."""
    sheets = french(
        sessions=[
            ["date", "room_id", "start", "end"],
            [D16, "OR1", T8, T16],
            [D16, "OR9", T8, T16],
        ],  # fmt: skip
        unavailable=[["case_id", "from", "to"], ["C77", D16, D16]],
    )
    code, out = _validate(book(tmp_path / "b.xlsx", sheets))
    assert code == 2, out
    assert "sessions, ligne 3, colonne room_id : la salle OR9 ne figure pas dans la feuille " \
        "rooms" in out  # fmt: skip
    assert "unavailable, ligne 2, colonne case_id : le cas C77 ne figure pas dans la feuille " \
        "cases" in out  # fmt: skip
    assert "sheet" not in out and "listed" not in out


def test_equipment_neither_fixed_nor_pooled_names_the_sheets_in_french(tmp_path: Path) -> None:
    """A case needing equipment no room has and no pool lists: the sentence names the
    sheets rooms and resources in parentheses, in French."""
    cases = [[*CASES, "equipment"], ["C1", "orthopaedics", "S1", 90, "P2", D16, "OR1", T8,
                                      False, "laser"]]  # fmt: skip
    code, out = _validate(book(tmp_path / "b.xlsx", french(cases=cases)))
    assert code == 2, out
    assert (
        "cases, ligne 2, colonne equipment : laser n'est ni un équipement fixe d'une salle "
        "(feuille rooms) ni un parc mobile (feuille resources)" in out
    )
    assert "sheet" not in out


def test_a_surgeon_typo_warning_names_the_sheet_in_french(tmp_path: Path) -> None:
    """Sheet surgeons lists GEN05; a case's surgeon typed GNE05: the warning is French
    throughout ("n'est pas dans la feuille surgeons"), exit 0."""
    cases = [CASES, ["C1", "orthopaedics", "GNE05", 90, "P2", D16, "OR1", T8, False]]
    surgeons = [["surgeon_id", "date", "start", "end"], ["GEN05", D16, T8, T16]]
    code, out = _validate(book(tmp_path / "b.xlsx", french(cases=cases, surgeons=surgeons)))
    assert code == 0, out
    assert (
        "avertissement : feuille cases, ligne 2 : le chirurgien GNE05 n'est pas dans la "
        "feuille surgeons ; il est donc pris comme disponible" in out
    )
    assert "sheet" not in out
