"""The policy sheet's cells said in the workbook's words and language.

A start date typed in a cell without a date format (Excel shows 45398) was told in English
whatever the language, in policy.toml's words ("write it as start_date = 2024-04-16"); a
ratio's example read "par exemple 0.9" where a French Excel takes 0,9.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from optimizer.scenario import ScenarioError, load_scenario
from optimizer.scenario.problem_words import problem_text
from tests.scenario.test_workbook import D16, book
from tests.scenario.test_workbook_hidden import small


def _policy_problem(path: Path, rows: list[list[Any]]) -> tuple[str, str]:
    sheets = small()
    sheets["policy"] = [["key", "value"], *rows]
    with pytest.raises(ScenarioError) as info:
        load_scenario(book(path, sheets))
    [p] = info.value.problems
    return problem_text(p, "en"), problem_text(p, "fr")


def test_a_start_date_shown_as_a_number_is_said_as_a_cell(tmp_path: Path) -> None:
    """start_date 45398 (2024-04-16 without its date format): the cell's problem, as the
    other sheets say it, in English and French."""
    english, french = _policy_problem(
        tmp_path / "b.xlsx", [["start_date", 45398], ["end_date", D16]]
    )
    assert english == (
        "policy, row 2, column start_date: '45398' is a number, not a date: Excel shows a date "
        "as a number when its cell has no date format (that is 2024-04-16); format the cell "
        "as a date"
    )
    assert french == (
        "policy, ligne 2, colonne start_date : '45398' est un nombre, pas une date : Excel "
        "affiche une date comme un nombre quand sa cellule n'a pas le format date (soit le "
        "16/04/2024) ; appliquez le format date à la cellule"
    )


def test_a_year_alone_is_still_not_a_date(tmp_path: Path) -> None:
    """2024 is no Excel date of this century: said as before (not "that is 1905-07-16")."""
    english, _ = _policy_problem(tmp_path / "b.xlsx", [["start_date", 2024]])
    assert "2024 is not a date" in english and "1905" not in english


def test_a_ratio_typed_as_text_says_to_type_a_number(tmp_path: Path) -> None:
    """'0,9' typed as text is refused (a French Excel stores 0,9 typed in a number cell as
    the number 0.9, which is read): the example says so, 0,9 in French."""
    english, french = _policy_problem(tmp_path / "b.xlsx", [["target_ratio", "0,9"]])
    assert english == (
        "policy, row 2, column target_ratio: '0,9' is not a ratio between 0 and 1 (e.g. 0.9 "
        "in a number cell)"
    )
    assert french == (
        "policy, ligne 2, colonne target_ratio : '0,9' n'est pas un taux entre 0 et 1 (par "
        "exemple 0,9 dans une cellule au format nombre)"
    )
    sheets = small()
    sheets["policy"] = [["key", "value"], ["target_ratio", 0.9], ["language", "fr"]]
    assert load_scenario(book(tmp_path / "ok.xlsx", sheets)).policy.target_ratio == 0.9


def test_policy_toml_keeps_its_own_words(tmp_path: Path) -> None:
    """In a folder, policy.toml is TOML: the example stays 0.9 in French."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "rooms.csv").write_text("room_id\nOR1\n")
    (folder / "sessions.csv").write_text("date,room_id,start,end\n2024-04-16,OR1,08:00,16:00\n")
    (folder / "cases.csv").write_text(
        "case_id,specialty,surgeon_id,duration_min,urgency\nC1,general,S1,60,P2\n"
    )
    (folder / "policy.toml").write_text('language = "fr"\ntarget_ratio = "0,9"\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    [p] = info.value.problems
    assert problem_text(p, "fr").endswith("(par exemple 0.9)")
