"""Reading what a re-plan starts from: a result folder, the events, new sessions and cases.

Every problem is named by file, row (as a spreadsheet numbers it) and column,
and all of them are raised together in one :class:`ScenarioError`, as the
scenario loader does. ``--sessions`` and ``--cases`` files have the columns
of ``sessions.csv`` and ``cases.csv``: they are read by the scenario loader
itself, beside the previous scenario's rooms, resources and policy in memory,
so every rule of those files applies with its own message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..clock import format_time
from ..facts.booking import Booking
from ..facts.schedule_file import read_rows, read_schedule
from ..scenario import Problem, ScenarioError, load_scenario
from ..scenario.cells import CellError, parse_date
from ..scenario.frames import FRAME_OF_FILE, FrameReader
from ..scenario.layout import CASES as CASES_FILE
from ..scenario.layout import SESSIONS as SESSIONS_FILE
from ..scenario.loader import assemble
from ..scenario.reading import Reader, Table
from ..scenario.schema import Case, Policy, Scenario, Session

SCENARIO_COPY = "scenario"
EVENTS = ("done", "cancelled", "withdrawn", "declined", "unreachable", "confirmed")
DECLINED, UNREACHABLE = "declined", "unreachable"


class Events(dict[str, str]):
    """The event of each case id, and for a ``declined`` one the date (``until``) before which
    the patient refuses any appointment."""

    def __init__(self) -> None:
        super().__init__()
        self.until: dict[str, dt.date] = {}
        self.warnings: list[str] = []  # what the file was read as (a French Excel's export)


@dataclass(frozen=True)
class Previous:
    """A result folder: the scenario it solved and where it put each case."""

    scenario: Scenario
    slots: Mapping[str, Booking]  # by case id, one per case of the scenario


def read_previous(result_dir: Path) -> Previous:
    """The scenario in ``RESULT_DIR/scenario/`` and the slots of ``RESULT_DIR/schedule.csv``,
    read by :func:`~optimizer.facts.schedule_file.read_schedule` (as report and explain do)."""
    folder = result_dir / SCENARIO_COPY
    if not (result_dir / "schedule.csv").is_file():
        raise ScenarioError(
            [Problem(str(result_dir), None, None, "this is not a result folder (no schedule.csv)")]
        )
    if not folder.is_dir():
        raise ScenarioError(
            [
                Problem(
                    str(result_dir),
                    None,
                    None,
                    "the result folder has no scenario/ (written by an older version): "
                    "solve its scenario again, then re-plan from the new result",
                )
            ]
        )
    scenario = load_scenario(folder)
    label = str(result_dir / "schedule.csv")
    schedule = read_schedule(result_dir / "schedule.csv", label, scenario)
    ids = [c.case_id for c in scenario.cases]
    return Previous(scenario, dict(zip(ids, schedule.bookings, strict=True)))


def read_events(path: Path, previous: Previous, today: dt.date, now: int | None = None) -> Events:
    """``case_id, event[, until]`` rows: what happened to cases since the previous result,
    and what the patients said on the phone.

    ``done`` and ``withdrawn`` take a case off the list; ``cancelled`` (on the
    day) applies to a case whose day has passed, before ``today``, and gives
    it back to the list to get a new date. The call outcomes: ``declined``
    with a date ``until`` on or after ``today`` (the patient refuses any date before
    it), ``unreachable`` (the change could not be announced) and
    ``confirmed`` (nothing to do). With ``now`` (the time of day the plan is made), a case
    the previous result began today before it is under way: its patient is on the operating
    table and cannot have declined it (``done`` or ``withdrawn`` say what happened).
    """
    label = str(path)
    problems: list[Problem] = []
    events = Events()
    first: dict[str, int] = {}
    table = read_rows(path, label, ("case_id", "event"))
    problems += table.problems
    events.warnings += table.warnings
    for row, cells in table.rows:
        cid, event = cells["case_id"], cells["event"].lower()
        if not cid:
            problems.append(Problem(label, row, "case_id", "this cell is empty"))
            continue
        if event not in EVENTS:
            said = cells["event"]
            problems.append(
                Problem(label, row, "event", f"{said!r} is not one of {', '.join(EVENTS)}")
            )
            continue
        slot = previous.slots.get(cid)
        if slot is None:
            problems.append(
                Problem(label, row, "case_id", f"case {cid} is not in the previous result")
            )
        elif cid in first:
            problems.append(
                Problem(
                    label, row, "case_id", f"case {cid} already has an event on row {first[cid]}"
                )
            )
        elif event == "cancelled" and (slot.date is None or slot.date >= today):
            when = "is not scheduled" if slot.date is None else f"is scheduled on {slot.date}"
            problems.append(
                Problem(
                    label,
                    row,
                    "event",
                    f"case {cid} {when}: only a case whose day has passed (before --today "
                    f"{today}) can have been cancelled on the day; use withdrawn if it leaves "
                    "the list",
                )
            )
        elif event == DECLINED and _until(cells.get("until", ""), today) is None:
            problems.append(
                Problem(label, row, "until", "declined needs the date the patient can come "
                        f"from, YYYY-MM-DD, on or after --today {today}")
            )  # fmt: skip
        elif event == DECLINED and slot.begun(today, now):
            problems.append(Problem(label, row, "event", _under_way(cid, slot, now)))
        else:
            first[cid] = row
            events[cid] = event
            if event == DECLINED:
                until = _until(cells["until"], today)
                assert until is not None
                events.until[cid] = until
    if problems:
        raise ScenarioError(problems, previous.scenario.policy.language)
    return events


def _under_way(cid: str, slot: Booking, now: int | None) -> str:
    """What is wrong with declining the case ``cid``, under way at ``slot`` at ``now``."""
    assert slot.start is not None and now is not None
    return (
        f"case {cid} is under way in room {slot.room} since {format_time(slot.start)} "
        f"(--now {format_time(now)}): a patient on the operating table cannot decline it; "
        "report done if it is over, or withdrawn if it was stopped"
    )


def _until(text: str, today: dt.date) -> dt.date | None:
    """The ``until`` date of a declined call, or ``None`` if it is missing, bad or before
    ``today`` (``today`` itself: the patient refused the appointment and can come from this
    morning on, as a desk's "Start tomorrow" on the date they gave)."""
    try:
        until = parse_date(text)
    except CellError:
        return None
    return until if until >= today else None


class _BesideReader(FrameReader):
    """The file ``name`` read from ``path``; the other files are ``base``'s, in memory."""

    def __init__(
        self,
        base: Scenario,
        name: str,
        path: Path,
        *,
        skip: Callable[[Table, list[str]], bool] | None = None,
        skipped: list[tuple[int, list[str]]] | None = None,
    ) -> None:
        files = {file: frame for file, frame in _frames(base).items() if file != name}
        super().__init__(files, base.policy)
        self.name, self.path = name, path
        self.skip, self.skipped = skip, skipped
        self.own: list[str] = []  # the warnings about the file read, naming its path

    def warn(self, message: str) -> None:
        # The other files are the previous scenario's, warned about when it was read.
        if message.startswith(self.name):
            self.own.append(str(self.path) + message[len(self.name) :])

    def read_bytes(self, name: str, required: bool, limit: int) -> bytes | None:
        if name != self.name:
            return super().read_bytes(name, required, limit)
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            self.error(name, None, None, f"the file cannot be read ({exc.strerror or exc})")
            return None
        return self._take(name, data, limit)

    def read_csv(self, name: str) -> Table | None:
        if name != self.name:
            return super().read_csv(name)
        table = Reader.read_csv(self, name)
        if table is not None and self.skip is not None:  # rows the loader does not read
            rows = [(row, cells) for row, cells in table.rows if self.skip(table, cells)]
            if self.skipped is not None:
                order = [table.index.get(c) for c in ("date", "room_id")]
                self.skipped += [(r, ["" if j is None else c[j] for j in order]) for r, c in rows]
            table.rows = [rc for rc in table.rows if not self.skip(table, rc[1])]
        return table


class _SessionsReader(_BesideReader):
    """A ``--sessions`` file, read in a horizon running over every date it lists: the
    re-plan's horizon runs to its last date (the sessions after the previous horizon are
    used), and a session before --today is said so by :func:`read_sessions`; the loader's
    "outside the horizon ... not used" would be wrong for the one, twice said for the other."""

    def read_csv(self, name: str) -> Table | None:
        table = super().read_csv(name)
        if table is None or name != self.name or "date" not in table.index:
            return table
        at = table.index["date"]
        listed = [d for _, cells in table.rows if (d := _date_or_none(cells[at])) is not None]
        if listed and isinstance(self.policy, Policy):
            first, last = min(self.policy.start_date, *listed), max(self.policy.end_date, *listed)
            self.policy = self.policy.model_copy(update={"start_date": first, "end_date": last})
        return table


def _frames(base: Scenario) -> dict[str, pd.DataFrame]:
    frames = base.to_frames()
    return {file: frames[frame] for file, frame in FRAME_OF_FILE.items()}


def _loaded_with(reader: _BesideReader, base: Scenario, path: Path, start: dt.date) -> Scenario:
    """Load the file ``reader`` reads from ``path`` beside ``base``, from ``start`` on;
    problems name ``path``."""
    name = reader.name
    # a --today after the previous horizon (sessions extend it): the horizon runs to it at least
    end = max(base.policy.end_date, start)
    horizon = {"start_date": start, "end_date": end}
    reader.policy = base.policy.model_copy(update=horizon)
    try:
        return assemble(reader, base.name, str(path))
    except ScenarioError as exc:
        raise ScenarioError(
            [
                Problem(str(path) if p.file == name else p.file, p.row, p.column, p.message)
                for p in exc.problems
            ]
        ) from None


@dataclass(frozen=True)
class NewSessions:
    """A ``--sessions`` file: the dates it lists, and the sessions it gives them."""

    sessions: tuple[Session, ...]
    dates: frozenset[dt.date]  # every date listed, closed rooms' rows included
    # the file's soft problems (unknown columns, rooms a listed date closes...), by path
    warnings: tuple[str, ...] = ()


def _closes(t: Table, cells: list[str]) -> bool:
    """A row with empty ``start`` and ``end``: that room is closed that date."""
    return all(cells[t.index[c]] == "" for c in ("start", "end") if c in t.index)


def read_sessions(path: Path, base: Scenario, today: dt.date) -> NewSessions:
    """The sessions of a ``--sessions`` file (``sessions.csv`` columns), checked against the rooms.

    Each date the file lists gets exactly the sessions it gives that date; a row
    with empty ``start`` and ``end`` closes that room that date (a date with every
    room closed is listed so). ``base`` is the previous scenario (its rooms are
    what a row may name).
    """
    # without the extra sessions: offered against the old hours, checked again after
    empty = base.model_copy(update={"cases": (), "extra_sessions": (), "unavailable": ()})
    if not path.is_file():
        raise ScenarioError([Problem(str(path), None, None, "this file does not exist")])
    closed: list[tuple[int, list[str]]] = []
    reader = _SessionsReader(empty, SESSIONS_FILE, path, skip=_closes, skipped=closed)
    loaded = _loaded_with(reader, empty, path, today)
    dates = {s.date for s in loaded.sessions}
    problems: list[Problem] = []
    rooms = set(empty.room_by_id)
    opened = {(s.date, s.room_id) for s in loaded.sessions}
    for row, cells in closed:
        given = dict(zip(("date", "room_id"), cells, strict=False))
        try:
            day = parse_date(given["date"])
            dates.add(day)
        except CellError as exc:
            problems.append(Problem(str(path), row, "date", str(exc)))
        else:
            if (day, given["room_id"]) in opened:  # one session a room and date: which one?
                problems.append(
                    Problem(str(path), row, "start",
                            f"room {given['room_id']} is closed on {day} by this row (empty "
                            "start and end) and opened by another: keep one of the two rows")
                )  # fmt: skip
        if not given["room_id"]:
            problems.append(Problem(str(path), row, "room_id", "this cell is empty"))
        elif given["room_id"] not in rooms:
            said = f"room {given['room_id']} is not listed in rooms.csv"
            problems.append(Problem(str(path), row, "room_id", said))
    if problems:
        raise ScenarioError(problems)
    shut = {(d, cells[1]) for _, cells in closed for d in [_date_or_none(cells[0])]}
    dropped = _dropped_rooms(path, base, loaded.sessions, dates, shut, today)
    if early := sum(s.date < today for s in loaded.sessions):
        dropped.append(f"{path}: {early} session(s) before --today {today} are ignored")
    return NewSessions(loaded.sessions, frozenset(dates), (*reader.own, *dropped))


def _date_or_none(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except CellError:  # said as a problem above
        return None


def _dropped_rooms(
    path: Path,
    base: Scenario,
    sessions: tuple[Session, ...],
    dates: set[dt.date],
    shut: set[tuple[dt.date | None, str]],
    today: dt.date,
) -> list[str]:
    """Per date the file lists (from ``today``), the rooms that had a session before and have
    none now without a row closing them: the file replaces that date's sessions entirely,
    so a room it leaves out is closed, which a planner listing one room may not mean."""
    out = []
    for day in sorted(d for d in dates if d >= today):
        now = {s.room_id for s in sessions if s.date == day}
        gone = sorted(
            s.room_id
            for s in base.sessions
            if s.date == day and s.room_id not in now and (day, s.room_id) not in shut
        )
        if gone:
            out.append(
                f"{path}: {day}: room(s) {', '.join(gone)} had a session and have none now "
                "(the file lists this date without them)"
            )
    return out


@dataclass(frozen=True)
class NewCases:
    """A ``--cases`` file: its cases, the row of each, and its soft problems by path."""

    cases: tuple[Case, ...]
    rows: dict[str, int]
    warnings: tuple[str, ...] = ()


def read_new_cases(path: Path, base: Scenario, today: dt.date) -> NewCases:
    """The cases of a ``--cases`` file and the row of each, checked as ``cases.csv`` is.

    ``base`` is the next morning's scenario without the new cases: its rooms,
    sessions, resources and urgency classes are what the new cases may use.
    """
    if not path.is_file():
        raise ScenarioError([Problem(str(path), None, None, "this file does not exist")])
    empty = base.model_copy(update={"cases": (), "unavailable": ()})
    reader = _BesideReader(empty, CASES_FILE, path)
    loaded = _loaded_with(reader, empty, path, today)
    rows: dict[str, int] = {}
    for row, cells in read_rows(path, str(path), ("case_id",)).rows:
        rows.setdefault(cells["case_id"], row)
    return NewCases(loaded.cases, rows, tuple(reader.own))
