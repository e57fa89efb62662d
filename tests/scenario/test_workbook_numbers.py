"""A date or a time that shows as a number in Excel: said as what it is.

A column of dates or times that lost its format (pasted as values, an export) shows
Excel's own numbers: 45398 for 16/04/2024, 0.333333333333333 for 08:00. The planner was
told "'45398' is not a date of the form YYYY-MM-DD", with nothing to say what the number
is nor how to get the date back. Now the problem says which date or time Excel holds and
to format the cell; the number is still refused (the screen shows a number, and a typo
such as 2024 would otherwise be read as a date of 1905).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli
from optimizer.scenario import ScenarioError, load_scenario
from tests.scenario.test_workbook import CASES, D16, T8, book
from tests.scenario.test_workbook_french import POLICY_FR, french


def _cases(date: object, start: object) -> list[list[object]]:
    return [CASES, ["C1", "orthopaedics", "S1", 90, "P2", date, "OR1", start, False]]


def test_a_date_or_time_shown_as_a_number_names_what_excel_holds(tmp_path: Path) -> None:
    """planned_date 45398 and planned_start 1/3 (cells formatted General): each problem
    names the date and the time and says to format the cell; 2024 (a year typed alone) and
    8 (an hour) are numbers that are no date or time of Excel's: said as before."""
    path = book(tmp_path / "b.xlsx", french(cases=_cases(45398, 1 / 3), policy=POLICY_FR[:3]))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    said = {(p.row, p.column): p.message for p in info.value.problems}
    assert said[(2, "planned_date")] == (
        "'45398' is a number, not a date: Excel shows a date as a number when its cell has "
        "no date format (that is 2024-04-16); format the cell as a date"
    )
    assert said[(2, "planned_start")] == (
        "'0.333333333333333' is a number, not a clock time: Excel shows a time as a fraction "
        "of a day when its cell has no time format (that is 08:00); format the cell as a "
        "time (hh:mm)"
    )
    path = book(tmp_path / "c.xlsx", french(cases=_cases(2024, 8), policy=POLICY_FR[:3]))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    said = {(p.row, p.column): p.message for p in info.value.problems}
    assert said[(2, "planned_date")].startswith("'2024' is not a date of the form")
    assert said[(2, "planned_start")].startswith("'8' is not a clock time")


def test_in_french_the_number_is_said_as_a_french_date(tmp_path: Path) -> None:
    """The same in a French workbook, through ``validate``: exit 2, in French."""
    path = book(tmp_path / "b.xlsx", french(cases=_cases(45398.0, T8)))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert (
        "cases, ligne 2, colonne planned_date : '45398' est un nombre, pas une date : Excel "
        "affiche une date comme un nombre quand sa cellule n'a pas le format date (soit le "
        "16/04/2024) ; appliquez le format date à la cellule" in result.output
    )


def test_a_real_excel_date_and_time_still_read(tmp_path: Path) -> None:
    """The cells as Excel stores a formatted date and time: read, no problem."""
    scenario = load_scenario(book(tmp_path / "b.xlsx", french(cases=_cases(D16, T8))))
    assert scenario.cases[0].planned_date == D16
