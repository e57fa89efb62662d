"""Extra sessions made real: the scenario as it would be with the chosen ones added.

An extra session either opens a room that is closed that date (``added``) or
gives a room's session longer hours (``lengthened``; it keeps the session's
specialty). The scenario with a choice of them is an ordinary scenario: its
sessions hold the added and lengthened ones, its extra sessions the ones left
unchosen, so that ``solve``, the checker and another ``whatif`` read it as is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from ..clock import format_time
from ..i18n import DEFAULT_LANG, Lang, text
from ..scenario.schema import ExtraSession, Scenario, Session

Kind = Literal["added", "lengthened"]
SESSION_COLUMNS = ("date", "room_id", "start", "end", "specialty")


def key(e: ExtraSession | Session) -> tuple[dt.date, str]:
    return (e.date, e.room_id)


def kind(scenario: Scenario, extra: ExtraSession) -> Kind:
    """``lengthened`` when the room has a session that date, else ``added``."""
    return "lengthened" if key(extra) in scenario.session_by_key else "added"


def as_session(scenario: Scenario, extra: ExtraSession) -> Session:
    """The session an extra session gives: a lengthened one keeps its session's block."""
    base = scenario.session_by_key.get(key(extra))
    return extra.as_session(base.specialty if base is not None else None)


def with_sessions(scenario: Scenario, chosen: Iterable[ExtraSession]) -> Scenario:
    """``scenario`` with the ``chosen`` extra sessions made real
    (:meth:`Scenario.with_extra_sessions`)."""
    return scenario.with_extra_sessions(chosen)


def _ordered(extras: Iterable[ExtraSession]) -> list[ExtraSession]:
    return sorted(extras, key=lambda e: (e.date, e.room_id))


def session_rows(scenario: Scenario, chosen: Sequence[ExtraSession]) -> list[list[str]]:
    """The chosen sessions as ``sessions.csv`` rows (for ``sessions_added.csv``), by date."""
    rows = []
    for e in _ordered(chosen):
        s = as_session(scenario, e)
        rows.append(
            [s.date.isoformat(), s.room_id, format_time(s.start), format_time(s.end),
             s.specialty or ""]
        )  # fmt: skip
    return rows


def describe(scenario: Scenario, extra: ExtraSession, lang: Lang = DEFAULT_LANG) -> str:
    """``OR05 08:00-18:00`` for an added session, ``OR02 08:00-20:00 (lengthened)``
    (``(prolongée)`` in French)."""
    hours = f"{extra.room_id} {format_time(extra.start)}-{format_time(extra.end)}"
    if kind(scenario, extra) == "lengthened":
        return f"{hours} {text(lang, 'whatif.lengthened')}"
    return hours
