"""Workbook cells that do not hold what the planner sees: formulas never computed, error
values, merged ranges, a title typed above the header.

Each would otherwise be read as an empty cell without a word (a due date or an ICU bed
lost); they are refused, named by sheet, row and column, exit status 2, nothing written.
The workbooks are written with openpyxl (which saves formulas without their values, as any
program does); a workbook as Excel saves it, with the values beside the formulas, is made
by writing those values into the sheet's XML.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from optimizer.cli import cli
from optimizer.scenario import ScenarioError, load_scenario
from optimizer.scenario.problem_words import message

D16, D17 = dt.date(2024, 4, 16), dt.date(2024, 4, 17)
CASES = ["case_id", "specialty", "surgeon_id", "duration_min", "urgency", "due_date",
         "needs_icu"]  # fmt: skip


def book(path: Path, cases: list[list[Any]], merge: str = "", title: bool = False) -> Path:
    """One room open two days and the given cases (waiting, class P4: no deadline); the
    due dates formatted as dates."""
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("rooms")
    for row in (["room_id"], ["OR1"]):
        ws.append(row)
    ws = wb.create_sheet("sessions")
    for row in (["date", "room_id", "start", "end"], [D16, "OR1", dt.time(8), dt.time(16)],
                [D17, "OR1", dt.time(8), dt.time(16)]):  # fmt: skip
        ws.append(row)
    ws = wb.create_sheet("cases")
    if title:
        ws.append(["Liste des patients - bloc central"])
        ws.merge_cells("A1:E1")
    for row in [CASES, *cases]:
        ws.append(row)
    for cell in ws["F"]:
        cell.number_format = "DD/MM/YYYY"
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def with_values(path: Path, values: dict[str, tuple[str, str]]) -> Path:
    """``path`` as Excel would save it: each formula cell of sheet cases given its value and
    type (``{"F3": ("45399", "n")}``; type ``e``: an error value, ``b``: a boolean)."""
    out = path.with_name("saved_" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                text = data.decode()
                for ref, (value, kind) in values.items():
                    start = text.index(f'<c r="{ref}"')
                    end = text.index("</c>", start)
                    cell = text[start:end].replace("<v />", f"<v>{value}</v>")
                    cell = cell.replace(f'<c r="{ref}"', f'<c r="{ref}" t="{kind}"', 1)
                    text = text[:start] + cell + text[end:]
                data = text.encode()
            dst.writestr(item, data)
    return out


def problems(path: Path) -> dict[tuple[str, int | None, str | None], str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return {(p.file, p.row, p.column): p.message for p in info.value.problems}


def test_formula_never_computed_is_named_not_read_as_empty(tmp_path: Path) -> None:
    """A due date and an ICU need given by formulas in a workbook a program wrote: no value
    was ever computed, so calamine reads them empty and C2 would lose its deadline and its
    bed silently. Each cell is named; the command exits 2 and writes nothing."""
    path = book(tmp_path / "f.xlsx", [
        ["C1", "gen", "S1", 60, "P4", D17, True],
        ["C2", "gen", "S1", 60, "P4", "=F2", "=G2"],
    ])  # fmt: skip
    got = problems(path)
    assert set(got) == {("cases", 3, "due_date"), ("cases", 3, "needs_icu")}
    assert "formula whose value was never computed" in got["cases", 3, "due_date"]
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["solve", str(path), "--out", str(out), "--workers", "1"])
    assert run.exit_code == 2, run.output
    assert "cases, row 3, column due_date" in run.output and not out.exists()
    assert "Traceback" not in run.output


def test_formulas_with_their_values_read_as_typed(tmp_path: Path) -> None:
    """The same workbook once Excel saved it (each formula beside its value): read as if
    the values were typed."""
    typed = load_scenario(book(tmp_path / "t.xlsx", [
        ["C1", "gen", "S1", 60, "P4", D17, True],
        ["C2", "gen", "S1", 60, "P4", D17, True],
    ]))  # fmt: skip
    path = book(tmp_path / "f.xlsx", [
        ["C1", "gen", "S1", 60, "P4", D17, True],
        ["C2", "gen", "S1", "=30*2", "P4", "=F2", "=G2"],
    ])  # fmt: skip
    saved = load_scenario(
        with_values(path, {"D3": ("60", "n"), "F3": ("45399", "n"), "G3": ("1", "b")})
    )
    assert saved.cases == typed.cases


def test_error_value_is_named(tmp_path: Path) -> None:
    """A cell showing #REF! (calamine gives it as empty) is named with the error shown."""
    path = book(tmp_path / "e.xlsx", [
        ["C1", "gen", "S1", 60, "P4", D17, True],
        ["C2", "gen", "S1", 60, "P4", "=#REF!+1", False],
    ])  # fmt: skip
    got = problems(with_values(path, {"F3": ("#REF!", "e")}))
    assert list(got) == [("cases", 3, "due_date")]
    assert "shows the error #REF!" in got["cases", 3, "due_date"]


def test_merged_cells_in_the_data_are_named(tmp_path: Path) -> None:
    """A due date and an ICU need merged over three cases show on every row, but Excel keeps
    them on the first only: the two ranges are named at their first cell."""
    path = book(tmp_path / "m.xlsx", [
        ["C1", "gen", "S1", 60, "P4", D17, True],
        ["C2", "gen", "S1", 60, "P4", None, None],
        ["C3", "gen", "S2", 60, "P4", None, None],
    ], merge="F2:G4")  # fmt: skip
    got = problems(path)
    assert list(got) == [("cases", 2, "due_date")]
    assert got["cases", 2, "due_date"].startswith("cells F2:G4 are merged")


def test_title_above_the_header_is_one_problem_saying_where_the_header_is(
    tmp_path: Path,
) -> None:
    """A merged title on row 1, the header on row 2: one problem naming row 2, not one per
    required column "missing from the header"; said in French too."""
    path = book(tmp_path / "t.xlsx", [["C1", "gen", "S1", 60, "P4", None, None]], title=True)
    got = problems(path)
    assert list(got) == [("cases", 1, None)]
    text = got["cases", 1, None]
    assert text.endswith("it is on row 2; delete the rows above it"), text
    assert "ligne 2 ; supprimez les lignes au-dessus" in message(text, "fr")


def test_policy_value_from_a_formula_never_computed_is_named_by_its_key(tmp_path: Path) -> None:
    """The policy sheet's target given as ``=0.8+0.1`` in a workbook a program wrote: read
    empty, the default target would stand; it is named by row and key, as the policy's
    other problems are."""
    path = book(tmp_path / "p.xlsx", [["C1", "gen", "S1", 60, "P4", None, None]])
    wb = load_workbook(path)
    policy = wb.create_sheet("policy")
    for row in (["key", "value"], ["start_date", D16], ["target_ratio", "=0.8+0.1"]):
        policy.append(row)
    wb.save(path)
    got = problems(path)
    assert list(got) == [("policy", 3, "target_ratio")]
    assert "formula whose value was never computed" in got["policy", 3, "target_ratio"]
