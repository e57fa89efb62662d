"""Changing a scenario in code, without touching files: rooms closed, sessions cut, cases added.

Each edit is a pure function of the scenario to change (its first argument,
``scenario``): it returns a new scenario and leaves the one given as it was.
Closing and shortening change the sessions and make a new :class:`Scenario`,
which checks its own invariants (:mod:`.invariants`): closing the room of a
pinned case is a :class:`ScenarioError` naming the case by its row in
``cases`` (its position) and the column. Added cases are rows of
``cases.csv`` as text, read by the loader's own readers
(:func:`~optimizer.scenario.frames.scenario_from_frames`), so a case whose id
is already listed is named by frame, row and column, as in the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..clock import format_time
from .cells import CellError, parse_date, parse_time
from .errors import Problem, ScenarioError
from .frames import scenario_frames, scenario_from_frames
from .schema import Case, Scenario, Session
from .writer import scenario_hash

DateLike = dt.date | str


def _day(value: DateLike, frame: str, column: str | None) -> dt.date:
    """``value`` as a date: a date, a datetime or pandas Timestamp (its date), or text
    (``YYYY-MM-DD`` or ``DD/MM/YYYY``); else a ScenarioError at ``frame`` and ``column``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except CellError as exc:
        raise ScenarioError([Problem(frame, None, column, str(exc))]) from None


def _days(dates: DateLike | Iterable[DateLike] | None) -> set[dt.date] | None:
    if dates is None:
        return None
    if isinstance(dates, dt.date | str):
        dates = [dates]
    return {_day(d, "sessions", "date") for d in dates}


def edit_problem(table: str, column: str, message: str, by_field: bool = False) -> Problem:
    """A problem of an edit: by the scenario's table and column (a call in code), or, when
    ``by_field``, by the field of the request that holds it (the desk's forms, whose fields
    are the contract's column names: ``room_id``, ``surgeon_id``, ``start``), which the
    desk names in words."""
    return (
        Problem(column, None, None, message) if by_field else Problem(table, None, column, message)
    )


def _room_ids(
    scenario: Scenario, rooms: str | Iterable[str] | None, by_field: bool = False
) -> set[str] | None:
    if rooms is None:
        return None
    wanted = {rooms} if isinstance(rooms, str) else set(rooms)
    unknown = sorted(wanted - set(scenario.room_by_id))
    if unknown:
        raise ScenarioError(
            [edit_problem("rooms", "room_id", f"room {r} is not listed", by_field)
             for r in unknown]
        )  # fmt: skip
    return wanted


def _selected(scenario: Scenario, days: set[dt.date] | None, rooms: set[str] | None) -> list[bool]:
    """Which of the scenario's sessions are on ``days`` in ``rooms`` (``None``: any)."""
    return [
        (days is None or s.date in days) and (rooms is None or s.room_id in rooms)
        for s in scenario.sessions
    ]


def _edited(scenario: Scenario, sessions: Iterable[Session]) -> Scenario:
    """The scenario with these sessions, validated again; its hash that of its new files."""
    return with_update(scenario, sessions=tuple(sessions))


def with_update(scenario: Scenario, **update: Any) -> Scenario:
    """The scenario with ``update``, validated again; its hash that of its new files (every
    edit of the capacity that is left makes its new scenario here)."""
    edited = scenario.model_copy(update=update)
    return edited.model_copy(update={"input_hash": scenario_hash(edited)})


def close_rooms(
    scenario: Scenario,
    rooms: str | Iterable[str],
    dates: DateLike | Iterable[DateLike] | None = None,
    *,
    by_field: bool = False,
) -> Scenario:
    """The scenario with the sessions of ``rooms`` on ``dates`` removed (the rooms closed).

    Parameters
    ----------
    rooms
        A room id or several.
    dates
        A date (``datetime.date`` or ISO text) or several; ``None`` for every date.
    by_field
        An unknown room, or a date without a session of the room, is named by the
        request's field (:func:`edit_problem`).

    Returns
    -------
    Scenario
        Validated again: the cases planned in a closed room are to be rescheduled,
        but a pinned one is an error (a pinned case cannot move).

    Raises
    ------
    ScenarioError
        An unknown room, or no session to close (a mistyped date closes nothing,
        which is said rather than ignored).
    """
    room_ids = _room_ids(scenario, rooms, by_field)
    closing = _selected(scenario, _days(dates), room_ids)
    if not any(closing):
        if by_field:  # the desk's grid closes one room on one date: the date has no session
            said = f"room {', '.join(sorted(room_ids or ()))} has no session to close that date"
            raise ScenarioError([edit_problem("sessions", "date", said, by_field)])
        raise ScenarioError(
            [Problem("sessions", None, None, "no session of these rooms on these dates to close")]
        )
    return _edited(scenario, (s for s, c in zip(scenario.sessions, closing, strict=True) if not c))


def close_room(scenario: Scenario, room_id: str, date: DateLike | None = None) -> Scenario:
    """The scenario with room ``room_id`` closed on ``date`` (every date if ``None``).

    See :func:`close_rooms`, which closes several at once.
    """
    return close_rooms(scenario, room_id, date)


def shorten_sessions(
    scenario: Scenario,
    *,
    end: str | None = None,
    by_min: int | None = None,
    rooms: str | Iterable[str] | None = None,
    dates: DateLike | Iterable[DateLike] | None = None,
) -> Scenario:
    """The scenario with sessions ending earlier: at ``end`` at the latest, or ``by_min`` sooner.

    Parameters
    ----------
    end
        The latest end (``"HH:MM"``); a session ending before it is left as it is.
    by_min
        Minutes taken off the end of every session selected. Give ``end`` or ``by_min``.
    rooms, dates
        The sessions to shorten: of these rooms (ids) on these dates; ``None``
        for every room or every date.

    Raises
    ------
    ScenarioError
        No session selected, or a session that would end before it starts
        (close the room rather: :func:`close_rooms`).
    """
    if (end is None) == (by_min is None):
        raise ValueError("give end or by_min, not both nor neither")
    if by_min is not None and by_min <= 0:
        raise ValueError(f"by_min must be a positive number of minutes, not {by_min}")
    latest = None
    if end is not None:
        try:
            latest = parse_time(end)
        except CellError as exc:
            raise ScenarioError([Problem("sessions", None, "end", str(exc))]) from None
    chosen = _selected(scenario, _days(dates), _room_ids(scenario, rooms))
    if not any(chosen):
        raise ScenarioError(
            [Problem("sessions", None, None, "no session of these rooms on these dates")]
        )
    sessions = list(scenario.sessions)
    for i, s in enumerate(sessions):
        if not chosen[i]:
            continue
        new = s.end - by_min if by_min is not None else min(s.end, latest or 0)
        if new <= s.start:
            raise ScenarioError(
                [
                    Problem(
                        "sessions", i, "end",
                        f"the session ends at {format_time(max(new, 0))}, not after it starts "
                        f"({format_time(s.start)})",
                    )
                ]
            )  # fmt: skip
        sessions[i] = s.model_copy(update={"end": new})
    return _edited(scenario, sessions)


def add_cases(
    scenario: Scenario, cases: pd.DataFrame | Iterable[Mapping[str, Any] | Case]
) -> Scenario:
    """The scenario with ``cases`` added after its own.

    Parameters
    ----------
    cases
        Rows with the columns of ``cases.csv`` (a DataFrame, or dicts); a
        column left out is an empty cell. Or :class:`Case` objects, written as
        their rows.

    Raises
    ------
    TypeError
        ``cases`` is not a DataFrame nor rows (a single dict, a Case alone...).
    ScenarioError
        A row the loader would refuse, named by its row in the ``cases`` frame
        (the scenario's cases first, then the new ones): an id already listed,
        an unknown urgency class, a room not in the rooms...
    """
    new = cases if isinstance(cases, pd.DataFrame) else _case_rows(scenario, cases)
    frames = scenario_frames(scenario)
    old = frames["cases"]
    unknown = [str(c) for c in new.columns if c not in old.columns]
    if unknown:
        raise ScenarioError(
            [Problem("cases", None, c, "this is not a column of cases.csv") for c in unknown]
        )
    frames["cases"] = pd.concat(
        [old, new.reindex(columns=old.columns).astype(object)], ignore_index=True
    )
    return scenario_from_frames(**frames, policy=scenario.policy, name=scenario.name)


def _case_rows(scenario: Scenario, cases: Iterable[Mapping[str, Any] | Case]) -> pd.DataFrame:
    """``cases`` as rows of ``cases.csv``: dicts as they are, :class:`Case` objects in the
    contract's text (as :func:`scenario_frames` writes a scenario's own)."""
    if isinstance(cases, Mapping | Case) or not isinstance(cases, Iterable):
        raise TypeError(
            f"cases must be a DataFrame or a list of rows (dicts or Case objects), "
            f"not {type(cases).__name__}"
        )
    items = list(cases)
    if items and all(isinstance(c, Case) for c in items):
        fields = {name: getattr(scenario, name) for name in Scenario.model_fields}
        # written as rows, not validated here: scenario_from_frames checks the whole
        holder = Scenario.model_construct(**{**fields, "cases": tuple(items)})
        return scenario_frames(holder)["cases"]
    if not all(isinstance(c, Mapping) for c in items):
        kinds = sorted({type(c).__name__ for c in items})
        raise TypeError(f"cases must be all dicts or all Case objects, not {', '.join(kinds)}")
    return pd.DataFrame(items)
