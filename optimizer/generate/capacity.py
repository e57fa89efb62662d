"""The suite's capacity: rooms, sessions, surgeons and their windows, resources, partners.

Rooms, sessions and surgeon pools are drawn before any case; surgeon
windows, resource and partner capacities after the plan, so that they
cover it (never below its peak use).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np

from ..scenario.schema import (
    ANAESTHETIST,
    ICU_BED,
    Case,
    PartnerCapacity,
    Policy,
    ResourceCapacity,
    Room,
    Session,
    SurgeonWindow,
)
from .disrupt import peak_concurrency
from .specialties import (
    DAY_END,
    DAY_START,
    PARTNERS,
    POOLS,
    SESSION_HOURS,
    SESSION_HOURS_P,
    Specialty,
)


def largest_remainder(weights: Sequence[float], total: int, minimum: int = 0) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights``, each at least ``minimum``."""
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest <= 0 or not weights:
        return base
    s = sum(weights)
    exact = [rest * w / s for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


def partner_shares(by_name: dict[str, Specialty]) -> dict[str, list[tuple[str, float]]]:
    """Specialty -> partners that take it, for the specialties this suite has."""
    out: dict[str, list[tuple[str, float]]] = {}
    for pid, shares in PARTNERS:
        for spec, share in shares:
            if spec in by_name:
                out.setdefault(spec, []).append((pid, share))
    return out


def draw_rooms(
    rng: np.random.Generator, n: int, specs: list[Specialty], by_name: dict[str, Specialty]
) -> list[tuple[Room, Specialty]]:
    """Rooms with a main specialty by room share, 0-2 related ones, and fixed equipment."""
    counts = largest_remainder([s.room_share for s in specs], n, minimum=1)
    primaries = [s for s, k in zip(specs, counts, strict=True) for _ in range(k)]
    width = max(2, len(str(n)))
    robot_hosts = {"general_surgery", "urology", "gynaecology"}
    robot_candidates = [i for i, s in enumerate(primaries) if s.name in robot_hosts]
    n_robot = min(len(robot_candidates), max(1, round(n / 6)))
    robots = {robot_candidates[int(i)] for i in rng.permutation(len(robot_candidates))[:n_robot]}
    out: list[tuple[Room, Specialty]] = []
    for i, primary in enumerate(primaries):
        related = [a for a in primary.affinity if a in by_name]
        k = min(len(related), int(rng.choice(3, p=(0.35, 0.45, 0.2))))
        chosen = sorted(related[int(j)] for j in rng.permutation(len(related))[:k])
        equipment: set[str] = set()
        if primary.name == "orthopaedics":
            equipment.add("laminar_flow")
        if i in robots:
            equipment.add("robot")
        room = Room(
            room_id=f"OR{i + 1:0{width}d}",
            specialties=frozenset([primary.name, *chosen]),
            equipment=frozenset(equipment),
        )
        out.append((room, primary))
    return out


def draw_sessions(
    rng: np.random.Generator, rooms: list[tuple[Room, Specialty]], dates: list[dt.date]
) -> list[Session]:
    """One session per room and working day, blocked to the main specialty most days."""
    out: list[Session] = []
    for d in dates:
        for room, primary in rooms:
            start, end = SESSION_HOURS[int(rng.choice(len(SESSION_HOURS), p=SESSION_HOURS_P))]
            others = sorted(room.specialties - {primary.name})
            block = primary.name
            if others and rng.random() < 0.2:
                block = others[int(rng.integers(len(others)))]
            out.append(Session(date=d, room_id=room.room_id, start=start, end=end, specialty=block))
    return out


def surgeon_pools(sessions: list[Session], specs: list[Specialty]) -> dict[str, list[str]]:
    """Surgeons per specialty: enough for its busiest day, plus a quarter in reserve."""
    most: dict[str, int] = {s.name: 0 for s in specs}
    per_day: dict[tuple[dt.date, str], int] = {}
    for s in sessions:
        assert s.specialty is not None
        per_day[s.date, s.specialty] = per_day.get((s.date, s.specialty), 0) + 1
    for (_, spec), k in per_day.items():
        most[spec] = max(most[spec], k)
    size = {name: k + max(1, math.ceil(k / 4)) for name, k in most.items()}
    return {s.name: [f"{s.code}{j + 1:02d}" for j in range(size[s.name])] for s in specs}


def draw_windows(
    rng: np.random.Generator,
    surgeons: dict[str, list[str]],
    busy: dict[str, set[dt.date]],
    sessions: list[Session],
    dates: list[dt.date],
) -> tuple[SurgeonWindow, ...]:
    """Each surgeon's availability: the whole day when operating, else a full day, half or none."""
    # An operating surgeon is available across every session's hours, so covers their own.
    lo = min([DAY_START, *(s.start for s in sessions)])
    hi = max([DAY_END, *(s.end for s in sessions)])
    out: list[SurgeonWindow] = []
    for sid in sorted(x for pool in surgeons.values() for x in pool):
        for d in dates:
            if d in busy.get(sid, ()):
                start, end = lo, hi
            else:
                u = rng.random()
                if u < 0.25:
                    continue  # consultations, teaching or leave
                if u < 0.33:
                    start, end = DAY_START, 13 * 60
                elif u < 0.41:
                    start, end = 13 * 60, DAY_END
                else:
                    start, end = DAY_START, DAY_END
            out.append(SurgeonWindow(surgeon_id=sid, date=d, start=start, end=end))
    return tuple(out)


def resource_capacities(
    cases: tuple[Case, ...], sessions: list[Session], policy: Policy, n_rooms: int
) -> tuple[ResourceCapacity, ...]:
    """Capacities on every horizon date that cover the plan's peak use, with some slack.

    Anaesthetists: at least 80 % of the open rooms; pools: a fixed fleet (one
    C-arm for five rooms, one navigation system for ten); ICU beds: the daily
    average plus one. Weekends carry the weekday values (no session runs then);
    every date has a row so no resource is half-given.
    """
    on: dict[dt.date, list[Case]] = {}
    for c in cases:
        if c.planned_date is not None:
            on.setdefault(c.planned_date, []).append(c)
    rooms_open: dict[dt.date, int] = {}
    for s in sessions:
        rooms_open[s.date] = rooms_open.get(s.date, 0) + 1
    anaes = {
        d: max(
            peak_concurrency(c for c in cs if c.needs_anaesthetist), math.ceil(0.8 * rooms_open[d])
        )
        for d, cs in on.items()
    }
    pool_fleet = {
        "c_arm": max(1, math.ceil(n_rooms / 5)),
        "navigation": max(1, math.ceil(n_rooms / 10)),
    }
    for pool in POOLS:
        for cs in on.values():
            pool_fleet[pool] = max(
                pool_fleet[pool], peak_concurrency(c for c in cs if pool in c.equipment)
            )
    icu = {d: sum(c.needs_icu for c in cs) for d, cs in on.items()}
    icu_base = math.ceil(sum(icu.values()) / max(1, len(rooms_open))) + 1
    anaes_base = max(anaes.values(), default=math.ceil(0.8 * n_rooms))
    out: list[ResourceCapacity] = []
    for d in policy.dates:
        out.append(
            ResourceCapacity(date=d, resource=ANAESTHETIST, capacity=anaes.get(d, anaes_base))
        )
        for pool in POOLS:
            out.append(ResourceCapacity(date=d, resource=pool, capacity=pool_fleet[pool]))
        out.append(
            ResourceCapacity(date=d, resource=ICU_BED, capacity=max(icu.get(d, 0), icu_base))
        )
    return tuple(out)


def partner_capacities(
    partner_share: dict[str, list[tuple[str, float]]],
    cases: tuple[Case, ...],
    dates: list[dt.date],
) -> tuple[PartnerCapacity, ...]:
    """Partner capacity on working days: a share of the specialty's average daily cases."""
    daily: dict[str, float] = {}
    for c in cases:
        if c.planned_date is not None:
            daily[c.specialty] = daily.get(c.specialty, 0.0) + 1 / len(dates)
    rows: list[PartnerCapacity] = []
    for spec, shares in sorted(partner_share.items()):
        for pid, share in shares:
            cap = max(1, round(share * daily.get(spec, 0.0)))
            rows += [
                PartnerCapacity(partner_id=pid, date=d, specialty=spec, capacity=cap) for d in dates
            ]
    return tuple(sorted(rows, key=lambda p: (p.partner_id, p.date, p.specialty)))
