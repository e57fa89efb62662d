"""A result folder's ``schedule.csv`` read and checked: the one reader that ``replan``,
``insert``, ``report``, ``letters``, ``explain`` and ``export`` share; and a re-planned
folder's ``done.csv`` (:func:`read_done`), which ``replan`` writes and ``export`` reads.

A planner may edit ``schedule.csv`` by hand (a start typed ``9h30``, a status
mistyped, a comma too many); every such problem is named by file, row (as a
spreadsheet numbers it, the header being row 1) and column, all of them
raised together in one :class:`~optimizer.scenario.ScenarioError`, with the
scenario loader's own cell parsers and words. The cells a command reads
(status, date, room, start, end, partner, delay, deadline) are checked here,
once, so that no command meets a cell it cannot read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..clock import format_time
from ..scenario import Problem, ScenarioError
from ..scenario.cells import CellError, parse_date, parse_end_time, parse_int, parse_time
from ..scenario.reading import delimiter_of
from ..scenario.schema import Scenario
from .booking import OPERATED, STATUSES, Booking

T = TypeVar("T")
MAX_BYTES = 100 * 1024 * 1024
SCHEDULE_NEEDS = ("case_id", "status", "date")
DONE_FILE = "done.csv"
DONE_COLUMNS = ["case_id", "status", "date", "room_id", "start", "end", "partner_id", "source"]
DONE, TRANSFERRED, WITHDRAWN = "done", "transferred", "withdrawn"  # done.csv's statuses
DELAY_DAYS = 100_000  # far beyond any horizon: a bound that only catches typing errors


@dataclass(frozen=True)
class Rows:
    """The rows of a CSV file as trimmed text by column, each with its spreadsheet row number.

    A row with more cells than the header (a separator inside an unquoted
    cell) is not in ``rows``: it is in ``refused``, cut to the header's
    columns, with its problem in ``problems``.
    """

    rows: list[tuple[int, dict[str, str]]]
    refused: list[tuple[int, dict[str, str]]]
    problems: list[Problem]
    # what the file was read as when not plain CSV, said as the scenario loader says it
    warnings: list[str] = field(default_factory=list)


def read_rows(path: Path, label: str, needed: Sequence[str]) -> Rows:
    """Read the CSV file ``path`` (named ``label`` in problems) that must hold ``needed``.

    Cells are trimmed and lose the one leading ``'`` the result files add to a
    formula-like cell. Blank rows are skipped but still counted, and extra
    empty cells at the end of a row are ignored, as the scenario loader does.
    As the loader too, a file a French Excel saved (``;`` as separator,
    Windows-1252 when it is not UTF-8) is read, and ``warnings`` says so.

    Raises
    ------
    ScenarioError
        The file is missing, unreadable, not UTF-8, not CSV or lacks a column of ``needed``.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Problem(label, None, None, "this file does not exist")]) from None
    except OSError as exc:
        message = f"the file cannot be read ({exc.strerror or exc})"
        raise ScenarioError([Problem(label, None, None, message)]) from None
    if len(data) > MAX_BYTES:
        raise ScenarioError([Problem(label, None, None, "the file is larger than 100 MB")])
    data = data.removeprefix(b"\xef\xbb\xbf")
    found = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if not text and data:
        try:
            if b"\0" in data:  # UTF-16 or binary: no Windows-1252 text either
                raise UnicodeDecodeError("cp1252", data, 0, 1, "NUL byte")
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ScenarioError(
                [Problem(label, None, None, "the file is not UTF-8 text")]
            ) from None
        found.append("Windows-1252 encoding (not UTF-8)")
    delimiter = delimiter_of(text, set(needed))
    if delimiter == ";":
        found.insert(0, "';' as separator")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    said = [f"{label}: read as a French spreadsheet export: {', '.join(found)}"] if found else []
    out = Rows([], [], [], said)
    try:
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in needed if c not in header]
        if missing:
            raise ScenarioError(
                [Problem(label, 1, c, "this required column is missing") for c in missing]
            )
        width = len(header)
        for number, rec in enumerate(reader, start=2):
            cells = [unescape_cell(c.strip()) for c in rec]
            if not any(cells):
                continue
            by_column = dict(zip(header, cells + [""] * (width - len(cells)), strict=False))
            if any(cells[width:]):
                out.refused.append((number, by_column))
                out.problems.append(
                    Problem(
                        label,
                        number,
                        None,
                        f"the row has {len(cells)} cells but the header has {width} columns "
                        f"(a {'semicolon' if delimiter == ';' else 'comma'} inside a cell must be "
                        "quoted)",
                    )
                )
            else:
                out.rows.append((number, by_column))
    except csv.Error as exc:
        raise ScenarioError([Problem(label, None, None, f"not valid CSV ({exc})")]) from None
    return out


def unescape_cell(cell: str) -> str:
    """A result file's cell as written before: a formula-like cell got one more leading
    quote (``write_safe_csv``)."""
    return cell[1:] if cell.startswith("'") else cell


@dataclass(frozen=True)
class ScheduleFile:
    """``schedule.csv`` checked against the scenario it was solved from.

    ``rows`` has one row per case of the scenario, in the scenario's order,
    each cell trimmed text (``""``: empty), with its date, start, end and
    deadline written as the folder writes them (``YYYY-MM-DD``, ``HH:MM``);
    ``bookings`` says where each case is; ``lines`` is the row of each case
    in the file.
    """

    rows: tuple[dict[str, str], ...]
    bookings: tuple[Booking, ...]
    lines: Mapping[str, int]


def read_schedule(
    path: Path, label: str, scenario: Scenario, needed: Sequence[str] = SCHEDULE_NEEDS
) -> ScheduleFile:
    """Read the ``schedule.csv`` at ``path`` (named ``label`` in problems) of ``scenario``.

    Raises
    ------
    ScenarioError
        Every problem of the file, by row and column: a cell that is not what the
        folder writes, a row naming no case of the scenario or one named twice, a
        case without a row.
    """
    table = read_rows(path, label, needed)
    problems = list(table.problems)
    known = {c.case_id for c in scenario.cases}
    seen = {cells.get("case_id", "") for _, cells in table.refused}
    rows: dict[str, dict[str, str]] = {}
    bookings: dict[str, Booking] = {}
    lines: dict[str, int] = {}
    for row, cells in table.rows:
        cid = cells.get("case_id", "")
        if not cid:
            problems.append(
                Problem(label, row, "case_id", "this cell is empty but a value is required")
            )
            continue
        if cid not in known:
            problems.append(Problem(label, row, "case_id", f"case {cid} is not in scenario/"))
            continue
        if cid in seen:
            where = f"on row {lines[cid]}" if cid in lines else "above"
            problems.append(Problem(label, row, "case_id", f"case {cid} is already listed {where}"))
            continue
        seen.add(cid)
        try:
            bookings[cid] = _booking(cells)
        except _Bad as exc:
            problems.append(Problem(label, row, exc.column, str(exc)))
            continue
        rows[cid], lines[cid] = cells, row
    for c in scenario.cases:
        if c.case_id not in seen:
            problems.append(Problem(label, None, "case_id", f"case {c.case_id} has no row"))
    if problems:
        raise ScenarioError(problems, scenario.policy.language)
    ids = [c.case_id for c in scenario.cases]
    return ScheduleFile(tuple(rows[i] for i in ids), tuple(bookings[i] for i in ids), lines)


class _Bad(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _booking(cells: dict[str, str]) -> Booking:
    """Where the row puts its case; its cells made canonical in place (dates ISO, times
    ``HH:MM``), so that whoever reads them next reads what the folder writes."""
    status = cells.get("status", "")
    if status not in STATUSES:
        raise _Bad("status", f"{status!r} is not a status ({', '.join(sorted(STATUSES))})")
    if cells.get("delay_days"):
        _parsed(lambda t: parse_int(t, -DELAY_DAYS, DELAY_DAYS, "days"), cells, "delay_days")
    if cells.get("deadline"):
        cells["deadline"] = _parsed(parse_date, cells, "deadline").isoformat()
    if status == "unscheduled":
        return Booking(status)
    date = _parsed(parse_date, cells, "date")
    cells["date"] = date.isoformat()
    if status == "transferred":
        partner = cells.get("partner_id", "")
        if not partner:
            raise _Bad("partner_id", "a transferred case needs its partner")
        return Booking(status, date, partner=partner)
    room = cells.get("room_id", "")
    if not room:
        raise _Bad("room_id", "a case operated here needs its room")
    assert status in OPERATED
    start = _parsed(parse_time, cells, "start")
    cells["start"] = format_time(start)
    if cells.get("end"):
        cells["end"] = format_time(_parsed(parse_end_time, cells, "end"))
    return Booking(status, date, room, start)


def canonical_cells(
    label: str, row: int, cells: dict[str, str], dates: Sequence[str], times: Sequence[str]
) -> list[Problem]:
    """The ``dates`` and ``times`` cells of ``cells`` (those given) written as the folder
    writes them, in place; a problem for each that is neither (a hand-edited calls.csv)."""
    problems: list[Problem] = []
    for column in (c for c in (*dates, *times) if cells.get(c)):
        try:
            if column in dates:
                cells[column] = _parsed(parse_date, cells, column).isoformat()
            else:
                cells[column] = format_time(_parsed(parse_time, cells, column))
        except _Bad as exc:
            problems.append(Problem(label, row, column, str(exc)))
    return problems


def _parsed(parse: Callable[[str], T], cells: Mapping[str, str], column: str) -> T:
    text = cells.get(column, "")
    if not text:
        raise _Bad(column, "this cell is empty but a value is required")
    try:
        return parse(text)
    except CellError as exc:  # the loader's cell parsers raise with the planner's words
        raise _Bad(column, str(exc)) from None


@dataclass(frozen=True)
class DoneRow:
    """A row of ``done.csv``: a case that left the list that morning, and where it went.

    ``date``, ``room``, ``start`` and ``end`` (minutes after midnight) are the slot the
    row gives, each ``None`` when its cell is empty (a withdrawn case, one reported done
    before its day: the folder knows no slot); ``line`` is the row in the file.
    """

    case_id: str
    status: str
    date: dt.date | None
    room: str | None
    start: int | None
    end: int | None
    partner: str | None
    line: int


def read_done(path: Path, label: str, scenario: Scenario) -> tuple[DoneRow, ...]:
    """Read the ``done.csv`` at ``path`` (named ``label`` in problems) beside ``scenario``
    (the folder's own: a case that left the list is not on it).

    Raises
    ------
    ScenarioError
        Every problem of the file, by row and column: an empty or repeated case id, a
        case still in ``scenario/``, a status other than done, transferred, withdrawn, a
        date or time that is not one, a start without its date or its end.
    """
    table = read_rows(path, label, DONE_COLUMNS[:-1])  # source: said, never read
    problems = list(table.problems)
    on_list = {c.case_id for c in scenario.cases}
    first: dict[str, int] = {}
    out = []
    for row, cells in table.rows:
        cid = cells["case_id"]
        if not cid:
            problems.append(
                Problem(label, row, "case_id", "this cell is empty but a value is required")
            )
        elif cid in first:
            problems.append(
                Problem(label, row, "case_id", f"case {cid} is already listed on row {first[cid]}")
            )
        elif cid in on_list:
            problems.append(
                Problem(label, row, "case_id", f"case {cid} is still a case of scenario/: "
                        "a case that left the list is not on it")
            )  # fmt: skip
        else:
            first[cid] = row
            try:
                out.append(_done_row(cid, cells, row))
            except _Bad as exc:
                problems.append(Problem(label, row, exc.column, str(exc)))
    if problems:
        raise ScenarioError(problems, scenario.policy.language)
    return tuple(out)


def _done_row(cid: str, cells: dict[str, str], line: int) -> DoneRow:
    status = cells["status"]
    if status not in (DONE, TRANSFERRED, WITHDRAWN):
        raise _Bad("status", f"{status!r} is not one of {DONE}, {TRANSFERRED}, {WITHDRAWN}")
    given = [c for c in ("date", "start", "end") if cells[c]]
    for column, needs in (("start", "date"), ("end", "start"), ("start", "end")):
        if column in given and needs not in given:  # a slot is whole or not given
            raise _Bad(needs, "this cell is empty but a value is required")
    date = _parsed(parse_date, cells, "date") if cells["date"] else None
    start = _parsed(parse_time, cells, "start") if cells["start"] else None
    end = _parsed(parse_end_time, cells, "end") if cells["end"] else None
    if start is not None and end is not None and end <= start:
        said = f"the case ends at {cells['end']}, not after it starts ({cells['start']})"
        raise _Bad("end", said)
    return DoneRow(cid, status, date, cells["room_id"] or None, start, end,
                   cells["partner_id"] or None, line)  # fmt: skip
