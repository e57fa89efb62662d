"""Typos caught where they are made: the rows and the nearest known id, and no false alarm.

Each test changes the demo (whose ids are all consistent, so it gets no such
warning) in one place, as a planner's typing would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from optimizer.scenario import ScenarioError, load_scenario
from optimizer.scenario.typos import Nearest, rows_text
from tests.support.paths import DEMO


def changed(tmp_path: Path, file: str, old: str, new: str, count: int = -1) -> Path:
    """The demo with ``old`` replaced by ``new`` in ``file`` (the first ``count`` times)."""
    folder = tmp_path / "s"
    shutil.copytree(DEMO, folder)
    text = (DEMO / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, count), encoding="utf-8")
    return folder


def rows_of(folder: Path, column: int, value: str) -> list[int]:
    lines = (folder / "cases.csv").read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, start=1) if line.split(",")[column] == value]


def test_the_demo_has_no_typo_warning() -> None:
    """A valid scenario whose ids agree: no "did you mean" anywhere."""
    assert not [w for w in load_scenario(DEMO).warnings if "did you mean" in w]


def test_a_surgeon_one_letter_off_is_named_with_rows_and_the_nearest(tmp_path: Path) -> None:
    """``GEM05`` for ``GEN05`` on three rows: one warning naming the three rows and GEN05."""
    folder = changed(tmp_path, "cases.csv", ",GEN05,", ",GEM05,", 3)
    rows = rows_of(folder, 2, "GEM05")
    (said,) = [w for w in load_scenario(folder).warnings if "GEM05" in w]
    assert said == (
        f"cases.csv, rows {rows[0]}, {rows[1]} and {rows[2]}: surgeon GEM05 is not in "
        "surgeons.csv, so taken as available whenever a room is open; did you mean GEN05?"
    )


@pytest.mark.parametrize("absent", ["GEN06", "URO99", "Dr Martin"])
def test_a_surgeon_simply_absent_from_surgeons_csv_gets_no_warning(
    tmp_path: Path, absent: str
) -> None:
    """Another surgeon of a numbered series, or another name: valid, so no warning."""
    folder = changed(tmp_path, "cases.csv", ",GEN05,", f",{absent},", 2)
    assert not [w for w in load_scenario(folder).warnings if absent in w]


def test_a_specialty_no_room_hosts_names_the_rows_and_the_nearest(tmp_path: Path) -> None:
    """``urologie`` for ``urology``: the cases' rows and "did you mean urology?" (the issue
    saw one warning without a case or row)."""
    folder = changed(tmp_path, "cases.csv", ",urology,", ",urologie,", 2)
    rows = rows_of(folder, 1, "urologie")
    (said,) = [w for w in load_scenario(folder).warnings if "urologie" in w]
    assert said.startswith(f"cases.csv, rows {rows[0]} and {rows[1]}: 2 case(s) of urologie")
    assert said.endswith("(did you mean urology?)")


def test_an_equipment_name_one_letter_off_is_an_error_with_the_nearest(tmp_path: Path) -> None:
    """Equipment neither fixed nor a pool stays an error; its message names the near one."""
    folder = changed(tmp_path, "cases.csv", ",robot,", ",robto,", 1)
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    (problem,) = info.value.problems
    assert (problem.file, problem.column) == ("cases.csv", "equipment")
    assert problem.message.endswith("(did you mean robot?)")


def test_an_unknown_room_names_the_nearest_but_not_a_numbered_neighbour(tmp_path: Path) -> None:
    """``OR1O`` (a letter O) for ``OR10``: "did you mean OR10?"; ``OR12``: no suggestion,
    it is another room of the series."""
    folder = changed(tmp_path, "cases.csv", ",OR10,", ",OR1O,", 1)
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    assert info.value.problems[0].message.endswith("(did you mean OR10?)")
    folder = changed(tmp_path / "b", "cases.csv", ",OR10,", ",OR12,", 1)
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    assert "did you mean" not in info.value.problems[0].message


def test_a_partner_specialty_near_a_cases_is_named(tmp_path: Path) -> None:
    """``neurovasculr`` in partners.csv: the partner's rows and the cases' specialty."""
    folder = changed(tmp_path, "partners.csv", ",neurovascular,", ",neurovasculr,", 1)
    (said,) = [w for w in load_scenario(folder).warnings if "neurovasculr" in w]
    assert said.startswith("partners.csv, row 3: no case is of specialty neurovasculr")
    assert said.endswith("did you mean neurovascular?")


def test_nearest_rules() -> None:
    """One or two letters off (one for short ids), any case; never a numbered neighbour."""
    near = Nearest(["urology", "S12", "OR10", "Dr Martin", "ent"])
    assert near("urologie") == "urology"
    assert near("Urology") == "urology"
    assert near("S13") is None and near("S1") is None and near("OR1") is None
    assert near("Dr Martn") == "Dr Martin"
    assert near("cardiology") is None
    assert near("en") is None  # too short to tell
    assert near("urology") is None  # known: not a typo


def test_rows_text() -> None:
    """Rows named as a sentence; a long list cut after ten."""
    assert rows_text([7]) == "row 7"
    assert rows_text([9, 5]) == "rows 5 and 9"
    assert rows_text(list(range(2, 20))) == "rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 8 more"
