"""Workbooks out: ``calls.xlsx`` and ``schedule.xlsx``, values only, formatted to print.

A French Excel opens a comma-separated file as one column, so the call list
and the schedule are also written as workbooks. Every cell is a typed value
(dates as Excel dates, clock times as Excel times, counts as numbers), never
a formula: a text starting with ``=`` is stored as text and marked so that
Excel keeps it text when the cell is edited. Each sheet has its header
frozen and repeated on every printed page, columns as wide as their text,
landscape A4 pages one page wide.

The bytes depend only on the content (no creation time, fixed times in the
archive), so the same schedule gives the same workbook.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import i18n
from ..facts.booking import OPERATED
from ..i18n import Lang
from ..scenario.schema import Scenario
from ..scenario.workbook_memory import write_workbook_data

DATE_COLUMNS = frozenset({"date", "old_date", "new_date", "deadline"})
TIME_COLUMNS = frozenset({"start", "end", "old_start", "new_start"})
INT_COLUMNS = frozenset({"delay_days", "planned", "kept"})
RATIO_COLUMNS = frozenset({"ratio"})
BOOL_COLUMNS = frozenset({"target_met", "deadline_missed"})

# Excel's display formats: dates as each language writes them, times as HH:MM
# ([hh] shows 24:00 and past midnight, where overtime runs).
DATE_FORMAT: dict[Lang, str] = {"en": "yyyy-mm-dd", "fr": "dd/mm/yyyy"}
TIME_FORMAT = "hh:mm"
LONG_TIME_FORMAT = "[hh]:mm"
RATIO_FORMAT = "0%"

MAX_WIDTH = 60  # characters: a long reason wraps instead of pushing the page wider
_CLOCK = re.compile(r"([0-9]{1,3}):([0-9]{2})\Z")
# What the XML of a workbook cannot hold (control characters but tab and line breaks).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest time: no clock in the bytes


@dataclass(frozen=True)
class Sheet:
    """One sheet: ``columns`` name each column's kind (``date``, ``start``...), ``header``
    is what row 1 shows (the column names, or their translation)."""

    name: str
    columns: Sequence[str]
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def calls_header(columns: Iterable[str], lang: Lang) -> list[str]:
    """The call sheet's headers in ``lang``: a column no catalogue names keeps its name."""
    words = i18n.catalogue(lang)
    return [words.get(f"sheets.calls.{c}", c) for c in columns]


def write_workbook(path: Path, sheets: Sequence[Sheet], lang: Lang) -> None:
    """Write ``sheets`` into the workbook ``path`` (replaced), dates shown as ``lang`` writes
    them."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        _fill(wb.create_sheet(sheet.name), sheet, lang)
    # no clock in the file: the same content gives the same bytes
    wb.properties.created = wb.properties.modified = dt.datetime(*_FIXED_TIME)
    with path.open("wb") as fh:
        with _FixedTimeZip(fh, "w", zipfile.ZIP_DEFLATED) as archive:
            write_workbook_data(wb, archive)
        fh.flush()
        os.fsync(fh.fileno())


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries carry a fixed time instead of the clock's."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_FIXED_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)


def _fill(ws: Worksheet, sheet: Sheet, lang: Lang) -> None:
    bold = Font(bold=True)
    widths = [len(h) for h in sheet.header]
    for col, text in enumerate(sheet.header, start=1):
        cell = ws.cell(row=1, column=col)
        _set_text(cell, text)
        cell.font = bold
    for r, row in enumerate(sheet.rows, start=2):
        for col, (name, value) in enumerate(zip(sheet.columns, row, strict=True), start=1):
            cell = ws.cell(row=r, column=col)
            shown = _set(cell, name, value, lang)
            widths[col - 1] = max(widths[col - 1], shown)
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, width in enumerate(widths, start=1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = min(width, MAX_WIDTH) + 2
        if width > MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    if sheet.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{len(sheet.rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _set(cell: Any, column: str, value: Any, lang: Lang) -> int:
    """Put ``value`` in ``cell`` as the kind its column holds; the width it shows."""
    if value is None or (isinstance(value, float) and value != value):
        return 0
    if column in DATE_COLUMNS:
        day = _as_date(value)
        if day is not None:
            cell.value = day
            cell.number_format = DATE_FORMAT[lang]
            return 10
    elif column in TIME_COLUMNS:
        clock = _as_clock(value)
        if clock is not None:
            cell.value, cell.number_format = clock
            return 5
    elif column in BOOL_COLUMNS and isinstance(value, bool):
        cell.value = value
        return 5
    elif column in INT_COLUMNS and isinstance(value, Integral) and not isinstance(value, bool):
        # the schedule's nullable integers arrive as numpy integers: Integral, not int
        cell.value = int(value)
        return len(str(cell.value))
    elif column in RATIO_COLUMNS and isinstance(value, int | float) and not isinstance(value, bool):
        cell.value = float(value)
        cell.number_format = RATIO_FORMAT
        return 4
    text = "true" if value is True else "false" if value is False else str(value)
    _set_text(cell, text)
    return max((len(line) for line in text.splitlines()), default=0)


def _set_text(cell: Any, text: str) -> None:
    """Text stays text: never run as a formula, even once edited in Excel."""
    cell.value = _ILLEGAL.sub("\ufffd", text)
    cell.data_type = "s"
    if text.startswith(("=", "+", "-", "@")):
        cell.quotePrefix = True


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _as_clock(value: Any) -> tuple[dt.time | dt.timedelta, str] | None:
    """``HH:MM`` as an Excel time; at or past 24:00 (overtime past midnight) as a duration."""
    m = _CLOCK.match(str(value))
    if not m:
        return None
    hours, minutes = int(m.group(1)), int(m.group(2))
    if minutes >= 60:
        return None
    if hours < 24:
        return dt.time(hours, minutes), TIME_FORMAT
    return dt.timedelta(hours=hours, minutes=minutes), LONG_TIME_FORMAT


KPI_COLUMNS = ("date", "planned", "kept", "ratio", "target_met")
DAY_COLUMNS = ("room_id", "start", "end", "case_id", "surgeon_id", "specialty", "urgency",
               "status", "reason")  # fmt: skip


def schedule_sheets(
    scenario: Scenario,
    schedule: tuple[Sequence[str], Sequence[Sequence[Any]]],
    calls: tuple[Sequence[str], Sequence[Sequence[Any]]],
    kpis: Sequence[Mapping[str, Any]],
    lang: Lang,
) -> list[Sheet]:
    """The sheets of ``schedule.xlsx``: ``schedule`` (the columns of ``schedule.csv``),
    ``calls`` (as ``calls.xlsx``), ``kpis`` (one row per date), then one sheet per date
    with that day's rooms and cases in time order.

    ``schedule`` and ``calls`` are each (columns, rows); the schedule's rows are one
    per case of ``scenario``, in its order; ``kpis`` are ``summary.json``'s dates.
    """
    columns, rows = schedule
    kpi_columns = list(kpis[0]) if kpis else list(KPI_COLUMNS)
    sheets = [
        Sheet("schedule", columns, columns, rows),
        calls_sheet(*calls, lang),
        Sheet("kpis", kpi_columns, kpi_columns, [[k.get(c) for c in kpi_columns] for k in kpis]),
    ]
    return sheets + day_sheets(scenario, columns, rows, lang)


# The columns of the call list whose cells are codes of the contract, shown in words.
CALL_CODE_COLUMNS = ("status", "call")


def calls_sheet(columns: Sequence[str], rows: Sequence[Sequence[Any]], lang: Lang) -> Sheet:
    """The call list: its headers in ``lang``, the rows of ``calls.csv`` in its order, cell
    for cell but the ``status`` and ``call`` codes (``postponed``, ``again``), said in
    ``lang`` for the secretaries who read it (``reporté``, ``nouvel appel``)."""
    words = i18n.catalogue(lang)
    coded = [(i, c) for i, c in enumerate(columns) if c in CALL_CODE_COLUMNS]

    def said(row: Sequence[Any]) -> list[Any]:
        out = list(row)
        for i, column in coded:
            if isinstance(out[i], str):
                out[i] = words.get(f"sheets.cells.{column}.{out[i]}", out[i])
        return out

    return Sheet("calls", columns, calls_header(columns, lang), [said(r) for r in rows])


def day_sheets(
    scenario: Scenario, columns: Sequence[str], rows: Sequence[Sequence[Any]], lang: Lang
) -> list[Sheet]:
    """One sheet per date a case is operated here: rooms in the scenario's order, each
    room's cases in time order; the status in ``lang``."""
    words = i18n.catalogue(lang)
    room_rank = {r.room_id: i for i, r in enumerate(scenario.rooms)}
    at = {c: i for i, c in enumerate(columns)}
    days: dict[str, list[tuple[tuple[Any, ...], list[Any]]]] = {}
    for case, row in zip(scenario.cases, rows, strict=True):
        status, date = row[at["status"]], row[at["date"]]
        if status not in OPERATED or not date:  # operated here: on a day sheet
            continue
        room, start = row[at["room_id"]], row[at["start"]]
        line = [room, start, row[at["end"]], case.case_id, case.surgeon_id, case.specialty,
                case.urgency, words.get(f"report.status.{status}", status),
                row[at["reason"]]]  # fmt: skip
        key = (room_rank.get(room, len(room_rank)), room, _minutes(start), case.case_id)
        days.setdefault(str(date), []).append((key, line))
    header = [words[f"sheets.day.{c}"] for c in DAY_COLUMNS]
    return [
        Sheet(date, DAY_COLUMNS, header, [line for _, line in sorted(days[date])])
        for date in sorted(days)
    ]


def _minutes(clock: Any) -> int:
    m = _CLOCK.match(str(clock))
    return int(m.group(1)) * 60 + int(m.group(2)) if m else -1
