"""An independent check of the ``cause`` and ``blocking`` columns: the facts behind each code.

It reads only the scenario (its schema objects) and the schedule as written,
and shares no code with the model, the search, the constructive schedule or the
explanations: it re-derives the facts the hard way, minute by minute, so that a
bug in the explanations cannot vouch for itself.

For each row not kept in its planned room and start, it verifies that the
code's facts hold on the date it is about (the planned date; for a waiting
case, some date it could have used): the sessions that exist or not, the
surgeon's hours, the cases that occupy the room and the surgeon's time, the
resources at capacity, the sequencing order; that each blocking case is
operated that date in a session the case could use or by the same surgeon;
that "more urgent" is said only of strictly more urgent cases; and that a
deadline miss names the cases that took the partner places it could have had.

It runs on every result the checker judges (:func:`.judge.check_schedule`,
once the contract's rules hold), so a schedule whose reasons say what is not so
is refused as one that breaks a rule is. The ids it judges are read as facts,
never by splitting text at punctuation: ``blocking`` against the scenario's ids
(:func:`.cause_facts.split_known`), the cases a reason names where the reason
writes a case, ``<id> (<class>, <note>)`` (:func:`.cause_facts.named_cases`); an
id may hold commas, quotes, tabs, semicolons or spaces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..scenario.schema import Case, Scenario
from .cause_facts import CauseFacts, Row, named_cases, read_rows
from .cause_facts import urgency_rank as urgency_rank
from .contract import ANAESTHETIST, ICU_BED, WARD_BED
from .table import Table

# The contract's cause codes: deliberately the checker's own copy of
# optimizer/explain/findings.py's (the judge shares no code with what it judges).
CODES = frozenset(
    {
        "backlog",
        "outside_horizon",
        "not_released",
        "patient_unavailable",
        "room_closed",
        "rearranged",
        "no_session",
        "surgeon_unavailable",
        "resource_full",
        "capacity_taken",
        "sequencing",
        "deadline_priority",
        "stability",
        "other",
    }
)
MORE_URGENT = ("more urgent", "plus urgent")


@dataclass(frozen=True)
class CauseProblem:
    """A row whose cause is not backed by the facts."""

    case_id: str
    cause: str
    message: str

    def __str__(self) -> str:
        return f"{self.case_id} ({self.cause or 'no cause'}): {self.message}"


def check_causes(
    scenario: Scenario, schedule: pd.DataFrame, table: Table | None = None
) -> list[CauseProblem]:
    """Every cause the facts do not back, one problem per row (empty: all true); ``table``:
    the schedule's cells as :func:`.table.read_table` read them already, if it did."""
    rows = read_rows(schedule, scenario, table)
    facts = CauseFacts(scenario, rows)
    problems = []
    for c in scenario.cases:
        r = rows.get(c.case_id)
        if r is None:
            problems.append(CauseProblem(c.case_id, "", "no row in the schedule"))
            continue
        message = _check_row(facts, c, r)
        if message:
            problems.append(CauseProblem(c.case_id, r.cause, message))
    return problems


def _in_place(c: Case, r: Row) -> bool:
    return (
        r.status == "kept"
        and (c.planned_room is None or r.room_id == c.planned_room)
        and (c.planned_start is None or r.start == c.planned_start)
    )


def _late(f: CauseFacts, c: Case, r: Row) -> bool:
    sc = f.sc
    deadline = f.own.deadline(c)
    if deadline is None or not sc.policy.start_date <= deadline <= sc.policy.end_date:
        return False
    return r.date is None or r.date > deadline


def _window(f: CauseFacts, c: Case, r: Row) -> list[dt.date]:
    sc = f.sc
    first = max(d for d in (sc.policy.start_date, c.planned_date, c.release_date) if d is not None)
    last = sc.policy.end_date
    deadline = f.own.deadline(c)
    if c.planned_date is None and c.announced_date is None:  # a waiting patient: called in first
        called = sc.policy.start_date + dt.timedelta(days=sc.policy.waiting_notice_days)
        if deadline is None or deadline >= called:
            first = max(first, called)
    if r.status in ("transferred", "scheduled") and deadline is not None and deadline <= last:
        last = deadline
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def _check_row(f: CauseFacts, c: Case, r: Row) -> str | None:
    sc = f.sc
    if _in_place(c, r) or (r.status == "scheduled" and not _late(f, c, r)):
        return f"a cause on a row kept as planned: {r.cause}" if r.cause else None
    if r.cause not in CODES:
        return f"cause {r.cause!r} is not one of the contract's codes"
    if r.cause == "stability":
        held = c.announced_date is not None and r.date == c.announced_date
        return None if held else "stability, but the case is not on its announced date"
    problem = _urgency_claims(f, c, r) or _miss_names_takers(f, c, r)
    if problem:
        return problem
    pd_ = c.planned_date
    if r.cause == "outside_horizon":
        ok = pd_ is not None and pd_ > sc.policy.end_date and r.status == "unscheduled"
        return None if ok else "not planned after the horizon, or not unscheduled"
    if r.cause == "backlog":
        return None if pd_ is not None and pd_ < sc.policy.start_date else "not planned before"
    if r.cause == "not_released":
        if pd_ is None:  # a waiting case: not ready on any date it could have used
            ok = c.release_date is not None and not _window(f, c, r)
        else:
            ok = c.release_date is not None and c.release_date > pd_
        return None if ok else "its release date is not after the date it is about"
    away = f.away.get(c.case_id, ())

    def cannot_come(d: dt.date) -> bool:
        return any(a <= d <= b for a, b in away)

    if r.cause == "patient_unavailable":
        if pd_ is not None and c.release_date is not None and c.release_date > pd_:
            return "not_released applies on the planned date, and wins"
        days = [pd_] if pd_ is not None else _window(f, c, r)
        if not any(cannot_come(d) for d in days):
            return "the patient can come on the date it is about"
        return None
    if pd_ is not None and cannot_come(pd_) and r.cause not in ("backlog", "outside_horizon"):
        return f"the patient cannot come on {pd_}: patient_unavailable, not {r.cause}"
    if r.cause in ("room_closed", "rearranged"):
        return _check_place(f, c, r)
    if pd_ is not None and not sc.policy.start_date <= pd_ <= sc.policy.end_date:
        return f"{r.cause} on a case planned outside the horizon"
    dates = [pd_] if pd_ is not None else _window(f, c, r)
    if r.cause == "no_session":
        bad = [d for d in dates if f.hosting(c, d)]
        return f"a session hosts it on {bad[0]}" if bad else None
    if r.cause == "other":
        return None if r.reason else "other without a reason"
    checks = {
        "surgeon_unavailable": _surgeon_away,
        "resource_full": _resource_full,
        "capacity_taken": _taken,
        "deadline_priority": _deadline_priority,
        "sequencing": _sequencing,
    }
    first = None  # backed when the facts hold on one of the dates: told of the first
    for d in dates:
        found = checks[r.cause](f, c, r, d)
        if found is None:
            return None
        first = first or found
    return first or f"{r.cause}, but no date it could have used"


def _check_place(f: CauseFacts, c: Case, r: Row) -> str | None:
    if c.planned_date is None:
        return f"{r.cause} on a waiting case"
    s = f.own.sessions.get((c.planned_date, c.planned_room or "")) if c.planned_date else None
    fits = s is not None and (
        c.planned_start is None
        or (s.start <= c.planned_start and c.planned_start + c.duration_min <= s.end)
    )
    if r.cause == "room_closed":
        if r.blocking != ((c.planned_room,) if c.planned_room else ()):
            return f"blocking {r.blocking} is not its planned room {c.planned_room}"
        return "its planned room is open and fits its planned slot" if fits else None
    if r.status != "kept" or r.date != c.planned_date:
        return "rearranged but not kept on its planned date"
    return None if fits else "rearranged, but its planned room is closed or too short"


def _surgeon_away(f: CauseFacts, c: Case, r: Row, date: dt.date) -> str | None:
    if r.blocking != (c.surgeon_id,):
        return f"blocking {r.blocking} is not its surgeon {c.surgeon_id}"
    if c.surgeon_id not in f.own.windows:
        return f"{c.surgeon_id} has no listed hours: available whenever a room is open"
    if not any(s.end - s.start >= c.duration_min for s in f.hosting(c, date)):
        return f"no session long enough hosts it on {date}"
    if next(f.each_start(c, date), None) is not None:
        return f"{c.surgeon_id}'s hours on {date} fit it in a hosting session"
    return None


def _resource_full(f: CauseFacts, c: Case, r: Row, date: dt.date) -> str | None:
    if not r.blocking or not all(f.uses(c, res) for res in r.blocking):
        return f"blocking {r.blocking} are not resources it needs"
    if any(f.zero(c, date, res) for res in r.blocking):
        return None
    # whenever it could run: at every start where room and surgeon are free, or at every
    # start at all if there is none such
    free = False
    for room, t in f.free_starts(c, date):
        free = True
        if not any(f.full(c, date, t, res) for res in r.blocking):
            return f"{room} at {t // 60:02d}:{t % 60:02d} on {date} has every listed resource free"
    starts = [] if free else f.starts(c, date)
    for room, t in starts:
        if not any(f.full(c, date, t, res) for res in r.blocking):
            return f"{room} at {t // 60:02d}:{t % 60:02d} on {date} has every listed resource free"
    return None if free or starts else f"no start on {date} for a resource to stop"


def _taken(f: CauseFacts, c: Case, r: Row, date: dt.date) -> str | None:
    if not r.blocking:
        return "no blocking cases"
    for other in r.blocking:
        if other not in f.case or not f.could_use(c, date, other):
            return f"{other} is not operated on {date} in a session it could use nor by its surgeon"
    free = next(f.free_starts(c, date), None)
    if free is not None:
        room, t = free
        return f"{room} and {c.surgeon_id} are free at {t // 60:02d}:{t % 60:02d} on {date}"
    return None


def _deadline_priority(f: CauseFacts, c: Case, r: Row, date: dt.date) -> str | None:
    problem = _taken(f, c, r, date)
    if problem:
        return problem
    end = f.sc.policy.end_date
    for other in r.blocking:
        o = f.case[other]
        deadline = f.own.deadline(o)
        if deadline is None or deadline > end or deadline < date:
            return f"{other} has no deadline in the horizon on or after {date}"
        d = date + dt.timedelta(days=1)
        while d <= deadline:
            zero = [
                res
                for res in (ANAESTHETIST, ICU_BED, WARD_BED, *o.equipment)
                if f.uses(o, res) and f.zero(o, d, res)
            ]
            away = any(a <= d <= b for a, b in f.away.get(other, ()))
            if not zero and not away and next(f.each_start(o, d), None) is not None:
                return f"{other} could have gone on {d}, before its deadline"
            d += dt.timedelta(days=1)
    return None


def _sequencing(f: CauseFacts, c: Case, r: Row, date: dt.date) -> str | None:
    if not r.blocking:
        return "no blocking cases"
    placeable = []
    for room, t in f.free_starts(c, date):
        needs = [res for res in (ANAESTHETIST, ICU_BED, WARD_BED, *c.equipment) if f.uses(c, res)]
        if any(f.full(c, date, t, res) for res in needs):
            continue
        wrong = f.out_of_order(c, date, room, t)
        if not wrong:
            return f"{room} at {t // 60:02d}:{t % 60:02d} on {date} is free, in order"
        placeable.append(wrong)
    if not placeable:
        return f"no start on {date} is free of room, surgeon and resources: not sequencing"
    if not any(set(r.blocking) <= set(w) for w in placeable):
        return f"{r.blocking} are not the cases in the way at any free start on {date}"
    return None


def _urgency_claims(f: CauseFacts, c: Case, r: Row) -> str | None:
    """Each case named after "more urgent" (up to the next ``;``) is of a more urgent class."""
    named_at = named_cases(r.reason, f.case)
    low = _masked(r.reason, named_at)  # an id saying "more urgent" says nothing
    for phrase in MORE_URGENT:
        at = low.find(phrase)
        while at >= 0:
            stop = low.find(";", at)
            named = [cid for k, cid in named_at if at <= k and (stop < 0 or k < stop)]
            if not named:
                return "says 'more urgent' without naming the cases"
            for other in named:
                if f.rank[f.case[other].urgency] >= f.rank[c.urgency]:
                    return f"calls {other} ({f.case[other].urgency}) more urgent than {c.urgency}"
            at = low.find(phrase, at + 1)
    return None


def _miss_names_takers(f: CauseFacts, c: Case, r: Row) -> str | None:
    """A transferable case that missed its deadline names who took the partner places it had."""
    deadline = f.own.deadline(c)
    policy = f.sc.policy
    if deadline is None or not policy.start_date <= deadline <= policy.end_date:
        return None
    if (r.date is not None and r.date <= deadline) or not c.transferable:
        return None
    first = max(d for d in (policy.start_date, c.planned_date, c.release_date) if d is not None)
    named = {cid for _, cid in named_cases(r.reason, f.case)}
    for p in f.sc.partners:
        if p.specialty != c.specialty or not first <= p.date <= deadline or p.capacity == 0:
            continue
        takers = {
            o.case_id
            for o in f.sc.cases
            if o.case_id != c.case_id
            and o.specialty == p.specialty
            and f.rows[o.case_id].status == "transferred"
            and f.rows[o.case_id].partner_id == p.partner_id
            and f.rows[o.case_id].date == p.date
        }
        if takers and not takers <= named:
            return f"a deadline miss that does not name {sorted(takers - named)} ({p.partner_id})"
    return None


def _masked(text: str, named_at: list[tuple[int, str]]) -> str:
    """``text`` in lower case with each named id blanked out, character for character: an
    id's own commas, semicolons or words are not read as the reason's."""
    if text.isascii():  # the same, character for character, at once
        chars = list(text.lower())
    else:
        chars = [ch.lower() if len(ch.lower()) == 1 else ch for ch in text]  # positions kept
    for at, cid in named_at:
        chars[at : at + len(cid)] = "\0" * len(cid)
    return "".join(chars)
