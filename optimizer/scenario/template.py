"""Writing a scenario workbook: the empty one a hospital fills in, or an existing scenario.

One sheet per file of the folder (``cases``, ``rooms``...), the contract's
columns in row 1, frozen; id and text columns formatted as text (so that an
id typed ``007`` stays ``007``), dates and times as Excel dates and times;
drop-down lists where the values are known (urgency classes, anaesthesia,
true/false, rooms); a sheet ``policy`` of ``key, value`` rows and a sheet
``help`` that explains each column in English and French. A scenario written
here loads back (:func:`~optimizer.scenario.loader.load_scenario`) to the
same scenario. openpyxl writes it (calamine only reads).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import i18n
from .atomic import write_bytes_atomically
from .layout import BOOL_COLUMNS, FILES, Kind, column_kind, columns
from .schema import ANAESTHESIA, Policy, Scenario, default_urgency_classes
from .workbook import HELP_SHEET, POLICY_SHEET, sheet_name
from .workbook_memory import workbook_bytes
from .writer import policy_toml, scenario_tables

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

_ROOM_COLUMNS = frozenset({"room_id", "planned_room", "announced_room"})
_SPECIALTY_COLUMNS = frozenset({"specialty", "specialties"})
_DATE_FORMAT, _TIME_FORMAT, _TEXT_FORMAT = "yyyy-mm-dd", "hh:mm", "@"
_ROOMS_RANGE = "rooms!$A$2:$A$2000"
_MIN_VALIDATED_ROWS = 1000


def _typed(kind: Kind, text: str) -> Any:
    """A cell of the CSV file as the Excel value a planner would type."""
    if not text:
        return None
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "time" and text != "24:00":  # Excel has no 24:00: it stays text
        return dt.time(int(text[:2]), int(text[3:5]))
    if kind == "int":
        return int(text)
    if kind == "number":
        return float(text)
    return text


def _policy_rows(policy: Policy | None) -> list[tuple[str, Any]]:
    """The policy as ``key, value`` rows with dotted keys (the defaults for a blank one)."""
    if policy is None:
        rows: list[tuple[str, Any]] = [("start_date", None), ("end_date", None)]
        defaults = tomllib.loads(policy_toml(Policy(start_date=dt.date(2024, 1, 1),
                                                    end_date=dt.date(2024, 1, 1))))  # fmt: skip
        defaults.pop("start_date"), defaults.pop("end_date")
        return rows + _flatten((), defaults)
    return _flatten((), tomllib.loads(policy_toml(policy)))


def _flatten(path: tuple[str, ...], table: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        here = (*path, key)
        if isinstance(value, dict):
            out += _flatten(here, value)
        else:
            dotted = ".".join(f'"{p}"' if "." in p or not p.strip() else p for p in here)
            if isinstance(value, list):  # a TOML array, written as its text
                value = json.dumps(value, ensure_ascii=False)
            out.append((dotted, value))
    return out


def write_workbook(path: str | Path, scenario: Scenario | None = None) -> Path:
    """Write the scenario workbook: empty (headers only) or holding ``scenario``.

    The file is written whole or not at all (a temporary file renamed over it).

    Parameters
    ----------
    path
        The ``.xlsx`` file to write.
    scenario
        The scenario to write; ``None`` for the empty template a hospital fills in.
    """
    from openpyxl import Workbook

    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    tables = scenario_tables(scenario) if scenario is not None else {}
    policy = scenario.policy if scenario is not None else None
    classes = list(policy.urgency if policy is not None else default_urgency_classes())
    lists = _known_values(scenario, classes)
    for file in FILES:
        header, rows = tables.get(file, (columns(file), []))
        sheet = book.create_sheet(sheet_name(file))
        _fill(sheet, header, rows, lists)
    policy_sheet = book.create_sheet(POLICY_SHEET)
    policy_sheet.append(["key", "value"])
    for key, value in _policy_rows(policy):
        policy_sheet.append([key, value])
        cell = policy_sheet.cell(policy_sheet.max_row, 2)
        if isinstance(value, dt.date):
            cell.number_format = _DATE_FORMAT
        elif isinstance(value, str):
            cell.data_type = "s"  # never a formula
    _style_header(policy_sheet, [30, 24])
    _help(book.create_sheet(HELP_SHEET))
    return write_bytes_atomically(path, workbook_bytes(book))


def _known_values(scenario: Scenario | None, classes: list[str]) -> dict[str, list[str]]:
    """The drop-down lists, by column: what the scenario (or the contract) allows."""
    lists: dict[str, list[str]] = {
        "urgency": classes,
        "anaesthesia": list(ANAESTHESIA),
        **{c: ["true", "false"] for c in BOOL_COLUMNS},
    }
    if scenario is not None:
        specialties = {s for r in scenario.rooms for s in r.specialties}
        specialties |= {c.specialty for c in scenario.cases}
        lists["specialty"] = sorted(specialties)
    return lists


def _fill(
    sheet: Worksheet, header: list[str], rows: list[list[str]], lists: dict[str, list[str]]
) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.append(header)
    kinds = [column_kind(c) for c in header]
    formats = {
        "date": _DATE_FORMAT,
        "time": _TIME_FORMAT,
        "text": _TEXT_FORMAT,
        "bool": _TEXT_FORMAT,
    }
    for r, row in enumerate(rows, start=2):
        for j, (kind, text) in enumerate(zip(kinds, row, strict=True), start=1):
            value = _typed(kind, text)
            if value is None:
                continue
            cell = sheet.cell(r, j, value)
            if isinstance(value, str):
                cell.data_type = "s"  # a text starting with '=' stays text
            fmt = (
                formats.get(kind) if not isinstance(value, str) or kind != "time" else _TEXT_FORMAT
            )
            if fmt:
                cell.number_format = fmt
    last = max(_MIN_VALIDATED_ROWS, len(rows) + 500)
    widths = []
    for j, (column, kind) in enumerate(zip(header, kinds, strict=True), start=1):
        letter = get_column_letter(j)
        if kind in formats:
            sheet.column_dimensions[letter].number_format = formats[kind]
        widths.append(max(12, len(column) + 2))
        cells = f"{letter}2:{letter}{last}"
        if column in lists and lists[column] and sum(len(v) + 1 for v in lists[column]) < 250:
            strict = column not in _SPECIALTY_COLUMNS
            check = DataValidation(type="list", formula1=f'"{",".join(lists[column])}"',
                                   allow_blank=True, showErrorMessage=strict)  # fmt: skip
        elif column in _ROOM_COLUMNS and sheet.title != "rooms":
            check = DataValidation(type="list", formula1=f"={_ROOMS_RANGE}", allow_blank=True)
        else:
            continue
        sheet.add_data_validation(check)
        check.add(cells)
    _style_header(sheet, widths)


def _style_header(sheet: Worksheet, widths: list[int]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = width


def _help(sheet: Worksheet) -> None:
    """Sheet ``help``: every column of every sheet, explained in English and in French."""
    from openpyxl.styles import Alignment, Font

    def en(key: str) -> str:
        return i18n.text("en", f"workbook.{key}")

    def fr(key: str) -> str:
        return i18n.text("fr", f"workbook.{key}")

    sheet.append([en("sheet.title")])
    sheet.append([en("sheet.intro")])
    sheet.append([fr("sheet.title")])
    sheet.append([fr("sheet.intro")])
    sheet.append([])
    both = [f"{en('sheet.' + k)} / {fr('sheet.' + k)}" for k in ("sheet", "column", "required")]
    sheet.append([*both, en("sheet.meaning"), fr("sheet.meaning")])
    header_row = sheet.max_row
    files = [(sheet_name(f), FILES[f][1], columns(f)) for f in FILES]
    files.append((POLICY_SHEET, ("key", "value"), ["key", "value"]))
    for name, required, cols in files:
        for col in cols:
            needed = "sheet.yes" if col in required else "sheet.no"
            sheet.append([name, col, f"{en(needed)} / {fr(needed)}",
                          en(f"help.{name}.{col}"), fr(f"help.{name}.{col}")])  # fmt: skip
    for cell in (sheet["A1"], sheet["A3"], *sheet[header_row]):
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row[3:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (16, 18, 18, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
