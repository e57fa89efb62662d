"""A scenario as one ``.xlsx`` workbook: one sheet per file, read by the folder's own readers.

Each sheet is named as its file without the extension (``cases``,
``rooms``...) and holds the file's columns in row 1; sheet ``policy`` holds
``key, value`` rows with dotted keys (``urgency.P1.weight``). The cells,
whatever Excel stored (dates, times, numbers, booleans or text), become the
text the CSV file would hold, and the same :class:`~.reading.Reader` checks
go on from there: there is no second validator. Problems are then named by
sheet, row (as Excel numbers it) and column, where a folder's name file, row
and column.

python-calamine reads the workbook: it is several times faster than openpyxl
at reading, so a workbook loads about as fast as the same CSV folder.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from .. import i18n
from ..clock import format_time
from ..i18n import Lang
from . import limits
from .errors import Problem, ScenarioError
from .layout import FILES, POLICY_FILE, column_kind
from .reading import PolicyRows, Reader, Table, printable
from .workbook_cells import Merged, OddCell, number_as, odd_cells
from .workbook_shape import header_merges, missing_sheet

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
POLICY_SHEET = "policy"
HELP_SHEET = "help"  # the template's explanations: not data
_MAX_COLUMNS = 200  # a scenario's files have a few dozen columns
_HEADER_SEARCH = 11  # rows searched for a header typed below a title


def sheet_name(file: str) -> str:
    """The sheet of a file: its name without the extension (``cases.csv`` -> ``cases``)."""
    return file.rsplit(".", 1)[0]


SHEET_OF_FILE = {file: sheet_name(file) for file in FILES} | {POLICY_FILE: POLICY_SHEET}
# A file's name said as its sheet, except in sheet titles quoted as they are ("did you mean
# 'cases.csv'?" names the sheet so titled, not the file).
_FILE_WORD = re.compile(
    r"(?P<title>\(did you mean '[^']*'\?\)|\(sheets found: [^)]*\))|"
    + "|".join(rf"\b{re.escape(f)}\b" for f in SHEET_OF_FILE)
)


def is_workbook(path: Path) -> bool:
    """A path named as a workbook (whether it exists or not)."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def excel_text(value: Any) -> str:
    """A cell as the text the CSV file would hold; numbers as Excel shows them.

    A whole number is written without ``.0`` (an id typed as ``12`` is
    ``12``), other numbers with Excel's 15 significant digits; dates ISO,
    times ``HH:MM`` (rounded to the minute Excel shows), booleans
    ``true``/``false``, a duration ``[h]:mm`` as ``H:MM``.
    """
    convert = _BY_TYPE.get(type(value))
    return convert(value) if convert is not None else str(value).strip()


@cache
def _number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def _moment(value: dt.datetime) -> str:
    if value.time() == dt.time(0):
        return value.date().isoformat()
    return f"{value.date().isoformat()} {_clock(value.time())}"


@cache
def _clock(t: dt.time) -> str:
    # Excel stores a time as a fraction of a day: 08:00 may come back as 07:59:59.999.
    seconds = t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6
    minutes = round(seconds / 60)
    if abs(seconds - minutes * 60) > 1:
        return t.isoformat(timespec="seconds")
    return format_time(minutes) if minutes < 24 * 60 else "24:00"


def _duration(value: dt.timedelta) -> str:
    minutes = round(value.total_seconds() / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


# One converter per type calamine gives (a dict lookup: workbooks have 100,000s of cells).
_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: str.strip,
    float: _number,
    int: str,
    bool: lambda v: "true" if v else "false",
    dt.date: dt.date.isoformat,
    dt.datetime: _moment,
    dt.time: _clock,
    dt.timedelta: _duration,
}


def _policy_value(value: Any) -> Any:
    """A policy cell as the TOML value it stands for (a whole number as an int)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, str):
        text = value.strip()
        try:  # a number, date, boolean or list typed as text
            return tomllib.loads(f"v = {text}")["v"]
        except (tomllib.TOMLDecodeError, RecursionError):
            return text
    return value


class WorkbookReader(Reader):
    """A :class:`Reader` whose files are the sheets of one workbook."""

    def __init__(
        self,
        path: Path,
        sheets: dict[str, list[list[Any]]],
        odd: dict[str, list[OddCell | Merged]] | None = None,
        others: tuple[str, ...] = (),
        titles: tuple[str, ...] = (),
    ) -> None:
        super().__init__(path.parent)
        self.path = path
        self.sheets = sheets
        self.odd = odd or {}
        self.others = others  # the sheets not read: a missing one's likely misnaming
        self.titles = titles  # every sheet, as the planner sees the tabs
        # (sheet's file, row, column) -> the cell's text and what Excel holds there, for a
        # date or time shown as a number (its format lost): said instead of "not a date".
        self.numbers: dict[tuple[str, int, str], tuple[str, str]] = {}

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        shown = self.numbers.get((file, row or 0, column or ""))
        if shown is not None and message.startswith(
            (f"{shown[0]!r} is not ", f"{shown[0]} is not ")
        ):
            message = f"{shown[0]!r} {shown[1]}"  # a policy's value is said unquoted
        elif file == POLICY_FILE and message.endswith(" (e.g. 0.9)"):
            # a ratio typed in a cell: 0,9 in a French Excel, where the text '0,9' is refused
            message = message.removesuffix(")") + " in a number cell)"
        super().error(file, row, column, message)

    def odd_cells(
        self, name: str, sheet: str, columns: list[str], keys: list[str] | None = None
    ) -> bool:
        """Record the cells of ``sheet`` that do not hold what Excel shows (a formula never
        computed, an error value, a merged range) within its first ``len(columns)`` columns
        and below row 1, each named by its column (``keys``: by its row's policy key, as
        the policy's problems are); True when there is one (the sheet is not read further)."""
        found = False
        for cell in self.odd.get(sheet, []):
            if cell.last_row < 1 or cell.column >= len(columns):
                continue  # row 1 is the header's (a merged title above it is said there)
            column = columns[cell.column] or None
            if keys is not None and cell.column == 1 and cell.row < len(keys) and keys[cell.row]:
                column = keys[cell.row]
            self.error(name, cell.row + 1, column, cell.what)
            found = True
        return found

    def read_bytes(self, name: str, required: bool, limit: int) -> bytes | None:
        return None  # nothing beside the workbook is read (the policy is a sheet)

    def warn(self, message: str) -> None:
        super().warn(sheet_words(message))  # in the workbook's words as it is said

    def read_csv(self, name: str) -> Table | None:
        required, req_cols, _ = FILES[name]
        grid = self.sheets.get(sheet_name(name))
        if grid is None:
            if required:
                said = missing_sheet(sheet_name(name), self.others, self.titles)
                self.error(name, None, None, said)
            return None
        if len(grid) - 1 > limits.MAX_ROWS:
            self.error(name, None, None, f"the sheet has more than {limits.MAX_ROWS} rows: refused")
            return None
        if not any(excel_text(v) for rec in grid for v in rec[:64]):
            if required:
                expected = ", ".join(req_cols)
                self.error(
                    name, None, None, f"the sheet is empty: it needs a header row ({expected})"
                )
            else:
                self.warn(f"{name} is empty; it is ignored")
            return None
        header = [excel_text(v) for v in grid[0]]
        while header and not header[-1]:
            header.pop()
        below = _header_below(grid, header, req_cols)
        if below is not None:
            self.error(
                name,
                1,
                None,
                f"row 1 must be the header ({', '.join(req_cols)}): it is on row {below}; "
                "delete the rows above it",
            )
            return None
        width = len(header)
        merged = header_merges(self.odd.get(sheet_name(name), []), grid, width)
        for said in merged:
            self.error(name, 1, None, said)
        if merged or self.odd_cells(name, sheet_name(name), header):
            return None
        self._numbers_in_dates(name, header, grid)
        # Cells right of the header's last column are notes, not data: they are left out.
        text = excel_text
        records = (
            [v.strip() if type(v) is str else text(v) for v in rec[:width]] for rec in grid[1:]
        )
        return self.table(name, header, records)

    def _numbers_in_dates(self, name: str, header: list[str], grid: list[list[Any]]) -> None:
        """Note the numbers of the date and time columns that are Excel's dates or times."""
        kinds = [(j, col, column_kind(col)) for j, col in enumerate(header)]
        kinds = [(j, col, kind) for j, col, kind in kinds if kind in ("date", "time")]
        for number, rec in enumerate(grid[1:], start=2):
            for j, col, kind in kinds:
                value = rec[j] if j < len(rec) else None
                if isinstance(value, float | int) and not isinstance(value, bool):
                    said = number_as(value, kind)
                    if said is not None:
                        self.numbers[(name, number, col)] = (excel_text(value), said)

    def policy_rows(self) -> PolicyRows | None:
        """Sheet ``policy``: ``key, value`` rows, dotted keys nested as TOML tables."""
        out = PolicyRows()
        grid = self.sheets.get(POLICY_SHEET)
        if not grid:
            return out
        f = POLICY_FILE
        header = [excel_text(v).lower() for v in grid[0][:2]]
        if header != ["key", "value"]:
            self.error(f, 1, None, "row 1 must be the header (key, value)")
            return out
        keys = [excel_text(rec[0]) if rec else "" for rec in grid]
        if self.odd_cells(f, POLICY_SHEET, header, keys):
            return out
        for number, rec in enumerate(grid[1:], start=2):
            key = excel_text(rec[0]) if rec else ""
            value = rec[1] if len(rec) > 1 else ""
            if not key:
                if excel_text(value):
                    self.error(f, number, "key", "a value is given without a key")
                continue
            if excel_text(value) == "":
                continue  # not given: the default (the template lists keys left empty)
            path = _dotted(key)
            if not path:
                self.error(f, number, "key", f"{key!r} is not a key (e.g. urgency.P1.weight)")
                continue
            where = out.raw
            said = None  # what is wrong with the key, when something is
            for depth, part in enumerate(path[:-1]):
                inner = where.setdefault(part, {})
                out.lines.setdefault(path[: depth + 1], number)
                if not isinstance(inner, dict):  # "hospital" given a value, then a key in it
                    above = ".".join(path[: depth + 1])
                    first = out.lines.get(path[: depth + 1], number)
                    said = f"{above} is given a value on row {first}: it holds no other key"
                    break
                where = inner
            if said is None and isinstance(where.get(path[-1]), dict):  # keys, then a value
                first = out.lines.get(path, number)
                said = f"this key holds other keys (from row {first}): it takes no value itself"
            elif said is None and path[-1] in where:
                said = f"this key is already given on row {out.lines.get(path, number)}"
            if said is not None:
                self.error(f, number, key, said)
                continue
            where[path[-1]] = _policy_value(value)
            out.lines[path] = number
            self._number_in_date(key, number, value)
        return out

    def _number_in_date(self, key: str, number: int, value: Any) -> None:
        """Note a policy date (``start_date``) that is Excel's date shown as a number."""
        kind = column_kind(key)
        if kind in ("date", "time") and type(value) in (int, float):
            said = number_as(value, kind)
            if said is not None:
                self.numbers[(POLICY_FILE, number, key)] = (excel_text(value), said)


def _header_below(
    grid: list[list[Any]], header: list[str], required: tuple[str, ...]
) -> int | None:
    """The row (as Excel numbers it) of a header typed below a title, when row 1 holds none
    of the required columns and one of the next rows holds them all."""
    if not required or set(required) & set(header):
        return None
    for number, rec in enumerate(grid[1:_HEADER_SEARCH], start=2):
        if set(required) <= {excel_text(v) for v in rec}:
            return number
    return None


def _dotted(key: str) -> tuple[str, ...]:
    """``urgency.P1.weight`` (or ``urgency."P1.a".weight``) as its parts."""
    parts = re.findall(r'"([^"]*)"|([^.]+)', key)
    return tuple((quoted or bare).strip() for quoted, bare in parts if (quoted or bare).strip())


def read_workbook(
    path: Path,
) -> tuple[
    dict[str, list[list[Any]]],
    dict[str, list[OddCell | Merged]],
    list[str],
    tuple[str, ...],
    tuple[str, ...],
]:
    """The sheets of a workbook as rows of cells (from A1), the cells of each that do not
    hold what Excel shows (:mod:`.workbook_cells`), warnings about other sheets and about
    hidden sheets read, the titles of the sheets not read, and those of all its sheets.

    Raises
    ------
    ScenarioError
        The file is missing, too large, not a workbook or cannot be read.
    """
    import python_calamine

    where = printable(path.name)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ScenarioError([Problem(where, None, None, "this workbook does not exist")]) from None
    except OSError as exc:
        raise ScenarioError(
            [Problem(where, None, None, f"the workbook cannot be read ({exc.strerror or exc})")]
        ) from None
    if size > limits.MAX_FILE_BYTES:
        raise ScenarioError(
            [Problem(where, None, None, f"the workbook is larger than "
                     f"{limits.MAX_FILE_BYTES // 2**20} MB: it is refused")]
        )  # fmt: skip
    known = {name.lower(): name for name in SHEET_OF_FILE.values()}
    sheets: dict[str, list[list[Any]]] = {}
    odd: dict[str, list[OddCell | Merged]] = {}
    titles: dict[str, str] = {}
    ignored: list[str] = []
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        shown = python_calamine.SheetVisibleEnum.Visible
        hidden = {m.name for m in book.sheets_metadata if m.visible != shown}
        for title in book.sheet_names:
            name = known.get(title.strip().lower())
            if name is None or name in sheets:
                if title.strip().lower() != HELP_SHEET:
                    ignored.append(title)
                continue
            sheet = book.get_sheet_by_name(title)
            if sheet.height > limits.MAX_ROWS + 1 or sheet.width > _MAX_COLUMNS:
                raise ScenarioError(
                    [Problem(name, None, None, _too_large(sheet.height, sheet.width))]
                )
            sheets[name] = sheet.to_python(skip_empty_area=False)
            titles[title] = name
            odd[name] = [Merged(a, b, c, d) for (a, b), (c, d) in sheet.merged_cell_ranges or ()]
    except ScenarioError:
        raise
    except Exception as exc:  # calamine's errors share no base class but Exception
        raise ScenarioError(
            [Problem(where, None, None, f"the workbook cannot be read: {_unreadable(path, exc)}")]
        ) from None
    for title, cells in odd_cells(path, set(titles)).items():
        odd[titles[title]] += cells
    warnings = []
    if ignored:
        warnings.append(
            f"{where}: sheet(s) ignored (not a file of a scenario): {', '.join(ignored)}"
        )
    read_hidden = [title for title in titles if title in hidden]
    if read_hidden:  # a planner hid it, perhaps as an old copy: its rows are data all the same
        warnings.append(f"{where}: hidden sheet(s) read as data: {', '.join(read_hidden)}")
    return sheets, odd, warnings, tuple(ignored), tuple(book.sheet_names)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 files: an old .xls
_SAVE_AS = "open it in Excel and save it as 'Excel Workbook (.xlsx)'"


def _unreadable(path: Path, exc: Exception) -> str:
    """Why calamine could not read ``path``, in a planner's words: what the file is (read
    from its first bytes) rather than the zip library's words for it."""
    if "Password" in type(exc).__name__:
        return f"it is protected by a password ({printable(str(exc))})"
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as err:
        return f"it is not a workbook ({err.strerror or err})"
    if not head:
        return "the file is empty"
    if head.startswith(_OLE):  # an encrypted .xlsx is one too, but calamine says so above
        return f"it is not a workbook but an old Excel file (.xls) named .xlsx: {_SAVE_AS}"
    if head.startswith(b"PK") and not zipfile.is_zipfile(path):
        return (
            "it is damaged or incomplete (a copy cut short?): save it again from Excel, or "
            "copy it again"
        )
    if b"\0" not in head:
        return (
            f"it is not a workbook but text (a CSV file named .xlsx?): {_SAVE_AS}, or give the "
            "folder of CSV files"
        )
    return f"it is not a workbook ({printable(str(exc))})"


def _too_large(height: int, width: int) -> str:
    """Why a sheet is refused: cells far below or right of any table a scenario has."""
    return (
        f"the sheet's cells span {height:,} row{'s' * (height != 1)} and {width:,} "
        f"column{'s' * (width != 1)} (at most "
        f"{limits.MAX_ROWS + 1:,} rows and {_MAX_COLUMNS} columns): delete the cells far below "
        "or right of the table"
    )


def sheet_words(text: str, lang: Lang = "en") -> str:
    """A message of the loader in the workbook's words: ``rooms.csv`` -> ``sheet rooms``
    (in French ``la feuille rooms``, or ``feuille rooms`` opening a parenthesis or after a
    comma: "(feuille rooms)", ", feuille resources)")."""

    def said(m: re.Match[str]) -> str:
        if m.group("title"):
            return m.group("title")
        sheet = SHEET_OF_FILE[m.group(0)]
        bare = text[: m.start()].endswith(("(", ", "))
        return i18n.text(lang, "validation.sheet" if bare else "validation.the_sheet", sheet=sheet)

    return _FILE_WORD.sub(said, text)


_SHEET_WORD = re.compile(
    r"\bsheet (?P<sheet>" + "|".join(re.escape(s) for s in SHEET_OF_FILE.values()) + r")\b"
)
_FILE_OF_SHEET = {sheet: file for file, sheet in SHEET_OF_FILE.items()}


def file_words(text: str) -> str:
    """The loader's own words for a message said in the workbook's: ``sheet rooms`` ->
    ``rooms.csv`` (what :func:`sheet_words` undoes), so that the catalogue's patterns,
    written for files, know it."""
    return _SHEET_WORD.sub(lambda m: _FILE_OF_SHEET[m.group("sheet")], text)


def sheet_problem(p: Problem) -> Problem:
    """The loader's problem, named by sheet rather than by file (rows are Excel's rows)."""
    return Problem(SHEET_OF_FILE.get(p.file, p.file), p.row, p.column, sheet_words(p.message))
