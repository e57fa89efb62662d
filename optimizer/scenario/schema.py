"""The scenario data model: validated once at the edge, trusted inside.

Every object is a frozen pydantic model. Clock times are whole minutes after
midnight (``int``), dates are :class:`datetime.date`. The loader in
:mod:`optimizer.scenario.loader` turns files into these objects and names the file,
row and column of every problem; the models' own validators only guard the
invariants that must hold however a scenario is built (from files, from the
generator or from an importer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cached_property
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .. import rules
from ..params import SolverParams
from .limits import MAX_CLOCK_MIN, MAX_DURATION_MIN, MAX_TURNOVER_MIN, MIN_DURATION_MIN

ANAESTHETIST = "anaesthetist"
ICU_BED = "icu_bed"
RESERVED_RESOURCES = frozenset({ANAESTHETIST, ICU_BED})
FLAGS = rules.FLAGS
Anaesthesia = Literal["general", "regional", "local"]
Level3 = Literal["count", "weighted"]
ANAESTHESIA: tuple[Anaesthesia, ...] = get_args(Anaesthesia)
LEVEL3: tuple[Level3, ...] = get_args(Level3)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UrgencyClass(_Frozen):
    """An urgency class: how long a case of this class may safely wait."""

    name: str = Field(description="Class name used in cases.csv, e.g. 'P1a'.")
    max_delay_days: int | None = Field(
        default=None, ge=0, description="Days after the planned date by which to operate."
    )
    weight: float = Field(default=1.0, ge=0, description="Cost of one day of delay.")
    transfer_cost: float | None = Field(
        default=None,
        ge=0,
        description="Cost of a transfer to a partner; default: more than any postponement.",
    )


def default_urgency_classes() -> dict[str, UrgencyClass]:
    """The default classes: an emergency that may not wait, then P1a..P4.

    They follow the surgical prioritisation used in practice: P1a within 24 h,
    P1b within 72 h, P2 within 4 weeks, P3 within 3 months, P4 beyond.
    """
    classes = [
        UrgencyClass(name="EMERGENCY", max_delay_days=0, weight=1000.0),
        UrgencyClass(name="P1a", max_delay_days=1, weight=100.0),
        UrgencyClass(name="P1b", max_delay_days=3, weight=50.0),
        UrgencyClass(name="P2", max_delay_days=28, weight=10.0),
        UrgencyClass(name="P3", max_delay_days=90, weight=3.0),
        UrgencyClass(name="P4", max_delay_days=None, weight=1.0),
    ]
    return {c.name: c for c in classes}


class Policy(_Frozen):
    """Targets, urgency classes and solver settings (``policy.toml``)."""

    start_date: dt.date
    end_date: dt.date
    target_ratio: float = Field(default=0.9, ge=0, le=1)
    turnover_min: int = Field(default=30, ge=0, le=MAX_TURNOVER_MIN)
    urgency: dict[str, UrgencyClass] = Field(default_factory=default_urgency_classes)
    level3: Level3 = Field(
        default="count",
        description="'count': most planned cases kept; 'weighted': urgency-weighted count.",
    )
    seed: int = Field(default=0, ge=0)
    time_limit_s: float | None = Field(default=None, gt=0)
    language: Literal["en", "fr"] = Field(
        default="en", description="Language of the report and the CLI's summary."
    )
    solver: SolverParams = Field(
        default_factory=SolverParams,
        description="The search's tuning values (the [solver] table); none changes what is valid.",
    )

    @model_validator(mode="after")
    def _check(self) -> Policy:
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        for name, cls in self.urgency.items():
            if cls.name != name:
                raise ValueError(f"urgency class key {name!r} differs from its name {cls.name!r}")
        if not self.urgency:
            raise ValueError("at least one urgency class is needed")
        return self

    @cached_property
    def urgency_rank(self) -> dict[str, int]:
        """Rank of each class, 0 = most urgent (smaller delay, then larger weight)."""
        order = sorted(
            self.urgency.values(),
            key=lambda c: (
                c.max_delay_days is None,
                c.max_delay_days if c.max_delay_days is not None else 0,
                -c.weight,
                c.name,
            ),
        )
        return {c.name: i for i, c in enumerate(order)}

    @property
    def dates(self) -> list[dt.date]:
        n = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=i) for i in range(n)]


class Case(_Frozen):
    """A surgical case, planned on a date or waiting."""

    case_id: str = Field(min_length=1)
    specialty: str = Field(min_length=1)
    surgeon_id: str = Field(min_length=1)
    duration_min: int = Field(ge=MIN_DURATION_MIN, le=MAX_DURATION_MIN)
    urgency: str
    planned_date: dt.date | None = None
    planned_room: str | None = None
    planned_start: int | None = Field(default=None, ge=0, lt=MAX_CLOCK_MIN)
    release_date: dt.date | None = None
    due_date: dt.date | None = None
    equipment: tuple[str, ...] = ()
    anaesthesia: Anaesthesia = "general"
    needs_icu: bool = False
    transferable: bool = False
    pinned: bool = False
    flags: frozenset[str] = frozenset()

    @model_validator(mode="after")
    def _check(self) -> Case:
        unknown = set(self.flags) - set(FLAGS)
        if unknown:
            raise ValueError(f"case {self.case_id}: unknown flag(s) {sorted(unknown)}")
        if self.pinned and (
            self.planned_date is None or self.planned_room is None or self.planned_start is None
        ):
            raise ValueError(
                f"case {self.case_id} is pinned but has no planned date, room and start"
            )
        return self

    @property
    def needs_anaesthetist(self) -> bool:
        return self.anaesthesia != "local"


class Room(_Frozen):
    room_id: str = Field(min_length=1)
    specialties: frozenset[str] = Field(
        default=frozenset(), description="Specialties the room hosts; empty = any."
    )
    equipment: frozenset[str] = frozenset()

    def hosts(self, specialty: str) -> bool:
        """Does the room host ``specialty``? (:func:`optimizer.rules.room_hosts_specialty`)"""
        return rules.room_hosts_specialty(self, specialty)


class Session(_Frozen):
    """An open room session on a date: the capacity that is left."""

    date: dt.date
    room_id: str
    start: int = Field(ge=0, le=MAX_CLOCK_MIN)
    end: int = Field(ge=0, le=MAX_CLOCK_MIN)
    specialty: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Session:
        if self.start >= self.end:
            raise ValueError(f"session of room {self.room_id} on {self.date}: start >= end")
        return self


class SurgeonWindow(_Frozen):
    surgeon_id: str
    date: dt.date
    start: int = Field(ge=0, le=MAX_CLOCK_MIN)
    end: int = Field(ge=0, le=MAX_CLOCK_MIN)

    @model_validator(mode="after")
    def _check(self) -> SurgeonWindow:
        if self.start >= self.end:
            raise ValueError(f"window of surgeon {self.surgeon_id} on {self.date}: start >= end")
        return self


class ResourceCapacity(_Frozen):
    date: dt.date
    resource: str
    capacity: int = Field(ge=0)


class PartnerCapacity(_Frozen):
    partner_id: str
    date: dt.date
    specialty: str
    capacity: int = Field(ge=0)


class Scenario(_Frozen):
    """A whole scenario: the planned list and the capacity that is left."""

    cases: tuple[Case, ...]
    rooms: tuple[Room, ...]
    sessions: tuple[Session, ...]
    surgeon_windows: tuple[SurgeonWindow, ...] = ()
    resources: tuple[ResourceCapacity, ...] = ()
    partners: tuple[PartnerCapacity, ...] = ()
    policy: Policy
    name: str = ""
    input_hash: str = Field(default="", description="sha256 of the input files, for audit.")
    warnings: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        problems: list[str] = []
        seen: set[str] = set()
        for c in self.cases:
            if c.case_id in seen:
                problems.append(f"case {c.case_id} appears twice")
            seen.add(c.case_id)
            if c.urgency not in self.policy.urgency:
                problems.append(f"case {c.case_id}: unknown urgency class {c.urgency!r}")
        room_ids = {r.room_id for r in self.rooms}
        if len(room_ids) != len(self.rooms):
            problems.append("a room appears twice")
        sess_keys: set[tuple[dt.date, str]] = set()
        for s in self.sessions:
            if s.room_id not in room_ids:
                problems.append(f"session on {s.date}: unknown room {s.room_id}")
            if (s.date, s.room_id) in sess_keys:
                problems.append(f"room {s.room_id} has two sessions on {s.date}")
            sess_keys.add((s.date, s.room_id))
        for c in self.cases:
            if c.planned_room is not None and c.planned_room not in room_ids:
                problems.append(f"case {c.case_id}: unknown planned room {c.planned_room}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # Lookups derived once from immutable data: they cannot go stale.
    @cached_property
    def room_by_id(self) -> Mapping[str, Room]:
        return {r.room_id: r for r in self.rooms}

    @cached_property
    def session_by_key(self) -> Mapping[tuple[dt.date, str], Session]:
        return {(s.date, s.room_id): s for s in self.sessions}

    @cached_property
    def windows_by_surgeon(self) -> Mapping[str, Mapping[dt.date, tuple[tuple[int, int], ...]]]:
        """Each surgeon's windows per date, touching or overlapping ones merged."""
        return rules.windows_by_surgeon(self.surgeon_windows)

    @cached_property
    def capacity(self) -> Mapping[tuple[str, dt.date], int]:
        """Capacity of a resource on a date; a missing key means unlimited."""
        return {(r.resource, r.date): r.capacity for r in self.resources}

    @cached_property
    def pool_names(self) -> frozenset[str]:
        return frozenset(r.resource for r in self.resources) - RESERVED_RESOURCES

    @cached_property
    def fixed_equipment(self) -> frozenset[str]:
        return frozenset(e for r in self.rooms for e in r.equipment)

    def deadline(self, case: Case) -> dt.date | None:
        """The date by which a case must be operated: due date, else planned + class delay."""
        if case.due_date is not None:
            return case.due_date
        max_delay = self.policy.urgency[case.urgency].max_delay_days
        if max_delay is None:
            return None
        base = case.planned_date if case.planned_date is not None else self.policy.start_date
        return base + dt.timedelta(days=max_delay)
