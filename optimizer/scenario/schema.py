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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal, get_args

from pydantic import Field, model_validator

from .. import rules
from .capacity_rows import EXTRA_RESOURCE_NAMES as EXTRA_RESOURCE_NAMES
from .capacity_rows import ExtraResource as ExtraResource
from .capacity_rows import ExtraSession as ExtraSession
from .capacity_rows import PartnerCapacity as PartnerCapacity
from .capacity_rows import ResourceCapacity as ResourceCapacity
from .capacity_rows import Room as Room
from .capacity_rows import Session as Session
from .capacity_rows import SurgeonWindow as SurgeonWindow
from .errors import InvalidScenario
from .frozen import Frozen as _Frozen
from .invariants import scenario_flaws
from .layout import ANAESTHETIST as ANAESTHETIST
from .layout import ICU_BED as ICU_BED
from .layout import WARD_BED as WARD_BED
from .limits import (
    MAX_CLOCK_MIN,
    MAX_DURATION_MIN,
    MAX_STAY_DAYS,
    MIN_DURATION_MIN,
)
from .policy import DEFAULT_TIMEZONE as DEFAULT_TIMEZONE
from .policy import LEVEL3 as LEVEL3
from .policy import Level3 as Level3
from .policy import Policy as Policy
from .policy import RobustnessSettings as RobustnessSettings
from .policy import UrgencyClass as UrgencyClass
from .policy import default_urgency_classes as default_urgency_classes
from .policy import is_timezone as is_timezone

if TYPE_CHECKING:
    import pandas as pd

BEDS = (ICU_BED, WARD_BED)
RESERVED_RESOURCES = frozenset({ANAESTHETIST, *BEDS})
FLAGS = rules.FLAGS
Anaesthesia = Literal["general", "regional", "local"]
ANAESTHESIA: tuple[Anaesthesia, ...] = get_args(Anaesthesia)


# Set by :mod:`optimizer.scenario.frames`: a scenario's DataFrames (see Scenario.to_frames).
FRAMES_OF: list[Callable[[Scenario], dict[str, pd.DataFrame]]] = []


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
    icu_days: int = Field(
        default=1, ge=1, le=MAX_STAY_DAYS, description="Dates in ICU from the surgery date on."
    )
    ward_days: int = Field(
        default=0, ge=0, le=MAX_STAY_DAYS, description="Ward dates after the ICU stay (or surgery)."
    )
    induction_min: int = Field(
        default=0,
        ge=0,
        le=MAX_DURATION_MIN,
        description="First minutes of the case, when an anaesthetist must be in its room.",
    )
    transferable: bool = False
    pinned: bool = False
    flags: frozenset[str] = frozenset()
    announced_date: dt.date | None = Field(
        default=None, description="Date of the appointment the patient was last given."
    )
    announced_room: str | None = Field(default=None, description="Its room, if announced.")
    announced_start: int | None = Field(
        default=None, ge=0, lt=1440, description="Its start, if announced (minutes)."
    )
    announced_count: int = Field(
        default=0, ge=0, description="How many times the appointment was changed and re-announced."
    )
    known_date: dt.date | None = Field(
        default=None,
        description="Date of the appointment the patient held before the call, made the same "
        "morning by an earlier result, that gave them the announced one (re-plans write it).",
    )
    known_room: str | None = Field(default=None, description="Its room, if it had one.")
    known_start: int | None = Field(
        default=None, ge=0, lt=1440, description="Its start, if it had one (minutes)."
    )
    known_none: bool = Field(
        default=False,
        description="The patient held no appointment before that call (a waiting patient "
        "called in, or one told there was no date): no known date then.",
    )
    cancelled_date: dt.date | None = Field(
        default=None,
        description="The date its operation was cancelled on the day (a re-plan writes it from "
        "the event ``cancelled``): it holds no appointment and waits for a new date.",
    )
    listed_date: dt.date | None = Field(
        default=None,
        description="Date the patient was put on the list (not after planned_date); "
        "empty: the planned date, or start_date for a waiting case.",
    )
    fixed_date: dt.date | None = Field(
        default=None, description="The planner's override: the case is operated that date."
    )
    fixed_room: str | None = Field(default=None, description="... in that room (needs a date).")
    fixed_start: int | None = Field(
        default=None, ge=0, lt=MAX_CLOCK_MIN, description="... at that start (needs a room)."
    )

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
        if self.announced_date is None and (
            self.announced_room is not None or self.announced_start is not None
        ):
            raise ValueError(f"case {self.case_id}: an announced room or start needs a date")
        if self.known_date is None and (
            self.known_room is not None or self.known_start is not None
        ):
            raise ValueError(f"case {self.case_id}: a known room or start needs a date")
        if self.known_none and self.known_date is not None:
            raise ValueError(f"case {self.case_id}: known_none with a known date")
        if (
            self.listed_date is not None
            and self.planned_date is not None
            and self.listed_date > self.planned_date
        ):
            raise ValueError(f"case {self.case_id}: listed after its planned date")
        if self.icu_days != 1 and not self.needs_icu:
            raise ValueError(f"case {self.case_id}: icu_days is given but it needs no ICU")
        if self.induction_min > self.duration_min:
            raise ValueError(f"case {self.case_id}: induction_min is longer than the case")
        if (self.fixed_room is not None and self.fixed_date is None) or (
            self.fixed_start is not None and self.fixed_room is None
        ):
            raise ValueError(
                f"case {self.case_id}: a fixed room needs a fixed date, a fixed start a fixed room"
            )
        if self.pinned and self.fixed_date is not None:
            raise ValueError(f"case {self.case_id} is pinned and fixed elsewhere: one or the other")
        if self.fixed_date is not None and any(
            d is not None and self.fixed_date < d for d in (self.planned_date, self.release_date)
        ):
            raise ValueError(f"case {self.case_id} is fixed before its planned or release date")
        return self

    @property
    def fixed_slot(self) -> FixedSlot | None:
        """Where the case must be operated, if anywhere: its planned slot when pinned, else
        the planner's override (``fixed_date``, and perhaps ``fixed_room``, ``fixed_start``)."""
        if self.pinned:
            assert self.planned_date is not None  # a pinned case has its whole planned slot
            return FixedSlot(self.planned_date, self.planned_room, self.planned_start, "planned")
        if self.fixed_date is not None:
            return FixedSlot(self.fixed_date, self.fixed_room, self.fixed_start, "fixed")
        return None

    @property
    def bed_stay(self) -> tuple[tuple[str, int], ...]:
        """The beds the case holds, as ``(bed, days after its surgery date)``: ICU from the
        surgery date on when it needs ICU, then the ward."""
        icu = self.icu_days if self.needs_icu else 0
        return tuple((ICU_BED, k) for k in range(icu)) + tuple(
            (WARD_BED, icu + k) for k in range(self.ward_days)
        )

    @property
    def announced(self) -> bool:
        """The patient holds an appointment from an earlier revision (see ``announced_*``)."""
        return self.announced_date is not None

    @property
    def needs_anaesthetist(self) -> bool:
        return self.anaesthesia != "local"


class Unavailability(_Frozen):
    """Dates a patient cannot come (a row of ``unavailable.csv``), both ends included."""

    case_id: str = Field(min_length=1)
    from_date: dt.date = Field(description="First date the patient cannot come.")
    to_date: dt.date = Field(description="Last date the patient cannot come.")
    reason: str | None = Field(default=None, description="What the patient said, if anything.")

    @model_validator(mode="after")
    def _check(self) -> Unavailability:
        if self.from_date > self.to_date:
            raise ValueError(
                f"case {self.case_id}: unavailable from {self.from_date}, after {self.to_date}"
            )
        return self

    def covers(self, date: dt.date) -> bool:
        return self.from_date <= date <= self.to_date


@dataclass(frozen=True)
class FixedSlot:
    """Where a case must be operated: a date, perhaps a room, perhaps a start.

    ``columns`` names the cells it comes from (``planned`` for a pinned case,
    ``fixed`` for the planner's override), so a problem names the right column.
    """

    date: dt.date
    room: str | None
    start: int | None
    columns: Literal["planned", "fixed"]

    @property
    def full(self) -> bool:
        """Date, room and start: the case has exactly one place."""
        return self.room is not None and self.start is not None


class Scenario(_Frozen):
    """A whole scenario: the planned list and the capacity that is left."""

    cases: tuple[Case, ...]
    rooms: tuple[Room, ...]
    sessions: tuple[Session, ...]
    surgeon_windows: tuple[SurgeonWindow, ...] = ()
    resources: tuple[ResourceCapacity, ...] = ()
    partners: tuple[PartnerCapacity, ...] = ()
    extra_sessions: tuple[ExtraSession, ...] = Field(
        default=(), description="Sessions that could be added or lengthened (whatif only)."
    )
    extra_resources: tuple[ExtraResource, ...] = Field(
        default=(), description="Beds and anaesthetists that could be added (whatif only)."
    )
    unavailable: tuple[Unavailability, ...] = Field(
        default=(), description="Dates patients cannot come (unavailable.csv)."
    )
    policy: Policy
    name: str = ""
    input_hash: str = Field(default="", description="sha256 of the input files, for audit.")
    warnings: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check_invariants(self) -> Scenario:
        """Every invariant of :mod:`.invariants`, whoever builds the scenario."""
        flaws = scenario_flaws(self)
        if flaws:
            raise InvalidScenario(flaws)
        return self

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The scenario as DataFrames, one per file: see
        :func:`~optimizer.scenario.frames.scenario_frames` (and back:
        ``scenario_from_frames(**frames, policy=scenario.policy)``)."""
        # the frames module builds on this one: it lends its function when imported (the
        # package imports it), so that the data model imports nothing above it
        return FRAMES_OF[0](self)

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
    def unavailable_by_case(self) -> Mapping[str, tuple[Unavailability, ...]]:
        """Each patient's unavailable ranges (cases with none are absent)."""
        out: dict[str, list[Unavailability]] = {}
        for u in self.unavailable:
            out.setdefault(u.case_id, []).append(u)
        return {k: tuple(v) for k, v in out.items()}

    def available(self, case_id: str, date: dt.date) -> bool:
        """Whether the patient can come on ``date`` (``unavailable.csv``)."""
        return not any(u.covers(date) for u in self.unavailable_by_case.get(case_id, ()))

    def listed(self, case: Case) -> dt.date:
        """The date the patient was put on the list: ``listed_date``, else its planned date,
        else ``start_date`` (a waiting case)."""
        if case.listed_date is not None:
            return case.listed_date
        return case.planned_date if case.planned_date is not None else self.policy.start_date

    @cached_property
    def capacity(self) -> Mapping[tuple[str, dt.date], int]:
        """Capacity of a resource on a date; a missing key means unlimited."""
        # one row per key: a second is refused (:func:`.invariants.reference_flaws`)
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

    def with_extra_sessions(self, chosen: Iterable[ExtraSession]) -> Scenario:
        """This scenario with the ``chosen`` extra sessions made real: an added one as a new
        session, a lengthened one as its session's new hours (its block kept). The extra
        sessions not chosen stay on offer. A new scenario, which checks its invariants
        (the pinned cases and the reserve too) and has its own lookups.

        Raises
        ------
        ValueError
            A chosen session is not one of this scenario's extra sessions.
        """
        picked: dict[tuple[dt.date, str], ExtraSession | None] = {
            (e.date, e.room_id): e for e in chosen
        }
        taken = set(picked)
        offered = {(e.date, e.room_id): e for e in self.extra_sessions}
        for key, e in picked.items():
            if e is None or offered.get(key) != e:
                raise ValueError(f"room {key[1]} on {key[0]}: not an extra session on offer")
        sessions = []
        for s in self.sessions:
            e = picked.pop((s.date, s.room_id), None)
            sessions.append(s if e is None else e.as_session(s.specialty))
        sessions += [e.as_session() for _k, e in sorted(picked.items()) if e is not None]
        rest = tuple(e for e in self.extra_sessions if (e.date, e.room_id) not in taken)
        fields = {name: getattr(self, name) for name in Scenario.model_fields}
        fields.update(sessions=tuple(sessions), extra_sessions=rest, input_hash="")
        return Scenario(**fields)

    def with_extra_resources(self, chosen: Iterable[ExtraResource]) -> Scenario:
        """This scenario with the ``chosen`` extra resources made real: each raises its
        capacity row by ``extra`` units, which leave the offer (what is left stays on
        offer). A new scenario, which checks its invariants.

        Raises
        ------
        ValueError
            A chosen row is not on offer (resource and date), at another cost, or takes
            more units than offered.
        """
        offered = {e.key(): e for e in self.extra_resources}
        taken: dict[tuple[str, dt.date], int] = {}
        for e in chosen:
            o = offered.get(e.key())
            units = taken.get(e.key(), 0) + e.extra
            if o is None or o.cost != e.cost or units > o.extra:
                raise ValueError(f"{e.extra} {e.resource} on {e.date}: not on offer")
            taken[e.key()] = units
        resources = tuple(
            r.model_copy(update={"capacity": r.capacity + taken.get((r.resource, r.date), 0)})
            for r in self.resources
        )
        rest = tuple(
            e.model_copy(update={"extra": e.extra - taken.get(e.key(), 0)})
            for e in self.extra_resources
            if e.extra > taken.get(e.key(), 0)
        )
        fields = {name: getattr(self, name) for name in Scenario.model_fields}
        fields.update(resources=resources, extra_resources=rest, input_hash="")
        return Scenario(**fields)
