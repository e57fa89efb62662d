"""A cyberattack-like loss of capacity applied to any scenario.

When the hospital's information system goes down (Cannes, 16 April 2024), a
share of the operating rooms cannot run: their sessions are cancelled for the
attack day and the next open day, then rooms come back a few at a time. The
planned list itself does not change; only the capacity left to run it does.

:func:`disrupt` turns a full-capacity scenario into that reduced one. It works
on any valid scenario (generated or imported, with or without resources,
surgeon windows or pinned cases) and never makes it invalid: the session a
pinned case sits in stays open (that patient is already in the building), and
the anaesthetist capacity never falls below what the pinned cases need at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import numpy as np

from ..scenario.schema import (
    ANAESTHETIST,
    Case,
    ExtraSession,
    ResourceCapacity,
    Scenario,
    Session,
)


def disrupt(
    scenario: Scenario,
    *,
    attack_date: dt.date,
    closed_fraction: float = 1 / 3,
    attack_days: int = 2,
    recovery_fraction: float = 1 / 6,
    recovery_days: int = 3,
    anaesthetist_loss: int = 0,
    seed: int = 0,
) -> Scenario:
    """Return ``scenario`` with the room sessions an attack closes removed.

    The closed sessions become the scenario's extra sessions (cost 1 each): what
    ``whatif`` may reopen.

    Parameters
    ----------
    scenario
        The full-capacity scenario; it is not changed.
    attack_date
        The day the attack hits. The attack lasts ``attack_days`` open days
        (dates with at least one session) from this date on; the following
        ``recovery_days`` open days are a partial recovery.
    closed_fraction
        Share of each attack day's sessions that are closed (rounded to the
        nearest whole session).
    recovery_fraction
        Share of each recovery day's sessions that are still closed.
    anaesthetist_loss
        Anaesthetists taken away on each attack day (diverted to the
        emergency department and to paper processes). Only dates where
        ``resources.csv`` gives an ``anaesthetist`` capacity are lowered.
    seed
        Which rooms go down: the same seed closes the same sessions.

    Returns
    -------
    Scenario
        The same cases, rooms, windows and partners with fewer sessions and,
        on attack days, fewer anaesthetists. The same rooms stay down from one
        day to the next, as a room whose systems are down does; a room is
        skipped on a date where a pinned case is planned in it.

    Raises
    ------
    ValueError
        When a fraction is outside 0..1 or a count is negative.
    """
    for name, frac in (
        ("closed_fraction", closed_fraction),
        ("recovery_fraction", recovery_fraction),
    ):
        if not 0.0 <= frac <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {frac}")
    for name, count in (
        ("attack_days", attack_days),
        ("recovery_days", recovery_days),
        ("anaesthetist_loss", anaesthetist_loss),
    ):
        if count < 0:
            raise ValueError(f"{name} must be zero or more, not {count}")

    open_dates = sorted({s.date for s in scenario.sessions if s.date >= attack_date})
    attack = open_dates[:attack_days]
    recovery = open_dates[attack_days : attack_days + recovery_days]
    share = {d: closed_fraction for d in attack} | {d: recovery_fraction for d in recovery}

    # A pinned patient is already in the building: their room stays open that day.
    protected = {
        (c.planned_date, c.planned_room)
        for c in scenario.cases
        if c.pinned and c.planned_date is not None
    }
    # One seeded ranking of the rooms for the whole attack, so that a room down
    # on the first day is still down on the next and comes back during recovery.
    rng = np.random.default_rng(seed)
    room_ids = sorted(r.room_id for r in scenario.rooms)
    rank = {room_ids[int(i)]: pos for pos, i in enumerate(rng.permutation(len(room_ids)))}

    sessions_on: dict[dt.date, list[Session]] = {}
    for s in scenario.sessions:
        sessions_on.setdefault(s.date, []).append(s)
    closed: set[tuple[dt.date, str]] = set()
    for d, frac in sorted(share.items()):
        todays = sessions_on.get(d, [])
        n_close = math.floor(frac * len(todays) + 0.5)
        candidates = sorted(
            (s.room_id for s in todays if (d, s.room_id) not in protected), key=rank.__getitem__
        )
        closed.update((d, rid) for rid in candidates[:n_close])

    sessions = tuple(s for s in scenario.sessions if (s.date, s.room_id) not in closed)
    # What reopening each closed room would take: its usual session, at one unit of cost.
    have = {(e.date, e.room_id) for e in scenario.extra_sessions}
    reopen = tuple(
        ExtraSession(date=s.date, room_id=s.room_id, start=s.start, end=s.end,
                     specialty=s.specialty)
        for s in scenario.sessions
        if (s.date, s.room_id) in closed and (s.date, s.room_id) not in have
    )  # fmt: skip
    resources = _lose_anaesthetists(scenario, set(attack), anaesthetist_loss)
    fields = {name: getattr(scenario, name) for name in Scenario.model_fields}
    # The input hash described the files the plan came from, not this scenario.
    fields.update(
        sessions=sessions,
        resources=resources,
        extra_sessions=scenario.extra_sessions + reopen,
        input_hash="",
    )
    return Scenario(**fields)


def _lose_anaesthetists(
    scenario: Scenario, dates: set[dt.date], loss: int
) -> tuple[ResourceCapacity, ...]:
    """Lower the anaesthetist capacity on ``dates``, never below the pinned cases' need."""
    if loss == 0:
        return scenario.resources
    out: list[ResourceCapacity] = []
    for r in scenario.resources:
        if r.resource == ANAESTHETIST and r.date in dates:
            pinned = [
                c
                for c in scenario.cases
                if c.pinned and c.planned_date == r.date and c.needs_anaesthetist
            ]
            floor = anaesthetists_needed(pinned, scenario.policy.anaesthetist_rooms)
            r = ResourceCapacity(
                date=r.date, resource=r.resource, capacity=max(r.capacity - loss, floor)
            )
        out.append(r)
    return tuple(out)


def peak_concurrency(cases: Iterable[Case]) -> int:
    """Most cases running at the same moment, at their planned start (half-open intervals)."""
    events: list[tuple[int, int]] = []
    for c in cases:
        if c.planned_start is None:
            continue
        events.append((c.planned_start, 1))
        events.append((c.planned_start + c.duration_min, -1))
    # At equal times the -1 sorts first: a case ending at 10:00 frees its unit for one at 10:00.
    running = peak = 0
    for _, step in sorted(events):
        running += step
        peak = max(peak, running)
    return peak


def anaesthetists_needed(cases: list[Case], rooms_each: int) -> int:
    """The fewest anaesthetists for ``cases`` at their planned starts: their inductions at
    once, and their running cases over ``rooms_each`` (with 1, the running cases)."""
    inducting = [
        c.model_copy(update={"duration_min": c.induction_min}) for c in cases if c.induction_min
    ]
    return max(peak_concurrency(inducting), -(-peak_concurrency(cases) // rooms_each))
