"""A hidden sheet of a scenario workbook is read, and the planner is told so.

A sheet a planner hid (an old copy of ``rooms``, say) was read as data without a word:
what the schedule used was out of sight.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner
from openpyxl import load_workbook

from optimizer.cli import cli
from optimizer.scenario import load_scenario
from optimizer.scenario.warning_words import warning_text
from tests.scenario.test_workbook import D16, T8, T16, book
from tests.scenario.test_workbook import small as _small


def small() -> dict[str, list[list[Any]]]:
    """test_workbook's small workbook with its sessions valid (its own holds a bad end)."""
    sessions = [["date", "room_id", "start", "end"], [D16, "OR1", T8, T16]]
    return _small(sessions=sessions)


def _hidden(path: Path, *titles: str) -> Path:
    wb = load_workbook(path)
    for title in titles:
        wb[title].sheet_state = "hidden"
    wb.save(path)
    return path


def test_a_hidden_sheet_is_read_with_a_warning(tmp_path: Path) -> None:
    """Sheet ``rooms`` hidden: its rooms are read (as before), and a warning names it, in
    English and French; a workbook with every sheet shown gets no such warning."""
    shown = load_scenario(book(tmp_path / "shown.xlsx", small()))
    assert not [w for w in shown.warnings if "hidden" in w]
    scenario = load_scenario(_hidden(book(tmp_path / "b.xlsx", small()), "rooms"))
    assert [r.room_id for r in scenario.rooms] == [r.room_id for r in shown.rooms]
    [said] = [w for w in scenario.warnings if "hidden" in w]
    assert said == "b.xlsx: hidden sheet(s) read as data: rooms"
    assert warning_text(said, "en") == (
        "b.xlsx: a hidden sheet is read as data (unhide it in Excel to check): rooms"
    )
    assert warning_text(said, "fr") == (
        "b.xlsx : une feuille masquée est lue comme des données (affichez-la dans Excel pour "
        "vérifier) : rooms"
    )


def test_validate_says_which_hidden_sheets_it_read(tmp_path: Path) -> None:
    """``validate`` prints the warning, both sheets named, and exits 0."""
    path = _hidden(book(tmp_path / "b.xlsx", small()), "rooms", "sessions")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "hidden sheets are read as data (unhide them in Excel to check): rooms, sessions" in (
        result.output
    )
