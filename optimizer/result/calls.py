"""The patients to call: one row per patient whose appointment changes (``calls.csv``).

A patient holds an appointment, the *old slot* (:func:`old_slot`): the
announced appointment when the case carries one (the slot a previous
revision gave, see ``replan``), else the planned date, room and start. A patient is called when the
revised schedule gives them something else: another date, another room or
start, a partner hospital, or no date in this run. The list is what the
secretaries work through by phone, so it is sorted by the old date (the
soonest appointments first), then the most urgent first.

A waiting case given a date (or a transfer) is called in too: it had no
appointment, its ``old_*`` cells are empty. A case planned after the horizon
is left off (this run does not decide it; it is written ``unscheduled`` only
because it lies outside), and so is a waiting case still without a date. A
patient an earlier revision already told there is no date for now (no
announced slot, ``announced_count`` above 0) is called only when given one.

The column ``call`` says ``first``, or ``again`` for a patient an earlier
re-plan already called about this case (``announced_count`` above 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ..clock import format_time
from ..explain.called import call_reason
from ..facts.booking import Booking, Slot
from ..scenario.schema import Case, Scenario

CALLS_COLUMNS = [
    "case_id",
    "surgeon_id",
    "specialty",
    "urgency",
    "old_date",
    "old_room",
    "old_start",
    "status",
    "new_date",
    "new_room",
    "new_start",
    "partner_id",
    "reason",
    "call",
]
FIRST_CALL, CALL_AGAIN = "first", "again"


def old_slot(case: Case) -> Slot | None:
    """The appointment the patient holds before this revision, or ``None`` (a waiting case).

    The one place that decides it: the announced appointment when the case
    carries one (a previous revision's slot: the one the patient knows; its
    room and start may not have been given), else the planned slot. A patient
    already told there is no date for now has none (see :func:`told_no_date`).
    """
    if case.announced_date is not None:
        return Slot(case.announced_date, case.announced_room, case.announced_start)
    if case.planned_date is None or told_no_date(case):
        return None
    return Slot(case.planned_date, case.planned_room, case.planned_start)


def on_waiting_list(case: Case) -> bool:
    """A waiting-list case: it was never planned (no ``planned_date``). A planned patient
    left without an appointment (cancelled on the day, declined, unscheduled earlier) is
    not on the waiting list: their planned operation waits for a new date, and a row of
    ``calls.csv`` with empty ``old_*`` cells says only that they hold no appointment now."""
    return case.planned_date is None


def told_no_date(case: Case) -> bool:
    """An earlier revision changed this patient's appointment and left them without one
    (unscheduled, or cancelled on the day): they know they are waiting for a date."""
    return case.announced_date is None and case.announced_count > 0


def _changes(old: Slot, new: Booking) -> bool:
    """Whether the revised place ``new`` gives the patient another appointment than ``old``."""
    if new.status == "transferred":  # the same transfer announced is no change
        return not (new.partner == old.room and new.date == old.date)
    if new.status == "unscheduled":
        return True
    if new.date != old.date:
        return True
    if old.room is not None and new.room != old.room:
        return True
    return old.start is not None and new.start != old.start


def call_rows(
    scenario: Scenario, placed: Iterable[tuple[Booking, str | None]]
) -> list[dict[str, Any]]:
    """The rows of ``calls.csv``: cases of ``scenario`` whose new place changes their slot.

    ``placed`` holds, per case in the scenario's order, where the schedule puts
    it and the reason its call gives (``ScheduleRow.booking`` and ``.call_reason``, which
    :func:`optimizer.explain.call_said` makes from the appointment the patient holds; the
    schedule's ``reason`` where there is none). A row
    the schedule gives no reason (a case back on its planned slot, called again
    because another one was announced) says why it is called, in the policy's
    language (:func:`optimizer.explain.called.call_reason`).
    """
    policy = scenario.policy
    rank = policy.urgency_rank
    out: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for case, (new, reason) in zip(scenario.cases, placed, strict=True):
        old = old_slot(case)
        if old is None:  # a waiting patient, or one told there is no date for now
            if new.status == "unscheduled":
                continue
        elif old.date > policy.end_date or not _changes(old, new):
            continue
        call = {
            "case_id": case.case_id,
            "surgeon_id": case.surgeon_id,
            "specialty": case.specialty,
            "urgency": case.urgency,
            "old_date": old.date.isoformat() if old else None,
            "old_room": old.room if old else None,
            "old_start": _clock(old.start) if old else None,
            "status": new.status,
            "new_date": None if new.date is None else new.date.isoformat(),
            "new_room": new.room if new.here else None,
            "new_start": _clock(new.start) if new.here else None,
            "partner_id": new.partner,
            "reason": reason or call_reason(case, new, policy.language) or None,
            "call": CALL_AGAIN if case.announced_count > 0 else FIRST_CALL,
        }
        key = (old.date if old else dt.date.max, rank[case.urgency],
               old.room or "" if old else "", _clock(old.start) or "" if old else "",
               case.case_id)  # fmt: skip
        out.append((key, call))
    return [call for _, call in sorted(out, key=lambda kc: kc[0])]


def placed_of_cells(rows: Iterable[Mapping[str, Any]]) -> list[tuple[Booking, str | None]]:
    """What :func:`call_rows` takes, from ``schedule.csv`` rows read as text."""
    return [(Booking.from_cells(r), r.get("reason") or None) for r in rows]


def _clock(minutes: int | None) -> str | None:
    return None if minutes is None else format_time(minutes)


def called(scenario: Scenario, bookings: Iterable[Booking]) -> frozenset[str]:
    """The ids of the patients ``calls.csv`` lists when the schedule puts the cases there."""
    return frozenset(call["case_id"] for call in call_rows(scenario, ((b, None) for b in bookings)))
