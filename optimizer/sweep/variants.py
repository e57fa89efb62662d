"""Variants: a scenario with its capacity changed, built in code from the loaded scenario.

The rules, in this order, on each date a ``[[capacity]]`` entry applies to:

1. ``closed_rooms`` lose their session.
2. ``rooms_open = N``: the rooms open that date become N (without ``dates``:
   on every date with a session, in the scenario or in ``capacity_from``).
   Fewer: the sessions holding a pinned case stay first, then those of the
   rooms first in room-id order. More: closed rooms reopen, in
   room-id order, with their session from ``capacity_from`` (the grid's
   scenario folder of full capacity, e.g. the plan before the disruption); a
   date where fewer than N rooms can open is an error naming the entry.
3. ``session_fraction = f``: of that date's sessions, ``round(f * n)`` (half
   up) stay, chosen in the same order.

The variant is a new :class:`~optimizer.scenario.Scenario`, which checks
its own invariants (a pinned case keeps a session for its slot...); a
variant that breaks one is reported ``failed`` with the problems, and is not
solved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..scenario import Scenario, ScenarioError, load_scenario
from ..scenario.errors import Problem
from ..scenario.schema import Session
from .grid import MAX_VARIANTS, CapacityChange, Grid, GridError, line_of


@dataclass(frozen=True)
class Capacity:
    """One capacity setting: a ``[[capacity]]`` entry with its lists expanded."""

    name: str
    dates: tuple[dt.date, ...] | None
    rooms_open: int | None
    rooms_open_by_date: tuple[tuple[dt.date, int], ...] | None
    closed_rooms: tuple[str, ...]
    session_fraction: float | None

    def rooms_wanted(self, date: dt.date) -> int | None:
        if self.rooms_open_by_date is not None:
            return dict(self.rooms_open_by_date).get(date)
        return self.rooms_open

    def applies(self, date: dt.date) -> bool:
        return self.dates is None or date in self.dates

    def params(self) -> dict[str, Any]:
        """The setting as table cells (lists joined by ``;``)."""
        by_date = self.rooms_open_by_date
        return {
            "capacity": self.name,
            "dates": "" if self.dates is None else ";".join(d.isoformat() for d in self.dates),
            "rooms_open": self.rooms_open,
            "rooms_open_by_date": ""
            if by_date is None
            else ";".join(f"{d.isoformat()}={n}" for d, n in by_date),
            "closed_rooms": ";".join(self.closed_rooms),
            "session_fraction": self.session_fraction,
        }


def expand(change: CapacityChange) -> list[Capacity]:
    """The settings of one entry: one per value of its list-valued keys."""
    rooms: list[int | None] = list(change.rooms_open) if change.rooms_open is not None else [None]
    fractions: list[float | None] = (
        list(change.session_fraction) if change.session_fraction is not None else [None]
    )
    by_date = (
        None
        if change.rooms_open_by_date is None
        else tuple(sorted(change.rooms_open_by_date.items()))
    )
    return [
        Capacity(change.name, change.dates, n, by_date, change.closed_rooms, f)
        for n, f in itertools.product(rooms, fractions)
    ]


@dataclass(frozen=True)
class Variant:
    """One solve of the sweep: a scenario as changed, and the search settings."""

    variant_id: int
    source: str  # the scenario folder, as the grid names it
    capacity: Capacity
    target: float | None
    seed: int
    work_limit: float
    time_limit: float
    scenario: Scenario  # the one solved; the loaded one when the variant is invalid
    sessions: tuple[Session, ...]  # the variant's sessions
    invalid: str | None = None  # the scenario's problems with them: not solved, reported failed

    def params(self) -> dict[str, Any]:
        """The variant's parameters, as the first columns of its table row."""
        return {
            "variant_id": self.variant_id,
            "scenario": self.source,
            **self.capacity.params(),
            "target": self.scenario.policy.target_ratio if self.target is None else self.target,
            "seed": self.seed,
            "work_limit": self.work_limit,
            "sessions": len(self.sessions),
            "session_minutes": sum(s.end - s.start for s in self.sessions),
        }


def _first(sessions: list[Session], n: int, pinned: set[tuple[dt.date, str]]) -> list[Session]:
    """The ``n`` sessions that stay: those holding a pinned case first, then by room id."""
    return sorted(sessions, key=lambda s: ((s.date, s.room_id) not in pinned, s.room_id))[:n]


def change_capacity(
    scenario: Scenario, capacity: Capacity, pool: tuple[Session, ...] = ()
) -> Scenario:
    """The scenario with its sessions changed as ``capacity`` says (see the module's rules).

    Raises
    ------
    ValueError
        A date where fewer rooms can open than asked, or a closed room that is
        not one of the scenario's rooms.
    optimizer.ScenarioError
        The variant breaks an invariant of a scenario (a pinned case's session closed).
    """
    return with_sessions(scenario, capacity, changed_sessions(scenario, capacity, pool))


def with_sessions(
    scenario: Scenario, capacity: Capacity, sessions: tuple[Session, ...]
) -> Scenario:
    """The variant: ``scenario`` with these sessions, validated, named and hashed anew."""
    fields = {name: getattr(scenario, name) for name in Scenario.model_fields}
    tag = repr(capacity.params()).encode()
    fields["sessions"] = sessions
    # offered against the original hours, and never used by solve: a what-if is its own run
    fields["extra_sessions"] = ()
    fields["name"] = f"{scenario.name} [{capacity.name}]"
    fields["input_hash"] = hashlib.sha256(scenario.input_hash.encode() + tag).hexdigest()
    return Scenario.model_validate(fields)


def changed_sessions(
    scenario: Scenario, capacity: Capacity, pool: tuple[Session, ...] = ()
) -> tuple[Session, ...]:
    """The sessions of :func:`change_capacity`'s variant (``ValueError`` as it says)."""
    known = {r.room_id for r in scenario.rooms}
    unknown = sorted(set(capacity.closed_rooms) - known)
    if unknown:
        raise ValueError(f"closed_rooms names rooms the scenario does not have: {unknown}")
    by_date: dict[dt.date, list[Session]] = {}
    for s in scenario.sessions:
        by_date.setdefault(s.date, []).append(s)
    spare: dict[dt.date, list[Session]] = {}
    for s in pool:
        if s.room_id in known:
            spare.setdefault(s.date, []).append(s)
    pinned = {
        (c.planned_date, c.planned_room)
        for c in scenario.cases
        if c.pinned and c.planned_date is not None and c.planned_room is not None
    }
    sessions: list[Session] = []
    for date in sorted(set(by_date) | set(spare) | set(capacity.dates or ())):
        today = by_date.get(date, [])
        if not capacity.applies(date):
            sessions += today
            continue
        today = [s for s in today if s.room_id not in capacity.closed_rooms]
        wanted = capacity.rooms_wanted(date)
        if wanted is not None and wanted <= len(today):
            today = _first(today, wanted, pinned)
        elif wanted is not None:
            open_rooms = {s.room_id for s in today}
            extra = [
                s
                for s in spare.get(date, [])
                if s.room_id not in open_rooms and s.room_id not in capacity.closed_rooms
            ]
            if len(today) + len(extra) < wanted:
                raise ValueError(
                    f"{date}: {wanted} rooms asked, at most {len(today) + len(extra)} can open "
                    "(set capacity_from to a scenario with more sessions that date)"
                )
            today = today + _first(extra, wanted - len(today), pinned)
        if capacity.session_fraction is not None:
            today = _first(today, math.floor(capacity.session_fraction * len(today) + 0.5), pinned)
        sessions += today
    sessions.sort(key=lambda s: (s.date, s.room_id))
    return tuple(sessions)


def build_variants(grid: Grid, grid_file: str | Path) -> list[Variant]:
    """Every variant of the grid: scenarios x capacity settings x targets x seeds.

    Raises
    ------
    optimizer.ScenarioError
        A scenario folder of the grid cannot be loaded.
    GridError
        A scenario folder (or ``capacity_from``) that does not exist, or a capacity entry
        that cannot be applied to a scenario (file, row and key named).
    """
    named = [("scenarios", folder) for folder in grid.scenarios]
    if grid.capacity_from is not None:
        named.append(("capacity_from", grid.capacity_from))
    missing = [
        Problem(str(grid_file), line_of(grid_file, key), key, f"{folder}: no such folder")
        for key, folder in named
        if not Path(folder).is_dir()
    ]
    if missing:
        raise GridError(missing)
    pool: tuple[Session, ...] = ()
    if grid.capacity_from is not None:
        pool = load_scenario(grid.capacity_from).sessions
    count = (
        len(grid.scenarios)
        * sum(len(expand(c)) for c in grid.capacity)
        * len(grid.targets or [None])
        * len(grid.seeds or [None])
    )
    if count > MAX_VARIANTS:
        raise GridError(
            [
                Problem(
                    str(grid_file),
                    None,
                    None,
                    f"the grid makes too many variants ({count:,}; at most {MAX_VARIANTS:,}): "
                    "give fewer scenarios, capacity settings, targets or seeds",
                )
            ]
        )
    return list(_variants(grid, grid_file, pool))


def _as_named(folder: Path, grid_file: str | Path) -> str:
    """The scenario folder as the grid names it: ``load_grid`` joined the name to the grid
    file's folder as typed, which the current folder changes; the table must not."""
    try:
        return Path(folder).relative_to(Path(grid_file).parent).as_posix()
    except ValueError:  # not joined to it (an absolute name, or a grid built in code)
        return str(folder)


def _variants(grid: Grid, grid_file: str | Path, pool: tuple[Session, ...]) -> Iterator[Variant]:
    problems: list[Problem] = []
    variant_id = 0
    for folder in grid.scenarios:
        base = load_scenario(folder)
        for index, change in enumerate(grid.capacity):
            for capacity in expand(change):
                try:
                    sessions = changed_sessions(base, capacity, pool)
                except ValueError as exc:
                    key = f"capacity.{index} ({change.name})"
                    line = line_of(grid_file, "capacity", index)
                    problems.append(Problem(str(grid_file), line, key, f"{folder}: {exc}"))
                    continue
                changed, invalid = base, None
                try:
                    changed = with_sessions(base, capacity, sessions)
                except ScenarioError as exc:
                    found = "; ".join(p.message for p in exc.problems[:5])
                    invalid = f"the variant is not a valid scenario: {found}"
                for target in grid.targets or [None]:
                    for seed in grid.seeds or [base.policy.seed]:
                        yield Variant(
                            variant_id,
                            _as_named(folder, grid_file),
                            capacity,
                            target,
                            seed,
                            grid.work_limit,
                            grid.time_limit,
                            changed,
                            sessions,
                            invalid,
                        )
                        variant_id += 1
    if problems:
        raise GridError(problems)
