"""A scenario as one workbook: read as the CSV folder is, problems named by sheet, row and column.

The workbooks are written with openpyxl as Excel would store them (dates as
dates, times as times, numbers as numbers) or as text, and read through the
real ``load_scenario`` and the real commands.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook, load_workbook

from optimizer.check import check_result_folder
from optimizer.cli import cli
from optimizer.scenario import Scenario, ScenarioError, load_scenario
from optimizer.scenario.template import write_workbook
from tests.support.paths import DEMO
from tests.support.strategies import scenarios

SKIP = {"name", "input_hash", "warnings"}


def same(a: Any, b: Any) -> bool:
    return bool(a.model_dump(exclude=SKIP) == b.model_dump(exclude=SKIP))


def book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook with these sheets (row 1 the header), each cell as given."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


D16, D17 = dt.date(2024, 4, 16), dt.date(2024, 4, 17)
T8, T16 = dt.time(8, 0), dt.time(16, 0)
CASES = ["case_id", "specialty", "surgeon_id", "duration_min", "urgency", "planned_date",
         "planned_room", "planned_start", "needs_icu"]  # fmt: skip


def small(**replace: list[list[Any]]) -> dict[str, list[list[Any]]]:
    """Two rooms, two sessions, three cases; Excel dates, times and numbers mixed with text."""
    sheets: dict[str, list[list[Any]]] = {
        "rooms": [["room_id", "specialties"], ["OR1", "orthopaedics;general"], [2, ""]],
        "sessions": [
            ["date", "room_id", "start", "end"],
            [D16, "OR1", T8, T16],
            ["2024-04-17", 2, "08:00", 0.5],  # 0.5 of a day, formatted as a number: not a time
        ],
        "cases": [
            CASES,
            [1001, "orthopaedics", "S1", 90, "P2", D16, "OR1", T8, False],
            ["C2", "general", 7.0, 60.0, "P1a", "2024-04-16", 2, "09:00", "false"],
            ["C3", "orthopaedics", "S1", 120, "P3", None, None, None, True],
        ],
        "policy": [["key", "value"], ["start_date", D16], ["end_date", "2024-04-17"]],
    }
    sheets.update(replace)
    return sheets


def test_excel_dates_times_numbers_and_text_all_read(tmp_path: Path) -> None:
    """Dates, times and numbers typed in Excel read as their text; ids typed as numbers
    lose no ``.0``; only the cell that is a bare number where a time is needed is named."""
    path = book(tmp_path / "h.xlsx", small())
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [("sessions", 3, "end")]
    fixed = small()
    fixed["sessions"][2][3] = dt.time(12, 0)
    s = load_scenario(book(tmp_path / "ok.xlsx", fixed))
    by_id = {c.case_id: c for c in s.cases}
    assert sorted(by_id) == ["1001", "C2", "C3"]
    assert by_id["C2"].surgeon_id == "7" and by_id["C2"].planned_room == "2"
    assert by_id["C2"].duration_min == 60 and by_id["C2"].planned_start == 9 * 60
    assert by_id["1001"].planned_date == D16 and by_id["C3"].needs_icu
    assert [(x.room_id, x.date, x.end) for x in s.sessions] == [("OR1", D16, 960), ("2", D17, 720)]
    assert s.policy.start_date == D16 and s.policy.end_date == D17
    assert s.name == "ok"


def test_problems_in_three_sheets_named_by_sheet_row_column_exit_2_nothing_written(
    tmp_path: Path,
) -> None:
    """Errors in cases, sessions and policy: every one named by sheet, row and column, as
    a folder's are by file, row and column; exit status 2; no result folder."""
    sheets = small(
        policy=[
            ["key", "value"],
            ["start_date", D16],
            ["target_ratio", 1.5],
            ["turnover_min", "long"],
        ],  # fmt: skip
    )
    sheets["cases"][2][5] = "2024-13-01"  # C2's planned_date
    sheets["cases"][3][3] = -5  # C3's duration
    sheets["sessions"][2][1] = "OR9"  # a room that is not in the rooms sheet
    sheets["sessions"][2][3] = T16
    path = book(tmp_path / "bad.xlsx", sheets)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(path), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 2, result.output
    assert not out.exists()
    lines = [line.strip() for line in result.output.splitlines() if line.startswith("  - ")]
    where = [line[2:].split(":")[0] for line in lines]
    assert where == [
        "cases, row 3, column planned_date",
        "cases, row 4, column duration_min",
        "policy, row 3, column target_ratio",
        "policy, row 4, column turnover_min",
        "sessions, row 3, column room_id",
    ]
    assert "not listed in sheet rooms" in result.output
    assert "Traceback" not in result.output


def test_missing_sheets_and_a_bad_header_are_named(tmp_path: Path) -> None:
    """A required sheet missing and a header without a required column: named by sheet."""
    sheets = small()
    del sheets["rooms"]
    sheets["cases"][0] = [c if c != "urgency" else "Urgency" for c in CASES]
    with pytest.raises(ScenarioError) as info:
        load_scenario(book(tmp_path / "b.xlsx", sheets))
    got = {(p.file, p.row, p.column): p.message for p in info.value.problems}
    assert "missing from the workbook" in got["rooms", None, None]
    assert "lower case" in got["cases", 1, "urgency"]


def test_not_a_workbook_is_one_problem(tmp_path: Path) -> None:
    """A file named .xlsx that is not one, or is absent: one plain problem, never a traceback."""
    fake = tmp_path / "fake.xlsx"
    fake.write_text("case_id,specialty\n", encoding="utf-8")
    for path, words in ((fake, "not a workbook"), (tmp_path / "no.xlsx", "does not exist")):
        with pytest.raises(ScenarioError) as info:
            load_scenario(path)
        (problem,) = info.value.problems
        assert problem.file == path.name and words in problem.message


def test_a_sheet_spanning_far_off_cells_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A stray cell in column 300: the sheet is refused with a sentence, not read cell by cell."""
    sheets = small()
    sheets["cases"][1] = sheets["cases"][1] + [None] * 290 + ["note"]
    with pytest.raises(ScenarioError) as info:
        load_scenario(book(tmp_path / "wide.xlsx", sheets))
    (problem,) = info.value.problems
    assert problem.file == "cases" and "delete the cells far below or right" in problem.message


def test_another_spreadsheet_file_says_to_save_it_as_xlsx(tmp_path: Path) -> None:
    """An .ods (or .xls) file given as the scenario: one problem saying what to do."""
    path = tmp_path / "hospital.ods"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert "save this .ods spreadsheet as an Excel workbook, .xlsx" in problem.message


def test_workbook_beside_csv_files_gets_a_clear_message(tmp_path: Path) -> None:
    """``cases.xlsx`` where ``cases.csv`` is expected: the message says what to do, not only
    that the CSV file is missing."""
    folder = tmp_path / "f"
    folder.mkdir()
    for name in ("rooms.csv", "sessions.csv", "policy.toml"):
        (folder / name).write_bytes((DEMO / name).read_bytes())
    book(folder / "cases.xlsx", {"cases": small()["cases"]})
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    (problem,) = info.value.problems
    assert problem.file == "cases.csv"
    assert (
        "cases.xlsx, a workbook" in problem.message and "save that sheet as CSV" in problem.message
    )


def test_template_from_the_demo_loads_back_to_the_same_scenario(tmp_path: Path) -> None:
    """``template --from`` writes the demo as a workbook that loads back unchanged, dates as
    Excel dates, times as times, ids as text."""
    out = tmp_path / "demo.xlsx"
    result = CliRunner().invoke(cli, ["template", "--from", str(DEMO), str(out)])
    assert result.exit_code == 0, result.output
    assert same(load_scenario(out), load_scenario(DEMO))
    cases = load_workbook(out)["cases"]
    header = [c.value for c in cases[1]]
    first = {h: c for h, c in zip(header, cases[2], strict=False)}
    assert isinstance(first["planned_date"].value, dt.datetime)  # openpyxl reads dates so
    assert isinstance(first["planned_start"].value, dt.time)
    assert first["case_id"].number_format == "@" and first["duration_min"].data_type == "n"
    again = CliRunner().invoke(cli, ["template", "--from", str(DEMO), str(out)])
    assert again.exit_code != 0 and "exists" in again.output  # a filled workbook is kept


def test_empty_template_has_every_sheet_header_list_and_help(tmp_path: Path) -> None:
    """The empty workbook: one sheet per file with its columns, frozen, id columns as text,
    drop-down lists for urgency, anaesthesia, booleans and rooms, help in English and French."""
    out = tmp_path / "blank.xlsx"
    assert CliRunner().invoke(cli, ["template", str(out)]).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["cases", "rooms", "sessions", "surgeons", "resources", "partners",
                             "extra_sessions", "unavailable", "extra_resources", "policy",
                             "help"]  # fmt: skip
    cases = wb["cases"]
    assert [c.value for c in cases[1]][:5] == CASES[:5]
    assert cases.freeze_panes == "A2"
    assert cases.column_dimensions["A"].number_format == "@"  # case_id typed 007 stays 007
    lists = {
        str(v.sqref).split(":")[0][:-1]: v.formula1 for v in cases.data_validations.dataValidation
    }
    header = [c.value for c in cases[1]]
    letter = {h: chr(ord("A") + j) for j, h in enumerate(header)}
    assert "P1a" in lists[letter["urgency"]] and "regional" in lists[letter["anaesthesia"]]
    assert lists[letter["pinned"]] == '"true,false"'
    assert "rooms!" in lists[letter["planned_room"]]
    help_rows = [[c.value for c in row] for row in wb["help"].iter_rows()]
    described = {(r[0], r[1]): r[3:5] for r in help_rows if r and r[1]}
    en, fr = described["cases", "due_date"]
    assert "Latest acceptable date" in en and "Dernière date acceptable" in fr
    assert all(e and f for e, f in described.values())
    keys = {r[0].value for r in wb["policy"].iter_rows(min_row=2)}
    assert {"start_date", "target_ratio", "urgency.P1a.max_delay_days"} <= keys
    # filled in with two rooms, a session and a case, it loads
    wb["rooms"].append(["OR1", "general"])
    wb["sessions"].append([D16, "OR1", T8, T16])
    wb["cases"].append(["C1", "general", "S1", 60, "P2"])
    wb.save(out)
    s = load_scenario(out)
    assert [c.case_id for c in s.cases] == ["C1"] and s.policy.start_date == D16


def test_solved_from_a_workbook_the_result_holds_the_scenario_as_csv(tmp_path: Path) -> None:
    """A result solved from a workbook holds in ``scenario/`` the same scenario as CSV files
    and ``policy.toml``; the schedule passes the checker against the CSV scenario. (A small
    budget: every schedule written must pass the checker, however short its search.)"""
    path = tmp_path / "demo.xlsx"
    write_workbook(path, load_scenario(DEMO))
    out = tmp_path / "out"
    args = ["solve", str(path), "--out", str(out), "--workers", "1", "--work-limit", "0.2",
            "-q"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "scenario").iterdir()) == sorted(
        p.name for p in DEMO.iterdir() if p.suffix in (".csv", ".toml")
    )
    demo = load_scenario(DEMO)
    assert same(load_scenario(out / "scenario"), demo)
    assert check_result_folder(demo, out) == []


def _as_text(sheet: Any, column: str, show: Any) -> None:
    """Rewrite one column of a sheet as text cells (as a planner would type them)."""
    header = [c.value for c in sheet[1]]
    j = header.index(column) + 1
    for r in range(2, sheet.max_row + 1):
        cell = sheet.cell(r, j)
        if cell.value is not None:
            cell.value = show(cell.value)
            cell.data_type = "s"


def test_a_generated_hospital_as_a_workbook_solves_to_a_checked_result(tmp_path: Path) -> None:
    """A hold-out-like hospital from ``generate``, written as a workbook with Excel dates
    and times in some columns and text in others (ISO, French ``DD/MM/YYYY``, numbers as
    text), solves to a result that passes the checker against the same scenario as CSV."""
    folder = tmp_path / "hospital"
    args = ["generate", str(folder), "--rooms", "5", "--days", "4", "--cases-per-day", "14",
            "--seed", "11", "--no-disruption"]  # fmt: skip
    assert CliRunner().invoke(cli, args).exit_code == 0
    scenario = load_scenario(folder)
    path = write_workbook(tmp_path / "hospital.xlsx", scenario)
    wb = load_workbook(path)
    _as_text(wb["cases"], "planned_date", lambda d: d.strftime("%d/%m/%Y"))  # French text
    _as_text(wb["cases"], "duration_min", str)  # a number typed as text
    _as_text(wb["sessions"], "date", lambda d: d.date().isoformat())  # ISO text
    _as_text(wb["sessions"], "start", lambda t: t.strftime("%H:%M"))  # time as text
    # surgeons, resources, partners: Excel dates and times as template wrote them
    wb.save(path)
    assert same(load_scenario(path), scenario)
    out = tmp_path / "out"
    args = ["solve", str(path), "--out", str(out), "--workers", "1", "--work-limit", "2", "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert same(load_scenario(out / "scenario"), scenario)
    assert check_result_folder(scenario, out) == []


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=scenarios())
def test_any_scenario_written_as_a_workbook_loads_back_unchanged(
    tmp_path: Path, scenario: Scenario
) -> None:
    """Whatever the scenario (every feature of the contract), its workbook loads back to it."""
    path = write_workbook(tmp_path / "any.xlsx", scenario)
    assert same(load_scenario(path), scenario)


def test_ids_that_look_like_numbers_dates_or_formulas_stay_text(tmp_path: Path) -> None:
    """Ids ``007``, ``12``, ``2024-04-16``, ``=1+1`` and ``1e3``: written as text, read back
    as the same text (never a number, a date or a formula)."""
    base = load_scenario(book(tmp_path / "base.xlsx", _fixed_small()))
    odd = ["007", "=1+1", "1e3"]
    cases = tuple(
        c.model_copy(update={"case_id": odd[i], "surgeon_id": ["12", "2024-04-16", "S1"][i]})
        for i, c in enumerate(base.cases)
    )
    scenario = base.model_copy(update={"cases": cases})
    path = write_workbook(tmp_path / "odd.xlsx", scenario)
    again = load_scenario(path)
    assert [c.case_id for c in again.cases] == odd
    assert [c.surgeon_id for c in again.cases] == ["12", "2024-04-16", "S1"]


def _fixed_small() -> dict[str, list[list[Any]]]:
    sheets = small()
    sheets["sessions"][2][3] = dt.time(12, 0)
    return sheets


def test_commands_take_a_workbook_where_they_take_a_scenario(tmp_path: Path) -> None:
    """``validate`` and ``capacity`` take a workbook as they take a folder."""
    path = write_workbook(tmp_path / "demo.xlsx", load_scenario(DEMO))
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0 and "valid. 319 cases" in result.output
    new = tmp_path / "closed"
    result = runner.invoke(cli, ["capacity", str(path), "--out", str(new), "--close", "OR11"])
    assert result.exit_code == 0, result.output
    assert not [s for s in load_scenario(new).sessions if s.room_id == "OR11"]


def test_policy_sheet_dotted_keys_numbers_and_text(tmp_path: Path) -> None:
    """Dotted keys make the TOML tables; a whole number typed in Excel is an integer, a value
    typed as text reads as the TOML value it spells; empty values are the defaults."""
    classes = [["urgency.P1a.max_delay_days", 3.0], ["urgency.P1a.weight", "20"],
               ["urgency.P2.weight", 1], ["urgency.P3.weight", 0.5]]  # fmt: skip
    policy = [["key", "value"], ["start_date", D16], ["end_date", None], ["language", "fr"],
              ["target_ratio", "0.8"], *classes]  # fmt: skip
    s = load_scenario(book(tmp_path / "p.xlsx", {**_fixed_small(), "policy": policy}))
    assert s.policy.language == "fr" and s.policy.target_ratio == 0.8
    assert s.policy.end_date == D17  # not given: the last session's date
    p1a = s.policy.urgency["P1a"]
    assert (p1a.max_delay_days, p1a.weight) == (3, 20.0)
    assert list(s.policy.urgency) == ["P1a", "P2", "P3"]
    clash = [*policy, ["urgency", 4], ["target_ratio", 0.7], ["language.x", "en"]]
    with pytest.raises(ScenarioError) as info:
        load_scenario(book(tmp_path / "c.xlsx", {**_fixed_small(), "policy": clash}))
    got = [(p.file, p.row, p.column, p.message) for p in info.value.problems]
    assert got == [
        ("policy", 10, "urgency", "this key holds other keys (from row 6): it takes no value "
         "itself"),
        ("policy", 11, "target_ratio", "this key is already given on row 5"),
        ("policy", 12, "language.x", "language is given a value on row 4: it holds no other key"),
    ]  # fmt: skip
