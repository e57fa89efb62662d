"""The objective's levels by kind, apart from the words that name them, and the units their
weights share: defined once, for the model, the search, the result and the explanations.

A level is found by its :class:`LevelKind`, never by the text of its name (the
name is what ``summary.json`` and the report show; it may change with the
words, the kind does not).
"""

from __future__ import annotations

import enum


class LevelKind(enum.Enum):
    """What an objective level minimises (README, "What best means")."""

    MISSES = "misses"  # deadline misses, all classes at once, most urgent first
    MISSES_OF_CLASS = "misses_of_class"  # deadline misses of one class (``Level.urgency``)
    SHORTFALL = "shortfall"  # cases short of the kept-ratio target, over the dates
    ANNOUNCED = "announced"  # announced appointments changed (re-planning)
    COST = "cost"  # added cost: extra sessions, paid overtime
    KEPT = "kept"  # planned cases kept
    KEPT_WEIGHTED = "kept_weighted"  # the same, urgency-weighted
    DELAY = "delay"  # urgency-weighted delay
    WAITING = "waiting"  # waiting time: the longest waits first (patients listed earlier)
    MOVED = "moved"  # patients moved (room or start)
    SHIFTED = "shifted"  # minutes shifted

    @property
    def kept(self) -> bool:
        """A planned-cases-kept level (a count, or urgency-weighted)."""
        return self in (LevelKind.KEPT, LevelKind.KEPT_WEIGHTED)

    @property
    def misses(self) -> bool:
        """A deadline-miss level (one for all classes, or one per class)."""
        return self in (LevelKind.MISSES, LevelKind.MISSES_OF_CLASS)

    @property
    def by_dates(self) -> bool:
        """Its value depends on each case's date (or transfer) alone, not on its room or
        start: cases moved within their dates leave it as it is."""
        return self not in (LevelKind.ANNOUNCED, LevelKind.COST, LevelKind.MOVED,
                            LevelKind.SHIFTED)  # fmt: skip

    @property
    def per_case(self) -> bool:
        """Its value is a sum over the cases of a term that depends on that case's placement
        alone (not a date's total, as the shortfall, nor a room's, as the overtime cost)."""
        return self not in (LevelKind.SHORTFALL, LevelKind.COST)


# Weights and costs are given with two decimals at most; the model needs integers.
SCALE = 100


def scaled(amount: float) -> int:
    """A weight or a cost in hundredths, as the model counts it."""
    return round(amount * SCALE)


# A new date costs the patient a day off, an escort, perhaps a new pre-operative
# visit: it counts twice a change of room or time on the same day.
DATE_CHANGE = 2
ROOM_OR_TIME_CHANGE = 1
