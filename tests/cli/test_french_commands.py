"""What robustness, sweep, template, validate and capacity say on a French run.

They have no ``--lang``: the policy of what they read asks for French (the result's, the
grid's scenarios', ``template --from``'s, the scenario's). Their refusals, the grid's
problems and the success lines of validate and capacity were English whatever the policy
said; the grid's and capacity's counts said "problem(s)", "session(s)", and a grid's
problems were headed "The scenario has ...". English is unchanged but for those.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from optimizer import load_scenario
from tests.cli.test_french_errors import in_french, run


@pytest.fixture
def scenario(small_hospital: Path, tmp_path: Path) -> Path:
    """The small hospital's scenario folder, a copy per test (policy in English)."""
    return Path(shutil.copytree(small_hospital, tmp_path / "scenario"))


def _size(folder: Path, lang: str) -> str:
    """The size line of ``folder`` as validate and the importers say it."""
    sc = load_scenario(folder)
    n, rooms, sessions = len(sc.cases), len(sc.rooms), len(sc.sessions)
    planned = sum(c.planned_date is not None for c in sc.cases)
    first, last = sc.policy.start_date, sc.policy.end_date
    if lang == "fr":
        return (
            f"{n} cas ({planned} prévus), {rooms} salles, {sessions} vacations, horizon du "
            f"{first:%d/%m/%Y} au {last:%d/%m/%Y}."
        )
    return f"{n} cases ({planned} planned), {rooms} rooms, {sessions} sessions, horizon {first} to {last}."  # noqa: E501


def test_validate_says_valid_and_its_warnings_in_french(scenario: Path) -> None:
    """A French policy: the warning and the success line in French (dates as French
    planners write them); English as before."""
    rooms = scenario / "rooms.csv"
    lines = rooms.read_text(encoding="utf-8").splitlines()
    rooms.write_text("\n".join([lines[0] + ",note"] + [x + "," for x in lines[1:]]) + "\n")
    assert run("validate", str(scenario)) == (
        0,
        "warning: rooms.csv: unknown column ignored: note\n"
        f"{scenario}: valid. {_size(scenario, 'en')}\n",
    )
    in_french(scenario)
    assert run("validate", str(scenario)) == (
        0,
        "avertissement : rooms.csv : colonne inconnue, non prise en compte : note\n"
        f"{scenario} : valide. {_size(scenario, 'fr')}\n",
    )


@pytest.mark.parametrize(
    ("rooms", "english", "french"),
    [
        ("OR01", "1 session closed, 0 opened, 4 sessions in all.",
         "1 vacation fermée, 0 ouverte, 4 vacations en tout."),
        ("OR01,OR02", "2 sessions closed, 0 opened, 3 sessions in all.",
         "2 vacations fermées, 0 ouverte, 3 vacations en tout."),
    ],
)  # fmt: skip
def test_capacity_counts_its_sessions_in_either_language(
    scenario: Path, tmp_path: Path, rooms: str, english: str, french: str
) -> None:
    """The hedge "1 session(s) closed" is gone: "1 session closed", "2 sessions closed";
    and in French for a French policy, with French agreement (0 is singular)."""
    date = str(load_scenario(scenario).policy.start_date)
    args = ["capacity", str(scenario), "--close", rooms, "--dates", date]
    out = tmp_path / "en"
    assert run(*args, "--out", str(out)) == (0, f"{out}: {english}\n")
    in_french(scenario)
    out = tmp_path / "fr"
    assert run(*args, "--out", str(out)) == (0, f"{out} : {french}\n")


def test_capacity_touching_no_room_says_no_rooms_line(scenario: Path, tmp_path: Path) -> None:
    """``--surgeon-off`` or ``--resource`` alone touch no room: the line said "0 sessions
    closed, 0 opened, 5 sessions in all." as if rooms had been edited. Now the folder and
    its size, then what was changed; the rooms line stays for ``--close``/``--open``."""
    sc = load_scenario(scenario)
    date, surgeon = str(sc.policy.start_date), sc.surgeon_windows[0].surgeon_id
    for option, value, said in (
        ("--surgeon-off", surgeon, f"Surgeon absent on 1 date: {surgeon}."),
        ("--resource", "anaesthetist=2", "Resource set on 1 date: anaesthetists 2."),
    ):
        out = tmp_path / option.strip("-")
        args = ["capacity", str(scenario), "--out", str(out), option, value, "--dates", date]
        assert run(*args) == (0, f"{out}: {_size(out, 'en')}\n{said}\n")


def test_robustness_without_a_schedule_is_refused_in_french(scenario: Path) -> None:
    """The scenario folder given for its result (a planner's slip): refused in the French
    of its policy, exit 2; in English as before."""
    code, said = run("robustness", str(scenario))
    assert code == 2
    assert said.endswith(f"Error: Invalid value for RESULT_DIR: {scenario} holds no schedule.csv\n")
    in_french(scenario)
    assert run("robustness", str(scenario)) == (
        2, f"Erreur : valeur refusée pour RESULT_DIR : {scenario} ne contient pas de schedule.csv\n"
    )  # fmt: skip


def _grid(tmp_path: Path, scenario: Path, *lines: str) -> Path:
    grid = tmp_path / "grid.toml"
    grid.write_text("\n".join([f'scenarios = ["{scenario.name}"]', *lines]) + "\n")
    return grid


def test_a_grid_s_problems_are_said_in_french(scenario: Path, tmp_path: Path) -> None:
    """A grid whose scenario's policy is French: its problems headed and said in French,
    with the plural, exit 2, no --out."""
    in_french(scenario)
    grid = _grid(tmp_path, scenario, "seeds = [-1]", "targets = [2]", "colour = 1")
    out = tmp_path / "out"
    code, said = run("sweep", str(grid), "--out", str(out))
    assert code == 2
    assert said.splitlines() == [
        "La grille a 3 problèmes :",
        f"  - {grid}, ligne 2, colonne seeds : donnez des graines entre 0 et 2^31-1, par "
        "exemple seeds = [0, 1]",
        f"  - {grid}, ligne 3, colonne targets : donnez des taux entre 0 et 1, par exemple "
        "targets = [0.85, 0.9]",
        f"  - {grid}, ligne 4, colonne colour : clé inconnue (la section sweep du README donne "
        "les clés)",
        "Rien n'a été écrit.",
    ]
    assert not out.exists()


def test_a_grid_s_capacity_it_cannot_apply_is_said_in_french(
    scenario: Path, tmp_path: Path
) -> None:
    """The grid reads, but a capacity entry does not apply to its scenario: in French too
    (one problem: the singular)."""
    in_french(scenario)
    grid = _grid(tmp_path, scenario, "[[capacity]]", 'name = "x"', 'closed_rooms = ["ZZ"]')
    code, said = run("sweep", str(grid), "--out", str(tmp_path / "out"))
    assert code == 2
    assert said.splitlines() == [
        "La grille a 1 problème :",
        f"  - {grid}, ligne 2, colonne capacity.0 (x) : {tmp_path / 'scenario'} : closed_rooms "
        "nomme des "
        "salles que le scénario n'a pas : ['ZZ']",
        "Rien n'a été écrit.",
    ]


def test_a_grid_s_problems_are_the_grid_s_in_english(scenario: Path, tmp_path: Path) -> None:
    """In English the grid's problems were headed "The scenario has 1 problem:" (the grid's
    own "The grid has N problem(s):" was never reached): now the grid's, with its plural."""
    grid = _grid(tmp_path, scenario, "seeds = [-1]")
    code, said = run("sweep", str(grid), "--out", str(tmp_path / "out"))
    assert (code, said.splitlines()[0]) == (2, "The grid has 1 problem:")
    assert said.splitlines()[1:] == [
        f"  - {grid}, row 2, column seeds: give seeds between 0 and 2^31-1, e.g. seeds = [0, 1]",
        "Nothing was written.",
    ]
    grid = _grid(tmp_path, scenario, "seeds = [-1]", "targets = [2]")
    assert run("sweep", str(grid), "--out", str(tmp_path / "out"))[1].startswith(
        "The grid has 2 problems:\n"
    )


def test_sweep_out_refused_in_french(scenario: Path, tmp_path: Path) -> None:
    """``--out`` a file, or a folder of someone's documents: refused in French."""
    in_french(scenario)
    grid = _grid(tmp_path, scenario)
    assert run("sweep", str(grid), "--out", str(grid)) == (
        2, f"Erreur : valeur refusée pour --out : {grid} est un fichier, pas un dossier\n"
    )  # fmt: skip
    assert run("sweep", str(grid), "--out", str(scenario)) == (
        2,
        f"Erreur : valeur refusée pour --out : {scenario} n'est pas vide et ne contient pas de "
        "sweep.csv ; donnez un nouveau dossier\n",
    )


def test_template_refusals_and_line_in_french(scenario: Path, tmp_path: Path) -> None:
    """``template --from`` a French scenario: a name without .xlsx, a workbook that exists,
    one that cannot be written, and the line that says it is written: all in French."""
    in_french(scenario)
    book = tmp_path / "hospital.xlsx"
    given = ["--from", str(scenario)]
    assert run("template", str(tmp_path / "hospital.csv"), *given) == (
        2, "Erreur : valeur refusée pour OUT.xlsx : le nom du classeur doit se terminer par .xlsx\n"
    )  # fmt: skip
    assert run("template", str(book), *given) == (
        0, f"{book} : le scénario {scenario}, une feuille par fichier et une feuille d'aide.\n"
    )  # fmt: skip
    assert run("template", str(book), *given) == (
        2, f"Erreur : {book} existe déjà ; donnez un autre nom ou ajoutez --force\n"
    )  # fmt: skip
    inside_a_file = book / "again.xlsx"
    code, said = run("template", str(inside_a_file), *given)
    assert code == 1
    assert said.startswith(f"impossible d'écrire {inside_a_file} : ")
    assert said.endswith(" ; rien n'a été écrit\n")


def test_template_in_english_is_as_before(tmp_path: Path) -> None:
    """No policy (an empty workbook): click's English frame and the English line."""
    book = tmp_path / "empty.xlsx"
    assert run("template", str(book)) == (
        0, f"{book}: an empty scenario, one sheet per file, and a help sheet.\n"
    )  # fmt: skip
    code, said = run("template", str(book))
    assert code == 2
    assert said.endswith(f"\nError: {book} exists; give a new name or use --force\n")
