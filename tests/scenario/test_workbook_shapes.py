"""Sheets laid out as secretaries lay them out: a second table below the first, a header
with merged cells, a required sheet under another name. Each is one problem saying what to
change, in English and in French.

Before, a second table gave one "empty cell" problem per cell (or, in sheet rooms, read the
repeated header ``room_id`` as a room, silently); a merged header cell was a "missing column";
a sheet named ``Interventions`` was only "missing from the workbook".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from optimizer.scenario import ScenarioError, load_scenario
from optimizer.scenario.problem_words import problem_text
from tests.scenario.test_workbook import CASES, book
from tests.scenario.test_workbook_hidden import small


def _problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [(problem_text(p, "en"), problem_text(p, "fr")) for p in info.value.problems]


def _second_table(sheets: dict[str, list[list[Any]]], name: str, n: int) -> None:
    header = sheets[name][0]
    sheets[name] += [[], header[:3]] + [[f"X{i}", "general", "S1"] for i in range(n)]


def test_a_second_table_below_the_cases_is_one_problem(tmp_path: Path) -> None:
    """A blank row, the header again (three of its columns) and 30 rows: one problem, on
    the repeated header's row, not 60 empty cells."""
    sheets = small()
    _second_table(sheets, "cases", 30)
    [(english, french)] = _problems(book(tmp_path / "b.xlsx", sheets))
    assert english == (
        "cases, row 6: this row repeats the header: sheet cases holds one table; join the "
        "rows below it to the table above, with no blank row or second header"
    )
    assert french == (
        "cases, ligne 6 : cette ligne répète l'en-tête : la feuille cases ne contient qu'un "
        "tableau ; rattachez les lignes qui la suivent au tableau du dessus, sans ligne vide "
        "ni second en-tête"
    )


def test_a_repeated_rooms_header_is_not_read_as_a_room(tmp_path: Path) -> None:
    """Sheet rooms with its header typed again lower down: the workbook loaded, with a room
    named ``room_id``; it is now refused, naming the row."""
    sheets = small()
    sheets["rooms"] += [[], ["room_id", "specialties"], ["OR5", ""]]
    [(english, _)] = _problems(book(tmp_path / "b.xlsx", sheets))
    assert english.startswith("rooms, row 5: this row repeats the header")


def test_a_row_naming_a_case_like_a_column_is_data(tmp_path: Path) -> None:
    """A case whose specialty is typed ``specialty`` is a row of data, not a header: only
    a row whose first cell is the first column's name is taken for a header."""
    sheets = small()
    sheets["cases"][3][1] = "specialty"
    load_scenario(book(tmp_path / "b.xlsx", sheets))


def test_merged_cells_in_the_header_are_named(tmp_path: Path) -> None:
    """D1:E1 merged (duration_min over urgency): the header's merged cells are named, not
    "urgency is missing"."""
    sheets = small()
    sheets["cases"][0] = [*CASES[:4], None, *CASES[5:]]
    path = book(tmp_path / "b.xlsx", sheets)
    wb = load_workbook(path)
    wb["cases"].merge_cells("D1:E1")
    wb.save(path)
    [(english, french)] = _problems(path)
    assert english == (
        "cases, row 1: cells D1:E1 of the header are merged: Excel keeps the name in D1 "
        "only; unmerge them and type each column's name"
    )
    assert french == (
        "cases, ligne 1 : les cellules D1:E1 de l'en-tête sont fusionnées : Excel ne garde "
        "le nom que dans D1 ; annulez la fusion et saisissez le nom de chaque colonne"
    )


def test_a_merged_title_right_of_the_table_over_nothing_is_left_alone(tmp_path: Path) -> None:
    """A note merged over empty columns right of the header hides no column: read as before."""
    sheets = small()
    sheets["rooms"][0] += ["notes"]
    path = book(tmp_path / "b.xlsx", sheets)
    wb = load_workbook(path)
    wb["rooms"].merge_cells("C1:E1")
    wb.save(path)
    assert len(load_scenario(path).rooms) == 2


def test_a_missing_sheet_lists_the_sheets_present(tmp_path: Path) -> None:
    """The cases in a sheet named ``Interventions`` (no near name): the problem lists the
    sheets the workbook has, and says to add or rename one."""
    sheets = small()
    sheets["Interventions"] = sheets.pop("cases")
    [(english, french)] = _problems(book(tmp_path / "b.xlsx", sheets))
    assert english == (
        "cases: this required sheet is missing from the workbook (sheets found: 'rooms', "
        "'sessions', 'policy', 'Interventions'): add it, or rename the sheet that holds its rows"
    )
    assert french == (
        "cases : cette feuille obligatoire manque dans le classeur (feuilles présentes : "
        "'rooms', 'sessions', 'policy', 'Interventions') : ajoutez-la, ou renommez la feuille "
        "qui contient ses lignes"
    )
