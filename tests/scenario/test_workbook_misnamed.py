"""A required sheet misnamed gets a "did you mean" naming the closest sheet present.

A sheet named ``cases.csv`` or ``cas`` where ``cases`` is required was reported only as
"this required sheet is missing from the workbook": the planner saw the sheet right there
and could not tell what was wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.scenario import ScenarioError, load_scenario
from optimizer.scenario.problem_words import problem_text
from optimizer.scenario.workbook_shape import nearest_sheet
from tests.scenario.test_workbook import book
from tests.scenario.test_workbook_hidden import small


def _cases_problem(path: Path, title: str) -> tuple[str, str]:
    sheets = small()
    sheets[title] = sheets.pop("cases")
    with pytest.raises(ScenarioError) as info:
        load_scenario(book(path, sheets))
    [p] = [p for p in info.value.problems if p.file == "cases"]
    return problem_text(p, "en"), problem_text(p, "fr")


@pytest.mark.parametrize("title", ["cases.csv", "cas", "Cases.CSV", "csaes"])
def test_a_misnamed_required_sheet_is_named(tmp_path: Path, title: str) -> None:
    """The sheet is named in the problem, in English and French."""
    english, french = _cases_problem(tmp_path / "b.xlsx", title)
    assert english == (
        f"cases: this required sheet is missing from the workbook (did you mean {title!r}?)"
    )
    assert french == (
        f"cases : cette feuille obligatoire manque dans le classeur (vouliez-vous dire {title!r} ?)"
    )


def test_a_sheet_far_from_any_name_gets_no_guess(tmp_path: Path) -> None:
    """``Feuil1`` is not a likely ``cases``: no guess, the sheets present are listed
    (test_workbook_shapes says more)."""
    english, french = _cases_problem(tmp_path / "b.xlsx", "Feuil1")
    assert english.startswith("cases: this required sheet is missing from the workbook (")
    assert "did you mean" not in english and "'Feuil1'" in english
    assert french.startswith("cases : cette feuille obligatoire manque dans le classeur (")


def test_a_name_with_spaces_or_capitals_is_read_already(tmp_path: Path) -> None:
    """``Cases `` (a capital, a trailing space) was and is read as ``cases``: no problem."""
    sheets = small()
    sheets["Cases "] = sheets.pop("cases")
    assert load_scenario(book(tmp_path / "b.xlsx", sheets)).cases


def test_the_closest_of_several_is_named() -> None:
    """Of ``Feuil1``, ``case`` and ``cases.csv``, the one with the same name wins."""
    assert nearest_sheet("cases", ("Feuil1", "case", "cases.csv")) == "cases.csv"
    assert nearest_sheet("rooms", ("Feuil1", "cases.csv")) is None
