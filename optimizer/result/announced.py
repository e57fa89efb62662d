"""A patient's announced appointment against where a schedule puts the case.

How much an announced appointment changes (kept, room or time, date) for
the summary's figures; who is called at all is :mod:`optimizer.result.calls`'s
question (its ``old_slot`` is the announced slot when there is one).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..facts.booking import Booking
from ..facts.levels import DATE_CHANGE, ROOM_OR_TIME_CHANGE
from ..scenario.schema import Case, Scenario
from .calls import called


def announced_change(case: Case, new: Booking) -> int:
    """How much an announced appointment changes: 0 kept, 1 room or time, 2 date (or gone).

    A date change (and a transfer, or no date at all) costs the patient a new
    day off, a new escort, perhaps a new pre-operative visit: it counts twice
    a change of room or start on the same day.
    """
    if not case.announced:
        return 0
    if new.partner is not None:  # kept only if the transfer announced (partner, date) holds
        same = new.partner == case.announced_room and new.date == case.announced_date
        return 0 if same else DATE_CHANGE
    if not new.here or new.date != case.announced_date:
        return DATE_CHANGE
    if case.announced_room is not None and new.room != case.announced_room:
        return ROOM_OR_TIME_CHANGE
    if case.announced_start is not None and new.start != case.announced_start:
        return ROOM_OR_TIME_CHANGE
    return 0


def announced_summary(scenario: Scenario, bookings: Sequence[Booking]) -> dict[str, int]:
    """Announced appointments kept and changed, and patients re-announced more than once.

    ``reannounced_more_than_once`` counts the patients whose appointment has
    now been changed at least twice: ``announced_count`` (the changes of
    earlier revisions) plus one if this schedule calls them.
    """
    kept = changed = date_changed = more_than_once = 0
    now_called = called(scenario, bookings)
    for c, new in zip(scenario.cases, bookings, strict=True):
        change = announced_change(c, new)
        if c.announced:
            kept += change == 0
            changed += change > 0
            date_changed += change == DATE_CHANGE
        more_than_once += c.announced_count + (c.case_id in now_called) >= 2
    return {
        "announced": kept + changed,
        "kept": kept,
        "changed": changed,
        "date_changed": date_changed,
        "reannounced_more_than_once": more_than_once,
    }


def kept_as_announced(case: Case, new: Booking) -> bool:
    """The case holds its announced appointment unchanged: the hook for the ``stability`` cause.

    The contract's ``cause`` column (built by the explanations) says
    ``stability`` on a row that is not kept in its planned room and start
    when it was "kept as announced rather than moved". The explanations
    should ask this only after finding no other limit that binds on the
    planned date (room closed, capacity taken...): then what keeps the case
    away from its planned slot is its announced appointment.
    """
    return case.announced and new.here and announced_change(case, new) == 0
