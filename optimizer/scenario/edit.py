"""Changing a scenario in code, without touching files: rooms closed, sessions cut, cases added.

Each edit is a pure function: it returns a new scenario and leaves the one
given as it was. The new scenario is rebuilt from its frames by
:func:`~optimizer.scenario.frames.scenario_from_frames`, so it passes the
loader's whole validation again: closing the room of a pinned case, or adding
a case whose id is already listed, is a :class:`ScenarioError` naming the
frame, row and column, as it would be in the files.
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
from .schema import Scenario

DateLike = dt.date | str


def _rebuilt(scenario: Scenario, frames: dict[str, pd.DataFrame]) -> Scenario:
    return scenario_from_frames(**frames, policy=scenario.policy, name=scenario.name)


def _day(value: DateLike, frame: str, column: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except CellError as exc:
        raise ScenarioError([Problem(frame, None, column, str(exc))]) from None


def _days(dates: DateLike | Iterable[DateLike] | None) -> set[str] | None:
    if dates is None:
        return None
    if isinstance(dates, dt.date | str):
        dates = [dates]
    return {_day(d, "sessions", "date").isoformat() for d in dates}


def _room_ids(scenario: Scenario, rooms: str | Iterable[str] | None) -> set[str] | None:
    if rooms is None:
        return None
    wanted = {rooms} if isinstance(rooms, str) else set(rooms)
    unknown = sorted(wanted - set(scenario.room_by_id))
    if unknown:
        raise ScenarioError(
            [Problem("rooms", None, "room_id", f"room {r} is not listed") for r in unknown]
        )
    return wanted


def _selected(
    sessions: pd.DataFrame, days: set[str] | None, rooms: set[str] | None
) -> pd.Series[bool]:
    mask = pd.Series(True, index=sessions.index)
    if days is not None:
        mask &= sessions["date"].isin(days)
    if rooms is not None:
        mask &= sessions["room_id"].isin(rooms)
    return mask


def close_rooms(
    scenario: Scenario,
    rooms: str | Iterable[str],
    dates: DateLike | Iterable[DateLike] | None = None,
) -> Scenario:
    """The scenario with the sessions of ``rooms`` on ``dates`` removed (the rooms closed).

    Parameters
    ----------
    scenario
        The scenario to change (left as it is).
    rooms
        A room id or several.
    dates
        A date (``datetime.date`` or ISO text) or several; ``None`` for every date.

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
    room_ids = _room_ids(scenario, rooms)
    frames = scenario_frames(scenario)
    sessions = frames["sessions"]
    closing = _selected(sessions, _days(dates), room_ids)
    if not closing.any():
        raise ScenarioError(
            [Problem("sessions", None, None, "no session of these rooms on these dates to close")]
        )
    frames["sessions"] = sessions[~closing].reset_index(drop=True)
    return _rebuilt(scenario, frames)


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
    scenario
        The scenario to change (left as it is).
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
    frames = scenario_frames(scenario)
    sessions = frames["sessions"].copy()
    chosen = _selected(sessions, _days(dates), _room_ids(scenario, rooms))
    if not chosen.any():
        raise ScenarioError(
            [Problem("sessions", None, None, "no session of these rooms on these dates")]
        )
    for i in sessions.index[chosen]:
        old = parse_time(str(sessions.at[i, "end"]), allow_24=True)
        if by_min is not None:
            new = old - by_min
        else:
            assert latest is not None
            new = min(old, latest)
        sessions.at[i, "end"] = format_time(new) if new >= 0 else "00:00"
    frames["sessions"] = sessions
    return _rebuilt(scenario, frames)


def add_cases(scenario: Scenario, cases: pd.DataFrame | Iterable[Mapping[str, Any]]) -> Scenario:
    """The scenario with ``cases`` added after its own.

    Parameters
    ----------
    scenario
        The scenario to change (left as it is).
    cases
        Rows with the columns of ``cases.csv`` (a DataFrame, or dicts); a
        column left out is an empty cell.

    Raises
    ------
    ScenarioError
        A row the loader would refuse, named by its row in the ``cases`` frame
        (the scenario's cases first, then the new ones): an id already listed,
        an unknown urgency class, a room not in the rooms...
    """
    new = cases if isinstance(cases, pd.DataFrame) else pd.DataFrame(list(cases))
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
    return _rebuilt(scenario, frames)
