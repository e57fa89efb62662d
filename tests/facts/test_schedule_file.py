"""A result folder whose ``schedule.csv`` a planner edited by hand: every command that reads
it (replan, report, explain, export) refuses it the same way, exit 2, the file, row and
column named, no traceback and nothing written (the sweep's defects of issue 21)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli
from optimizer.facts.schedule_file import read_schedule
from optimizer.scenario import ScenarioError, load_scenario
from tests.support.report_fixtures import write_small_result

# The small result's rows (see tests.support.report_fixtures): the header is row 1,
# A1 row 2 (kept, R1 08:00-09:30), A2 row 3 (kept, R1 10:00-11:30).
Edit = Callable[[list[str]], None]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sched") / "result"
    write_small_result(folder)
    return folder


def _edited(result: Path, where: Path, edit: Edit) -> Path:
    """A copy of ``result`` with its schedule.csv's lines (CRLF ends, as written) edited."""
    folder = where / "edited"
    shutil.copytree(result, folder)
    schedule = folder / "schedule.csv"
    lines = schedule.read_bytes().decode("utf-8").split("\r\n")
    edit(lines)
    schedule.write_bytes("\r\n".join(lines).encode("utf-8"))
    return folder


def _replace(row: int, old: str, new: str) -> Edit:
    def edit(lines: list[str]) -> None:
        assert old in lines[row - 1]
        lines[row - 1] = lines[row - 1].replace(old, new, 1)

    return edit


def _append(row: int, text: str) -> Edit:
    def edit(lines: list[str]) -> None:
        lines[row - 1] += text

    return edit


def _after_line_end(lines: list[str]) -> None:
    """``,extra`` typed after row 2's carriage return (the sweep's result_extracell): a
    spreadsheet, like the CSV reader, shows it as a row 3 of its own, without a case id."""
    lines[1] += "\r,extra"


KINDS = {
    # kind: (edit, location named, words of the problem)
    "start_not_a_time": (
        _replace(3, "10:00", "9.30"),
        "row 3, column start",
        "'9.30' is not a clock time HH:MM",
    ),
    "status_unknown": (
        _replace(3, "kept", "exploded"),
        "row 3, column status",
        "'exploded' is not a status",
    ),
    "date_not_a_date": (
        _replace(2, "2024-04-16", "2024-04-31"),
        "row 2, column date",
        "is not a date of the calendar",
    ),
    "end_not_a_time": (
        _replace(3, "11:30", "11.30"),
        "row 3, column end",
        "'11.30' is not a clock time HH:MM",
    ),
    "delay_not_a_number": (
        _replace(3, ",0,", ",zero,"),
        "row 3, column delay_days",
        "'zero' is not a whole number of days",
    ),
    "extra_cell_on_a_row": (
        _append(2, ",extra"),
        "row 2: the row has 15 cells but the header has 14 columns",
        "a comma inside a cell must be quoted",
    ),
    "cell_after_a_line_end": (
        _after_line_end,
        "row 3, column case_id",
        "this cell is empty but a value is required",
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_read_schedule_names_the_row_and_column_of_each_kind(
    result: Path, tmp_path: Path, kind: str
) -> None:
    """Each hand edit is one problem, at its row and column, and no other: a row with a bad
    cell still counts as the case's row (no "case A2 has no row" beside it)."""
    edit, where, words = KINDS[kind]
    folder = _edited(result, tmp_path, edit)
    scenario = load_scenario(folder / "scenario")
    with pytest.raises(ScenarioError) as err:
        read_schedule(folder / "schedule.csv", "schedule.csv", scenario)
    [problem] = err.value.problems
    assert f"schedule.csv, {where}" in str(problem) and words in str(problem), str(problem)


SEARCH = ["--workers", "1", "--work-limit", "1"]
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "replan": lambda f, out: (
        ["replan", str(f), "--today", "2024-04-17", "--out", str(out)] + SEARCH
    ),
    "report": lambda f, out: ["report", str(f)],
    "explain": lambda f, out: ["explain", "A1", str(f)],
    "export": lambda f, out: ["export", str(f), "--format", "hl7", "--out", str(out)],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_command_refuses_a_hand_edited_schedule(
    result: Path, tmp_path: Path, kind: str, command: str
) -> None:
    """replan, report, explain and export: exit 2, the file, row and column named, no
    traceback, nothing written (neither --out nor report.html)."""
    edit, where, words = KINDS[kind]
    folder = _edited(result, tmp_path, edit)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, COMMANDS[command](folder, out))
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "internal error" not in res.output
    assert f"schedule.csv, {where}" in res.output and words in res.output, res.output
    assert "has no row" not in res.output
    assert not out.exists() and not (folder / "report.html").exists()


def test_an_empty_cell_after_the_last_column_is_read(result: Path, tmp_path: Path) -> None:
    """A trailing comma (an empty 15th cell, the sweep's result_reasoncomma) holds nothing:
    it is ignored, as the scenario loader ignores it; explain answers and report writes."""
    folder = _edited(result, tmp_path, _append(3, ","))
    res = CliRunner().invoke(cli, ["explain", "A2", str(folder)])
    assert res.exit_code == 0, res.output
    assert "A2 (P3" in res.output
    res = CliRunner().invoke(cli, ["report", str(folder)])
    assert res.exit_code == 0, res.output


def test_the_problems_are_said_in_the_policy_language(tmp_path: Path) -> None:
    """With ``language = "fr"``, explain and replan say the folder's problems in French: the
    frame (ligne, colonne) and the sentence."""
    french = tmp_path / "fr"
    write_small_result(french, language="fr")
    folder = _edited(french, tmp_path, _replace(3, "kept", "exploded"))
    replan = ["replan", str(folder), "--today", "2024-04-17", "--out", str(tmp_path / "o")]
    for args in (["explain", "A1", str(folder)], replan):
        res = CliRunner().invoke(cli, args)
        assert res.exit_code == 2, res.output
        assert "schedule.csv, ligne 3, colonne status : 'exploded' n'est pas un statut" in (
            res.output
        )


@pytest.mark.parametrize("command", ["report", "letters"])
@pytest.mark.parametrize(
    ("old", "new", "column"),
    [("2024-04-17,R2,08:00", "32/13/2024,R2,08:00", "new_date"),
     ("2024-04-17,R2,08:00", "2024-04-17,R2,8.00", "new_start")],
)  # fmt: skip
def test_a_hand_edited_calls_csv_is_named_by_row_and_column(
    result: Path, tmp_path: Path, command: str, old: str, new: str, column: str
) -> None:
    """B3's new date or start in calls.csv (row 4) typed wrong: report and letters (which
    read them) exit 2 naming calls.csv, the row and the column, and write nothing."""
    folder = tmp_path / "edited"
    shutil.copytree(result, folder)
    calls = folder / "calls.csv"
    calls.write_bytes(calls.read_bytes().replace(old.encode(), new.encode(), 1))
    run = CliRunner().invoke(cli, [command, str(folder)])
    assert run.exit_code == 2, run.output
    assert "Traceback" not in run.output
    assert f"calls.csv, row 4, column {column}" in run.output, run.output
    assert not (folder / f"{command}.html").exists()
