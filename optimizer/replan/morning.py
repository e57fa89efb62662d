"""The next morning's scenario, from the previous result and what happened since (pure data).

The rules (the README's "Re-planning each morning" says them to planners):

- the horizon starts at ``today`` and ends where the previous one ended, or
  at the last date of the new sessions if later;
- a case the previous result operated or transferred before ``today`` is
  done: it leaves the list and is written in ``done.csv``; a transfer on or
  after ``today`` is an announced appointment like any other
  (``announced_room`` = the partner's id), which the new plan may keep or
  change (with a call);
- an event ``done`` or ``withdrawn`` takes a case off the list too (also in
  ``done.csv``, with that status; a case done before ``today``, or under way
  today, with where it was operated); ``cancelled`` (on the day) puts a case
  whose day has passed back on the list, without an appointment, to get a
  new date;
- call outcomes: ``declined`` (with ``until``) leaves the patient without an
  appointment (and a date the planner fixed before ``until`` without it) and
  unavailable from ``today`` to the day before ``until``;
  ``unreachable`` gives back the appointment the patient knew before the
  last call made to them (the previous result's if it called them, else an earlier one's of
  the same morning, remembered in ``known_*``; a past one too: the patient is called
  whatever the new place; a case under way, ``now``, stays where it began all the same);
  ``confirmed`` changes nothing;
- a case ``cancelled`` carries the date it was cancelled on (``cancelled_date``) until it
  is given a new appointment: its reason says so;
- every other case carries its previous slot as its announced appointment
  (an unscheduled case has none); with ``now`` (the day begun), a slot that
  started today before it is under way: the case stays there (fixed), and
  nothing else starts today before ``now``; ``planned_date`` stays the first planned
  date, so delays and deadlines keep counting from it; ``announced_count``
  goes up by one when the previous result changed the patient's appointment;
- the patients' unavailable dates from ``today`` on stay (those of cases
  still on the list);
- the capacity (sessions, surgeon windows, resources, partners, extra
  sessions) is the previous one from ``today`` on; each date ``--sessions``
  lists gets the sessions it gives (an empty ``start`` and ``end`` closes that
  room), other dates keep theirs; the beds are lowered by the stays of
  the done cases (:mod:`.beds`); ``--cases`` adds new cases (one with no planned or
  listed date is listed ``today``, the morning it arrived).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .. import i18n
from ..facts.booking import Booking
from ..facts.schedule_file import DONE, TRANSFERRED, WITHDRAWN
from ..result.calls import called, old_slot
from ..scenario import Problem, ScenarioError
from ..scenario.errors import InvalidScenario
from ..scenario.flaw import Flaw
from ..scenario.invariants import lengthening_flaws
from ..scenario.layout import KNOWN_COLUMNS, KNOWN_NONE
from ..scenario.schema import (
    Case,
    ExtraSession,
    ResourceCapacity,
    Scenario,
    Session,
    SurgeonWindow,
    Unavailability,
)
from .beds import beds_left, unfix_past
from .files import DECLINED, UNREACHABLE, NewSessions, Previous


@dataclass(frozen=True)
class DoneCase:
    """A case that left the list this morning: operated, transferred or withdrawn.

    ``slot`` is where it was operated or transferred; ``None`` for a withdrawn
    case, and for one reported done by an event although its day had not come.
    ``source`` says what shows it: ``schedule`` (the previous result) or
    ``events`` (the events file).
    """

    case: Case
    status: str
    slot: Booking | None
    source: str


class HeldBroken(InvalidScenario):
    """The next scenario breaks an invariant on a case held at its slot: pinned, or under way
    at ``now`` (held where it began: the user never wrote that hold). ``held`` gives, by
    index among the scenario's cases, each such case and its slot, so that the problem is
    told from what the user gave (:func:`optimizer.replan.command.prepare`)."""

    def __init__(self, flaws: list[Flaw], held: Mapping[int, tuple[Case, Booking]]) -> None:
        super().__init__(flaws)
        self.held = held


@dataclass(frozen=True)
class NextMorning:
    scenario: Scenario
    done: tuple[DoneCase, ...]
    carried: int  # cases of the previous result still on the list
    cancelled: int  # of which cancelled on the day


def _declined_reason(until: dt.date, lang: i18n.Lang) -> str:
    """The reason written for a declined call's unavailability, in the hospital's language:
    planners read ``unavailable.csv`` in a spreadsheet; nothing parses it back."""
    return i18n.text(lang, "replan.declined_until", until=i18n.full_date(until, lang))


def next_morning(
    previous: Previous,
    today: dt.date,
    *,
    events: Mapping[str, str] | None = None,
    sessions: NewSessions | None = None,
    new_cases: Sequence[Case] = (),
    name: str = "",
    now: int | None = None,
) -> NextMorning:
    """Build the scenario to solve on the morning of ``today``.

    Parameters
    ----------
    previous
        The previous result folder's scenario and slots.
    today
        The first date of the new horizon.
    events
        ``done``, ``cancelled`` or ``withdrawn`` per case id (checked by
        :func:`optimizer.replan.files.read_events`).
    sessions
        When given, each date they list has exactly their sessions that date
        (:func:`optimizer.replan.files.read_sessions`); other dates keep theirs.
    new_cases
        Added to the list (their ids must be new).
    now
        The time of day the plan is made (minutes after midnight), when the day has begun:
        a case the previous result started before it today is under way and stays where it
        is (its slot fixed there), and nothing else starts before it today (``policy.now``).

    Raises
    ------
    ScenarioError
        ``today`` is outside what can be re-planned.
    """
    events = events or {}
    old = previous.scenario
    policy = old.policy
    if today < policy.start_date:
        raise ScenarioError(
            [
                Problem(
                    "--today",
                    None,
                    None,
                    f"{today} is before the previous result's first date {policy.start_date}",
                )
            ]
        )
    end = policy.end_date
    if sessions is not None and sessions.dates:
        end = max(end, max(sessions.dates))
    if today > end:
        raise ScenarioError(
            [
                Problem(
                    "--today",
                    None,
                    None,
                    f"{today} is after the previous horizon's last date {end}: give the "
                    "sessions from that date on with --sessions",
                )
            ]
        )
    done: list[DoneCase] = []
    cases: list[Case] = []
    declined: list[Unavailability] = []
    cancelled = 0
    under_way: dict[str, Booking] = {}  # held where they began today before ``now``
    # the patients the previous result had called: their appointment changed once more
    was_called = called(old, [previous.slots[c.case_id] for c in old.cases])
    # the previous result was made this morning: its calls were this morning's too
    same_morning = policy.start_date == today
    for c in old.cases:
        slot = previous.slots[c.case_id]
        event = events.get(c.case_id)
        past = slot.date is not None and slot.date < today
        begun = slot.begun(today, now)  # under way: it stays there (held, unless pinned)
        hold = begun and not c.pinned
        if event == WITHDRAWN:
            done.append(DoneCase(c, WITHDRAWN, None, "events"))
        elif event == DONE:
            status = TRANSFERRED if slot.status == "transferred" else DONE
            # a case done under way today was operated there: not one done before its day
            done.append(DoneCase(c, status, slot if past or begun else None, "events"))
        elif event == "cancelled":  # the reasons say it: cancelled on that day, a new date
            cancelled += 1
            gone = _carried(c, None, c.case_id in was_called)
            cases.append(gone.model_copy(update={"cancelled_date": slot.date}))
        elif event == DECLINED:  # no appointment, and none before ``until``
            until = getattr(events, "until", {})[c.case_id]
            refused = _carried(c, None, True)
            if c.fixed_date is not None and c.fixed_date < until:  # the patient refuses it
                refused = refused.model_copy(
                    update={"fixed_date": None, "fixed_room": None, "fixed_start": None}
                )
            cases.append(refused)
            if until > today:  # until today: the appointment refused, no day held away
                declined.append(
                    Unavailability(case_id=c.case_id, from_date=today,
                                   to_date=until - dt.timedelta(days=1),
                                   reason=_declined_reason(until, policy.language))
                )  # fmt: skip
        elif event == UNREACHABLE:  # under way too: held there, the slot known announced
            back = _unreachable(c, today, c.case_id in was_called)
            cases.append(_held(back, slot) if hold else back)
            if hold:
                under_way[c.case_id] = slot
        elif slot.status == "transferred" and past:
            done.append(DoneCase(c, TRANSFERRED, slot, "schedule"))
        elif slot.status == "transferred":  # on or after today: an appointment it may keep
            carried_case = _carried(c, slot, c.case_id in was_called)
            cases.append(_knowing(carried_case, c, same_morning, c.case_id in was_called))
        elif slot.here and past:
            done.append(DoneCase(c, DONE, slot, "schedule"))
        elif c.planned_date is not None and c.planned_date > policy.end_date:
            cases.append(c)  # outside the previous run: nothing was decided for it
        else:
            carried_case = _carried(c, slot if slot.here else None, c.case_id in was_called)
            carried_case = _knowing(carried_case, c, same_morning, c.case_id in was_called)
            cases.append(_held(carried_case, slot) if hold else carried_case)
            if hold:
                under_way[c.case_id] = slot
    carried = len(cases)
    on_list = {c.case_id for c in cases}
    kept_sessions = [s for s in old.sessions if s.date >= today]
    if sessions is not None:
        kept_sessions = [s for s in kept_sessions if s.date not in sessions.dates]
        kept_sessions += [s for s in sessions.sessions if today <= s.date <= end]
        kept_sessions.sort(key=lambda s: s.date)  # stable: each date's rooms in given order
    listed = (*unfix_past(cases, today), *(_arrived(c, today) for c in new_cases))
    try:
        scenario = Scenario(
            cases=listed,
            rooms=old.rooms,
            sessions=tuple(kept_sessions),
            surgeon_windows=_windows_from(old.surgeon_windows, today),
            resources=beds_left(_resources_from(old, today), ((d.case, d.slot) for d in done)),
            partners=tuple(p for p in old.partners if p.date >= today),
            extra_sessions=_extras(old.extra_sessions, kept_sessions, today),
            # their capacity rows are carried from today on too (lowered beds keep their row)
            extra_resources=tuple(e for e in old.extra_resources if e.date >= today),
            unavailable=(
                *(u for u in old.unavailable if u.case_id in on_list and u.to_date >= today),
                *declined,
            ),
            policy=policy.model_copy(update={"start_date": today, "end_date": end, "now": now}),
            name=name or old.name,
        )
    except InvalidScenario as exc:
        held = {i: (c, under_way.get(c.case_id) or _pinned_slot(c)) for i, c in enumerate(listed)
                if c.case_id in under_way or c.pinned}  # fmt: skip
        if any(f.table == "cases" and f.index in held for f in exc.flaws):
            raise HeldBroken(exc.flaws, held) from None
        raise
    return NextMorning(scenario, tuple(done), carried, cancelled)


def _resources_from(old: Scenario, today: dt.date) -> list[ResourceCapacity]:
    """The capacity rows from ``today`` on, and the last row of each mobile pool that has
    none left (a re-plan past the previous horizon's last date): a pool is known by its rows,
    and without one every case needing it would be refused; the dates with no row are
    unlimited, as any date without a row."""
    rows = [r for r in old.resources if r.date >= today]
    left = {r.resource for r in rows}
    last: dict[str, ResourceCapacity] = {}
    for r in sorted(old.resources, key=lambda r: r.date):
        if r.resource in old.pool_names and r.resource not in left:
            last[r.resource] = r
    return [*last.values(), *rows]


def _windows_from(windows: Sequence[SurgeonWindow], today: dt.date) -> tuple[SurgeonWindow, ...]:
    """The surgeons' windows from ``today`` on; a surgeon listed whose windows all fell
    before it stays listed with none (without a row they would be free every date)."""
    kept = [w for w in windows if w.date >= today]
    listed = {w.surgeon_id for w in kept}
    gone = dict.fromkeys(w.surgeon_id for w in windows if w.surgeon_id not in listed)
    return (*kept, *(SurgeonWindow.none_from(s, today) for s in gone))


def _extras(
    extras: Sequence[ExtraSession], sessions: Sequence[Session], today: dt.date
) -> tuple[ExtraSession, ...]:
    """The extra sessions still on offer from ``today`` on: those that still open a closed
    room or lengthen the room's session as it now is (new hours may have overtaken them)."""
    by_key = {(s.date, s.room_id): s for s in sessions}
    out = []
    for i, e in enumerate(extras):
        base = by_key.get((e.date, e.room_id))
        if e.date >= today and (base is None or not lengthening_flaws(i, e, base)):
            out.append(e)
    return tuple(out)


def _arrived(case: Case, today: dt.date) -> Case:
    """A new case with no planned date and no ``listed_date`` is put on the list ``today``:
    written down, so that the reasons say it arrived that morning (not that it came from the
    waiting list) and its wait counts from it on the next mornings too, not from each
    morning's first date as an empty ``listed_date`` would."""
    if case.planned_date is not None or case.listed_date is not None:
        return case
    return case.model_copy(update={"listed_date": today})


def _pinned_slot(case: Case) -> Booking:
    """Where the pinned ``case`` is held: its planned slot."""
    return Booking("kept", case.planned_date, case.planned_room, case.planned_start)


def _held(case: Case, slot: Booking) -> Case:
    """``case`` held at ``slot``, where it is under way (``fixed_*``)."""
    update = {"fixed_date": slot.date, "fixed_room": slot.room, "fixed_start": slot.start}
    return case.model_copy(update=update)


def _unreachable(case: Case, today: dt.date, called: bool) -> Case:
    """A patient the last call made to them did not reach: the appointment they hold is the
    one they knew before it, and they are called again if it still changes. ``called``: the
    previous result called them (its ``calls.csv`` lists them), so its call is the one that
    failed and they knew its announced slot (else the planned one); when it did not, the
    last call was an earlier result's of the same morning (``known_*``, when it was made),
    and they knew what they held before that call (nothing, ``known_none``: no appointment
    then, and they are called when given one).

    A known slot already past is kept as it is when it was an announced one: the patient still
    holds it, so any place (no date too) changes it and they are called, as the contract
    says; with no announced slot left, ``announced_count`` above 0 would read "already told
    there is no date" and the call would be lost. A planned slot past needs nothing: the
    planned slot is what the patient holds without an announced one."""
    known: tuple[dt.date | None, str | None, int | None]
    forget = {**dict.fromkeys(KNOWN_COLUMNS), KNOWN_NONE: False}
    if not called and case.known_none:  # that call gave them their first appointment
        update = dict.fromkeys(("announced_date", "announced_room", "announced_start"))
        return case.model_copy(update={**update, **forget})
    if not called and case.known_date is not None:
        known, was_announced = (case.known_date, case.known_room, case.known_start), True
    elif case.announced_date is not None:
        known, was_announced = (
            (case.announced_date, case.announced_room, case.announced_start),
            True,
        )
    else:
        known, was_announced = (case.planned_date, case.planned_room, case.planned_start), False
    if case.pinned or known[0] is None or (known[0] < today and not was_announced):
        known = (None, None, None)
    update = dict(zip(("announced_date", "announced_room", "announced_start"), known, strict=True))
    return case.model_copy(update={**update, **forget})


def _knowing(new: Case, old: Case, same_morning: bool, called: bool) -> Case:
    """``new`` (carried from ``old``, its announced appointment the previous result's slot)
    with what its patient held before the last call made to them, when that call was made
    this morning (``known_*``): the previous result's call (``called``: they held ``old``'s
    slot as :func:`~optimizer.result.calls.old_slot` says, or none at all: ``known_none``,
    a waiting patient called in or one told there was no date), or, when it did not call
    them, the call of an
    earlier result of this morning that ``old`` remembers. An ``unreachable`` event reported
    against the new result, which does not call them again, gives it back
    (:func:`_unreachable`); on another morning nothing is remembered."""
    known: tuple[dt.date | None, str | None, int | None] = (None, None, None)
    none = False
    if same_morning and new.announced and called:
        held = old_slot(old)  # none: a waiting patient called in, or one told "no date"
        none = held is None
        if held is not None:
            known = (held.date, held.room, held.start)
    elif same_morning and new.announced:
        known, none = (old.known_date, old.known_room, old.known_start), old.known_none
    if known[0] is None:
        known = (None, None, None)
    update = {**dict(zip(KNOWN_COLUMNS, known, strict=True)), KNOWN_NONE: none}
    return new.model_copy(update=update)


def _carried(case: Case, slot: Booking | None, was_called: bool) -> Case:
    """The case for the next morning: its slot becomes its announced appointment."""
    update: dict[str, object] = {
        "announced_date": None,
        "announced_room": None,
        "announced_start": None,
        "announced_count": case.announced_count + int(was_called),
        **dict.fromkeys(KNOWN_COLUMNS),  # set again by _knowing when a call this morning
        KNOWN_NONE: False,
        # a case cancelled on the day is so until it is given a new appointment
        "cancelled_date": case.cancelled_date if slot is None else None,
    }
    if slot is not None:  # a transfer's room is the partner's id (no start)
        room = slot.partner if slot.partner is not None else slot.room
        update.update(announced_date=slot.date, announced_room=room, announced_start=slot.start)
    else:
        update["pinned"] = False  # a pinned case cancelled on the day: its slot is gone
    return case.model_copy(update=update)
