"""An independent check of the ``cause`` and ``blocking`` columns: the facts behind each code.

It reads only the scenario (its schema objects) and the schedule as written
(text cells, as in ``schedule.csv``), and shares no code with the model, the
search, the constructive schedule or the explanations: it re-derives the
facts the hard way, minute by minute, so that a bug in the explanations
cannot vouch for itself.

For each row not kept in its planned room and start, it verifies that the
code's facts hold on the date it is about (the planned date; for a waiting
case, some date it could have used): the sessions that exist or not, the
surgeon's hours, the cases that occupy the room and the surgeon's time, the
resources at capacity, the sequencing order; that each blocking case is
operated that date in a session the case could use or by the same surgeon;
that "more urgent" is said only of strictly more urgent cases; and that a
deadline miss names the cases that took the partner places it could have had.

It is the test suite's judge of the explanations (the demo, generated and
property-based scenarios), not a check of every written result: it reads the
blocking cases back out of the ``reason`` text, which cannot be done for every
id the files may hold (ids with commas, quotes or tabs, as the reliability
tests use), so run on every result it would refuse valid schedules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..scenario.schema import Case, Policy, Scenario, Session
from .contract import ANAESTHETIST, ICU_BED, WARD_BED
from .plan import read_facts

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
DAY = 1440


@dataclass(frozen=True)
class CauseProblem:
    """A row whose cause is not backed by the facts."""

    case_id: str
    cause: str
    message: str

    def __str__(self) -> str:
        return f"{self.case_id} ({self.cause or 'no cause'}): {self.message}"


@dataclass(frozen=True)
class _Row:
    status: str
    date: dt.date | None
    room: str | None
    start: int | None
    end: int | None
    partner: str | None
    cause: str
    blocking: tuple[str, ...]
    reason: str


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return ""
    return str(v).strip()


def _clock(v: str) -> int | None:
    if not v:
        return None
    hours, minutes = v.split(":")
    return int(hours) * 60 + int(minutes)


def _rows(schedule: pd.DataFrame) -> dict[str, _Row]:
    out = {}
    for rec in schedule.to_dict("records"):
        date = _text(rec.get("date"))
        blocking = _text(rec.get("blocking"))
        out[_text(rec["case_id"])] = _Row(
            status=_text(rec.get("status")),
            date=dt.date.fromisoformat(date) if date else None,
            room=_text(rec.get("room_id")) or None,
            start=_clock(_text(rec.get("start"))),
            end=_clock(_text(rec.get("end"))),
            partner=_text(rec.get("partner_id")) or None,
            cause=_text(rec.get("cause")),
            blocking=tuple(b for b in blocking.split(";") if b),
            reason=_text(rec.get("reason")),
        )
    return out


def _stay(c: Case, date: dt.date) -> list[tuple[str, dt.date]]:
    """The beds case ``c`` operated on ``date`` holds, by date (the contract, written out
    again): ICU on its first ``icu_days`` dates when it needs ICU, then the ward."""
    icu = c.icu_days if c.needs_icu else 0
    out = [(ICU_BED, date + dt.timedelta(days=k)) for k in range(icu)]
    return out + [(WARD_BED, date + dt.timedelta(days=icu + k)) for k in range(c.ward_days)]


def _precedes(a: frozenset[str], b: frozenset[str]) -> bool:
    """Contract rule 6, written out again: must a case flagged ``a`` go before one flagged ``b``?"""
    if "latex_allergy" in a and "latex_allergy" not in b:
        return True
    if "paediatric" in a and not ({"latex_allergy", "paediatric"} & b):
        return True
    return "infectious" in b and "infectious" not in a


def urgency_rank(policy: Policy) -> dict[str, int]:
    """Rank of each class, 0 = most urgent (smaller delay, then larger weight, then name).

    The checker's own copy of :attr:`optimizer.scenario.schema.Policy.urgency_rank`,
    deliberately: the judge re-derives what it judges by."""
    order = sorted(
        policy.urgency.values(),
        key=lambda c: (c.max_delay_days is None, c.max_delay_days or 0, -c.weight, c.name),
    )
    return {c.name: i for i, c in enumerate(order)}


class _Facts:
    """The scenario's lookups as the checker builds them itself (:func:`.plan.read_facts`:
    its own windows, capacities and deadlines, none of the data model's helpers)."""

    def __init__(self, scenario: Scenario, rows: dict[str, _Row]) -> None:
        self.sc = scenario
        self.own = read_facts(scenario)
        self.pools = frozenset(r.resource for r in scenario.resources) - {
            ANAESTHETIST,
            ICU_BED,
            WARD_BED,
        }
        self.rows = rows
        self.case = {c.case_id: c for c in scenario.cases}
        self.rank = urgency_rank(scenario.policy)
        self.on: dict[dt.date, list[tuple[Case, _Row]]] = {}
        self.beds: dict[tuple[str, dt.date], list[str]] = {}  # cases holding a bed that date
        for c in scenario.cases:
            r = rows[c.case_id]
            if r.date is not None and r.room is not None and r.start is not None:
                self.on.setdefault(r.date, []).append((c, r))
                for key in _stay(c, r.date):
                    self.beds.setdefault(key, []).append(c.case_id)
        self._usage: dict[tuple[str, dt.date, str, bool], list[int]] = {}

    def hosting(self, c: Case, date: dt.date) -> list[Session]:
        out = []
        for s in self.sc.sessions:
            room = self.own.rooms[s.room_id]
            if s.date != date or s.specialty not in (None, c.specialty):
                continue
            if room.specialties and c.specialty not in room.specialties:
                continue
            fixed = [e for e in c.equipment if e not in self.pools]
            if all(e in room.equipment for e in fixed):
                out.append(s)
        return out

    def starts(self, c: Case, date: dt.date) -> list[tuple[str, int]]:
        """Every (room, start) in a hosting session and inside the surgeon's hours."""
        windows = self.own.windows.get(c.surgeon_id)
        out = []
        for s in self.hosting(c, date):
            for t in range(s.start, s.end - c.duration_min + 1):
                if windows is not None and not any(
                    a <= t and t + c.duration_min <= b for a, b in windows.get(date, ())
                ):
                    continue
                out.append((s.room_id, t))
        return out

    def busy(self, c: Case, date: dt.date, room: str, t: int) -> list[str]:
        """Cases in the room (turnover included) or with the surgeon at [t, t + duration)."""
        turnover = self.sc.policy.turnover_min
        end = t + c.duration_min
        out = []
        for o, r in self.on.get(date, []):
            if o.case_id == c.case_id:
                continue
            assert r.start is not None and r.end is not None
            in_room = r.room == room and t < r.end + turnover and r.start < end + turnover
            with_surgeon = o.surgeon_id == c.surgeon_id and t < r.end and r.start < end
            if in_room or with_surgeon:
                out.append(o.case_id)
        return out

    def full(self, c: Case, date: dt.date, t: int, res: str) -> bool:
        """Is ``res`` at capacity for ``c`` starting at ``t`` on ``date``: a bed on some date
        of its stay, the anaesthetists (running cases or inductions) or a pool at some minute."""
        if res in (ICU_BED, WARD_BED):
            return any(
                len([o for o in self.beds.get(key, []) if o != c.case_id]) >= cap
                for key in _stay(c, date)
                if key[0] == res and (cap := self.own.capacity.get(key)) is not None
            )
        cap = self.own.capacity.get((res, date))
        if cap is None:
            return False
        if res != ANAESTHETIST:
            return max(self._used(c, date, res, False)[t : t + c.duration_min]) >= cap
        running = cap * self.sc.policy.anaesthetist_rooms
        if max(self._used(c, date, res, False)[t : t + c.duration_min]) >= running:
            return True
        inducting = self._used(c, date, res, True)[t : t + c.induction_min]
        return bool(inducting) and max(inducting) >= cap

    def _used(self, c: Case, date: dt.date, res: str, induction: bool) -> list[int]:
        """Cases holding ``res`` on ``date`` minute by minute (with ``induction``: those in
        their induction), the case itself aside."""
        key = (c.case_id, date, res, induction)
        if key not in self._usage:
            used = [0] * (DAY + 1)
            for o, r in self.on.get(date, []):
                if o.case_id == c.case_id or not self.uses(o, res):
                    continue
                assert r.start is not None and r.end is not None
                end = r.start + o.induction_min if induction else r.end
                for m in range(r.start, min(end, DAY)):
                    used[m] += 1
            self._usage[key] = used
        return self._usage[key]

    def zero(self, c: Case, date: dt.date, res: str) -> bool:
        """Has ``res`` no capacity where ``c`` operated on ``date`` would need it?"""
        if res in (ICU_BED, WARD_BED):
            return any(k[0] == res and self.own.capacity.get(k) == 0 for k in _stay(c, date))
        return self.own.capacity.get((res, date)) == 0

    def out_of_order(self, c: Case, date: dt.date, room: str, t: int) -> list[str]:
        out = []
        for o, r in self.on.get(date, []):
            if o.case_id == c.case_id or r.room != room:
                continue
            assert r.start is not None
            first, then = (c, o) if t <= r.start else (o, c)
            if _precedes(then.flags, first.flags):
                out.append(o.case_id)
        return out

    def uses(self, c: Case, res: str) -> bool:
        if res == ANAESTHETIST:
            return c.anaesthesia != "local"
        if res == ICU_BED:
            return c.needs_icu
        if res == WARD_BED:
            return c.ward_days > 0
        return res in c.equipment and res in self.pools

    def could_use(self, c: Case, date: dt.date, other: str) -> bool:
        """Is ``other`` operated on ``date`` in a session ``c`` could use, or by c's surgeon?"""
        r, o = self.rows[other], self.case[other]
        if r.date != date or r.room is None:
            return False
        hosting = {s.room_id for s in self.hosting(c, date)}
        return r.room in hosting or o.surgeon_id == c.surgeon_id


def check_causes(scenario: Scenario, schedule: pd.DataFrame) -> list[CauseProblem]:
    """Every cause the facts do not back, one problem per row (empty: all true)."""
    rows = _rows(schedule)
    facts = _Facts(scenario, rows)
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


def _in_place(c: Case, r: _Row) -> bool:
    return (
        r.status == "kept"
        and (c.planned_room is None or r.room == c.planned_room)
        and (c.planned_start is None or r.start == c.planned_start)
    )


def _late(f: _Facts, c: Case, r: _Row) -> bool:
    sc = f.sc
    deadline = f.own.deadline(c)
    if deadline is None or not sc.policy.start_date <= deadline <= sc.policy.end_date:
        return False
    return r.date is None or r.date > deadline


def _window(f: _Facts, c: Case, r: _Row) -> list[dt.date]:
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


def _check_row(f: _Facts, c: Case, r: _Row) -> str | None:
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
    away = [u for u in sc.unavailable if u.case_id == c.case_id]

    def cannot_come(d: dt.date) -> bool:
        return any(u.from_date <= d <= u.to_date for u in away)

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
    found = [checks[r.cause](f, c, r, d) for d in dates]
    if any(m is None for m in found):
        return None
    return found[0]


def _check_place(f: _Facts, c: Case, r: _Row) -> str | None:
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


def _surgeon_away(f: _Facts, c: Case, r: _Row, date: dt.date) -> str | None:
    if r.blocking != (c.surgeon_id,):
        return f"blocking {r.blocking} is not its surgeon {c.surgeon_id}"
    if c.surgeon_id not in f.own.windows:
        return f"{c.surgeon_id} has no listed hours: available whenever a room is open"
    if not any(s.end - s.start >= c.duration_min for s in f.hosting(c, date)):
        return f"no session long enough hosts it on {date}"
    if f.starts(c, date):
        return f"{c.surgeon_id}'s hours on {date} fit it in a hosting session"
    return None


def _free_starts(f: _Facts, c: Case, date: dt.date) -> list[tuple[str, int]]:
    return [(room, t) for room, t in f.starts(c, date) if not f.busy(c, date, room, t)]


def _resource_full(f: _Facts, c: Case, r: _Row, date: dt.date) -> str | None:
    if not r.blocking or not all(f.uses(c, res) for res in r.blocking):
        return f"blocking {r.blocking} are not resources it needs"
    if any(f.zero(c, date, res) for res in r.blocking):
        return None
    # whenever it could run: at every start where room and surgeon are free, or at every
    # start at all if there is none such
    starts = _free_starts(f, c, date) or f.starts(c, date)
    for room, t in starts:
        if not any(f.full(c, date, t, res) for res in r.blocking):
            return f"{room} at {t // 60:02d}:{t % 60:02d} on {date} has every listed resource free"
    return None if starts else f"no start on {date} for a resource to stop"


def _taken(f: _Facts, c: Case, r: _Row, date: dt.date) -> str | None:
    if not r.blocking:
        return "no blocking cases"
    for other in r.blocking:
        if other not in f.case or not f.could_use(c, date, other):
            return f"{other} is not operated on {date} in a session it could use nor by its surgeon"
    free = _free_starts(f, c, date)
    if free:
        room, t = free[0]
        return f"{room} and {c.surgeon_id} are free at {t // 60:02d}:{t % 60:02d} on {date}"
    return None


def _deadline_priority(f: _Facts, c: Case, r: _Row, date: dt.date) -> str | None:
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
            away = any(
                u.case_id == other and u.from_date <= d <= u.to_date for u in f.sc.unavailable
            )
            if f.starts(o, d) and not zero and not away:
                return f"{other} could have gone on {d}, before its deadline"
            d += dt.timedelta(days=1)
    return None


def _sequencing(f: _Facts, c: Case, r: _Row, date: dt.date) -> str | None:
    if not r.blocking:
        return "no blocking cases"
    placeable = []
    for room, t in _free_starts(f, c, date):
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


def _ids_in(text: str, known: Iterable[str]) -> list[str]:
    tokens = set(re.findall(r"[^\s,;:()]+", text))
    return [k for k in known if k in tokens]


def _urgency_claims(f: _Facts, c: Case, r: _Row) -> str | None:
    """Each case named after "more urgent" (up to the next ``;``) is of a more urgent class."""
    low = r.reason.lower()
    for phrase in MORE_URGENT:
        at = low.find(phrase)
        while at >= 0:
            stop = low.find(";", at)
            named = _ids_in(r.reason[at : stop if stop >= 0 else None], f.case)
            if not named:
                return "says 'more urgent' without naming the cases"
            for other in named:
                if f.rank[f.case[other].urgency] >= f.rank[c.urgency]:
                    return f"calls {other} ({f.case[other].urgency}) more urgent than {c.urgency}"
            at = low.find(phrase, at + 1)
    return None


def _miss_names_takers(f: _Facts, c: Case, r: _Row) -> str | None:
    """A transferable case that missed its deadline names who took the partner places it had."""
    deadline = f.own.deadline(c)
    policy = f.sc.policy
    if deadline is None or not policy.start_date <= deadline <= policy.end_date:
        return None
    if (r.date is not None and r.date <= deadline) or not c.transferable:
        return None
    first = max(d for d in (policy.start_date, c.planned_date, c.release_date) if d is not None)
    named = set(_ids_in(r.reason, f.case))
    for p in f.sc.partners:
        if p.specialty != c.specialty or not first <= p.date <= deadline or p.capacity == 0:
            continue
        takers = {
            o.case_id
            for o in f.sc.cases
            if o.case_id != c.case_id
            and o.specialty == p.specialty
            and f.rows[o.case_id].status == "transferred"
            and f.rows[o.case_id].partner == p.partner_id
            and f.rows[o.case_id].date == p.date
        }
        if takers and not takers <= named:
            return f"a deadline miss that does not name {sorted(takers - named)} ({p.partner_id})"
    return None
