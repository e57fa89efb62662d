"""Cells of a workbook that do not hold what the planner sees: read from the file itself.

python-calamine gives each cell's saved value. Three kinds of cell have none
that matches the screen, and would be read as empty without a word:

- a formula whose value was never computed: a file written by a program
  (openpyxl, a script, an export) keeps the formula and no value until Excel
  opens and saves it;
- an error value (``#REF!``, ``#N/A``...), which calamine gives as empty;
- a merged range: Excel keeps its value in the top-left cell only, while the
  planner sees it on every row and column it spans.

The first two are found in the sheets' XML (only a sheet that holds a formula
or an error is scanned); the merged ranges come from calamine. Each is a
problem of its sheet, named by row and column: a due date or an ICU bed read
as "not given" would change the schedule silently.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..clock import format_time

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
# A formula (<f>), or a cell typed as an error (t="e"), with or without a namespace prefix.
_WORTH_A_LOOK = re.compile(rb"<(?:\w+:)?f[\s>/]|\st=\"e\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</(?:\w+:)?c>)", re.DOTALL)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>(?P<v>[^<]*)</(?:\w+:)?v>")
_REF = re.compile(r"([A-Z]{1,3})([0-9]+)\Z")


@dataclass(frozen=True)
class OddCell:
    """A cell (0-based row and column, as calamine's grid) whose value cannot be taken."""

    row: int
    column: int
    what: str  # the sentence saying why, in the planner's words

    @property
    def last_row(self) -> int:
        return self.row


@dataclass(frozen=True)
class Merged:
    """A merged range, 0-based and inclusive."""

    row: int
    column: int
    last_row: int
    last_column: int

    @property
    def what(self) -> str:
        span = f"{cell_ref(self.row, self.column)}:{cell_ref(self.last_row, self.last_column)}"
        return (
            f"cells {span} are merged: Excel keeps the value in {cell_ref(self.row, self.column)} "
            "only, the other cells are empty; unmerge them and fill each cell"
        )


UNCOMPUTED = (
    "this cell holds a formula whose value was never computed (the workbook was written by "
    "a program, not saved by Excel): open it in Excel and save it, or type the value"
)


def error_value(shown: str) -> str:
    """The sentence for a cell that shows an error value."""
    return f"this cell shows the error {shown}: correct the formula or type the value"


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts 1900-02-29)
# The serials taken for a date whose cell lost its format: a schedule's dates are of this
# century; a smaller number (2024, a year typed alone) is said as a plain typo.
_FIRST_SERIAL, _LAST_SERIAL = 36526, 401768  # 2000-01-01 .. 2999-12-31


def number_as(value: float, kind: str) -> str | None:
    """What Excel holds in a date or time cell (``kind``) shown as a number, when that
    number is one of its dates (45398: 2024-04-16) or times (0.333333333333333: 08:00),
    said as the problem of the cell; ``None`` for any other number."""
    if kind == "date" and float(value).is_integer() and _FIRST_SERIAL <= value <= _LAST_SERIAL:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return (
            "is a number, not a date: Excel shows a date as a number when its cell has no "
            f"date format (that is {day.isoformat()}); format the cell as a date"
        )
    if kind == "time" and 0 < value < 1 and round(value * 24 * 60) < 24 * 60:
        return (
            "is a number, not a clock time: Excel shows a time as a fraction of a day when "
            f"its cell has no time format (that is {format_time(round(value * 24 * 60))}); "
            "format the cell as a time (hh:mm)"
        )
    return None


def odd_cells(path: Path, titles: set[str]) -> dict[str, list[OddCell]]:
    """The cells of the sheets ``titles`` holding an uncomputed formula or an error value.

    A workbook whose parts cannot be found or read is left to calamine, which
    has read it already: nothing is said here then.
    """
    out: dict[str, list[OddCell]] = {}
    try:
        with zipfile.ZipFile(path) as book:
            for title, part in _sheet_parts(book).items():
                if title not in titles:
                    continue
                data = book.read(part)
                if _WORTH_A_LOOK.search(data):
                    out[title] = list(_scan(data))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}
    return out


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's title and the path of its XML part in the package."""
    root = ElementTree.fromstring(book.read("_rels/.rels"))
    main = next(
        (
            r.get("Target", "")
            for r in root.iter(f"{_PKG}Relationship")
            if r.get("Type") == _OFFICE_DOC
        ),
        "xl/workbook.xml",
    ).lstrip("/")
    folder, name = posixpath.split(main)
    rels = ElementTree.fromstring(book.read(posixpath.join(folder, "_rels", name + ".rels")))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
    parts = {}
    for sheet in ElementTree.fromstring(book.read(main)).iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target:
            where = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            parts[sheet.get("name", "")] = posixpath.normpath(where)
    return parts


def _scan(data: bytes) -> list[OddCell]:
    found = []
    for m in _CELL.finditer(data):
        attrs = dict(_ATTR.findall(m.group("attrs")))
        at = _REF.match(attrs.get(b"r", b"").decode("ascii", "replace"))
        if at is None:
            continue  # a cell without its reference cannot be named; calamine's value stands
        body = m.group("body") or b""
        value = _VALUE.search(body)
        kind = attrs.get(b"t", b"n")
        if kind == b"e":
            shown = value.group("v").decode("utf-8", "replace") if value else "#VALUE!"
            found.append(OddCell(int(at.group(2)) - 1, _column(at.group(1)), error_value(shown)))
        elif (
            _FORMULA.search(body)
            and kind not in (b"str", b"inlineStr")
            and not (value and value.group("v"))
        ):
            found.append(OddCell(int(at.group(2)) - 1, _column(at.group(1)), UNCOMPUTED))
    return found


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def cell_ref(row: int, column: int) -> str:
    """``B3`` for row 2, column 1 (0-based)."""
    letters = ""
    n = column + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"
