"""Workbooks out: ``calls.xlsx`` beside ``calls.csv``, and ``schedule.xlsx`` with ``--xlsx``."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from optimizer import i18n
from optimizer.result.calls import CALLS_COLUMNS
from optimizer.result.output import unescape_cell, write_result
from optimizer.result.result import Result
from optimizer.result.workbook import calls_header, calls_sheet
from tests.support.report_fixtures import small_scenario, solved


def risky_result(language: str) -> Result:
    """The report's small scenario (a closed room: moves, a transfer, a waiting case given
    a date) with one id a spreadsheet would run as a formula (``=B3``)."""
    sc = small_scenario(language)
    cases = tuple(
        c.model_copy(update={"case_id": "=B3"}) if c.case_id == "B3" else c for c in sc.cases
    )
    return solved(sc.model_copy(update={"cases": cases}))


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The result written in English and in French, with ``schedule.xlsx``."""
    out = {}
    for lang in ("en", "fr"):
        out[lang] = write_result(
            risky_result(lang), tmp_path_factory.mktemp(lang) / "out", xlsx=True
        )
    return out


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [[unescape_cell(c) for c in r] for r in csv.reader(fh)]


def as_text(value: Any) -> str:
    """A workbook cell as the CSV file writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds()) // 60
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value)


def sheet_rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_calls_xlsx_holds_the_rows_of_calls_csv(folders: dict[str, Path]) -> None:
    """calls.xlsx has one sheet, the headers in the policy's language, and exactly the rows
    of calls.csv (dates and times as Excel values that read back to the same text; the
    status and call codes in the policy's language)."""
    for lang, folder in folders.items():
        wb = openpyxl.load_workbook(folder / "calls.xlsx")
        assert wb.sheetnames == ["calls"]
        rows = sheet_rows(wb["calls"])
        csv_table = csv_rows(folder / "calls.csv")
        assert csv_table[0] == CALLS_COLUMNS
        assert rows[0] == calls_header(CALLS_COLUMNS, lang)  # type: ignore[arg-type]
        assert [[as_text(v) for v in r] for r in rows[1:]] == [
            said_codes(r, lang) for r in csv_table[1:]
        ]
        assert len(rows) > 2  # the closed room moves several patients
    fr = sheet_rows(openpyxl.load_workbook(folders["fr"] / "calls.xlsx")["calls"])[0]
    assert fr[0] == "Intervention" and "Nouvelle date" in fr


def said_codes(row: list[str], lang: str) -> list[str]:
    """A row of calls.csv as calls.xlsx shows it: its status and call codes in words."""
    words = i18n.catalogue(lang)  # type: ignore[arg-type]
    return [
        words[f"sheets.cells.{col}.{cell}"] if col in ("status", "call") and cell else cell
        for col, cell in zip(CALLS_COLUMNS, row, strict=True)
    ]


def test_french_call_list_says_status_and_call_in_french(folders: dict[str, Path]) -> None:
    """Regression (QA, bug 2): with a French policy, calls.xlsx and schedule.xlsx's calls
    sheet had French headers but the cells ``kept``, ``postponed``, ``first``; they are in
    French there (calls.csv keeps the contract's codes). English shows the codes."""
    fr = sheet_rows(openpyxl.load_workbook(folders["fr"] / "calls.xlsx")["calls"])
    sheet = sheet_rows(openpyxl.load_workbook(folders["fr"] / "schedule.xlsx")["calls"])
    status, call = CALLS_COLUMNS.index("status"), CALLS_COLUMNS.index("call")
    codes = {"kept", "postponed", "scheduled", "transferred", "unscheduled", "first", "again"}
    for rows in (fr, sheet):
        shown = {r[status] for r in rows[1:]} | {r[call] for r in rows[1:]}
        assert not shown & codes, shown
        assert "premier appel" in shown and {"reporté", "transféré"} & shown, shown
    csv_statuses = {r[status] for r in csv_rows(folders["fr"] / "calls.csv")[1:]}
    assert csv_statuses <= codes
    again = ["C1", "S", "gen", "P3", None, None, None, "postponed", None, None, None, None,
             "why", "again"]  # fmt: skip
    row = calls_sheet(CALLS_COLUMNS, [again], "fr").rows[0]
    assert (row[status], row[call]) == ("reporté", "nouvel appel")
    en = sheet_rows(openpyxl.load_workbook(folders["en"] / "calls.xlsx")["calls"])
    assert {r[call] for r in en[1:]} == {"first"}


def test_every_calls_column_has_a_header_in_each_language() -> None:
    """No column of the call list is shown to the secretaries under its English code name."""
    for lang in ("en", "fr"):
        header = calls_header(CALLS_COLUMNS, lang)  # type: ignore[arg-type]
        assert not set(header) & set(CALLS_COLUMNS), lang


def test_schedule_xlsx_sheets_hold_the_folder(folders: dict[str, Path]) -> None:
    """schedule.xlsx: ``schedule`` is schedule.csv, ``calls`` is calls.xlsx's sheet,
    ``kpis`` one row per date of summary.json, then one sheet per date on which cases are
    operated here, each holding exactly that date's cases, room by room in time order."""
    import json

    folder = folders["en"]
    wb = openpyxl.load_workbook(folder / "schedule.xlsx")
    schedule = csv_rows(folder / "schedule.csv")
    at = {c: i for i, c in enumerate(schedule[0])}
    here = [r for r in schedule[1:] if r[at["status"]] in ("kept", "postponed", "scheduled")]
    dates = sorted({r[at["date"]] for r in here})
    assert wb.sheetnames == ["schedule", "calls", "kpis", *dates]
    got = sheet_rows(wb["schedule"])
    assert [[as_text(v) for v in r] for r in got] == schedule
    calls = openpyxl.load_workbook(folder / "calls.xlsx")["calls"]
    assert sheet_rows(wb["calls"]) == sheet_rows(calls)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    kpis = sheet_rows(wb["kpis"])
    assert kpis[0] == ["date", "planned", "kept", "ratio", "target_met"]
    assert [[as_text(v) for v in r] for r in kpis[1:]] == [
        [as_text(v) for v in d.values()] for d in summary["dates"]
    ]
    seen = []
    for date in dates:
        day = sheet_rows(wb[date])
        assert day[0][:4] == ["Room", "Start", "End", "Case"]
        order = [(r[0], r[1]) for r in day[1:]]
        assert [o[0] for o in order] == sorted(o[0] for o in order)  # R1 then R2
        for room in {o[0] for o in order}:
            starts = [o[1] for o in order if o[0] == room]
            assert starts == sorted(starts)
        expected = {r[at["case_id"]] for r in here if r[at["date"]] == date}
        assert sorted(r[3] for r in day[1:]) == sorted(expected)
        seen += [r[3] for r in day[1:]]
    assert sorted(seen) == sorted(r[at["case_id"]] for r in here)  # each exactly once


def test_workbook_cells_are_values_never_formulas(folders: dict[str, Path]) -> None:
    """No cell of either workbook is a formula: ``=B3`` stays text, marked so that Excel
    keeps it text once edited; the files hold no formula element at all."""
    for name in ("calls.xlsx", "schedule.xlsx"):
        path = folders["en"] / name
        with zipfile.ZipFile(path) as z:
            for entry in z.namelist():
                if entry.startswith("xl/worksheets/"):
                    assert b"<f>" not in z.read(entry) and b"<f " not in z.read(entry)
        wb = openpyxl.load_workbook(path)
        risky = [
            c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == "=B3"
        ]
        assert risky, name
        for cell in risky:
            assert cell.data_type == "s" and cell.quotePrefix


def test_workbooks_are_formatted_to_print(folders: dict[str, Path]) -> None:
    """Every sheet: header frozen and printed on each page, landscape A4 one page wide,
    columns widened to their text; dates are Excel dates shown as the language writes them,
    clock times Excel times."""
    for lang, pattern in (("en", "yyyy-mm-dd"), ("fr", "dd/mm/yyyy")):
        wb = openpyxl.load_workbook(folders[lang] / "schedule.xlsx")
        for ws in wb.worksheets:
            assert ws.freeze_panes == "A2", ws.title
            assert ws.print_title_rows == "$1:$1"
            assert ws.page_setup.orientation == "landscape"
            assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
            assert all(ws.column_dimensions[c].width > 2 for c in "ABC")
        ws = wb["schedule"]
        date_cell, start_cell = ws["C2"], ws["E2"]
        assert ws["C1"].value == "date" and ws["E1"].value == "start"
        assert isinstance(date_cell.value, dt.datetime) and date_cell.number_format == pattern
        assert isinstance(start_cell.value, dt.time) and start_cell.number_format == "hh:mm"
        reason = ws.column_dimensions["I"].width  # the long column, capped and wrapped
        assert 10 < reason <= 62


def test_workbooks_are_the_same_bytes_for_the_same_schedule(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    """Written twice, the workbooks are byte for byte the same (no clock in the files)."""
    again = write_result(risky_result("en"), tmp_path / "again", xlsx=True)
    for name in ("calls.xlsx", "schedule.xlsx"):
        assert (again / name).read_bytes() == (folders["en"] / name).read_bytes()


def test_schedule_xlsx_only_when_asked(tmp_path: Path) -> None:
    """Without ``xlsx`` the folder holds calls.xlsx but no schedule.xlsx."""
    out = write_result(risky_result("en"), tmp_path / "out")
    assert (out / "calls.xlsx").is_file() and not (out / "schedule.xlsx").exists()


def test_schedule_xlsx_delay_days_are_numbers(folders: dict[str, Path]) -> None:
    """The schedule sheet's ``delay_days`` are Excel numbers a planner can sum or sort, as
    the module promises for counts (before: the text "0", "1", the schedule's nullable
    integers arriving as numpy integers, which the writer took for text)."""
    ws = openpyxl.load_workbook(folders["en"] / "schedule.xlsx")["schedule"]
    rows = sheet_rows(ws)
    at = rows[0].index("delay_days")
    delays = [r[at] for r in rows[1:] if r[at] is not None]
    assert delays, "the small scenario has planned cases operated here"
    assert all(isinstance(d, int) and not isinstance(d, bool) for d in delays), delays
