"""A bad grid is said where it is wrong: the grid file, its row and its key, and nothing
the file does not say.

Regressions: a grid whose every ``[[capacity]]`` entry was invalid was also told
"column capacity: Tuple should have at least 1 item after validation, not 0" (it had
one); an entry that could not be applied to a scenario (a closed room it does not have,
more rooms than can open) and a scenario folder that does not exist were reported
without the grid's row (the folder not even as the grid's: "The scenario has 1
problem: x: this folder does not exist").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.scenario import write_scenario
from optimizer.sweep import GridError, build_variants, load_grid
from tests.sweep.test_sweep_grid import HIT


def _problems(grid: Path) -> list[str]:
    with pytest.raises(GridError) as err:
        build_variants(load_grid(grid), grid)
    return [str(p) for p in err.value.problems]


def test_a_grid_whose_only_entry_is_invalid_is_not_said_to_have_none(tmp_path: Path) -> None:
    """One entry, with rooms_open = -1: that problem, on its row, and no "at least 1 item"."""
    grid = tmp_path / "grid.toml"
    grid.write_text('scenarios = ["sc"]\n\n[[capacity]]\nname = "a"\nrooms_open = -1\n')
    said = _problems(grid)
    assert len(said) == 1, said
    assert "row 5, column capacity.0.rooms_open: give room counts" in said[0]


def test_an_entry_that_cannot_be_applied_is_said_on_its_row(tmp_path: Path) -> None:
    """Entry b (from row 6) closes a room the scenario lacks, entry c (from row 10) asks 3 rooms
    where at most 2 can open: each problem names the grid, the entry's row and its key."""
    write_scenario(HIT, tmp_path / "sc")
    grid = tmp_path / "grid.toml"
    grid.write_text(
        'scenarios = ["sc"]\n\n[[capacity]]\nname = "a"\n\n[[capacity]]\nname = "b"\n'
        'closed_rooms = ["R9"]\n\n[[capacity]]\nname = "c"\nrooms_open = 3\n'
    )
    said = _problems(grid)
    assert len(said) == 2, said
    assert f"{grid}, row 6, column capacity.1 (b)" in said[0] and "R9" in said[0]
    assert f"{grid}, row 10, column capacity.2 (c)" in said[1] and "3 rooms asked" in said[1]


def test_a_scenario_folder_that_does_not_exist_is_a_problem_of_the_grid(tmp_path: Path) -> None:
    """``scenarios`` (row 2) names a folder that is not there: the grid's problem, on that row;
    so is ``capacity_from`` (row 3)."""
    write_scenario(HIT, tmp_path / "sc")
    grid = tmp_path / "grid.toml"
    grid.write_text('# futures\nscenarios = ["sc", "nope"]\ncapacity_from = "gone"\n')
    said = _problems(grid)
    assert len(said) == 2, said
    assert f"{grid}, row 2, column scenarios" in said[0] and "nope" in said[0]
    assert f"{grid}, row 3, column capacity_from" in said[1] and "gone" in said[1]
