"""A solution in indices: where each case goes. Turned into the user's schedule by ``result``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Placement:
    """Operated here (``room`` and ``start`` set) or transferred (``partner`` set) on ``day``."""

    day: int
    room: int | None = None
    start: int | None = None
    partner: int | None = None  # index into Candidates.partner_slots

    @property
    def here(self) -> bool:
        return self.room is not None


# One entry per case, in input order; None = unscheduled.
Solution = list[Placement | None]
