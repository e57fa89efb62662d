"""The checker's own reading of the scenario, and the schedule as the rules see it.

Lookups are rebuilt from the scenario's raw fields only (windows merged here,
capacities taken here), never from the scenario's derived helpers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from optimizer.scenario.schema import Case, Room, Scenario, Session

from .contract import OPERATED, STATUSES
from .table import Row, Table, read_table


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge windows that touch or overlap: the contract counts them as one."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


@dataclass(frozen=True)
class Facts:
    """Lookups the rules need, rebuilt from the scenario's raw fields only."""

    scenario: Scenario
    cases: dict[str, Case]
    rooms: dict[str, Room]
    sessions: dict[tuple[dt.date, str], Session]
    windows: dict[str, dict[dt.date, list[tuple[int, int]]]]
    capacity: dict[tuple[str, dt.date], int]
    fixed_equipment: frozenset[str]
    partner_capacity: dict[tuple[str, dt.date, str], int]

    @property
    def start_date(self) -> dt.date:
        return self.scenario.policy.start_date

    @property
    def end_date(self) -> dt.date:
        return self.scenario.policy.end_date

    def in_horizon(self, day: dt.date | None) -> bool:
        return day is not None and self.start_date <= day <= self.end_date

    def weight(self, case: Case) -> float:
        cls = self.scenario.policy.urgency.get(case.urgency)
        return cls.weight if cls is not None else 1.0

    def deadline(self, case: Case) -> dt.date | None:
        """Due date, else planned date (start date if waiting) + the class's maximum delay."""
        if case.due_date is not None:
            return case.due_date
        cls = self.scenario.policy.urgency.get(case.urgency)
        if cls is None or cls.max_delay_days is None:
            return None
        base = case.planned_date if case.planned_date is not None else self.start_date
        return base + dt.timedelta(days=cls.max_delay_days)


def read_facts(scenario: Scenario) -> Facts:
    """The lookups of :class:`Facts`, built here from the scenario's raw rows."""
    raw_windows: dict[str, dict[dt.date, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for w in scenario.surgeon_windows:
        raw_windows[w.surgeon_id][w.date].append((w.start, w.end))
    capacity: dict[tuple[str, dt.date], int] = {}
    for r in scenario.resources:
        # Two rows for one resource and date is bad input; the stricter one is judged.
        key = (r.resource, r.date)
        capacity[key] = min(capacity.get(key, r.capacity), r.capacity)
    partner_capacity: dict[tuple[str, dt.date, str], int] = {}
    for p in scenario.partners:
        pkey = (p.partner_id, p.date, p.specialty)
        partner_capacity[pkey] = min(partner_capacity.get(pkey, p.capacity), p.capacity)
    return Facts(
        scenario=scenario,
        cases={c.case_id: c for c in scenario.cases},
        rooms={r.room_id: r for r in scenario.rooms},
        sessions={(s.date, s.room_id): s for s in scenario.sessions},
        windows={
            sid: {d: _merge(spans) for d, spans in per_date.items()}
            for sid, per_date in raw_windows.items()
        },
        capacity=capacity,
        fixed_equipment=frozenset(e for r in scenario.rooms for e in r.equipment),
        partner_capacity=partner_capacity,
    )


@dataclass(frozen=True)
class Placed:
    """An operated case with its true occupation ``[start, start + duration)``."""

    case: Case
    row: Row
    date: dt.date
    room_id: str
    start: int

    @property
    def end(self) -> int:
        return self.start + self.case.duration_min

    @property
    def case_id(self) -> str:
        return self.case.case_id


@dataclass(frozen=True)
class Plan:
    """The schedule as the rules see it: one readable row per known case."""

    facts: Facts
    table: Table
    rows: dict[str, Row]

    @property
    def operated(self) -> list[Placed]:
        """Operated rows complete enough to be placed in time (the status rule reports the rest)."""
        return list(self._operated)  # a copy: a rule may sort or cut its own

    @cached_property
    def _operated(self) -> list[Placed]:
        out = []
        for cid, row in self.rows.items():
            if row.status in OPERATED and None not in (row.date, row.room_id, row.start):
                assert row.date is not None and row.room_id is not None and row.start is not None
                out.append(Placed(self.facts.cases[cid], row, row.date, row.room_id, row.start))
        return out

    @property
    def transferred(self) -> list[tuple[Case, Row]]:
        return [
            (self.facts.cases[cid], row)
            for cid, row in self.rows.items()
            if row.status == "transferred"
        ]


def read_plan(scenario: Scenario, schedule: pd.DataFrame) -> Plan:
    """Read the schedule against the scenario: one judged row per known case (the first)."""
    facts = read_facts(scenario)
    table = read_table(schedule)
    rows: dict[str, Row] = {}
    for row in table.rows:
        if row is None or row.case_id not in facts.cases or row.status not in STATUSES:
            continue
        rows.setdefault(row.case_id, row)  # a duplicate is reported by rule 1; the first is judged
    return Plan(facts, table, rows)


def hm(minutes: int) -> str:
    """Minutes after midnight as HH:MM, for messages."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def id_list(ids: Iterable[str]) -> str:
    """Case ids sorted and joined, for messages."""
    return ", ".join(sorted(ids))


def by_room_and_date(placed: list[Placed]) -> dict[tuple[str, dt.date], list[Placed]]:
    """Operated cases grouped by room and date: what turnover and sequencing compare."""
    groups: dict[tuple[str, dt.date], list[Placed]] = defaultdict(list)
    for p in placed:
        groups[p.room_id, p.date].append(p)
    return groups
