"""The capacity that is left, row by row: rooms, sessions, extra sessions, surgeons' windows,
resources and partners.

Part of the scenario data model (:mod:`optimizer.scenario.schema`, which
re-exports every name here).
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from .. import rules
from .frozen import Frozen
from .layout import ANAESTHETIST, ICU_BED, WARD_BED
from .limits import MAX_CAPACITY, MAX_CLOCK_MIN, MAX_EXTRA_COST

# The resources ``whatif`` may add (extra_resources.csv): beds per date, anaesthetists.
EXTRA_RESOURCE_NAMES = (ICU_BED, WARD_BED, ANAESTHETIST)


class Room(Frozen):
    room_id: str = Field(min_length=1)
    specialties: frozenset[str] = Field(
        default=frozenset(), description="Specialties the room hosts; empty = any."
    )
    equipment: frozenset[str] = frozenset()

    def hosts(self, specialty: str) -> bool:
        """Does the room host ``specialty``? (:func:`optimizer.rules.room_hosts_specialty`)"""
        return rules.room_hosts_specialty(self, specialty)


class Session(Frozen):
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


class ExtraSession(Frozen):
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


class ExtraResource(Frozen):
    """Up to ``extra`` more of a resource on a date, each at ``cost``: ``solve`` never uses
    them, ``whatif`` may.

    ``resource`` is ``icu_bed`` or ``ward_bed`` (beds held that date) or
    ``anaesthetist``; the date must have a capacity row of it (without one it is
    unlimited: nothing to add). A row of the ones taken says how many were taken.
    """

    resource: str
    date: dt.date
    extra: int = Field(ge=1, le=MAX_CAPACITY, description="Units that could be added.")
    cost: float = Field(default=1.0, ge=0, le=MAX_EXTRA_COST, description="Cost of one unit.")

    @model_validator(mode="after")
    def _check(self) -> ExtraResource:
        if self.resource not in EXTRA_RESOURCE_NAMES:
            raise ValueError(
                f"extra {self.resource} on {self.date}: only {', '.join(EXTRA_RESOURCE_NAMES)} "
                "can be added"
            )
        return self

    def key(self) -> tuple[str, dt.date]:
        return (self.resource, self.date)


class SurgeonWindow(Frozen):
    surgeon_id: str
    date: dt.date
    start: int = Field(ge=0, le=MAX_CLOCK_MIN)
    end: int = Field(ge=0, le=MAX_CLOCK_MIN)

    @model_validator(mode="after")
    def _check(self) -> SurgeonWindow:
        if self.start >= self.end:
            raise ValueError(f"window of surgeon {self.surgeon_id} on {self.date}: start >= end")
        return self

    @classmethod
    def none_from(cls, surgeon_id: str, first: dt.date) -> SurgeonWindow:
        """A window that keeps a surgeon with no hours left listed in ``surgeons.csv``,
        operating on no date from ``first`` on: one minute the day before (a surgeon with
        no row would be read as not listed, free whenever a room is open)."""
        return cls(surgeon_id=surgeon_id, date=first - dt.timedelta(days=1), start=0, end=1)


class ResourceCapacity(Frozen):
    date: dt.date
    resource: str
    capacity: int = Field(ge=0)


class PartnerCapacity(Frozen):
    partner_id: str
    date: dt.date
    specialty: str
    capacity: int = Field(ge=0)
