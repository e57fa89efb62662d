"""The appointments a result folder decides, in the hospital's time: what every export says.

Read from the folder's files only (``schedule.csv``, ``calls.csv``,
``scenario/``, and a re-planned folder's ``done.csv``), like the report, so a
folder copied from the crisis laptop can feed the hospital's systems when they
come back. Clock times become
instants in the hospital's time zone (``policy.toml`` ``timezone``), so an
appointment at 08:00 in Paris is ``08:00+02:00`` in summer and ``08:00+01:00``
in winter.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..facts.booking import OPERATED, STATUSES
from ..facts.schedule_file import DONE, DONE_FILE, DoneRow, read_done
from ..report.folder import CALLS, SCHEDULE, ResultFolder, ResultFolderError, read_result_folder
from ..scenario import Problem, ScenarioError
from ..scenario.schema import Case

_CLOCK = re.compile(r"([0-9]{1,3}):([0-9]{2})\Z")


@dataclass(frozen=True)
class TimedSlot:
    """An appointment (:class:`~optimizer.facts.booking.Slot`) as the hospital's systems take
    it: its room, and its start and end as instants in the hospital's time zone; room and
    times unknown when never given."""

    room: str | None
    start: dt.datetime | None
    end: dt.datetime | None


@dataclass(frozen=True)
class Appointment:
    """One case's appointment as the hospital's systems should now hold it.

    ``slot`` is where it is operated for a case operated here, else the slot the
    patient held (``None`` for a patient who held none); ``changed`` says
    whether ``calls.csv`` lists the patient.
    """

    case: Case
    status: str
    slot: TimedSlot | None
    partner_id: str | None
    reason: str | None
    cause: str | None
    changed: bool

    @property
    def booked(self) -> bool:
        return self.status in OPERATED

    def held_once(self, end: dt.date) -> bool:
        """The patient was given an appointment here at some point, planned or announced by
        an earlier revision, on or before ``end`` (the horizon's last date: one after it is
        outside this run, and stands)."""
        held = self.case.announced_date or self.case.planned_date
        return self.case.announced_count > 0 if held is None else held <= end


@dataclass(frozen=True)
class Call:
    """A row of ``calls.csv`` with its slots as instants: what an HL7 message announces."""

    case: Case
    status: str
    # None: the patient holds no appointment (a waiting case, or a planned one left without
    # one: cancelled on the day, declined)
    old: TimedSlot | None
    new: TimedSlot | None  # None: not operated here (transferred or unscheduled)
    partner_id: str | None
    reason: str | None


@dataclass(frozen=True)
class Left:
    """A case that left the list the morning of a re-plan (a row of ``done.csv``): not in
    the folder's scenario, so only what ``done.csv`` says of it is known.

    ``status`` is ``done`` (operated), ``transferred`` or ``withdrawn``; ``slot`` the slot
    the row gives (``None`` without a date; its start and end ``None`` when not given).
    """

    case_id: str
    status: str
    slot: TimedSlot | None
    partner_id: str | None

    @property
    def fulfilled(self) -> bool:
        """Operated, and where and when is known (the only way FHIR can say so)."""
        return self.status == DONE and self.slot is not None and self.slot.start is not None


@dataclass(frozen=True)
class Decisions:
    """A result folder's appointments (one per case, in the scenario's order), calls, and
    the cases that left the list that morning (``done.csv``'s rows, in its order)."""

    folder: ResultFolder
    zone: zoneinfo.ZoneInfo
    appointments: tuple[Appointment, ...]
    calls: tuple[Call, ...]
    left: tuple[Left, ...] = ()

    @property
    def exported(self) -> tuple[Appointment, ...]:
        """The appointments the systems must hear about: every case operated here, every
        case called, and every planned or once announced case not operated here (cancelled
        again each time: a system back with the original plan, or that missed a night's
        export, would keep it booked; a patient who declined is not called)."""
        end = self.folder.scenario.policy.end_date
        return tuple(a for a in self.appointments if a.booked or a.changed or a.held_once(end))


def read_decisions(result_dir: str | Path) -> Decisions:
    """Read a result folder's appointments and calls, with times in the hospital's zone.

    Raises
    ------
    ResultFolderError
        The folder is not a whole result folder (see :func:`read_result_folder`), or a
        cell of ``schedule.csv``, ``calls.csv`` or ``done.csv`` is not what the folder
        writes (each problem named by file, row and column).
    ScenarioError
        Its ``scenario/`` is not a valid scenario.
    """
    folder = read_result_folder(result_dir)
    cells = _Cells(zoneinfo.ZoneInfo(folder.scenario.policy.timezone))
    left = _read_left(folder, cells.problems)
    cases = {c.case_id: c for c in folder.scenario.cases}
    olds: dict[str, TimedSlot | None] = {}
    calls = []
    for line, row in zip(folder.calls_lines, folder.calls, strict=True):
        case = cases.get(str(row["case_id"]))
        if case is None:
            cells.bad(CALLS, line, "case_id", f"{row['case_id']!r} is not a case of scenario/")
            continue
        status = str(row["status"])
        if status not in STATUSES:
            cells.bad(CALLS, line, "status", f"{status!r} is not a status of schedule.csv")
            continue
        old = cells.slot(CALLS, line, case, row, ("old_date", "old_room", "old_start", None))
        new = cells.slot(CALLS, line, case, row, ("new_date", "new_room", "new_start", None))
        olds[case.case_id] = old
        here = new if status in OPERATED else None  # a transfer's new slot is not here
        calls.append(Call(case, status, old, here, row["partner_id"], row["reason"]))
    appointments = []
    for case, row in zip(folder.scenario.cases, folder.schedule, strict=True):
        line = folder.schedule_lines.get(case.case_id, 0)
        status = str(row["status"])
        if status in OPERATED:
            slot = cells.slot(SCHEDULE, line, case, row, ("date", "room_id", "start", "end"))
        else:
            slot = olds.get(case.case_id)
        appointments.append(
            Appointment(
                case,
                status,
                slot,
                row["partner_id"],
                row["reason"],
                row.get("cause"),
                case.case_id in olds,
            )  # fmt: skip
        )
    if cells.problems:
        raise ResultFolderError(folder.path, cells.problems)
    zone = cells.zone
    return Decisions(folder, zone, tuple(appointments), tuple(calls),
                     tuple(Left(d.case_id, d.status, _done_slot(d, zone), d.partner)
                           for d in left))  # fmt: skip


def _read_left(folder: ResultFolder, problems: list[Problem]) -> tuple[DoneRow, ...]:
    """``done.csv``'s rows, when the folder has one (a re-planned folder); its problems
    go to ``problems``."""
    path = folder.path / DONE_FILE
    if not path.exists():
        return ()
    try:
        return read_done(path, DONE_FILE, folder.scenario)
    except ScenarioError as exc:
        problems += exc.problems
        return ()


def _done_slot(row: DoneRow, zone: zoneinfo.ZoneInfo) -> TimedSlot | None:
    if row.date is None:
        return None
    begin = None if row.start is None else _at(row.date, row.start, zone)
    finish = None if row.end is None else _at(row.date, row.end, zone)
    return TimedSlot(row.room, begin, finish)


def _at(day: dt.date, minutes: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """``minutes`` after midnight on ``day``, a wall-clock time in ``zone`` (past 24:00,
    the next day)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone) + dt.timedelta(minutes=minutes)


class _Cells:
    """Reads the date and clock cells of a result's files, noting each bad one."""

    def __init__(self, zone: zoneinfo.ZoneInfo) -> None:
        self.zone = zone
        self.problems: list[Problem] = []

    def bad(self, file: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    def slot(
        self,
        file: str,
        line: int,
        case: Case,
        row: Mapping[str, str | None],
        columns: tuple[str, str, str, str | None],
    ) -> TimedSlot | None:
        """The slot of these columns (date, room, start, end); the end, when not written,
        is the start plus the case's duration; ``None`` without a date."""
        date_col, room_col, start_col, end_col = columns
        text = row.get(date_col)
        if not text:
            return None
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            self.bad(file, line, date_col, f"{text!r} is not a date YYYY-MM-DD")
            return None
        begin = self._instant(file, line, start_col, day, row.get(start_col))
        finish = None if end_col is None else self._instant(file, line, end_col, day,
                                                            row.get(end_col))  # fmt: skip
        if finish is None and begin is not None:
            finish = begin + dt.timedelta(minutes=case.duration_min)
        return TimedSlot(row.get(room_col) or None, begin, finish)

    def _instant(
        self, file: str, line: int, column: str, day: dt.date, clock: str | None
    ) -> dt.datetime | None:
        """``HH:MM`` on ``day`` as a wall-clock time in the zone (past 24:00, the overtime
        past midnight: the next day)."""
        if not clock:
            return None
        m = _CLOCK.match(clock)
        if not m or int(m.group(2)) >= 60:
            self.bad(file, line, column, f"{clock!r} is not a clock time HH:MM")
            return None
        return _at(day, int(m.group(1)) * 60 + int(m.group(2)), self.zone)
