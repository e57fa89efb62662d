"""The policy (``policy.toml``): the horizon, the targets, the urgency classes, the settings.

Part of the scenario data model (:mod:`optimizer.scenario.schema`, which
re-exports every name here); its own module because it is read from its own
file and checked on its own.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cached_property
from typing import Literal, get_args

from pydantic import Field, model_validator

from .contacts import Contact, Hospital
from .frozen import Frozen
from .limits import MAX_EXTRA_COST, MAX_OVERTIME_MIN, MAX_RESERVE_MIN, MAX_TURNOVER_MIN
from .params import SolverParams

Level3 = Literal["count", "weighted"]
LEVEL3: tuple[Level3, ...] = get_args(Level3)


class UrgencyClass(Frozen):
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


class RobustnessSettings(Frozen):
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


class Policy(Frozen):
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
    now: int | None = Field(
        default=None,
        ge=0,
        lt=24 * 60,
        description="The time of day (minutes after midnight) the plan is made, on "
        "start_date: no case starts that day before it but one held there with its start "
        "(pinned, or fixed: one under way). None: the day has not begun.",
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

    @cached_property
    def urgency_level(self) -> dict[str, int]:
        """Level of each class, 0 = most urgent: as :attr:`urgency_rank`, but classes with the
        same maximum delay and weight share a level (the contract breaks ties by weight only,
        so neither is more urgent than the other). What "more urgent" is said by."""
        keys = sorted(
            {
                (c.max_delay_days is None, c.max_delay_days or 0, -c.weight)
                for c in self.urgency.values()
            }
        )
        level = {k: i for i, k in enumerate(keys)}
        return {
            c.name: level[(c.max_delay_days is None, c.max_delay_days or 0, -c.weight)]
            for c in self.urgency.values()
        }

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
