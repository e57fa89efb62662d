"""What is lost and what comes back: rooms opened or given other hours, a surgeon absent.

Pure edits beside :mod:`optimizer.scenario.edit` (which closes rooms and
shortens sessions): each returns a new scenario validated again by the loader's
rules, and leaves the one given as it was. :func:`change_capacity` is what the
``capacity`` command and the desk's grid call: close some rooms, open or
re-time others, on some dates, in one step.

Dates may be written as planners write them: ``17/04`` (the year is the one
that puts the date inside the scenario's horizon), ``17/04/2024`` or
``2024-04-17``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..clock import MINUTES_PER_DAY, format_time
from .capacity_resources import resource_problems, set_resources
from .cells import CellError, parse_date, parse_time
from .edit import DateLike, _day, _room_ids, close_rooms, edit_problem, with_update
from .errors import InvalidScenario, Problem, ScenarioError
from .flaw import Flaw
from .invariants import lengthening_flaws
from .layout import FILE_OF_TABLE
from .loader import case_rows
from .schema import Scenario, Session, SurgeonWindow
from .typos import did_you_mean
from .workbook import is_workbook, sheet_problem

_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$")
# 08:00-13:00, or 8h-13h30 as French planners write hours (the times as cells read them)
_HOURS = re.compile(
    r"^\s*(\d{1,2}(?::\d{2}|[hH](?:\d{2})?))\s*[-–]\s*(\d{1,2}(?::\d{2}|[hH](?:\d{2})?))\s*$"
)


def horizon_dates(scenario: Scenario) -> list[dt.date]:
    """Every date of the scenario's horizon, first to last."""
    first, last = scenario.policy.start_date, scenario.policy.end_date
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def parse_rooms(text: str, scenario: Scenario) -> list[str]:
    """Room ids as a planner types them, comma-separated (``OR02,OR05``); a room whose id
    itself holds a comma (``Salle 1, Nord``) is read whole: at each place the longest run of
    pieces that is a room of the scenario wins, else one piece (an unknown room, refused by
    the edit that gets it)."""
    return _parse_ids(text, {r.room_id for r in scenario.rooms})


def parse_surgeons(text: str, scenario: Scenario) -> list[str]:
    """Surgeon ids as a planner types them, comma-separated (``ENT01,GEN02``), read as
    :func:`parse_rooms` reads rooms (an id holding a comma, ``Martin, J.``, read whole)."""
    return _parse_ids(text, {c.surgeon_id for c in scenario.cases})


def _parse_ids(text: str, known: set[str]) -> list[str]:
    pieces = text.split(",")
    out: list[str] = []
    k = 0
    while k < len(pieces):
        j = next(
            (j for j in range(len(pieces), k + 1, -1) if ",".join(pieces[k:j]).strip() in known),
            k + 1,
        )
        found = ",".join(pieces[k:j]).strip()
        if found:
            out.append(found)
        k = j
    return out


def parse_day(
    text: str, scenario: Scenario, where: str = "--dates", *, in_horizon: bool = True
) -> dt.date:
    """A date as a planner types it: ``17/04`` (year of the horizon), ``17/04/2024`` or ISO.

    ``in_horizon=False`` reads a date that may lie outside the horizon (the date a patient
    can come from, after it ends): ``DD/MM`` is then the nearest such date to the horizon,
    as ``DD/MM/YYYY`` and ISO dates are taken wherever they fall.

    Raises
    ------
    ScenarioError
        Not a date, or (``in_horizon``) ``DD/MM`` that falls on no date of the horizon.
    """
    text = text.strip()
    m = _DAY_MONTH.match(text)
    if m is None:
        try:
            return parse_date(text)
        except CellError as exc:
            raise ScenarioError([Problem(where, None, None, str(exc))]) from None
    day, month, year = int(m[1]), int(m[2]), m[3]
    first, last = scenario.policy.start_date, scenario.policy.end_date
    if not in_horizon and not year:
        near = [_date_or_none(y, month, day) for y in range(first.year - 1, last.year + 2)]
        found_near = sorted((max(first - d, d - last), d) for d in near if d is not None)
        if found_near:
            return found_near[0][1]
    years = [int(year)] if year else sorted({d.year for d in horizon_dates(scenario)})
    for y in years:
        try:
            found = dt.date(y, month, day)
        except ValueError:
            continue
        if year or first <= found <= last:
            return found
    raise ScenarioError(
        [Problem(where, None, None, f"{text!r} is no date of the horizon "
                 f"{scenario.policy.start_date} to {scenario.policy.end_date}")]
    )  # fmt: skip


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_hours(text: str, where: str = "--hours") -> tuple[int, int]:
    """``08:00-13:00`` (or ``8h-13h30``) to (start, end) in minutes after midnight."""
    m = _HOURS.match(text)
    if m is None:
        raise ScenarioError([Problem(where, None, None, f"{text!r} is not hours HH:MM-HH:MM")])
    try:
        start, end = parse_time(m[1]), parse_time(m[2], allow_24=True)
    except CellError as exc:
        raise ScenarioError([Problem(where, None, None, str(exc))]) from None
    if start >= end:
        raise ScenarioError(
            [Problem(where, None, None, f"{text!r}: the start is not before the end")]
        )
    return start, end


def _dates_of(
    scenario: Scenario, dates: DateLike | Iterable[DateLike], where: str
) -> list[dt.date]:
    days = [dates] if isinstance(dates, dt.date | str) else list(dates)
    return [_day(d, where, "date") if isinstance(d, dt.date) else parse_day(d, scenario, where)
            for d in days]  # fmt: skip


def open_rooms(
    scenario: Scenario,
    rooms: str | Iterable[str],
    dates: DateLike | Iterable[DateLike],
    *,
    start: str,
    end: str,
    specialty: str | None = None,
    by_field: bool = False,
) -> Scenario:
    """The scenario with ``rooms`` open from ``start`` to ``end`` on ``dates``.

    A room closed that date gets a session (reserved to ``specialty`` if given,
    else to the block its room last had on another date, else to none); a room
    open that date keeps its block and gets these hours. An extra session of
    ``extra_sessions.csv`` there that these hours leave nothing to add (it no
    longer contains them, as a re-plan drops those new hours have overtaken)
    is no longer on offer.

    Raises
    ------
    ScenarioError
        An unknown room, a time that is not ``HH:MM``, ``start`` not before ``end``,
        or a date outside the horizon; the room and the times named by the request's
        field when ``by_field`` (:func:`.edit.edit_problem`).
    """
    room_ids = _room_ids(scenario, rooms, by_field)
    assert room_ids is not None
    wanted = sorted(set(_dates_of(scenario, dates, "sessions")))
    first, last = scenario.policy.start_date, scenario.policy.end_date
    outside = [d for d in wanted if not first <= d <= last]
    if outside:
        raise ScenarioError(
            [Problem("sessions", None, "date", f"{d} is outside the horizon {first} to {last}")
             for d in outside]
        )  # fmt: skip
    column = "start"  # the time refused: its own column (field), the end's too
    try:
        opens = parse_time(start)
        column = "end"
        closes = parse_time(end, allow_24=True)
    except CellError as exc:
        raise ScenarioError([edit_problem("sessions", column, str(exc), by_field)]) from None
    if opens >= closes:
        said = f"{start} is not before {end}"
        raise ScenarioError([edit_problem("sessions", "start", said, by_field)])
    sessions = list(scenario.sessions)
    where = {(x.room_id, x.date): k for k, x in enumerate(sessions)}
    for room in sorted(room_ids):
        for d in wanted:
            k = where.get((room, d))
            if k is not None:
                old = sessions[k]
                block = old.specialty if specialty is None else (specialty or None)
                sessions[k] = Session(date=d, room_id=room, start=opens, end=closes,
                                      specialty=block)  # fmt: skip
            else:
                block = specialty if specialty is not None else _usual_block(scenario, room)
                sessions.append(Session(date=d, room_id=room, start=opens, end=closes,
                                        specialty=block or None))  # fmt: skip
    sessions.sort(key=lambda x: (x.date, x.room_id))
    now = {(x.room_id, x.date): x for x in sessions if x.room_id in room_ids and x.date in wanted}
    extras = tuple(e for e in scenario.extra_sessions if (e.room_id, e.date) not in now
                   or not lengthening_flaws(0, e, now[(e.room_id, e.date)]))  # fmt: skip
    return with_update(scenario, sessions=tuple(sessions), extra_sessions=extras)


def _horizon_days(scenario: Scenario, dates: Sequence[str]) -> list[dt.date]:
    """``--dates`` as typed, each a date of the horizon: a date after it (``2024-06-01``)
    or none at all is said as such, not as "no session to close"."""
    first, last = scenario.policy.start_date, scenario.policy.end_date
    days = [parse_day(d, scenario) for d in dates]
    wrong = [t for t, d in zip(dates, days, strict=True) if not first <= d <= last]
    if wrong or not dates:
        raise ScenarioError(
            [Problem("--dates", None, None, f"{t!r} is no date of the horizon {first} to {last}")
             for t in wrong or [""]]
        )  # fmt: skip
    return days


def _usual_block(scenario: Scenario, room_id: str) -> str | None:
    """The block the room has on most of its open dates (ties: the first met)."""
    blocks = [s.specialty for s in scenario.sessions if s.room_id == room_id]
    if not blocks:
        return None
    return max(dict.fromkeys(blocks), key=blocks.count)


def surgeon_absent(
    scenario: Scenario,
    surgeon_id: str,
    dates: DateLike | Iterable[DateLike],
    *,
    by_field: bool = False,
) -> Scenario:
    """The scenario with surgeon ``surgeon_id`` operating on none of ``dates``.

    :func:`surgeon_hours` with no hours: see there.

    Raises
    ------
    ScenarioError
        A surgeon who operates no case of the scenario (named by the request's field when
        ``by_field``: :func:`.edit.edit_problem`).
    """
    return surgeon_hours(scenario, surgeon_id, dates, None, by_field=by_field)


def surgeon_hours(
    scenario: Scenario,
    surgeon_id: str,
    dates: DateLike | Iterable[DateLike],
    hours: tuple[int, int] | None,
    *,
    by_field: bool = False,
) -> Scenario:
    """The scenario with surgeon ``surgeon_id`` operating on ``dates`` only within
    ``hours`` (minutes after midnight; ``None``: not at all), as before on every other date.

    A surgeon listed in ``surgeons.csv`` loses that date's windows (and gets ``hours``
    instead); on other dates they keep theirs. If no window is left, one minute the
    day before the horizon keeps them listed, so that they operate on no date of it.
    A surgeon not listed (free whenever a room is open) is listed from now on, with a
    window of the whole day (00:00 to 24:00, which holds every session) on every other
    date of the horizon: as free as before, but past midnight on overtime (a window ends
    at 24:00 at the latest).

    Raises
    ------
    ScenarioError
        A surgeon who operates no case of the scenario.
    """
    unknown = unknown_surgeons(scenario, [surgeon_id])
    if unknown:
        raise ScenarioError([edit_problem("cases", "surgeon_id", unknown[0], by_field)])
    days = set(_dates_of(scenario, dates, "surgeons"))
    theirs = [w for w in scenario.surgeon_windows if w.surgeon_id == surgeon_id]
    if not theirs:
        theirs = [
            SurgeonWindow(surgeon_id=surgeon_id, date=d, start=0, end=MINUTES_PER_DAY)
            for d in horizon_dates(scenario)
            if d not in days
        ]
    theirs = [w for w in theirs if w.date not in days]
    if hours is not None:
        theirs += [SurgeonWindow(surgeon_id=surgeon_id, date=d, start=hours[0], end=hours[1])
                   for d in days]  # fmt: skip
    if not theirs:
        theirs.append(SurgeonWindow.none_from(surgeon_id, scenario.policy.start_date))
    # their rows together where their first one was (else last), by date: as a planner reads
    others = [w for w in scenario.surgeon_windows if w.surgeon_id != surgeon_id]
    at = next((k for k, w in enumerate(scenario.surgeon_windows) if w.surgeon_id == surgeon_id),
              len(scenario.surgeon_windows))  # fmt: skip
    theirs.sort(key=lambda w: (w.date, w.start))
    windows = others[:at] + theirs + others[at:]
    return with_update(scenario, surgeon_windows=tuple(windows))


def unknown_surgeons(scenario: Scenario, surgeon_ids: Iterable[str]) -> list[str]:
    """What is wrong with each of ``surgeon_ids`` that operates no case of the scenario
    (a surgeon's hours change nothing then): said with the nearest one that does."""
    known = {c.surgeon_id for c in scenario.cases}
    return [f"surgeon {s} operates no case{did_you_mean(s, known)}"
            for s in dict.fromkeys(surgeon_ids) if s not in known]  # fmt: skip


def change_capacity(
    scenario: Scenario,
    *,
    close: Sequence[str] = (),
    open_: Sequence[str] = (),
    hours: str | None = None,
    dates: Sequence[str] | None = None,
    surgeons_off: Sequence[str] = (),
    surgeons: Sequence[str] = (),
    resources: Sequence[tuple[str, int]] = (),
    source: Path | None = None,
) -> Scenario:
    """Close ``close`` and open (or re-time) ``open_`` with ``hours`` on ``dates``; make
    ``surgeons_off`` absent and let ``surgeons`` operate only within ``hours`` there; set
    each of ``resources`` (name, count) to its count there
    (:func:`.capacity_resources.set_resources`).

    The ``capacity`` command in one call. ``dates`` as planners type them
    (:func:`parse_day`); ``None`` means every date of the horizon. ``hours``
    (``08:00-13:00``) is needed to open a room or to give a surgeon hours, and is
    the hours of one or the other, not both; alone it is refused (say which rooms
    or surgeons). The surgeons' windows change as :func:`surgeon_hours` says.
    ``source`` is the folder or workbook ``scenario`` was read from: a pinned case the edit
    leaves without its slot is named by its row there (:func:`.loader.case_rows`), by its
    sheet for a workbook.

    Raises
    ------
    ScenarioError
        Each problem, named as the option that holds it.
    """
    _refuse_unclear(scenario, close, open_, hours, surgeons_off, surgeons, resources)
    days = horizon_dates(scenario) if dates is None else _horizon_days(scenario, dates)
    changed = scenario
    try:
        if close:
            changed = close_rooms(changed, close, days)
        if open_:
            assert hours is not None
            opens, closes = parse_hours(hours)
            changed = open_rooms(
                changed, open_, days, start=format_time(opens), end=format_time(closes)
            )
        for surgeon in dict.fromkeys(surgeons_off):
            changed = surgeon_hours(changed, surgeon, days, None)
        for surgeon in dict.fromkeys(surgeons):
            assert hours is not None
            changed = surgeon_hours(changed, surgeon, days, parse_hours(hours))
        if resources:
            changed = set_resources(changed, resources, days)
    except InvalidScenario as exc:
        rows = {} if source is None else case_rows(source)
        said = said_by_file(exc, [rows.get(c.case_id) for c in scenario.cases])
        if source is not None and is_workbook(source):
            said = ScenarioError([sheet_problem(p) for p in said.problems])
        raise said from None
    return changed


def _refuse_unclear(
    scenario: Scenario,
    close: Sequence[str],
    open_: Sequence[str],
    hours: str | None,
    surgeons_off: Sequence[str],
    surgeons: Sequence[str],
    resources: Sequence[tuple[str, int]],
) -> None:
    """What :func:`change_capacity` cannot do as asked, each problem named by its option."""
    if not (close or open_ or surgeons_off or surgeons or resources):
        raise ScenarioError(
            [Problem("--close/--open/--surgeon-off/--surgeon/--resource", None, None,
                     "say which rooms, surgeons or resources to change")]
        )  # fmt: skip
    both = [Problem("--close/--open", None, None, f"room {r} is both closed and opened")
            for r in sorted(set(close) & set(open_))]  # fmt: skip
    both += [Problem("--surgeon-off/--surgeon", None, None,
                     f"surgeon {s} is both absent and given hours")
             for s in sorted(set(surgeons_off) & set(surgeons))]  # fmt: skip
    if both:
        raise ScenarioError(both)
    if open_ and hours is None:
        raise ScenarioError([Problem("--hours", None, None, "opening a room needs its hours")])
    if surgeons and hours is None:
        said = "the hours of the surgeons (--surgeon) are missing"
        raise ScenarioError([Problem("--hours", None, None, said)])
    if hours is not None and not (open_ or surgeons):
        said = "give the rooms to open (--open) or the surgeons whose hours they are (--surgeon)"
        raise ScenarioError([Problem("--hours", None, None, said)])
    if open_ and surgeons:
        said = ("these hours are for the rooms (--open) or for the surgeons (--surgeon), not "
                "both: give each its own command")  # fmt: skip
        raise ScenarioError([Problem("--hours", None, None, said)])
    known = set(scenario.room_by_id)
    unknown = [
        Problem(option, None, None, f"room {r} is not listed in rooms.csv{did_you_mean(r, known)}")
        for option, rooms in (("--close", close), ("--open", open_))
        for r in rooms
        if r not in known
    ]
    unknown += [Problem(option, None, None, text)
                for option, ids in (("--surgeon-off", surgeons_off), ("--surgeon", surgeons))
                for text in unknown_surgeons(scenario, ids)]  # fmt: skip
    unknown += resource_problems(scenario, (name for name, _ in resources))
    if unknown:
        raise ScenarioError(unknown)


def said_by_file(exc: InvalidScenario, case_rows: Sequence[int | None] = ()) -> ScenarioError:
    """A flaw of an edited scenario names an object by its position in memory, not by a row
    of the file the planner gave: said by file and column, the message naming the object
    itself (the capacity command and the desk's edits). ``case_rows`` gives, by position,
    the row of ``cases.csv`` each case was read from, when known (the capacity command's
    folder; the edits only change capacity, so the cases keep their positions): a case's
    flaw names that row too, as the loader does."""

    def row(f: Flaw) -> int | None:
        if f.table != "cases" or f.index is None or f.index >= len(case_rows):
            return None
        return case_rows[f.index]

    return ScenarioError(
        [Problem(FILE_OF_TABLE[f.table], row(f), f.column, f.text()) for f in exc.flaws]
    )
