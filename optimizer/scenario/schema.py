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
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .. import rules
from .contacts import Contact, Hospital
from .errors import InvalidScenario
from .invariants import scenario_flaws
from .layout import ANAESTHETIST as ANAESTHETIST
from .layout import ICU_BED as ICU_BED
from .layout import WARD_BED as WARD_BED
from .limits import (
    MAX_CLOCK_MIN,
    MAX_DURATION_MIN,
    MAX_EXTRA_COST,
    MAX_OVERTIME_MIN,
    MAX_RESERVE_MIN,
    MAX_STAY_DAYS,
    MAX_TURNOVER_MIN,
    MIN_DURATION_MIN,
)
from .params import SolverParams

if TYPE_CHECKING:
    import pandas as pd

BEDS = (ICU_BED, WARD_BED)
RESERVED_RESOURCES = frozenset({ANAESTHETIST, *BEDS})
FLAGS = rules.FLAGS
Anaesthesia = Literal["general", "regional", "local"]
Level3 = Literal["count", "weighted"]
ANAESTHESIA: tuple[Anaesthesia, ...] = get_args(Anaesthesia)
LEVEL3: tuple[Level3, ...] = get_args(Level3)


# Set by :mod:`optimizer.scenario.frames`: a scenario's DataFrames (see Scenario.to_frames).
FRAMES_OF: list[Callable[[Scenario], dict[str, pd.DataFrame]]] = []


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update``, a new object validated again (pydantic's own copy would
        skip every check and carry this object's cached lookups over, stale)."""
        if not update:
            return super().model_copy(deep=deep)
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self)(**{**fields, **update})


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


class RobustnessSettings(_Frozen):
    """How durations vary, for the robustness simulation (``[robustness]`` in ``policy.toml``).

    See :mod:`optimizer.sweep.robustness` for the defaults and their source.
    """

    duration_cv: dict[str, float] = Field(
        default_factory=dict,
        description="Coefficient of variation of durations per specialty, over the defaults.",
    )
    default_cv: float | None = Field(
        default=None, ge=0, le=3, description="CV of a specialty in neither table."
    )
    cancel_after_min: int = Field(
        default=30,
        ge=0,
        le=1440,
        description="A case is cancelled on the day when, at its start, its expected end "
        "is more than this many minutes past the session end.",
    )


DEFAULT_TIMEZONE = "Europe/Paris"


def is_timezone(name: object) -> bool:
    """Whether ``name`` is a time zone this machine knows (``Europe/Paris``)."""
    if not isinstance(name, str) or not name or len(name) > 64 or name.startswith("/"):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


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
    overtime_max_min: int = Field(
        default=0,
        ge=0,
        le=MAX_OVERTIME_MIN,
        description="Minutes a session may run past its end; 0 (default): no overtime.",
    )
    overtime_cost_per_min: float = Field(
        default=1.0, ge=0, le=MAX_EXTRA_COST, description="Cost of one minute of overtime."
    )
    reserve_min: int = Field(
        default=0,
        ge=0,
        le=MAX_RESERVE_MIN,
        description="Minutes per date kept free of elective cases across all sessions.",
    )
    reserve: dict[str, int] = Field(
        default_factory=dict,
        description="Minutes per date kept free of elective cases, per specialty "
        "(in the sessions that can host it).",
    )
    notice_days: int = Field(
        default=0,
        ge=0,
        description="A changed announced appointment does not move to a date less than this "
        "many days after start_date, unless its deadline requires it.",
    )
    waiting_notice_days: int = Field(
        default=0,
        ge=0,
        description="A waiting case without an announced appointment is not operated before "
        "start_date + this many days, unless its deadline falls earlier (its patient needs "
        "calling in like anyone else).",
    )
    anaesthetist_rooms: int = Field(
        default=1,
        ge=1,
        le=4,
        description="How many running cases one anaesthetist may supervise (nurse "
        "anaesthetists stay in each room); inductions still take one anaesthetist each.",
    )
    language: Literal["en", "fr"] = Field(
        default="en", description="Language of the report and the CLI's summary."
    )
    timezone: str = Field(
        default=DEFAULT_TIMEZONE,
        description="The hospital's time zone (IANA name): the offset of the times exported "
        "to its systems (export --format fhir|hl7|ics).",
    )
    solver: SolverParams = Field(
        default_factory=SolverParams,
        description="The search's tuning values (the [solver] table); none changes what is valid.",
    )
    robustness: RobustnessSettings = Field(default_factory=RobustnessSettings)
    hospital: Hospital = Field(default_factory=Hospital, description="[hospital]: letters.")
    partners: dict[str, Contact] = Field(default_factory=dict, description="[partners.<id>].")

    @model_validator(mode="after")
    def _check(self) -> Policy:
        if not is_timezone(self.timezone):
            raise ValueError(f"timezone {self.timezone!r} is not a time zone name")
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        for name, cls in self.urgency.items():
            if cls.name != name:
                raise ValueError(f"urgency class key {name!r} differs from its name {cls.name!r}")
        if not self.urgency:
            raise ValueError("at least one urgency class is needed")
        for specialty, minutes in self.reserve.items():
            if not specialty or not 0 <= minutes <= MAX_RESERVE_MIN:
                raise ValueError(f"reserve {specialty!r} = {minutes}: not a specialty and minutes")
        return self

    def is_elective(self, urgency: str) -> bool:
        """Elective: every class but those that may not wait at all (``max_delay_days = 0``).

        Emergencies may use the reserve kept for them; elective cases may not.
        """
        return self.urgency[urgency].max_delay_days != 0

    @property
    def reserves(self) -> list[tuple[str | None, int]]:
        """The reserves to keep per date: ``(None, minutes)`` across all sessions, then one
        per specialty, in name order; a reserve of 0 minutes is none."""
        out: list[tuple[str | None, int]] = []
        if self.reserve_min:
            out.append((None, self.reserve_min))
        out += [(s, m) for s, m in sorted(self.reserve.items()) if m]
        return out

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

    def urgency_order(self) -> list[str]:
        """The urgency classes' names, most urgent first (the order of :attr:`urgency_rank`).

        For sorting a table by urgency, e.g. as an ordered ``pandas.Categorical``.
        """
        rank = self.urgency_rank
        return sorted(rank, key=rank.__getitem__)

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


class ExtraSession(_Frozen):
    """A session that could be added, at a cost: ``solve`` never uses it, ``whatif`` may.

    For a room closed that date it opens the room (an added session); for a
    room with a session that date it gives the session these longer hours (a
    lengthened session), which must contain the session's own hours.
    """

    date: dt.date
    room_id: str
    start: int = Field(ge=0, le=MAX_CLOCK_MIN)
    end: int = Field(ge=0, le=MAX_CLOCK_MIN)
    specialty: str | None = Field(
        default=None, description="Block of an added session; a lengthened one keeps its own."
    )
    cost: float = Field(default=1.0, ge=0, le=MAX_EXTRA_COST, description="Cost of adding it.")

    @model_validator(mode="after")
    def _check(self) -> ExtraSession:
        if self.start >= self.end:
            raise ValueError(f"extra session of room {self.room_id} on {self.date}: start >= end")
        return self

    def lengthens(self, session: Session) -> bool:
        """Whether these hours contain ``session``'s and are longer."""
        return (
            self.start <= session.start
            and session.end <= self.end
            and (self.start, self.end) != (session.start, session.end)
        )

    def as_session(self, block: str | None = None) -> Session:
        """The session it gives; ``block``: the block of the session it lengthens."""
        specialty = self.specialty if self.specialty is not None else block
        return Session(
            date=self.date, room_id=self.room_id, start=self.start, end=self.end,
            specialty=specialty,
        )  # fmt: skip


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
    extra_sessions: tuple[ExtraSession, ...] = Field(
        default=(), description="Sessions that could be added or lengthened (whatif only)."
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
