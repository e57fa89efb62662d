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

from optimizer.scenario import Problem, write_scenario
from optimizer.sweep import GridError, build_variants, load_grid
from tests.cli.test_french_errors import run
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


# A grid with a wrong value of each kind a TOML file can hold, the scenario "sc" in place.
BAD_VALUES = (
    'scenarios = ["sc"]\nwork_limit = "fast"\ntime_limit = -1\nseeds = [1.5]\n'
    '[[capacity]]\nname = ""\ndates = ["2024-13-01"]\nclosed_rooms = "R1"\n'
)
SAID = {
    "en": [
        "row 2, column work_limit: 'fast' is not a number",
        "row 3, column time_limit: give a number above 0",
        "row 4, column seeds.0: 1.5 is not a whole number",
        "row 6, column capacity.0.name: the name is empty: give one",
        "row 7, column capacity.0.dates.0: '2024-13-01' is not a date YYYY-MM-DD",
        "row 8, column capacity.0.closed_rooms: give a list in brackets, e.g. [1, 2]",
    ],
    "fr": [
        "ligne 2, colonne work_limit : 'fast' n'est pas un nombre",
        "ligne 3, colonne time_limit : donnez un nombre supérieur à 0",
        "ligne 4, colonne seeds.0 : 1.5 n'est pas un nombre entier",
        "ligne 6, colonne capacity.0.name : le nom est vide : donnez-en un",
        "ligne 7, colonne capacity.0.dates.0 : '2024-13-01' n'est pas une date AAAA-MM-JJ",
        "ligne 8, colonne capacity.0.closed_rooms : donnez une liste entre crochets, "
        "par exemple [1, 2]",
    ],
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_wrong_value_is_said_in_the_planners_words_and_language(
    lang: str, tmp_path: Path
) -> None:
    """Regression (pydantic's English): a grid's wrong values were said as pydantic says
    them ("Input should be a valid number, unable to parse string as a number", "Input
    should be a valid tuple"), in English even when the scenarios' policy asked for French.
    Each is now a sentence of the catalogue, in the policy's language (or --lang's)."""
    from optimizer.scenario.problem_words import problem_text

    write_scenario(HIT, tmp_path / "sc")
    if lang == "fr":
        policy = tmp_path / "sc" / "policy.toml"
        policy.write_text('language = "fr"\n' + policy.read_text(encoding="utf-8"))
    grid = tmp_path / "grid.toml"
    grid.write_text(BAD_VALUES, encoding="utf-8")
    with pytest.raises(GridError) as err:
        load_grid(grid)
    said = [problem_text(p, lang) for p in err.value.problems]  # type: ignore[arg-type]
    assert said == [f"{grid}, {s}" for s in SAID[lang]]
    code, output = run("sweep", str(grid), "--out", str(tmp_path / "out"), "--workers", "0")
    assert code == 2 and not (tmp_path / "out").exists()
    header = "La grille a 6 problèmes :" if lang == "fr" else "The grid has 6 problems:"
    assert output.startswith(header) and all(s in output for s in SAID[lang]), output


def test_lang_says_a_grid_no_policy_can_be_read_from_in_french(tmp_path: Path) -> None:
    """Regression (no --lang on sweep): a grid that is not TOML, or names no scenario, has
    no policy to ask for a language, and was said in English whatever the planner spoke;
    sweep --lang fr says it in French, as the other commands do, and so does robustness."""
    grid = tmp_path / "grid.toml"
    grid.write_text("scenarios = []\n", encoding="utf-8")
    out = str(tmp_path / "out")
    code, output = run("sweep", str(grid), "--out", out, "--lang", "fr")
    assert code == 2
    assert "grid.toml, ligne 1, colonne scenarios : donnez au moins une valeur" in output
    grid.write_text('scenarios = ["sc"\n', encoding="utf-8")
    code, output = run("sweep", str(grid), "--out", out, "--lang", "fr")
    assert code == 2 and "le fichier n'est pas un TOML valide" in output, output
    code, output = run("sweep", str(grid), "--out", out)
    assert code == 2 and "the file is not valid TOML" in output, output
    code, output = run("robustness", str(tmp_path), "--lang", "fr")
    assert code == 2 and "ne contient pas de schedule.csv" in output, output


def test_too_many_variants_is_said_with_its_count_in_either_language(tmp_path: Path) -> None:
    """The cap on variants: the count and the cap, then what to change; 100 001 in
    French, as its numbers are written."""
    from optimizer.scenario.problem_words import problem_text

    write_scenario(HIT, tmp_path / "sc")
    grid = tmp_path / "grid.toml"
    seeds = ", ".join(str(s) for s in range(100_001))
    grid.write_text(f'scenarios = ["sc"]\nseeds = [{seeds}]\n', encoding="utf-8")
    [p] = _problem_objects(grid)
    assert problem_text(p, "en") == (
        f"{grid}: the grid makes too many variants (100,001; at most 100,000): give fewer "
        "scenarios, capacity settings, targets or seeds"
    )
    assert problem_text(p, "fr") == (
        f"{grid} : la grille fait trop de variantes (100\u202f001 ; au plus 100\u202f000) : "
        "donnez moins de scénarios, de réglages de capacité, de taux cibles ou de graines"
    )


def _problem_objects(grid: Path) -> list[Problem]:
    with pytest.raises(GridError) as err:
        build_variants(load_grid(grid), grid)
    return err.value.problems
