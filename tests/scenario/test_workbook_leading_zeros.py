"""An id whose leading zeros Excel dropped: ``01`` typed as text in one sheet, ``1`` typed as
a number in another (Excel shows it ``1``).

The problem said only "room 01 is not listed in sheet rooms": the planner saw room 1 right
there and could not tell what was wrong. The typo finder rightly takes ids differing in
digits for a numbered series (``OR1``, ``OR10``), so this has its own rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from optimizer.scenario import ScenarioError, load_scenario
from optimizer.scenario.problem_words import problem_text
from optimizer.scenario.typos import leading_zeros
from tests.scenario.test_workbook import D16, T8, T16, book
from tests.scenario.test_workbook_hidden import small


def _problems(path: Path, sheets: dict[str, list[list[Any]]]) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(book(path, sheets))
    return [(problem_text(p, "en"), problem_text(p, "fr")) for p in info.value.problems]


def test_a_room_typed_as_a_number_in_one_sheet_and_as_text_in_another(tmp_path: Path) -> None:
    """Sheet rooms holds the number 1; a session names room ``01`` (text): the problem says
    sheet rooms has 1 and why, in English and French. The other way round (rooms ``01``,
    a session ``1``) is said the same way."""
    sheets = small()
    sheets["rooms"] = [["room_id"], ["OR1"], [2], [1]]
    sheets["sessions"].append([D16, "01", T8, T16])
    [(english, french)] = _problems(tmp_path / "a.xlsx", sheets)
    assert english == (
        "sessions, row 3, column room_id: room 01 is not listed in sheet rooms, which has 1: "
        "Excel may have dropped leading zeros; type the ids as text"
    )
    assert french == (
        "sessions, ligne 3, colonne room_id : la salle 01 ne figure pas dans la feuille rooms, "
        "qui contient 1 : Excel a pu supprimer des zéros non significatifs ; saisissez les "
        "identifiants comme du texte"
    )
    sheets["rooms"] = [["room_id"], ["OR1"], [2], ["01"]]
    sheets["sessions"][-1][1] = 1
    [(english, _)] = _problems(tmp_path / "b.xlsx", sheets)
    assert "room 1 is not listed in sheet rooms, which has 01: Excel may" in english


def test_a_case_id_that_lost_its_zeros(tmp_path: Path) -> None:
    """Sheet cases holds case 123 (a number); sheet unavailable names ``00123``."""
    sheets = small()
    sheets["cases"].append([123, "orthopaedics", "S1", 90, "P2", None, None, None, False])
    sheets["unavailable"] = [["case_id", "from", "to"], ["00123", D16, D16]]
    [(english, french)] = _problems(tmp_path / "a.xlsx", sheets)
    assert english.endswith(
        "case 00123 is not listed in sheet cases, which has 123: Excel may have dropped "
        "leading zeros; type the ids as text"
    )
    assert "le cas 00123 ne figure pas dans la feuille cases, qui contient 123 : Excel" in french


def test_a_csv_folder_saved_from_excel_gets_the_same_hint(tmp_path: Path) -> None:
    """The same in a folder (a CSV saved by Excel loses the zeros too), naming the file."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "rooms.csv").write_text("room_id\n1\n")
    (folder / "sessions.csv").write_text("date,room_id,start,end\n2024-04-16,01,08:00,16:00\n")
    (folder / "cases.csv").write_text(
        "case_id,specialty,surgeon_id,duration_min,urgency\nC1,general,S1,60,P2\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    [p] = info.value.problems
    assert p.message == (
        "room 01 is not listed in rooms.csv, which has 1: Excel may have dropped leading "
        "zeros; type the ids as text"
    )


def test_leading_zeros_rule() -> None:
    """Only ids of digits alone, equal as numbers; a numbered series is not one id."""
    assert leading_zeros("01", {"1", "OR1"}) == "1"
    assert leading_zeros("123", {"00123"}) == "00123"
    assert leading_zeros("01", {"01", "2"}) is None  # listed: nothing to explain
    assert leading_zeros("OR01", {"OR1"}) is None  # Excel keeps the zero of a text
    assert leading_zeros("12", {"13", "012x"}) is None
