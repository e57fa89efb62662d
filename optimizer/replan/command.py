"""Re-planning's API: tomorrow's morning from today's result folder (the ``replan`` command
is :mod:`optimizer.cli.replanning`'s).

Reads the previous result folder (``schedule.csv`` and ``scenario/``), what
happened since (``--events``), the capacity from ``--today`` on
(``--sessions``) and new cases (``--cases``); builds the next scenario
(:mod:`optimizer.replan.morning`), which checks itself as every scenario does,
solves it and writes a result folder with ``done.csv`` and
``calls.csv`` beside the usual files. Bad input: a :class:`ScenarioError`
naming every problem by file, row and column.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import i18n, rules
from ..clock import format_time
from ..facts.booking import Booking
from ..facts.candidates import Candidates, build_candidates
from ..facts.schedule_file import DONE, read_rows
from ..result.output import write_result, write_safe_csv
from ..result.result import Result
from ..scenario import Problem, ScenarioError
from ..scenario.cells import CellError, parse_date, parse_time
from ..scenario.edit import DateLike, _day
from ..scenario.errors import InvalidScenario
from ..scenario.flaw import Flaw
from ..scenario.layout import CASES, FILE_OF_TABLE, SESSIONS
from ..scenario.schema import Case, Scenario
from ..scenario.warnings import scenario_warnings
from .done import DONE_COLUMNS, done_rows
from .files import (
    Events,
    NewCases,
    NewSessions,
    Previous,
    read_events,
    read_new_cases,
    read_previous,
    read_sessions,
)
from .morning import HeldBroken, NextMorning, next_morning


@dataclass(frozen=True)
class Morning:
    """The next morning, read and checked: the scenario to solve and what left the list."""

    scenario: Scenario
    plan: NextMorning

    @cached_property
    def candidates(self) -> Candidates:
        """The scenario's options, built once: ``insert`` scores every option on them and
        writes the chosen one's result from them (0.4 s each on 3,325 cases)."""
        return build_candidates(self.scenario)


def prepare(
    result_dir: Path,
    today: DateLike,
    *,
    events: Path | None = None,
    sessions: Path | None = None,
    cases: Path | None = None,
    now: int | str | None = None,
) -> Morning:
    """Read everything a re-plan needs and build the next scenario; API and CLI alike.
    ``today``: a date (a datetime or Timestamp gives its date) or its text, ``YYYY-MM-DD``;
    ``now``: the time of day the plan is made (minutes after midnight, or ``"HH:MM"``), when
    the day has begun (:func:`~optimizer.replan.morning.next_morning`).

    Raises
    ------
    ScenarioError
        Every problem found in the files, by file, row and column, in the language of the
        previous scenario's policy (the planner's, who wrote the files); a ``today`` or
        ``now`` that is no date or time of day, named ``--today`` or ``--now`` as the
        command does.
    """
    today, now = _day(today, "--today", None), _time_of_day(now)
    previous = read_previous(result_dir)
    try:
        return _prepared(previous, result_dir, today, events, sessions, cases, now)
    except ScenarioError as exc:
        raise ScenarioError(exc.problems, previous.scenario.policy.language) from None


def _skipped_days(plan: NextMorning, first: dt.date, today: dt.date) -> list[str]:
    """A warning per date after the previous result's first date whose cases it operated are
    counted as done (the contract's rule): a skipped day, a bank holiday whose sessions were
    not closed beforehand, would silently take its patients off the list."""
    count = Counter(
        d.slot.date
        for d in plan.done
        if d.source == "schedule" and d.status == DONE and d.slot is not None
        and d.slot.date is not None and first < d.slot.date < today
    )  # fmt: skip
    return [
        f"--today {today}: {n} case(s) the previous result operated on {date}, after its first "
        f"date {first}, are counted as done; if that day did not take place, report them "
        "cancelled in --events"
        for date, n in sorted(count.items())
    ]


def _prepared(
    previous: Previous,
    result_dir: Path,
    today: dt.date,
    events: Path | None,
    sessions: Path | None,
    cases: Path | None,
    now: int | None,
) -> Morning:
    happened = read_events(events, previous, today, now) if events is not None else Events()
    capacity = read_sessions(sessions, previous.scenario, today) if sessions is not None else None
    name = _scenario_name(result_dir, previous)
    plan = _morning(
        previous, today, sessions, events=happened, sessions=capacity, name=name, now=now
    )
    added: NewCases | None = None
    if cases is not None:
        added = read_new_cases(cases, plan.scenario, today)
        taken = {c.case_id for c in previous.scenario.cases}
        clash = [
            Problem(str(cases), added.rows.get(c.case_id), "case_id",
                    f"case {c.case_id} is already a case of the previous result")
            for c in added.cases if c.case_id in taken
        ]  # fmt: skip
        if clash:
            raise ScenarioError(clash)
        plan = _morning(
            previous,
            today,
            sessions,
            events=happened,
            sessions=capacity,
            new_cases=list(added.cases),
            name=name,
            now=now,
        )
    notes = [
        *_skipped_days(plan, previous.scenario.policy.start_date, today),
        *happened.warnings,
        *(capacity.warnings if capacity is not None else ()),
        *(added.warnings if added else ()),
    ]
    found = scenario_warnings(plan.scenario)
    return Morning(plan.scenario.model_copy(update={"warnings": (*notes, *found)}), plan)


def _time_of_day(now: int | str | None) -> int | None:
    """``now`` in minutes after midnight: given so, or as ``HH:MM`` text."""
    if now is None:
        return None
    if isinstance(now, str):
        try:
            return parse_time(now)
        except CellError as exc:
            raise ScenarioError([Problem("--now", None, None, str(exc))]) from None
    if isinstance(now, bool) or not isinstance(now, int) or not 0 <= now < 24 * 60:
        raise ScenarioError(
            [
                Problem(
                    "--now", None, None,
                    f"{now!r} is not a time of day: give 'HH:MM' or minutes after midnight, "
                    "0 to 1439",
                )
            ]
        )  # fmt: skip
    return now


def _scenario_name(result_dir: Path, previous: Previous) -> str:
    """The name of the scenario the previous result solved, as its summary says: its copy in
    ``scenario/`` loads as "scenario". No words are added: the name is printed as written in
    either language (it read "scenario re-planned 2024-04-17" in a French report), and the
    new horizon starts on the re-planned morning."""
    try:
        run = json.loads((result_dir / "summary.json").read_text(encoding="utf-8")).get("run")
    except (OSError, ValueError, AttributeError):
        run = None
    name = run.get("scenario") if isinstance(run, dict) else None
    return name if isinstance(name, str) and name else previous.scenario.name


def _morning(
    previous: Previous,
    today: dt.date,
    sessions_file: Path | None,
    **given: Any,
) -> NextMorning:
    """The next morning; the invariants its scenario breaks named by file, case or room.

    A pinned case whose session ``--sessions`` closed is found here, by the
    data model itself, and named by that file's row. The rows of files that exist only in
    memory are left out.
    """
    try:
        return next_morning(previous, today, **given)
    except InvalidScenario as exc:
        where = {SESSIONS: str(sessions_file)} if sessions_file is not None else {}
        held = exc.held if isinstance(exc, HeldBroken) else {}
        lang = previous.scenario.policy.language
        raise ScenarioError(
            [
                _held_problem(f, *held[f.index], given, sessions_file)
                if f.table == "cases" and f.index is not None and f.index in held
                else Problem(
                    where.get(file) or i18n.text(lang, "validation.replanned_file", file=file),
                    None,
                    f.column,
                    f.text(),
                )
                for f in exc.flaws
                for file in [FILE_OF_TABLE[f.table]]
            ],
            lang,
        ) from None


def _held_problem(
    flaw: Flaw,
    case: Case,
    slot: Booking,
    given: Mapping[str, Any],
    sessions_file: Path | None,
) -> Problem:
    """The problem ``flaw`` found on ``case``, held at ``slot``: pinned there, or under way
    there since before ``now``.

    When the ``--sessions`` file lists the slot's date and the flaw is about the room or
    start, the file's row for that room and date (no row: the date listed without the room)
    is named, with the column that takes the time away. Otherwise a case under way is told
    with ``--now``, a pinned case as the scenario said it."""
    assert slot.date is not None and slot.room is not None and slot.start is not None
    day, room, start, stop = slot.date, slot.room, slot.start, slot.start + case.duration_min
    hours = f"from {format_time(start)} to {format_time(stop)}"
    if case.pinned:
        begun = f"pinned there {hours}"
        undo = (
            f"a pinned case keeps its slot: keep room {room} open {hours} at least, or unpin "
            "the case in the previous result's scenario/cases.csv"
        )
        room_flaws: tuple[str, ...] = ("planned_room", "planned_start")
    else:
        begun = f"under way there {hours} (--now {_hm(given)})"
        undo = (
            f"a case under way keeps its room: keep room {room} open {hours} at least, or "
            "report the case done in --events if it is over"
        )
        room_flaws = ("fixed_room", "fixed_start")
    sessions: NewSessions | None = given.get("sessions")
    new = [] if sessions is None else [
        s for s in sessions.sessions if s.date == day and s.room_id == room
    ]  # fmt: skip
    column = None  # the column of the --sessions row that takes the time away
    if not new or start < new[0].start:
        column = "start"
    elif stop > new[0].end:
        column = "end"
    elif not rules.session_admits(new[0].specialty, case.specialty):
        column = "specialty"
    if (
        sessions is None
        or sessions_file is None
        or day not in sessions.dates
        or flaw.column not in room_flaws
        or column is None
    ):
        if case.pinned:
            return Problem(f"the re-planned {CASES}", None, flaw.column, flaw.text())
        said = f"case {case.case_id} is {begun.replace(' there', '')} in room {room}: "
        return Problem("--now", None, None, said + flaw.text())
    who = f"case {case.case_id} is {begun}"
    row = _row(sessions_file, day, room)
    if not new:
        if row is None:
            what = f"the file lists {day} without room {room}, which closes it"
            return Problem(str(sessions_file), None, "room_id", f"{what}, but {who}; {undo}")
        what = f"this row closes room {room} on {day}"
        return Problem(str(sessions_file), row, "start", f"{what}, but {who}; {undo}")
    s = new[0]
    what = f"this row gives room {room} on {day} {format_time(s.start)}-{format_time(s.end)}"
    if column == "specialty":
        what += f", reserved to {s.specialty}"
    return Problem(str(sessions_file), row, column, f"{what}, but {who}; {undo}")


def _hm(given: Mapping[str, Any]) -> str:
    """``--now`` as given (minutes after midnight) as a clock time."""
    now = given.get("now")
    return "" if now is None else format_time(now)


def _row(path: Path, day: dt.date, room: str) -> int | None:
    """The row of ``path`` (a ``--sessions`` file, read before) for ``room`` on ``day``."""
    try:
        read = read_rows(path, str(path), ("date", "room_id"))
    except ScenarioError:  # read whole before: a problem here names no row
        return None
    for row, cells in read.rows:
        try:
            if parse_date(cells["date"]) == day and cells["room_id"] == room:
                return row
        except CellError:
            continue
    return None


def replan(
    result_dir: str | Path,
    today: DateLike,
    *,
    events: str | Path | None = None,
    sessions: str | Path | None = None,
    cases: str | Path | None = None,
    now: int | str | None = None,
    **search: Any,
) -> tuple[Morning, Result]:
    """Re-plan from a result folder on the morning of ``today`` (the API of ``replan``: a
    date or ``"YYYY-MM-DD"``); ``now``: the time of day it is made, minutes after midnight
    or ``"HH:MM"``, when the day has begun.

    ``search`` takes :func:`optimizer.solve`'s options (``time_limit``,
    ``work_limit``, ``seed``, ``workers``...). Write the result with
    :func:`write_replanned`.
    """
    from ..search import solve

    def path(p: str | Path | None) -> Path | None:
        return None if p is None else Path(p)

    morning = prepare(
        Path(result_dir), today, events=path(events), sessions=path(sessions),
        cases=path(cases), now=now,
    )  # fmt: skip
    return morning, solve(morning.scenario, **search)


def write_replanned(
    morning: Morning,
    result: Result,
    out_dir: str | Path,
    *,
    started: float | None = None,
    xlsx: bool = False,
) -> Path:
    """Write a re-planned result folder: the usual files, ``done.csv`` and ``calls.csv``
    (with ``xlsx``, ``schedule.xlsx`` too)."""
    return write_result(
        result,
        out_dir,
        started=started,
        extra=lambda folder: write_extra(morning, result, folder),
        xlsx=xlsx,
    )


def write_extra(morning: Morning, result: Result, folder: Path) -> None:
    """``done.csv`` of a re-planned result (``calls.csv`` is every result's)."""
    write_safe_csv(folder / "done.csv", DONE_COLUMNS, done_rows(morning.plan.done))
